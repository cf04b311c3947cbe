"""The sample bank: approved questions written from the seed articles and facts.md.

Every question carries the verbatim sentence its answer rests on (`quote`); the script
`tools/check_samples.py` checks each quote against the source files.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from contest.extensions import db
from contest.themes.models import Theme
from questions import service
from questions.models import Question, Status

SAMPLES = Path(__file__).with_name("samples.json")


def sample_questions() -> list[dict]:
    return json.loads(SAMPLES.read_text(encoding="utf-8"))


def load_sample_bank() -> int:
    """Add the sample questions that are missing (matched by key), approved; returns how many.

    Themes are matched by short name; a theme the database lacks is skipped, not invented.
    """
    have = set(db.session.scalars(select(Question.key).where(Question.key.is_not(None))))
    themes = {theme.short_name: theme for theme in db.session.scalars(select(Theme))}
    created = 0
    for sample in sample_questions():
        if sample["key"] in have:
            continue
        source = sample["source"]
        details = service.Details(
            level=sample["level"],
            points=sample["points"],
            time_limit_s=sample["time_limit_s"],
            source_document=source["document"],
            source_section=source.get("section") or source["file"],
            source_url=source.get("url", ""),
        )
        question = service.create_question(None, sample["content"], details, key=sample["key"])
        question.themes = [themes[name] for name in sample["themes"] if name in themes]
        service.set_tags(question, sample["tags"])
        # Reviewed before it was shipped: the quote and the checker stand for the reviewer.
        question.status = Status.APPROVED.value
        question.approved_revision = question.revision
        created += 1
    db.session.flush()
    return created
