"""Theme rules: validity, one title per organisation, retiring, filters and list order."""

import unicodedata

import pytest
from sqlalchemy import func, select

from contest.extensions import db
from contest.themes import service
from contest.themes.demo import load_demo_themes
from contest.themes.models import Theme, ThemeKind

ANNUAL_TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần đoàn kết"


def annual(**overrides) -> dict:
    fields = {
        "kind": ThemeKind.ANNUAL,
        "short_name": "Chuyên đề năm 2024 (Sở GD&ĐT)",
        "title": ANNUAL_TITLE,
        "organisation": "Đảng ủy Sở Giáo dục và Đào tạo",
        "year_from": 2024,
    }
    fields.update(overrides)
    return fields


def theme_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Theme))


def short_names(**filters) -> list[str]:
    return [theme.short_name for theme in service.list_themes(**filters)]


def test_an_annual_theme_belongs_to_its_organisation_and_years(app):
    theme = service.create_theme(**annual(year_to=2025, document_code=" 12-KH/ĐU "))
    db.session.commit()
    assert (theme.organisation, theme.year_from, theme.year_to) == (
        "Đảng ủy Sở Giáo dục và Đào tạo",
        2024,
        2025,
    )
    assert theme.active and theme.years == "2024–2025"
    assert theme.document_code == "12-KH/ĐU"
    assert theme.search_text.startswith("chuyen de nam 2024 (so gd&dt)")


def test_the_same_title_may_belong_to_two_organisations_but_not_twice_to_one(app):
    service.create_theme(**annual())
    service.create_theme(**annual(organisation="Đảng ủy Khối Doanh nghiệp tỉnh"))
    db.session.commit()
    with pytest.raises(service.ThemeError) as refusal:
        service.create_theme(**annual(short_name="Another short name"))
    assert refusal.value.field == "title"
    db.session.rollback()
    assert theme_count() == 2


def test_a_title_typed_with_decomposed_accents_or_extra_spaces_is_still_a_duplicate(app):
    service.create_theme(**annual())
    db.session.commit()
    retyped = "  " + unicodedata.normalize("NFD", ANNUAL_TITLE).replace(" ", "  ") + " "
    with pytest.raises(service.ThemeError):
        service.create_theme(**annual(title=retyped))


def test_renaming_a_theme_onto_a_sibling_title_is_refused(app):
    service.create_theme(**annual())
    other = service.create_theme(**annual(title="Một chuyên đề khác"))
    db.session.commit()
    with pytest.raises(service.ThemeError):
        service.update_theme(other, **annual())
    db.session.rollback()
    assert db.session.get(Theme, other.id).title == "Một chuyên đề khác"


def test_saving_a_theme_unchanged_is_not_a_duplicate_of_itself(app):
    theme = service.create_theme(**annual())
    db.session.commit()
    service.update_theme(theme, **annual(description="Ghi chú"))
    db.session.commit()
    assert theme.description == "Ghi chú"


@pytest.mark.parametrize(
    ("years", "field"),
    [
        ({"year_from": 1929}, "year_from"),
        ({"year_from": 2101}, "year_from"),
        ({"year_from": None}, "year_from"),
        ({"year_from": 2024, "year_to": 2101}, "year_to"),
        ({"year_from": 2025, "year_to": 2024}, "year_to"),
    ],
)
def test_years_outside_1930_to_2100_or_in_the_wrong_order_are_refused(app, years, field):
    with pytest.raises(service.ThemeError) as refusal:
        service.create_theme(**annual(**years))
    assert refusal.value.field == field
    assert theme_count() == 0


def test_an_unknown_kind_or_a_blank_title_is_refused(app):
    with pytest.raises(service.ThemeError) as refusal:
        service.create_theme(**annual(kind="memo"))
    assert refusal.value.field == "kind"
    with pytest.raises(service.ThemeError) as refusal:
        service.create_theme(**annual(title="   "))
    assert refusal.value.field == "title"


def test_the_year_filter_finds_every_theme_whose_span_covers_it(app):
    load_demo_themes()
    found = short_names(year=2024)
    assert "Chuyên đề năm 2024–2025 (Hậu Giang)" in found
    assert "Chuyên đề toàn khóa 2021–2025" in found
    assert "Chỉ thị 05-CT/TW" not in found  # 2016 only
    assert "Chuyên đề năm 2023 (Thanh Trì)" not in found
    assert short_names(year=2016) == ["Chỉ thị 05-CT/TW"]


def test_a_query_without_diacritics_finds_the_directive(app):
    load_demo_themes()
    found = short_names(query="chi thi 05")
    assert "Chỉ thị 05-CT/TW" in found
    assert "Chuyên đề năm 2024–2025 (Hậu Giang)" not in found
    assert short_names(query="HẬU giang  2024") == ["Chuyên đề năm 2024–2025 (Hậu Giang)"]
    assert short_names(query="100%") == []  # a LIKE wildcard is taken literally


def test_the_kind_filter_keeps_only_that_kind(app):
    load_demo_themes()
    assert short_names(kind="annual") == [
        "Chuyên đề năm 2024–2025 (Hậu Giang)",
        "Chuyên đề năm 2023 (Thanh Trì)",
        "Chuyên đề năm 2022–2023 (Hậu Giang)",
    ]


def test_the_list_runs_directive_conclusion_whole_term_annual_newest_first(app):
    load_demo_themes()
    service.create_theme(**annual(kind=ThemeKind.OTHER, year_from=2030, short_name="A other"))
    assert short_names() == [
        "Chỉ thị 05-CT/TW",
        "Kết luận 01-KL/TW",
        "Chuyên đề toàn khóa 2021–2025",
        "Chuyên đề năm 2024–2025 (Hậu Giang)",
        "Chuyên đề năm 2023 (Thanh Trì)",
        "Chuyên đề năm 2022–2023 (Hậu Giang)",
        "A other",
    ]


def test_a_retired_theme_leaves_the_default_list_and_comes_back_when_reactivated(app):
    theme = service.create_theme(**annual())
    db.session.commit()
    service.set_active(theme, False)
    service.set_active(theme, False)  # a second click changes nothing
    db.session.commit()
    assert short_names() == []
    assert short_names(status=service.STATUS_RETIRED) == [theme.short_name]
    assert short_names(status=service.STATUS_ALL) == [theme.short_name]
    service.set_active(theme, True)
    db.session.commit()
    assert short_names() == [theme.short_name]
    assert short_names(status=service.STATUS_RETIRED) == []


def test_a_twin_saved_between_the_check_and_the_write_is_refused_by_the_database(app, monkeypatch):
    service.create_theme(**annual())
    db.session.commit()
    # Another editor's save lands after our duplicate check: only the unique constraint sees it.
    monkeypatch.setattr(service, "find_theme", lambda organisation, title: None)
    with pytest.raises(service.ThemeError) as refusal:
        service.create_theme(**annual(short_name="Twin"))
    assert refusal.value.field == "title"
    db.session.rollback()
    assert theme_count() == 1
