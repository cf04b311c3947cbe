"""The bank's pages: browse and search, write and edit, review, history."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.models import Theme
from contest.web import safe_next
from questions import content as question_content
from questions import duplicates, history, images, markdown, service, stats, usage
from questions.forms import BulkForm, QuestionForm, RestoreForm, ReviewForm
from questions.models import Level, Question, QuestionType, Status
from questions.search import USED_CHOICES, Filters, search_page
from questions.workflow import Action, Refused

bp = Blueprint("questions", __name__)

BANK_ROLES = (Role.EDITOR, Role.REVIEWER, Role.HOST)
PER_PAGE = 25


@bp.app_template_filter("markdown")
def render_markdown(text: str):
    return markdown.render(text or "")


@bp.app_template_filter("web_link")
def web_link(url: str | None) -> str:
    """The address if it is an http(s) link, else "": imported files may hold "javascript:…"."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@bp.app_template_filter("plain_text")
def plain_text(text: str) -> str:
    """Markdown reduced to its words, for one-line previews."""
    return markdown.plain_text(text or "")


def _filters() -> Filters:
    args = request.args
    return Filters(
        text=args.get("q", "").strip(),
        theme_id=args.get("theme", type=int),
        tag=args.get("tag", "").strip(),
        type=args.get("type", "") if args.get("type") in set(QuestionType) else "",
        level=args.get("level", "") if args.get("level") in set(Level) else "",
        status=args.get("status", "") if args.get("status") in set(Status) else "",
        author_id=args.get("author", type=int),
        used=args.get("used", "") if args.get("used") in USED_CHOICES else "",
        sort=args.get("sort", "updated"),
    )


@bp.get("/questions")
@roles_required(*BANK_ROLES)
def question_list():
    """Every question, searched without regard to accents and filtered, a page at a time."""
    filters = _filters()
    page = search_page(filters, request.args.get("page", 1, type=int), PER_PAGE)
    themes = db.session.scalars(select(Theme).order_by(Theme.short_name)).all()
    bulk = BulkForm(formdata=None)
    bulk.theme.choices = [(theme.id, theme.short_name) for theme in themes if theme.active]
    return render_template(
        "questions/list.html", page=page, filters=filters, themes=themes, bulk=bulk
    )


def _theme_choices(form: QuestionForm, question: Question | None = None) -> None:
    """Active themes, plus any retired one the question already has (it may keep it)."""
    kept = [theme.id for theme in question.themes] if question else []
    themes = db.session.scalars(
        select(Theme).where(Theme.active | Theme.id.in_(kept)).order_by(Theme.short_name)
    )
    form.themes.choices = [(theme.id, theme.short_name) for theme in themes]


def _apply_classification(question: Question, form: QuestionForm) -> None:
    chosen = set(form.themes.data or [])
    question.themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(chosen))))
    service.set_tags(question, (form.tags.data or "").split(","))


IMAGE_REFUSALS = {
    "too_big": _l("The image is larger than %(max_kb)d KB."),
    "not_an_image": _l("This file is not a PNG, JPEG, GIF or WebP image."),
}


def _details(form: QuestionForm, image_path: str | None) -> service.Details:
    return service.Details(
        level=form.level.data,
        points=form.points.data,
        time_limit_s=form.time_limit_s.data,
        source_document=form.source_document.data or "",
        source_section=form.source_section.data or "",
        source_url=form.source_url.data or "",
        image_path=image_path,
    )


def _image_path(form: QuestionForm, current: str | None) -> tuple[str | None, bool]:
    """The image the new version shows, and whether it was stored by this request.

    Raises ImageRefused with the reason; the message goes beside the image field.
    """
    upload = form.image.data
    if upload and getattr(upload, "filename", ""):
        return images.store_image(upload.read()), True
    if form.remove_image.data:
        return None, False
    return current, False


