"""The bank as JSON for staff tools: list and search, read, write and edit questions.

The pages' service functions do the work (see questions/routes.py); these handlers parse JSON,
check the role, call them and serialise. Content holds the answers, so every endpoint needs a
bank role. questions/api_schema.py describes the endpoints in the OpenAPI document.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from contest.accounts.roles import Role
from contest.extensions import db
from contest.text import clean_line
from contest.themes.models import Theme
from questions import content as question_content
from questions import service
from questions.models import Level, Question, QuestionType, QuestionVersion, Status
from questions.routes import BANK_ROLES
from questions.search import SORTS, USED_CHOICES, Filters, search_page
from questions.workflow import Refused

bp = Blueprint("questions_api", __name__, url_prefix="/api")

PER_PAGE, MAX_PER_PAGE = 25, 100
RANGES = {"points": (10, 0, 1000), "time_limit_s": (30, 5, 3600)}  # default, low, high
SOURCE_MAX = {"document": 300, "section": 300, "url": 500}
TAG_MAX = 80


def error(status: int, code: str, message, **extra):
    return jsonify({"error": code, "message": str(message), **extra}), status


def problem(path: str, code: str, message) -> dict:
    """One entry of a 422 answer; `path` points into the request body (content.options.2.text)."""
    return {"field": path, "code": code, "message": str(message)}


def invalid(problems: list[dict]):
    return jsonify({"errors": problems}), 422


def api_roles_required(*roles: Role):
    """Like access.roles_required, in JSON: API clients are not browsers to send to /login."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return error(401, "unauthorized", _("Sign in first."))
            if not current_user.has_role(*roles):
                return error(403, "forbidden", _("Your account has no role that may do this."))
            return view(*args, **kwargs)

        return wrapped

    return decorate


@bp.errorhandler(CSRFError)
def csrf_refused(exc: CSRFError):
    """A write without the page's token in X-CSRFToken: JSON rather than the HTML error page."""
    return error(400, "csrf", get_translations().gettext(exc.description))


# ---- serialising --------------------------------------------------------------------------------


def _time(value) -> str | None:
    return value.isoformat() if value else None


def version_json(version: QuestionVersion) -> dict:
    return {
        "number": version.number,
        "type": version.type,
        "content": version.content,
        "level": version.level,
        "points": version.points,
        "time_limit_s": version.time_limit_s,
        "source": {
            "document": version.source_document,
            "section": version.source_section,
            "url": version.source_url,
        },
        "image": version.image_path and url_for("questions.image", name=version.image_path),
        "created_at": _time(version.created_at),
    }


def question_json(question: Question, version: QuestionVersion | None = None) -> dict:
    """A question with its current version, answers included (staff only)."""
    author = question.author
    return {
        "id": question.id,
        "key": question.key,
        "status": question.status,
        "revision": question.revision,
        "approved_revision": question.approved_revision,
        "themes": [
            {"id": theme.id, "short_name": theme.short_name}
            for theme in sorted(question.themes, key=lambda theme: theme.short_name)
        ],
        "tags": sorted(tag.name for tag in question.tags),
        "author": author
        and {"id": author.id, "username": author.username, "full_name": author.full_name},
        "created_at": _time(question.created_at),
        "updated_at": _time(question.updated_at),
        "version": version_json(version or question.current),
    }


# ---- parsing ------------------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


def _filters(args) -> tuple[Filters, int, int, list[dict]]:
    problems: list[dict] = []

    def choice(name: str, allowed) -> str:
        value = args.get(name, "").strip()
        if value and value not in allowed:
            problems.append(problem(name, "not_a_choice", _("Not a valid choice.")))
            return ""
        return value

    def integer(name: str) -> int | None:
        value = args.get(name, "").strip()
        if value and not value.isdigit():
            problems.append(problem(name, "not_an_integer", _("Not a valid integer value.")))
        return int(value) if value.isdigit() else None

    filters = Filters(
        text=args.get("q", "").strip(),
        theme_id=integer("theme"),
        tag=args.get("tag", "").strip(),
        type=choice("type", set(QuestionType)),
        level=choice("level", set(Level)),
        status=choice("status", set(Status)),
        author_id=integer("author"),
        used=choice("used", USED_CHOICES),
        sort=choice("sort", SORTS) or "updated",
    )
    per_page = min(max(integer("per_page") or PER_PAGE, 1), MAX_PER_PAGE)
    return filters, integer("page") or 1, per_page, problems


