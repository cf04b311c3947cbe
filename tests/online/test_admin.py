"""Organisers set up an online contest and its weekly rounds through the pages."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes import service as themes
from online.models import OnlineContest, Round
from questions import service as bank_service
from questions.models import LEVEL_LABELS, Level, Status
from questions.service import Details


def said(app, msgid: str, **params) -> str:
    """A message as a visitor reads it (Vietnamese by default)."""
    with app.test_request_context():
        return gettext(msgid, **params)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def approved(editor, stem: str, level: str, theme) -> int:
    content = {"type": "true_false", "stem": stem, "answer": True}
    question = bank_service.create_question(editor, content, Details(level=level))
    question.status, question.approved_revision = Status.APPROVED.value, 1
    question.themes = [theme]
    return question.id


@pytest.fixture
def bank(app, make_user):
    """Theme "Chỉ thị 05": 3 approved recall questions, 1 draft; theme "Chuyên đề 2025": 2."""
    editor = make_user("bientap", Role.EDITOR)
    ct05 = themes.create_theme(
        kind="directive",
        short_name="Chỉ thị 05",
        title="Chỉ thị số 05-CT/TW",
        organisation="Bộ Chính trị",
        year_from=2016,
    )
    annual = themes.create_theme(
        kind="annual",
        short_name="Chuyên đề 2025",
        title="Chuyên đề năm 2025",
        organisation="Tỉnh ủy Hậu Giang",
        year_from=2025,
    )
    ids = [approved(editor, f"Câu nhận biết {n}?", Level.RECALL.value, ct05) for n in range(3)]
    ids += [approved(editor, f"Câu thông hiểu {n}?", "understanding", annual) for n in range(2)]
    draft = bank_service.create_question(
        editor, {"type": "true_false", "stem": "Câu nháp?", "answer": True}, Details()
    )
    draft.themes = [ct05]
    db.session.commit()
    return {"ct05": ct05.id, "annual": annual.id, "draft": draft.id, "approved": ids}


@pytest.fixture
def organiser(login_as):
    return login_as(Role.HOST, username="bantochuc")


CONTEST_FORM = {
    "title": "Tìm hiểu Chỉ thị 05 – Đảng bộ tỉnh",
    "description": "Cuộc thi **trực tuyến** hằng tuần.",
    "rules": "1. Mỗi tuần một vòng thi.",
    "standings": "sum",
    "minimum_age": "14",
    "field_date_of_birth": "required",
    "field_gender": "optional",
    "field_phone": "required",
    "field_email": "off",
    "field_national_id": "optional",
    "field_unit": "required",
    "custom-0-label": "Chức vụ",
    "custom-0-required": "y",
    "published": "y",
}


def round_form(bank, **changes) -> dict:
    data = {
        "number": "1",
        "title": "Tuần 1",
        "opens_at": "23/11/2026 00:30",
        "closes_at": "30/11/2026 09:00",
        "draw_mode": "rows",
        "rows-0-theme": str(bank["ct05"]),
        "rows-0-level": "recall",
        "rows-0-count": "3",
        "rows-1-theme": str(bank["annual"]),
        "rows-1-level": "understanding",
        "rows-1-count": "2",
        "time_limit_min": "10",
        "attempts_allowed": "3",
        "counted": "best",
        "shuffle_questions": "y",
        "shuffle_options": "y",
        "one_per_screen": "y",
        "review": "after_close",
        "prediction": "all_correct",
        "prediction_text": "",
        "grace_s": "15",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_contest(client, bank, **changes) -> OnlineContest:
    data = dict(CONTEST_FORM, themes=[str(bank["ct05"]), str(bank["annual"])], **changes)
    response = client.post_form("/online/new", data)
    assert response.status_code == 302, page_text(response)
    return db.session.scalars(select(OnlineContest).order_by(OnlineContest.id.desc())).first()


def test_an_organiser_creates_a_contest_and_a_weekly_round_through_the_forms(
    app, client, organiser, bank
):
    assert client.get("/online/new").status_code == 200
    contest = create_contest(client, bank)
    assert contest.slug == "tim-hieu-chi-thi-05-dang-bo-tinh"
    assert contest.published and contest.minimum_age == 14
    assert {theme.id for theme in contest.themes} == {bank["ct05"], bank["annual"]}
    assert contest.fields["phone"] == "required" and contest.fields["email"] == "off"
    assert contest.fields["custom"] == [{"key": "c1", "label": "Chức vụ", "required": True}]

    form = client.get(f"/online/{contest.id}/rounds/new")
    assert f'value="{said(app, "Week %(n)d", n=1)}"' in page_text(form)  # the next number
    response = client.post_form(f"/online/{contest.id}/rounds/new", round_form(bank))
    assert response.status_code == 302, page_text(response)

    round_ = db.session.scalar(select(Round).where(Round.contest_id == contest.id))
    assert (round_.number, round_.title, round_.time_limit_s) == (1, "Tuần 1", 600)
    assert round_.draw == {
        "rows": [
            {"theme_id": bank["ct05"], "level": "recall", "count": 3},
            {"theme_id": bank["annual"], "level": "understanding", "count": 2},
        ]
    }
    assert (round_.attempts_allowed, round_.counted, round_.grace_s) == (3, "best", 15)
    # An empty wording gets the usual Vietnamese question.
    assert round_.prediction_text == said(
        app, "In your opinion, how many people will answer every question correctly this week?"
    )

    detail = page_text(client.get(f"/online/{contest.id}"))
    assert "Tuần 1" in detail and "23/11/2026 00:30" in detail
    listing = page_text(client.get("/online"))
    assert contest.title in listing and "Tuần 1" in listing


def test_times_typed_in_vietnam_time_are_stored_in_utc(app, client, organiser, bank):
    contest = create_contest(client, bank)
    client.post_form(f"/online/{contest.id}/rounds/new", round_form(bank))
    round_ = db.session.scalar(select(Round))
    assert round_.opens_at == datetime(2026, 11, 22, 17, 30, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    # …and shown again in Vietnam time when the round is edited.
    edit = page_text(client.get(f"/online/rounds/{round_.id}/edit"))
    assert 'value="23/11/2026 00:30"' in edit and 'value="30/11/2026 09:00"' in edit


def test_a_round_the_bank_cannot_fill_is_refused_naming_the_theme_and_level(
    app, client, organiser, bank
):
    contest = create_contest(client, bank)
    response = client.post_form(
        f"/online/{contest.id}/rounds/new", round_form(bank, **{"rows-0-count": "4"})
    )
    assert response.status_code == 400
    message = said(
        app,
        "The bank has only %(have)d approved questions of the theme “%(theme)s” at the level "
        "“%(level)s”; this round wants %(want)d.",
        have=3,
        theme="Chỉ thị 05",
        level=str(LEVEL_LABELS[Level.RECALL]),
        want=4,
    )
    assert message in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_a_draft_question_does_not_count_towards_a_draw(app, client, organiser, bank):
    contest = create_contest(client, bank)
    first, second, third = bank["approved"][:3]
    fixed = round_form(bank, draw_mode="fixed", question_ids=f"{first}, {bank['draft']}")
    response = client.post_form(f"/online/{contest.id}/rounds/new", fixed)
    assert response.status_code == 400
    assert said(
        app,
        "These questions do not exist or have no approved version: %(ids)s.",
        ids=str(bank["draft"]),
    ) in page_text(response)
    fixed["question_ids"] = f"{first}, {second} {third}"  # commas or spaces
    assert client.post_form(f"/online/{contest.id}/rounds/new", fixed).status_code == 302
    assert db.session.scalar(select(Round)).draw == {"question_ids": [first, second, third]}


def test_a_round_must_close_after_it_opens(app, client, organiser, bank):
    contest = create_contest(client, bank)
    backwards = round_form(bank, closes_at="22/11/2026 23:00")
    response = client.post_form(f"/online/{contest.id}/rounds/new", backwards)
    assert response.status_code == 400
    assert said(app, "The round must close after it opens.") in page_text(response)
    not_a_time = round_form(bank, opens_at="thứ hai")
    response = client.post_form(f"/online/{contest.id}/rounds/new", not_a_time)
    assert said(app, "Enter the time as dd/mm/yyyy hh:mm, e.g. 23/11/2026 00:30.") in page_text(
        response
    )
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_attempts_allowed_are_one_to_ten(app, client, organiser, bank):
    contest = create_contest(client, bank)
    response = client.post_form(
        f"/online/{contest.id}/rounds/new", round_form(bank, attempts_allowed="11")
    )
    assert response.status_code == 400
    assert said(app, "Enter a number from %(min)s to %(max)s.", min=1, max=10) in page_text(
        response
    )


def test_duplicating_a_round_makes_next_weeks_round(app, client, organiser, bank):
    contest = create_contest(client, bank)
    client.post_form(f"/online/{contest.id}/rounds/new", round_form(bank))
    first = db.session.scalar(select(Round))
    response = client.post_form(f"/online/rounds/{first.id}/duplicate")
    assert response.status_code == 302
    second = db.session.scalar(select(Round).where(Round.number == 2))
    assert second.title == "Tuần 2"
    assert second.opens_at == datetime(2026, 11, 29, 17, 30, tzinfo=UTC)
    assert second.closes_at == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert second.draw == first.draw and second.attempts_allowed == first.attempts_allowed
    # Duplicating the first again continues after the latest week.
    client.post_form(f"/online/rounds/{first.id}/duplicate")
    third = db.session.scalar(select(Round).where(Round.number == 3))
    assert third.title == "Tuần 3"
    assert third.opens_at == datetime(2026, 12, 6, 17, 30, tzinfo=UTC)


def test_two_rounds_cannot_share_a_number(app, client, organiser, bank):
    contest = create_contest(client, bank)
    client.post_form(f"/online/{contest.id}/rounds/new", round_form(bank))
    response = client.post_form(f"/online/{contest.id}/rounds/new", round_form(bank))
    assert response.status_code == 400
    assert said(app, "This contest already has a round with this number.") in page_text(response)


def test_slugs_are_accent_free_and_unique(app, client, organiser, bank):
    first = create_contest(client, bank, title="Đường lên đỉnh Chỉ thị 05")
    second = create_contest(client, bank, title="Đường lên đỉnh Chỉ thị 05")
    assert (first.slug, second.slug) == ("duong-len-dinh-chi-thi-05", "duong-len-dinh-chi-thi-05-2")
    response = client.post_form("/online/new", dict(CONTEST_FORM, slug=first.slug))
    assert response.status_code == 400
    assert said(app, "Another contest uses this web address.") in page_text(response)


def test_a_minimum_age_needs_the_date_of_birth(app, client, organiser, bank):
    response = client.post_form("/online/new", dict(CONTEST_FORM, field_date_of_birth="optional"))
    assert response.status_code == 400
    assert said(app, "A minimum age needs the date of birth to be required.") in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(OnlineContest)) == 0


def test_editing_a_contest_keeps_its_address_and_can_unpublish_it(app, client, organiser, bank):
    contest = create_contest(client, bank)
    form = page_text(client.get(f"/online/{contest.id}/edit"))
    assert 'value="Tìm hiểu Chỉ thị 05 – Đảng bộ tỉnh"' in form and 'value="Chức vụ"' in form
    changed = dict(CONTEST_FORM, title="Tên mới", slug=contest.slug)
    del changed["published"]
    assert client.post_form(f"/online/{contest.id}/edit", changed).status_code == 302
    db.session.refresh(contest)
    assert (contest.title, contest.slug, contest.published) == (
        "Tên mới",
        "tim-hieu-chi-thi-05-dang-bo-tinh",
        False,
    )


@pytest.mark.parametrize("role", [Role.JUDGE, Role.EDITOR, Role.REVIEWER, Role.SECRETARY])
def test_only_organisers_reach_the_contest_pages(app, client, login_as, bank, role):
    login_as(role)
    assert client.get("/online").status_code == 403
    assert client.get("/online/new").status_code == 403
    assert client.post_form("/online/new", CONTEST_FORM).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(OnlineContest)) == 0


def test_an_administrator_is_an_organiser_too(app, client, login_as, bank):
    login_as(Role.ADMIN)
    assert client.get("/online").status_code == 200
    create_contest(client, bank)


def test_emptying_an_extra_question_keeps_the_others_answers_under_their_question(
    app, client, organiser, bank
):
    contest = create_contest(client, bank, **{"custom-1-label": "Lớp"})
    assert [c["key"] for c in contest.fields["custom"]] == ["c1", "c2"]
    changed = dict(
        CONTEST_FORM, slug=contest.slug, **{"custom-0-label": "", "custom-1-label": "Lớp"}
    )
    assert client.post_form(f"/online/{contest.id}/edit", changed).status_code == 302
    db.session.refresh(contest)
    assert contest.fields["custom"] == [{"key": "c2", "label": "Lớp", "required": False}]
    form = page_text(client.get(f"/online/{contest.id}/edit"))
    assert 'name="custom-1-label" type="text" value="Lớp"' in form