def _save(form: QuestionForm, question: Question | None):
    """Create or edit through the service; returns the question, or None with errors on the form.

    QuestionChanged and Refused pass through to the caller. An image stored for a save that
    fails is deleted again, so refused forms leave no files behind.
    """
    try:
        image_path, stored = _image_path(form, question.current.image_path if question else None)
    except images.ImageRefused as refused:
        form.image.errors.append(IMAGE_REFUSALS[refused.code] % refused.params)
        return None
    try:
        if question is None:
            question = service.create_question(
                current_user, form.content(), _details(form, image_path)
            )
        else:
            base = int(form.base_revision.data or 0)
            service.edit_question(
                question, current_user, base, form.content(), _details(form, image_path)
            )
        _apply_classification(question, form)
    except service.QuestionInvalid as invalid:
        db.session.rollback()
        if stored:
            images.discard(image_path)
        _show_issues(form, invalid.issues)
        return None
    except Exception:
        if stored:
            images.discard(image_path)
        raise
    return question


def _show_issues(form: QuestionForm, issues) -> None:
    for issue in issues:
        form.field_for(issue.field).errors.append(question_content.describe(issue))


@bp.route("/questions/new", methods=["GET", "POST"])
@roles_required(Role.EDITOR)
def question_create():
    """Write a question of any type; it starts as a draft."""
    form = QuestionForm()
    _theme_choices(form)
    if form.validate_on_submit() and (question := _save(form, None)) is not None:
        db.session.commit()
        flash(_("Question saved as a draft."), "success")
        return redirect(url_for("questions.question_detail", question_id=question.id))
    return render_template("questions/form.html", form=form, question=None)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required(Role.EDITOR)
def question_edit(question_id: int):
    """Edit: a new version; refused if someone saved since this page was opened."""
    question = db.get_or_404(Question, question_id)
    form = QuestionForm()
    _theme_choices(form, question)
    if request.method == "GET":
        _fill(form, question)
    elif form.validate_on_submit():
        try:
            saved = _save(form, question)
        except service.QuestionChanged:
            db.session.rollback()
            question = db.get_or_404(Question, question_id)
            # Keep what this editor typed, show the other version, and let them decide.
            form.base_revision.data = str(question.revision)
            flash(
                _(
                    "Someone else saved this question while you were editing. Their version is "
                    "shown below; your text is kept in the form. Save again to replace theirs."
                ),
                "error",
            )
            return render_template(
                "questions/form.html", form=form, question=question, theirs=question.current
            ), 409
        except Refused:
            db.session.rollback()
            flash(_("A retired question cannot be edited; reopen it first."), "error")
        else:
            if saved is not None:
                db.session.commit()
                flash(_("Saved as version %(n)d.", n=question.revision), "success")
                return redirect(url_for("questions.question_detail", question_id=question.id))
    return render_template("questions/form.html", form=form, question=question)


def _fill(form: QuestionForm, question: Question) -> None:
    version = question.current
    form.fill_from(version.content)
    form.level.data = version.level
    form.points.data = version.points
    form.time_limit_s.data = version.time_limit_s
    form.source_document.data = version.source_document
    form.source_section.data = version.source_section
    form.source_url.data = version.source_url
    form.themes.data = [theme.id for theme in question.themes]
    form.tags.data = ", ".join(tag.name for tag in question.tags)
    form.base_revision.data = str(question.revision)


@bp.get("/questions/<int:question_id>")
@roles_required(*BANK_ROLES)
def question_detail(question_id: int):
    """A question as participants would see it, with its answer, status and review actions."""
    question = db.get_or_404(Question, question_id)
    # Flag look-alikes while the question can still change: after saving, and before approval.
    similar = []
    if question.status in (Status.DRAFT, Status.IN_REVIEW, Status.REJECTED):
        similar = duplicates.near_duplicates_of(question.id, question.current.content["stem"])
    return render_template(
        "questions/detail.html",
        question=question,
        similar=similar,
        version=question.current,
        review_form=ReviewForm(formdata=None),
        Action=Action,
    )


@bp.post("/questions/<int:question_id>/review")
@roles_required(Role.EDITOR, Role.REVIEWER)
def question_review(question_id: int):
    """Submit, approve, reject, retire or reopen."""
    question = db.get_or_404(Question, question_id)
    form = ReviewForm()
    if not form.validate_on_submit() or form.action.data not in set(Action):
        abort(400)
    try:
        service.apply_action(
            question, current_user, Action(form.action.data), form.comment.data or ""
        )
    except Refused as refused:
        db.session.rollback()
        flash(service.refusal_message(refused.code), "error")
    else:
        db.session.commit()
        flash(
            _("The question is now: %(status)s.", status=question.question_status.label), "success"
        )
    return redirect(url_for("questions.question_detail", question_id=question.id))