def _typed(path: str, code: str) -> dict:
    """not_text / not_a_list, worded like the content's own issues."""
    issue = question_content.ContentIssue(path, code, {"field": path})
    return problem(path, code, question_content.describe(issue))


def _text(value, path: str, limit: int, problems: list) -> str:
    if not isinstance(value, str):
        if value is not None:
            problems.append(_typed(path, "not_text"))
        return ""
    if len(clean_line(value)) > limit:
        problems.append(problem(path, "too_long", _("At most %(max)d characters.", max=limit)))
    return value


@dataclass
class Submission:
    """A POST or PUT body, read; its content is checked by the service."""

    content: object
    details: service.Details
    themes: list[Theme]
    tags: list[str]
    base_revision: int | None


def parse_submission(body, question: Question | None = None) -> tuple[Submission, list[dict]]:
    """Read a body; every problem outside the content is collected, none raised."""
    if not isinstance(body, dict):
        message = _("The request body must be a JSON object.")
        return Submission(None, service.Details(), [], [], None), [problem("", "bad_body", message)]
    problems: list[dict] = []
    level = body.get("level", Level.RECALL.value)
    if not isinstance(level, str) or level not in set(Level):
        message = _(
            "Unknown level “%(level)s”: use recall, understanding, application or "
            "advanced_application.",
            level=str(level),
        )
        problems.append(problem("level", "unknown_level", message))
    numbers = {}
    for key, (default, low, high) in RANGES.items():
        value = numbers[key] = body.get(key, default)
        if not _is_int(value):
            problems.append(problem(key, "not_an_integer", _("Not a valid integer value.")))
        elif not low <= value <= high:
            message = _("Number must be between %(min)s and %(max)s.", min=low, max=high)
            problems.append(problem(key, "out_of_range", message))
    source = body.get("source") or {}
    if not isinstance(source, dict):
        message = _("“%(field)s” must be an object.", field="source")
        problems.append(problem("source", "not_an_object", message))
        source = {}
    texts = {k: _text(source.get(k), f"source.{k}", n, problems) for k, n in SOURCE_MAX.items()}
    url = urlsplit(clean_line(texts["url"]))
    if texts["url"].strip() and (url.scheme not in ("http", "https") or not url.netloc):
        message = _("Enter a web address starting with http:// or https://.")
        problems.append(problem("source.url", "bad_url", message))
    tags = body.get("tags", [])
    if not isinstance(tags, list):
        problems.append(_typed("tags", "not_a_list"))
        tags = []
    details = service.Details(
        level=str(level),
        **numbers,
        **{f"source_{key}": text for key, text in texts.items()},
        # Images are uploaded on the question's page; an edit through the API keeps the image.
        image_path=question.current.image_path if question is not None else None,
    )
    themes = _themes(body.get("themes", []), question, problems)
    tags = [_text(tag, f"tags.{i}", TAG_MAX, problems) for i, tag in enumerate(tags)]
    base = body.get("base_revision")
    if question is not None and not _is_int(base):
        problems.append(problem("base_revision", "not_an_integer", _("Not a valid integer value.")))
    return Submission(body.get("content"), details, themes, tags, base), problems


