"""Bank rules that touch the database: creating, editing (a new version each time), reviewing."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from contest.database import utcnow
from contest.extensions import db
from contest.text import clean_line, fold
from questions import content as question_content
from questions.markdown import may_have_markup, plain_text
from questions.models import Level, Question, QuestionVersion, Status, Tag
from questions.workflow import Action, Actor, Refused, next_status, status_after_edit


class QuestionInvalid(ValueError):
    """The content breaks a rule; `issues` say which field and why."""

    def __init__(self, issues):
        super().__init__(f"{len(issues)} issue(s)")
        self.issues = issues


class QuestionChanged(Exception):
    """Someone saved the question after this editor opened it; nothing was written."""

    def __init__(self, question_id: int):
        super().__init__(f"question {question_id} changed")
        self.question_id = question_id


@dataclass(frozen=True)
class Details:
    """What a version holds beside its content."""

    level: str = Level.RECALL.value
    points: int = 10
    time_limit_s: int = 30
    source_document: str = ""
    source_section: str = ""
    source_url: str = ""
    image_path: str | None = None


def _checked(content: dict, details: Details) -> tuple[dict, Details]:
    if details.level not in {level.value for level in Level}:
        raise ValueError(f"unknown level {details.level!r}")  # forms and the API offer only these
    issues = question_content.validate(content)
    if issues:
        raise QuestionInvalid(issues)
    details = Details(
        level=details.level,
        points=int(details.points),
        time_limit_s=int(details.time_limit_s),
        source_document=clean_line(details.source_document),
        source_section=clean_line(details.source_section),
        source_url=clean_line(details.source_url),
        image_path=details.image_path or None,
    )
    return question_content.normalised(content), details


def _words(text: str) -> str:
    # Parsing Markdown is most of the cost of importing 10,000 questions; text without any
    # markup that changes words (see markdown.may_have_markup) is searched as it is.
    return plain_text(text) if may_have_markup(text) else text


def search_text(content: dict, details: Details) -> str:
    """Everything a person might search a question by, folded (no accents, no case)."""
    parts = [_words(content.get("stem", "")), _words(content.get("explanation", ""))]
    parts += [option.get("text", "") for option in content.get("options", [])]
    parts += content.get("accepted", []) + content.get("items", [])
    parts += [details.source_document, details.source_section]
    return fold(" ".join(str(part) for part in parts if part))


def _new_version(question: Question, number: int, content: dict, details: Details, user):
    return QuestionVersion(
        question=question,
        number=number,
        type=content["type"],
        content=content,
        search_text=search_text(content, details),
        created_by_id=getattr(user, "id", None),
        **asdict(details),
    )


def create_question(user, content: dict, details: Details, *, key: str | None = None) -> Question:
    """A new question in draft, with its first version; the caller commits."""
    content, details = _checked(content, details)
    question = Question(key=key, status=Status.DRAFT.value, revision=1, author_id=user and user.id)
    db.session.add(question)
    db.session.add(_new_version(question, 1, content, details, user))
    db.session.flush()
    return question


def details_of(version: QuestionVersion) -> Details:
    """The details a version was saved with."""
    return Details(
        version.level,
        version.points,
        version.time_limit_s,
        version.source_document,
        version.source_section,
        version.source_url,
        version.image_path,
    )


def _same(version: QuestionVersion, content: dict, details: Details) -> bool:
    return version.content == content and details_of(version) == details


def edit_question(
    question: Question, user, base_revision: int, content: dict, details: Details
) -> QuestionVersion | None:
    """Save an edit as a new version, if the question is still at `base_revision`.

    Returns None when nothing changed. Raises QuestionChanged when someone else saved first:
    the conditional update and the unique (question, number) pair both stop a lost update.
    """
    content, details = _checked(content, details)
    status = status_after_edit(Status(question.status))
    question_id = question.id  # after a failed flush the object can't be read any more
    if question.revision != base_revision:
        raise QuestionChanged(question_id)
    if _same(question.current, content, details):
        return None
    number = base_revision + 1
    moved = db.session.execute(
        update(Question)
        .where(Question.id == question.id, Question.revision == base_revision)
        .values(revision=number, status=status.value, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise QuestionChanged(question_id)
    version = _new_version(question, number, content, details, user)
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise QuestionChanged(question_id) from exc
    db.session.expire(question)
    return version


def restore_version(question: Question, user, number: int, base_revision: int):
    """Make an old version current again, as a new version (history is never rewritten)."""
    old = db.session.scalar(
        select(QuestionVersion).where(
            QuestionVersion.question_id == question.id, QuestionVersion.number == number
        )
    )
    if old is None:
        raise LookupError(number)
    return edit_question(question, user, base_revision, dict(old.content), details_of(old))


def actor_for(user, question: Question) -> Actor:
    from contest.accounts.roles import Role

    return Actor(
        may_edit=user.has_role(Role.EDITOR),
        may_review=user.has_role(Role.REVIEWER),
        is_author=question.author_id == user.id,
    )


def apply_action(question: Question, user, action: Action, comment: str = "") -> Status:
    """Move a question through review; raises workflow.Refused with the reason."""
    status = next_status(
        action,
        Status(question.status),
        actor_for(user, question),
        comment=comment,
        allow_self_approval=current_app.config.get("QUESTIONS_ALLOW_SELF_APPROVAL", False),
    )
    question.status = status.value
    if action in (Action.APPROVE, Action.REJECT):
        question.reviewed_by_id = user.id
        question.reviewed_at = utcnow()
        question.review_comment = comment.strip() or None
    if action is Action.APPROVE:
        question.approved_revision = question.revision
    return status


REFUSAL_MESSAGES = {
    "not_from_this_state": _l("That step is not possible from the question's present state."),
    "reviewers_only": _l("Only a reviewer may do that."),
    "editors_only": _l("Only an editor may do that."),
    "own_question": _l("You wrote this question: another reviewer must approve it."),
    "comment_required": _l("Say why the question is rejected, for its editor."),
    "retired": _l("A retired question cannot be edited; reopen it first."),
}


def refusal_message(code: str) -> str:
    return str(REFUSAL_MESSAGES.get(code, code))


def set_tags(question: Question, names) -> None:
    """Tags by name (cleaned, lower case), created when new; each tag once."""
    wanted = list(dict.fromkeys(clean_line(name).lower() for name in names if clean_line(name)))
    existing = {
        tag.name: tag for tag in db.session.scalars(select(Tag).where(Tag.name.in_(wanted)))
    }
    question.tags = [existing.get(name) or Tag(name=name) for name in wanted]


def drawable_versions():
    """Versions a contest may draw: the approved version of every question not retired."""
    return (
        select(QuestionVersion)
        .join(Question, QuestionVersion.question_id == Question.id)
        .where(
            Question.status != Status.RETIRED.value,
            Question.approved_revision.is_not(None),
            QuestionVersion.number == Question.approved_revision,
        )
    )


@dataclass
class BulkResult:
    done: list[int]
    refused: list[tuple[int, str]]  # (question id, reason code)


def bulk_review(user, question_ids, action: Action) -> BulkResult:
    """Apply one workflow action to many questions; each is checked on its own."""
    result = BulkResult([], [])
    questions = db.session.scalars(select(Question).where(Question.id.in_(question_ids)))
    for question in sorted(questions, key=lambda q: q.id):
        try:
            apply_action(question, user, action)
        except Refused as refused:
            result.refused.append((question.id, refused.code))
        else:
            result.done.append(question.id)
    return result


def bulk_classify(question_ids, *, tag: str = "", theme=None) -> BulkResult:
    """Add a tag and/or a theme to many questions (existing ones are kept)."""
    result = BulkResult([], [])
    for question in db.session.scalars(select(Question).where(Question.id.in_(question_ids))):
        if tag.strip():
            set_tags(question, [t.name for t in question.tags] + [tag])
        if theme is not None and theme not in question.themes:
            question.themes.append(theme)
        result.done.append(question.id)
    return result
