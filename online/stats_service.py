"""A round's statistics: entries over time, scores, each question's figures, units' participation.

Statistics describe what happened, so they count every submitted attempt, disqualified ones
included (the ranking and the prizes leave those out). A question's figures count every submitted
attempt that was asked it: a question left unanswered in a finished attempt counts as not right,
as in the usual item analysis, since running out of time on it says something about it too.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import and_, select

from contest.extensions import db
from online import standings, units_table
from online.contests import to_local
from online.models import Answer, Attempt, AttemptQuestion, Round
from questions.markdown import plain_text
from questions.models import QuestionVersion
from questions.stats import discrimination_index

HOURLY_UP_TO = timedelta(days=2)  # longer rounds are counted per day
SCORE_VALUES_SHOWN = 40  # more distinct scores than this are grouped in ranges
SCORE_RANGES = 20
UNITS_CHARTED = 20  # the chart shows the units with the most participants; the table has all
RIGHT = 1.0 - 1e-9  # a fraction this close to 1 is a right answer


# ---- each question ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionFigure:
    version: QuestionVersion
    asked: int  # submitted attempts the question was drawn into
    answered: int  # of those, attempts with an answer saved
    correct: int
    discrimination: float | None

    @property
    def share(self) -> float | None:
        return self.correct / self.asked if self.asked else None


def question_figures(round_: Round) -> list[QuestionFigure]:
    """Every version drawn into the round's submitted attempts, by question number."""
    rows = db.session.execute(
        select(AttemptQuestion.version_id, Attempt.score, Answer.attempt_id, Answer.fraction)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .outerjoin(
            Answer,
            and_(
                Answer.attempt_id == AttemptQuestion.attempt_id,
                Answer.position == AttemptQuestion.position,
            ),
        )
        .where(Attempt.round_id == round_.id, Attempt.submitted_at.is_not(None))
    ).all()
    results: dict[int, list[tuple[float, bool]]] = {}
    answered: Counter = Counter()
    for version_id, score, answer_id, fraction in rows:
        right = fraction is not None and fraction >= RIGHT
        results.setdefault(version_id, []).append((score or 0.0, right))
        answered[version_id] += answer_id is not None
    versions = db.session.scalars(
        select(QuestionVersion).where(QuestionVersion.id.in_(list(results) or [-1]))
    ).all()
    figures = [
        QuestionFigure(
            version=version,
            asked=len(results[version.id]),
            answered=answered[version.id],
            correct=sum(1 for _score, right in results[version.id] if right),
            discrimination=discrimination_index(results[version.id]),
        )
        for version in versions
    ]
    return sorted(figures, key=lambda f: (f.version.question_id, f.version.number))


# ---- entries and scores -------------------------------------------------------------------------


def _submitted(round_: Round):
    return db.session.execute(
        select(Attempt.submitted_at, Attempt.score).where(
            Attempt.round_id == round_.id, Attempt.submitted_at.is_not(None)
        )
    ).all()


def entries_over_time(round_: Round, now: datetime) -> tuple[str, list[tuple[str, int]]]:
    """("hour" | "day", [(label, entries submitted in it)]) from opening to the end or now.

    Buckets are in Vietnam time (the display zone), and empty ones are kept, so a chart of them
    shows the quiet nights as well as the busy evenings.
    """
    times = [to_local(submitted_at) for submitted_at, _score in _submitted(round_)]
    start = to_local(round_.opens_at)
    end = to_local(min(round_.closes_at, max(now, round_.opens_at)))
    if times:
        end = max(end, max(times))
    hourly = end - start <= HOURLY_UP_TO
    step = timedelta(hours=1) if hourly else timedelta(days=1)

    def floor(moment: datetime) -> datetime:
        moment = moment.replace(minute=0, second=0, microsecond=0)
        return moment if hourly else moment.replace(hour=0)

    counts = Counter(floor(moment) for moment in times)
    buckets, moment = [], floor(start)
    while moment <= end:
        label = moment.strftime("%d/%m %H:00") if hourly else moment.strftime("%d/%m/%Y")
        buckets.append((label, counts.get(moment, 0)))
        moment += step
    return ("hour" if hourly else "day"), buckets


def score_distribution(round_: Round) -> list[tuple[str, int]]:
    """How many entries scored what: each score, or ranges of scores when there are many."""
    scores = [score or 0.0 for _submitted_at, score in _submitted(round_)]
    if not scores:
        return []
    counts = Counter(scores)
    if len(counts) <= SCORE_VALUES_SHOWN:
        return [(format_decimal(score, "#,##0.##"), counts[score]) for score in sorted(counts)]
    low, high = min(scores), max(scores)
    width = (high - low) / SCORE_RANGES
    ranges = Counter(min(int((score - low) / width), SCORE_RANGES - 1) for score in scores)
    return [
        (
            f"{format_decimal(low + i * width, '#,##0.#')}–"
            f"{format_decimal(low + (i + 1) * width, '#,##0.#')}",
            ranges.get(i, 0),
        )
        for i in range(SCORE_RANGES)
    ]


# ---- tables and charts --------------------------------------------------------------------------


