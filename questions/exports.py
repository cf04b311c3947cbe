"""Exporting questions: the bank's rows as format records, then bytes in any format."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from contest.extensions import db
from questions.formats import ExportResult, QuestionRecord, write
from questions.models import Question
from questions.search import Filters, search

# Where each format's file name ends; the MIME types browsers need to offer a download.
EXTENSIONS = {
    "xlsx": ".xlsx",
    "csv": ".csv",
    "docx": ".docx",
    "gift": ".gift.txt",
    "aiken": ".aiken.txt",
    "moodle_xml": ".xml",
    "json": ".json",
}
MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "gift": "text/plain; charset=utf-8",
    "aiken": "text/plain; charset=utf-8",
    "moodle_xml": "application/xml",
    "json": "application/json",
}


def record_of(question: Question, version) -> QuestionRecord:
    """A question's current version with what the bank keeps beside it."""
    return QuestionRecord(
        content=version.content,
        title=question.key or "",
        level=version.level,
        points=version.points,
        time_limit_s=version.time_limit_s,
        themes=[theme.short_name for theme in question.themes],
        tags=[tag.name for tag in question.tags],
        source_document=version.source_document,
        source_section=version.source_section,
        source_url=version.source_url,
        key=question.key,
    )


def records_for(filters: Filters) -> list[QuestionRecord]:
    query = search(filters).options(selectinload(Question.themes), selectinload(Question.tags))
    return [record_of(question, version) for question, version in db.session.execute(query)]


def export(filters: Filters, format: str) -> ExportResult:
    return write(records_for(filters), format)
