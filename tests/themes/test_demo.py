"""The demo themes: loaded once however often the demo runs, titles exactly as their sources."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.extensions import db
from contest.themes.demo import DEMO_THEMES, load_demo_themes
from contest.themes.models import Theme

# Verbatim sentences cut from the seed articles and facts.md, kept in the repository so the
# check needs nothing outside it. Sections start with "## <file>".
SOURCES = Path(__file__).with_name("sources.txt").read_text(encoding="utf-8")

SEED_FILES = {
    "seed 003": "seeds/003_62c77a0b9b11f0f5.txt",
    "seed 004": "seeds/004_d0cbb86c77b9aba2.txt",
}

# Documents are titled "<number> <date> của Bộ Chính trị" + the subject quoted in facts.md.
FACTS_SUBJECTS = {
    "Chỉ thị 05-CT/TW": "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Kết luận 01-KL/TW": "về tiếp tục thực hiện Chỉ thị số 05-CT/TW",
}


def source_text(relative: str) -> str:
    sections = re.split(r"^## (.+)$", SOURCES, flags=re.M)
    by_file = dict(zip(sections[1::2], sections[2::2], strict=True))
    return by_file[relative]


def theme_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Theme))


def test_loading_the_demo_twice_creates_the_themes_once(app):
    assert load_demo_themes() == len(DEMO_THEMES) == 6
    db.session.commit()
    assert load_demo_themes() == 0
    db.session.commit()
    assert theme_count() == 6


def test_a_demo_theme_edited_or_retired_locally_is_left_alone(app):
    load_demo_themes()
    theme = db.session.scalar(select(Theme).where(Theme.kind == "directive"))
    theme.active = False
    theme.description = "Ghi chú riêng"
    db.session.commit()
    assert load_demo_themes() == 0
    db.session.refresh(theme)
    assert (theme.active, theme.description) == (False, "Ghi chú riêng")


@pytest.mark.parametrize(
    "fields", [f for f in DEMO_THEMES if f["source"] in SEED_FILES], ids=lambda f: f["short_name"]
)
def test_annual_theme_titles_are_copied_exactly_from_their_seed_article(fields):
    assert fields["title"] in source_text(SEED_FILES[fields["source"]])


def test_the_curly_quotes_of_the_hau_giang_2024_2025_theme_are_kept():
    (theme,) = [f for f in DEMO_THEMES if f["short_name"] == "Chuyên đề năm 2024–2025 (Hậu Giang)"]
    assert "“tận dụng thời kỳ vàng”" in theme["title"]


def test_document_and_whole_term_titles_match_the_facts_file():
    facts = source_text("domain/facts.md")
    by_name = {f["short_name"]: f for f in DEMO_THEMES}
    for short_name, subject in FACTS_SUBJECTS.items():
        assert f'"{subject}"' in facts
        assert by_name[short_name]["title"].endswith(" của Bộ Chính trị " + subject)
    whole_term = by_name["Chuyên đề toàn khóa 2021–2025"]["title"]
    assert f'"{whole_term}"' in facts