@dataclass
class Statistics:
    bucket: str
    over_time: list[tuple[str, int]]
    scores: list[tuple[str, int]]
    questions: list[QuestionFigure]
    units: list  # units_table.TableRow at the chosen depth
    depth: int
    depths: list[tuple[int, list[str]]]


def statistics(round_: Round, now: datetime, depth_text: str | None = None) -> Statistics:
    """Everything the statistics page shows; units at the level `depth_text` names (?cap=)."""
    bucket, over_time = entries_over_time(round_, now)
    result = standings.round_ranking(round_)
    tree = standings.tree()
    depths = standings.depth_choices(tree)
    depth = standings.depth_from(depth_text, depths)
    winners = standings.published_winners([round_.id])
    rows = standings.participant_rows(
        round_.contest_id, [round_.id], standings.scores_of(result), winners
    )
    return Statistics(
        bucket=bucket,
        over_time=over_time,
        scores=score_distribution(round_),
        questions=question_figures(round_),
        units=units_table.table(tree, rows, depth) if depths else [],
        depth=depth,
        depths=depths,
    )


def stem(version: QuestionVersion, limit: int = 90) -> str:
    text = plain_text(version.content.get("stem", ""))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_data(stats: Statistics) -> dict:
    """The four charts' data for static/js/online-charts.js, labels already translated."""
    return {
        "times": {
            "labels": [label for label, _count in stats.over_time],
            "datasets": [{"label": _("Entries"), "data": [n for _label, n in stats.over_time]}],
        },
        "scores": {
            "labels": [label for label, _count in stats.scores],
            "datasets": [{"label": _("Entries"), "data": [n for _label, n in stats.scores]}],
        },
        "questions": {
            "labels": [f"#{f.version.question_id}" for f in stats.questions],
            "titles": [stem(f.version) for f in stats.questions],
            "datasets": [
                {
                    "key": "share",
                    "label": _("Share correct (%)"),
                    "data": [round((f.share or 0) * 100, 1) for f in stats.questions],
                },
                {
                    "key": "discrimination",
                    "label": _("Discrimination"),
                    "data": [f.discrimination for f in stats.questions],
                },
            ],
        },
        "units": {
            "labels": [row.unit.name for row in stats.units[:UNITS_CHARTED]],
            "datasets": [
                {
                    "key": "rate",
                    "label": _("Participation rate (%)"),
                    "data": [
                        None if row.subtree.rate is None else round(row.subtree.rate * 100, 1)
                        for row in stats.units[:UNITS_CHARTED]
                    ],
                },
                {
                    "key": "participants",
                    "label": _("Participants"),
                    "data": [row.subtree.participants for row in stats.units[:UNITS_CHARTED]],
                },
            ],
        },
    }


TABLES = ("times", "scores", "questions", "units")


def table_names() -> dict[str, str]:
    return {
        "times": _("Entries over time"),
        "scores": _("Score distribution"),
        "questions": _("Questions"),
        "units": _("Units"),
    }


def table(stats: Statistics, name: str) -> tuple[list[str], list[list]]:
    """One of TABLES as a header and rows of plain values (for CSV and XLSX)."""
    if name == "times":
        when = _("Hour") if stats.bucket == "hour" else _("Day")
        return [when, _("Entries")], [[label, n] for label, n in stats.over_time]
    if name == "scores":
        return [_("Score"), _("Entries")], [[label, n] for label, n in stats.scores]
    if name == "questions":
        header = [
            _("Question"),
            _("Version"),
            _("Question text"),
            _("Asked"),
            _("Answered"),
            _("Correct"),
            _("Share correct (%)"),
            _("Discrimination"),
        ]
        rows = [
            [
                f.version.question_id,
                f.version.number,
                stem(f.version, 300),
                f.asked,
                f.answered,
                f.correct,
                None if f.share is None else round(f.share * 100, 1),
                f.discrimination,
            ]
            for f in stats.questions
        ]
        return header, rows
    if name == "units":
        return units_header(), [units_line(row) for row in stats.units]
    raise KeyError(name)


def units_header() -> list[str]:
    return [
        _("Unit"),
        _("Level"),
        _("Registered"),
        _("Participants"),
        _("Entries"),
        _("Headcount"),
        _("Participation rate (%)"),
        _("Average score"),
        _("Prize winners"),
    ]


def units_line(row) -> list:
    totals = row.subtree
    return [
        row.unit.name,
        row.depth,
        totals.registered,
        totals.participants,
        totals.attempts,
        totals.headcount,
        None if totals.rate is None else round(totals.rate * 100, 1),
        None if totals.average_score is None else round(totals.average_score, 2),
        totals.winners,
    ]


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte order mark, so Excel shows the Vietnamese letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else _safe(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(value):
    # A text starting with = + - @ is a formula to a spreadsheet; a quote keeps it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def workbook(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An XLSX file with one sheet per (title, header, rows); texts always stay texts."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for values in [header, *rows]:
            sheet.append([_cell(sheet, value) for value in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = to_local(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # openpyxl would make "=…" a formula
        return cell
    return value


def stats_workbook(stats: Statistics) -> bytes:
    names = table_names()
    return workbook([(names[name], *table(stats, name)) for name in TABLES])