@bp.get("/questions/<int:question_id>/history")
@roles_required(*BANK_ROLES)
def question_history(question_id: int):
    """Every version, newest first, each with what it changed from the one before."""
    question = db.get_or_404(Question, question_id)
    versions = question.versions
    changes = [
        (version, history.difference(versions[i - 1] if i else None, version))
        for i, version in enumerate(versions)
    ]
    return render_template(
        "questions/history.html",
        question=question,
        changes=list(reversed(changes)),
        restore_form=RestoreForm(formdata=None),
    )


@bp.post("/questions/<int:question_id>/restore")
@roles_required(Role.EDITOR)
def question_restore(question_id: int):
    """Make an old version current again, as a new version."""
    question = db.get_or_404(Question, question_id)
    form = RestoreForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = service.restore_version(
            question, current_user, int(form.number.data), int(form.base_revision.data)
        )
    except (LookupError, ValueError):
        abort(404)
    except service.QuestionChanged:
        db.session.rollback()
        flash(_("Someone saved this question meanwhile; look at the history again."), "error")
        return redirect(url_for("questions.question_history", question_id=question_id))
    except Refused:
        db.session.rollback()
        flash(_("A retired question cannot be edited; reopen it first."), "error")
        return redirect(url_for("questions.question_history", question_id=question_id))
    db.session.commit()
    if version is None:
        flash(_("That version is already the current one."), "info")
    else:
        flash(
            _("Version %(old)s restored as version %(n)d.", old=form.number.data, n=version.number),
            "success",
        )
    return redirect(url_for("questions.question_detail", question_id=question.id))


@bp.get("/uploads/<name>")
@roles_required(*BANK_ROLES)
def image(name: str):
    """A question's image, for staff (participants get theirs with the question, later)."""
    if not images.is_stored_name(name):
        abort(404)
    return send_from_directory(images.upload_folder(), name, max_age=3600)


@bp.post("/questions/bulk")
@roles_required(Role.EDITOR, Role.REVIEWER)
def question_bulk():
    """Approve, retire, tag or add a theme to the ticked questions; says what was refused."""
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    ids = form.ids.data or []
    if not ids:
        flash(_("Tick at least one question first."), "error")
        return redirect(safe_next(form.next.data))
    action = form.action.data
    if action in ("approve", "retire"):
        result = service.bulk_review(current_user, ids, Action(action))
    elif not current_user.has_role(Role.EDITOR):
        abort(403)
    elif action == "tag" and not (form.tag.data or "").strip():
        flash(_("Type the tag to add."), "error")
        return redirect(safe_next(form.next.data))
    else:
        theme = db.session.get(Theme, form.theme.data) if action == "theme" else None
        if action == "theme" and theme is None:
            abort(400)
        result = service.bulk_classify(
            ids, tag=form.tag.data if action == "tag" else "", theme=theme
        )
    db.session.commit()
    flash(_("Done for %(n)d question(s).", n=len(result.done)), "success")
    for question_id, code in result.refused:
        flash(
            _("Question %(n)d: %(reason)s", n=question_id, reason=service.refusal_message(code)),
            "error",
        )
    return redirect(safe_next(form.next.data))


@bp.get("/questions/dashboard")
@roles_required(*BANK_ROLES)
def dashboard():
    """How the bank covers each theme: questions by level and by review status, with a chart."""
    rows = stats.theme_rows(stats.counts())
    by_status, by_level = stats.totals()
    unused_total, unused = usage.never_used()
    chart = {
        "labels": [row.theme or _("No theme") for row in rows],
        "datasets": [
            {
                "key": status.value,
                "label": str(status.label),
                "data": [row.by_status[status.value] for row in rows],
            }
            for status in Status
        ],
    }
    return render_template(
        "questions/dashboard.html",
        rows=rows,
        by_status=by_status,
        by_level=by_level,
        chart=chart,
        unused_total=unused_total,
        unused=unused,
        statistics=usage.statistics(),
    )