def _themes(ids, question: Question | None, problems: list) -> list[Theme]:
    """Active themes, and retired ones the question already has: retiring a theme must not
    make its questions impossible to edit."""
    if not isinstance(ids, list):
        problems.append(_typed("themes", "not_a_list"))
        return []
    kept = {theme.id for theme in question.themes} if question is not None else set()
    wanted = list(dict.fromkeys(i for i in ids if _is_int(i)))
    found = {
        theme.id: theme
        for theme in db.session.scalars(select(Theme).where(Theme.id.in_(wanted)))
        if theme.active or theme.id in kept
    }
    for i, theme_id in enumerate(ids):
        if not _is_int(theme_id) or theme_id not in found:
            message = _("There is no active theme with the id %(id)s.", id=json.dumps(theme_id))
            problems.append(problem(f"themes.{i}", "unknown_theme", message))
    return [found[theme_id] for theme_id in wanted if theme_id in found]


def content_problems(issues) -> list[dict]:
    """Content issues as 422 entries; the message names the option or item, as on the pages."""
    return [
        problem(
            ".".join(filter(None, ("content", issue.field))),
            issue.code,
            question_content.describe(issue),
        )
        for issue in issues
    ]


def _classify(question: Question, sub: Submission) -> bool:
    """Set themes and tags as sent, as the pages do; True when that changed them."""
    before = ({t.id for t in question.themes}, {t.name for t in question.tags})
    question.themes = sub.themes
    service.set_tags(question, sub.tags)
    return before != ({t.id for t in question.themes}, {t.name for t in question.tags})


# ---- endpoints ----------------------------------------------------------------------------------


@bp.get("/questions")
@api_roles_required(*BANK_ROLES)
def question_list():
    """Questions matching the filters (words without regard to accents), a page at a time."""
    filters, number, per_page, problems = _filters(request.args)
    if problems:
        return invalid(problems)
    page = search_page(filters, number, per_page, options=[selectinload(Question.author)])
    return {
        "items": [question_json(question, version) for question, version in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "total_is_exact": page.total_is_exact,
        "pages": page.pages,
        "has_next": page.has_next,
    }


def _not_found():
    return error(404, "not_found", _("Not found"))


@bp.get("/questions/<int:question_id>")
@api_roles_required(*BANK_ROLES)
def question_get(question_id: int):
    """One question with its current version, answers included."""
    question = db.session.get(Question, question_id)
    return question_json(question) if question else _not_found()


@bp.post("/questions")
@api_roles_required(Role.EDITOR)
def question_create():
    """Write a question; it starts as a draft at revision 1."""
    sub, problems = parse_submission(request.get_json(silent=True))
    if problems:  # with the content's issues too, so the client sees everything at once
        return invalid(problems + content_problems(question_content.validate(sub.content)))
    try:
        question = service.create_question(current_user, sub.content, sub.details)
    except service.QuestionInvalid as exc:
        db.session.rollback()
        return invalid(content_problems(exc.issues))
    _classify(question, sub)
    db.session.commit()
    location = url_for(".question_get", question_id=question.id)
    return question_json(question), 201, {"Location": location}


@bp.put("/questions/<int:question_id>")
@api_roles_required(Role.EDITOR)
def question_update(question_id: int):
    """Save an edit as a new version, if nobody saved since `base_revision`."""
    question = db.session.get(Question, question_id)
    if question is None:
        return _not_found()
    sub, problems = parse_submission(request.get_json(silent=True), question)
    if problems:
        return invalid(problems + content_problems(question_content.validate(sub.content)))
    try:
        version = service.edit_question(
            question, current_user, sub.base_revision, sub.content, sub.details
        )
    except service.QuestionInvalid as exc:
        db.session.rollback()
        return invalid(content_problems(exc.issues))
    except service.QuestionChanged:
        db.session.rollback()
        current = db.session.get(Question, question_id).revision
        message = _("Someone else saved this question first. Load it again, then save.")
        return error(409, "changed", message, current_revision=current)
    except Refused as refused:  # a retired question
        db.session.rollback()
        return error(409, refused.code, service.refusal_message(refused.code))
    reclassified = _classify(question, sub)
    db.session.commit()
    return {**question_json(question), "changed": version is not None or reclassified}


# The endpoints' OpenAPI description lives beside this module; importing it registers them.
from questions import api_schema  # noqa: E402,F401
