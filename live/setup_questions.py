"""A part's questions: copies of approved bank versions, or typed for this contest only.

A question taken from the bank is copied into the part together with the version it came from,
so a later edit of the bank never changes a show already set up; the bank records the use under
"stage:<contest id>" (its overview shows where each question went).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from contest.extensions import db
from contest.text import fold
from live.models import PartFormat, StageContest, StagePart, StageQuestion
from live.setup_service import SetupError, changed, has_events
from questions import content as question_content
from questions.models import QuestionVersion, question_theme
from questions.service import drawable_versions
from questions.usage import record_use

FOUND_LIMIT = 50  # a longer list is no help: narrow it by words, theme or level
DRAW_MAX = 50
# Pads answer and the engine scores every type but "open", which needs people to score it.
ALL_ANSWER_TYPES = frozenset(
    {"single", "multiple", "true_false", "short_text", "numeric", "ordering"}
)
POINTS_MAX, TIME_MAX_S = 1000, 3600


def fits(part: StagePart, question_type: str) -> bool:
    """Whether a question of this type can be played in the part's format."""
    if part.format == PartFormat.JUDGED:
        return False
    return part.format == PartFormat.BUZZER or question_type in ALL_ANSWER_TYPES


@dataclass(frozen=True)
class Finding:
    """What the organiser looks for: words of the text, a theme, a level (each optional)."""

    text: str = ""
    theme_id: int | None = None
    level: str = ""


def _matching(finding: Finding):
    """Approved versions of questions not retired that match every filter."""
    query = drawable_versions()
    for word in fold(finding.text).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(QuestionVersion.search_text.like(f"%{escaped}%", escape="\\"))
    if finding.theme_id:
        themed = select(question_theme.c.question_id).where(
            question_theme.c.theme_id == finding.theme_id
        )
        query = query.where(QuestionVersion.question_id.in_(themed))
    if finding.level:
        query = query.where(QuestionVersion.level == finding.level)
    return query


def find_versions(finding: Finding, part: StagePart) -> list[QuestionVersion]:
    """Approved questions to pick from, playable in the part, the oldest question first."""
    query = _matching(finding).order_by(QuestionVersion.question_id).limit(FOUND_LIMIT * 2)
    found = [v for v in db.session.scalars(query) if fits(part, v.type)]
    return found[:FOUND_LIMIT]


def used_question_ids(contest: StageContest) -> set[int]:
    """Bank questions already in some part of the contest (a question is asked once a show)."""
    version_ids = [q.version_id for p in contest.parts for q in p.questions if q.version_id]
    if not version_ids:
        return set()
    query = select(QuestionVersion.question_id).where(QuestionVersion.id.in_(version_ids))
    return set(db.session.scalars(query))


def _refuse_judged(part: StagePart) -> None:
    if part.format == PartFormat.JUDGED:
        raise SetupError("", _("A judged part has no questions: the judges score performances."))


def add_versions(part: StagePart, versions: list[QuestionVersion]) -> int:
    """Copy `versions` to the end of the part (skipping questions the contest has); how many."""
    _refuse_judged(part)
    taken = used_question_ids(part.contest)
    position = max((q.position for q in part.questions), default=-1) + 1
    added = []
    for version in versions:
        if version.question_id in taken or not fits(part, version.type):
            continue
        taken.add(version.question_id)
        part.questions.append(
            StageQuestion(
                position=position,
                content=copy.deepcopy(version.content),  # a copy: the bank may change later
                version_id=version.id,
                points=None,
                time_limit_s=None,
                notes="",
            )
        )
        position += 1
        added.append(version)
    if added:
        record_use(added, f"stage:{part.contest_id}", part.contest.title)
        db.session.flush()
        changed(part.contest_id)
    return len(added)


def pick(part: StagePart, question_ids: list[int]) -> int:
    """Add the approved versions of the chosen bank questions; how many were added."""
    if not question_ids:
        raise SetupError("question_ids", _("Tick the questions to add."))
    query = drawable_versions().where(QuestionVersion.question_id.in_(question_ids))
    by_question = {version.question_id: version for version in db.session.scalars(query)}
    return add_versions(part, [by_question[qid] for qid in question_ids if qid in by_question])


def draw(part: StagePart, finding: Finding, count: int) -> int:
    """Add `count` approved questions of a theme and level, drawn at random; how many."""
    _refuse_judged(part)
    taken = used_question_ids(part.contest)
    pool = [v for v in db.session.scalars(_matching(finding)) if v.question_id not in taken]
    pool = [version for version in pool if fits(part, version.type)]
    if len(pool) < count:
        raise SetupError(
            "count",
            _(
                "The bank has only %(available)d approved questions of this theme and level "
                "that are not in the contest yet.",
                available=len(pool),
            ),
        )
    # Not seeded: an organiser who draws again wants other questions.
    chosen = random.SystemRandom().sample(sorted(pool, key=lambda v: v.id), count)
    return add_versions(part, chosen)


class TypedQuestionError(ValueError):
    """A typed question does not validate; `errors` are messages by form field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


# Where each issue of the content is shown on the typed question's form.
_ISSUE_FIELDS = {"no_correct_option": "correct", "several_correct": "correct"}


def typed_content(stem: str, options: list[str], correct: int | None, explanation: str) -> dict:
    """A single-choice question from the form's boxes, blank option boxes left out, normalised."""
    pairs = [(text, index == correct) for index, text in enumerate(options) if (text or "").strip()]
    content = {
        "type": "single",
        "stem": stem or "",
        "options": [{"text": text, "correct": right} for text, right in pairs],
        "explanation": explanation or "",
    }
    try:
        return question_content.normalised(content)
    except question_content.InvalidContent as exc:
        errors: dict[str, list[str]] = {}
        for issue in exc.issues:
            name = _ISSUE_FIELDS.get(issue.code) or issue.field.split(".")[0] or "stem"
            errors.setdefault(name, []).append(question_content.describe(issue))
        raise TypedQuestionError(errors) from None


def add_typed(part: StagePart, content: dict, notes: str = "") -> StageQuestion:
    """A question written for this contest only (no bank version) at the end of the part."""
    _refuse_judged(part)
    position = max((q.position for q in part.questions), default=-1) + 1
    question = StageQuestion(position=position, content=content, version_id=None, notes=notes)
    part.questions.append(question)
    db.session.flush()
    changed(part.contest_id)
    return question


def update_question(
    question: StageQuestion, points: int | None, time_limit_s: int | None, notes: str
) -> None:
    """The question's own points and time (None: the part's) and the MC's notes."""
    question.points, question.time_limit_s = points, time_limit_s
    question.notes = question_content.clean_block(notes)
    changed(question.part.contest_id)


def delete_question(question: StageQuestion) -> None:
    """Take a question out of its part, unless the show has started."""
    part = question.part
    if has_events(part.contest_id):
        raise SetupError(
            "",
            _(
                "The contest has started and its log may refer to this question: "
                "it can't be removed now."
            ),
        )
    part.questions.remove(question)
    for position, item in enumerate(part.questions):
        item.position = position
    changed(part.contest_id)
