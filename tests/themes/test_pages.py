"""Theme pages: who may see and change themes, and what the forms say when they refuse."""

import re

from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes import service
from contest.themes.demo import load_demo_themes
from contest.themes.models import Theme, ThemeKind

TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về “dân là gốc”"


def form_data(**overrides) -> dict:
    data = {
        "kind": "annual",
        "short_name": "Chuyên đề năm 2024 (Bến Tre)",
        "title": TITLE,
        "organisation": "Tỉnh ủy Bến Tre",
        "year_from": "2024",
        "year_to": "",
        "document_code": "",
        "issued_on": "",
        "description": "",
        "source": "",
    }
    data.update(overrides)
    return data


def theme_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Theme))


def in_english(client) -> None:
    # The Vietnamese catalog is compiled later; English messages are the msgids themselves.
    client.post_form("/language", {"lang": "en", "next": "/"})


def error_beside(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error shown beside {field}"
    return match.group(1)


def make_theme(**overrides) -> Theme:
    fields = {
        "kind": ThemeKind.ANNUAL,
        "short_name": "Chuyên đề năm 2024 (Bến Tre)",
        "title": TITLE,
        "organisation": "Tỉnh ủy Bến Tre",
        "year_from": 2024,
    }
    fields.update(overrides)
    theme = service.create_theme(**fields)
    db.session.commit()
    return theme


def test_an_editor_adds_an_annual_theme_and_sees_it_listed(client, login_as):
    login_as(Role.EDITOR)
    response = client.post_form("/themes/new", form_data(year_to="2025"))
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme))
    assert response.headers["Location"].endswith(f"/themes/{theme.id}")
    assert (theme.kind, theme.organisation, theme.year_from, theme.year_to) == (
        "annual",
        "Tỉnh ủy Bến Tre",
        2024,
        2025,
    )
    page = client.get("/themes").get_data(as_text=True)
    assert "Chuyên đề năm 2024 (Bến Tre)" in page
    assert "Tỉnh ủy Bến Tre" in page
    assert "2024–2025" in page


def test_the_detail_page_shows_the_full_title_and_the_date_as_dd_mm_yyyy(client, login_as):
    login_as(Role.JUDGE)
    load_demo_themes()
    db.session.commit()
    directive = db.session.scalar(select(Theme).where(Theme.kind == "directive"))
    page = client.get(f"/themes/{directive.id}").get_data(as_text=True)
    assert directive.title in page
    assert "15/05/2016" in page
    assert client.get("/themes/999999").status_code == 404


def test_a_duplicate_title_for_the_same_organisation_is_refused_beside_the_title(client, login_as):
    make_theme()
    login_as(Role.EDITOR)
    in_english(client)
    response = client.post_form("/themes/new", form_data(short_name="Bản sao"))
    assert response.status_code == 200
    message = error_beside(response.get_data(as_text=True), "title")
    assert "Tỉnh ủy Bến Tre already has a theme with this title." in message
    assert theme_count() == 1


def test_a_last_year_before_the_first_year_is_refused_and_nothing_is_written(client, login_as):
    login_as(Role.EDITOR)
    in_english(client)
    response = client.post_form("/themes/new", form_data(year_from="2025", year_to="2024"))
    assert response.status_code == 200
    message = error_beside(response.get_data(as_text=True), "year_to")
    assert "The last year cannot come before the first year." in message
    assert theme_count() == 0


def test_a_year_before_1930_is_refused_by_the_form(client, login_as):
    login_as(Role.EDITOR)
    in_english(client)
    response = client.post_form("/themes/new", form_data(year_from="1925"))
    assert "Enter a year from 1930 to 2100." in error_beside(
        response.get_data(as_text=True), "year_from"
    )
    assert theme_count() == 0


def test_an_editor_corrects_a_theme_and_the_date_reads_back_as_dd_mm_yyyy(client, login_as):
    theme = make_theme()
    login_as(Role.EDITOR)
    response = client.post_form(
        f"/themes/{theme.id}/edit",
        form_data(document_code="15-KH/TU", issued_on="05/03/2024", year_to="2025"),
    )
    assert response.status_code == 302
    db.session.refresh(theme)
    assert (theme.document_code, theme.issued_on.isoformat(), theme.years) == (
        "15-KH/TU",
        "2024-03-05",
        "2024–2025",
    )
    page = client.get(f"/themes/{theme.id}/edit").get_data(as_text=True)
    assert 'value="05/03/2024"' in page


def results_table(client, url: str) -> str:
    """Only the table of themes: the layout's footer names Directive 05 too."""
    page = client.get(url).get_data(as_text=True)
    return page[page.index("<table") : page.index("</table>")] if "<table" in page else ""


def test_the_list_filters_by_year_and_by_words_without_diacritics(client, login_as):
    login_as(Role.JUDGE)
    load_demo_themes()
    db.session.commit()
    by_year = results_table(client, "/themes?year=2024")
    assert "Chuyên đề năm 2024–2025 (Hậu Giang)" in by_year
    assert "Chỉ thị 05-CT/TW" not in by_year
    by_words = results_table(client, "/themes?q=chi+thi+05")
    assert "Chỉ thị 05-CT/TW" in by_words
    assert "Chuyên đề năm 2023 (Thanh Trì)" not in by_words
    # A year that is not a number is shown as an error and ignored, not a crash.
    assert client.get("/themes?year=abc&kind=bogus").status_code == 200


def test_retiring_hides_a_theme_from_the_default_list_and_reactivating_brings_it_back(
    client, login_as
):
    theme = make_theme()
    login_as(Role.EDITOR)
    listed = "Chuyên đề năm 2024 (Bến Tre)"
    for _ in range(2):  # a repeated click leaves it retired
        response = client.post_form(f"/themes/{theme.id}/active", {"active": "0"})
        assert response.status_code == 302
        client.get(response.headers["Location"])  # shows (and so clears) the flash message
    assert listed not in client.get("/themes").get_data(as_text=True)
    assert listed in client.get("/themes?status=retired").get_data(as_text=True)
    client.post_form(f"/themes/{theme.id}/active", {"active": "1"}, follow_redirects=True)
    assert listed in client.get("/themes").get_data(as_text=True)
    db.session.refresh(theme)
    assert theme.active


def test_a_judge_sees_themes_but_may_not_add_edit_or_retire_them(client, login_as):
    theme = make_theme()
    login_as(Role.JUDGE)
    assert client.get("/themes").status_code == 200
    assert client.get(f"/themes/{theme.id}").status_code == 200
    assert client.get("/themes/new").status_code == 403
    assert client.post_form("/themes/new", form_data(title="Khác")).status_code == 403
    assert client.get(f"/themes/{theme.id}/edit").status_code == 403
    assert client.post_form(f"/themes/{theme.id}/active", {"active": "0"}).status_code == 403
    db.session.refresh(theme)
    assert theme.active and theme_count() == 1


def test_an_administrator_may_add_themes(client, login_as):
    login_as(Role.ADMIN)
    assert client.post_form("/themes/new", form_data()).status_code == 302


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in ("/themes", "/themes/1", "/themes/new"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_a_post_without_its_csrf_token_is_refused(client, login_as):
    theme = make_theme()
    login_as(Role.EDITOR)
    assert client.post("/themes/new", data=form_data(title="Khác")).status_code == 400
    assert client.post(f"/themes/{theme.id}/active", data={"active": "0"}).status_code == 400
    db.session.refresh(theme)
    assert theme.active and theme_count() == 1


def test_an_active_state_other_than_0_or_1_is_a_bad_request(client, login_as):
    theme = make_theme()
    login_as(Role.EDITOR)
    assert client.post_form(f"/themes/{theme.id}/active", {"active": "x"}).status_code == 400
