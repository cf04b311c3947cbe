"""Import and export pages of the bank: upload, progress, preview, commit; export in any format."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from contest.forms import ConfirmForm
from contest.text import clean_line
from contest.themes.models import Theme
from questions import exports, imports
from questions.formats import FormatError, format_module
from questions.models import Level, Question, QuestionType
from questions.routes import BANK_ROLES, _filters, bp
from questions.search import search
from questions.transfer_forms import FORMAT_LABELS, CommitForm, ExportForm, UploadForm

IMPORT_ROLES = (Role.EDITOR, Role.REVIEWER)
PREVIEW_PER_PAGE = 100
WORKING = ("queued", "reading", "checking", "committing")


@bp.route("/questions/import", methods=["GET", "POST"])
@roles_required(*IMPORT_ROLES)
def import_upload():
    """Upload a question file; it is read and shown, nothing is written yet."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            token = imports.start(
                current_user,
                upload.filename or "",
                upload.read(),
                form.format.data or None,
                locale=str(get_locale() or "vi"),
            )
        except FormatError as error:
            form.file.errors = [error.message]
        else:
            state = imports.state(token)
            if state["phase"] != "failed":
                return redirect(url_for("questions.import_status", token=token))
            # Read here and unreadable (a broken zip, an old encoding): say so beside the field.
            form.file.errors = [state["message"]]
            imports.discard(token)
    page = render_template("questions/import.html", form=form, formats=FORMAT_LABELS)
    return page, 400 if form.errors or form.file.errors else 200


def _mine_or_404(token: str) -> dict:
    try:
        return imports.owned_by(token, current_user)
    except imports.ImportNotFound:
        abort(404)  # unknown, expired, or someone else's upload


def _commit_form(formdata=None) -> CommitForm:
    form = CommitForm(formdata=formdata)
    themes = db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.short_name))
    form.themes.choices = [(theme.id, theme.short_name) for theme in themes]
    if not current_user.has_role(Role.REVIEWER):
        form.status.choices = [c for c in form.status.choices if c.value != "approved"]
    return form


@bp.get("/questions/import/<token>")
@roles_required(*IMPORT_ROLES)
def import_status(token: str):
    """Progress while the file is read or written; then the preview, or the outcome."""
    info = _mine_or_404(token)
    state = imports.state(token)
    if state["phase"] in WORKING:
        return render_template("questions/import_progress.html", info=info, state=state)
    if state["phase"] in ("failed", "done"):
        return render_template("questions/import_done.html", info=info, state=state)
    return _preview(token, info, _commit_form())


def _preview(token: str, info: dict, form: CommitForm, status: int = 200):
    data = imports.result(token)
    items = list(enumerate(data["items"], start=1))
    with_problems = [entry for entry in items if entry[1]["issues"]]
    duplicated = [entry for entry in items if entry[1]["duplicates"]]
    only = request.args.get("only", "")
    shown = {"problems": with_problems, "duplicates": duplicated}.get(only, items)
    pages = max(1, -(-len(shown) // PREVIEW_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    start = (page - 1) * PREVIEW_PER_PAGE
    return render_template(
        "questions/import_preview.html",
        token=token,
        info=info,
        data=data,
        total=len(items),
        problems=len(with_problems) + len(data["issues"]),
        duplicates=len(duplicated),
        shown=shown[start : start + PREVIEW_PER_PAGE],
        only=only,
        page=page,
        pages=pages,
        form=form,
        discard=ConfirmForm(formdata=None),
        formats=FORMAT_LABELS,
        answer_of=_answer_of,
        type_label=_type_label,
        level_label=_level_label,
    ), status


@bp.post("/questions/import/<token>/commit")
@roles_required(*IMPORT_ROLES)
def import_commit(token: str):
    """Write every question of the file in one transaction, or nothing."""
    info = _mine_or_404(token)
    form = _commit_form(request.form)
    if not form.validate_on_submit():
        return _preview(token, info, form, 400)
    options = imports.CommitOptions(
        theme_ids=list(form.themes.data or []),
        tags=[clean_line(tag) for tag in (form.tags.data or "").split(",") if clean_line(tag)],
        status=form.status.data,
        skip_bank_duplicates=form.skip_bank_duplicates.data,
    )
    try:
        imports.begin_commit(token, current_user, options)
    except imports.ImportRefused as refused:
        flash(refused.message, "error")
    except Exception:  # noqa: BLE001 - the failure is recorded in the import's state
        pass
    return redirect(url_for("questions.import_status", token=token))


@bp.post("/questions/import/<token>/discard")
@roles_required(*IMPORT_ROLES)
def import_discard(token: str):
    _mine_or_404(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    imports.discard(token)
    flash(_("The uploaded file was discarded; nothing was written."), "success")
    return redirect(url_for("questions.import_upload"))


@bp.get("/questions/import/template.<kind>")
@roles_required(*IMPORT_ROLES)
def import_template(kind: str):
    """An empty sheet with the columns the importer reads, Vietnamese headers and guidance."""
    if kind not in ("xlsx", "csv"):
        abort(404)
    data = format_module(kind).template()
    return _download(data, exports.MIME_TYPES[kind], f"mau-cau-hoi.{kind}")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _answer_of(content: dict) -> str:
    """The correct answer in a few characters, for the preview table."""
    kind = content.get("type")
    try:
        if kind in ("single", "multiple"):
            letters = "ABCDEFGH"
            marked = [letters[i] for i, o in enumerate(content["options"][:8]) if o.get("correct")]
            return ", ".join(marked)
        if kind == "true_false":
            return _("True") if content.get("answer") else _("False")
        if kind == "short_text":
            return " | ".join(str(answer) for answer in content.get("accepted", []))
        if kind == "numeric":
            tolerance = content.get("tolerance") or 0
            text = format_decimal(content["value"])
            return f"{text} ± {format_decimal(tolerance)}" if tolerance else text
        if kind == "ordering":
            return " → ".join(str(item) for item in content.get("items", []))
    except (KeyError, TypeError, ValueError, AttributeError):
        pass  # content with problems: the problems column says what is wrong
    return ""


def _type_label(kind) -> str:
    return str(QuestionType(kind).label) if kind in set(QuestionType) else str(kind or "")


def _level_label(level) -> str:
    return str(Level(level).label) if level in set(Level) else ""


EXPORT_CONTROLS = ("format", "accept", "submit")


@bp.get("/questions/export")
@roles_required(*BANK_ROLES)
def question_export():
    """The list's current search in a chosen format; what a format cannot hold is listed first."""
    filters = _filters()
    form = ExportForm(request.args)
    count = db.session.scalar(
        select(func.count()).select_from(search(filters).with_only_columns(Question.id).subquery())
    )
    search_args = {k: v for k, v in request.args.items() if k not in EXPORT_CONTROLS}
    page = {
        "form": form,
        "count": count,
        "skipped": None,
        "back_url": url_for("questions.question_list", **search_args),
    }
    if "format" not in request.args or not form.validate():
        return render_template("questions/export.html", **page)
    exported = exports.export(filters, form.format.data)
    if exported.skipped and request.args.get("accept") != "1":
        page["skipped"] = exported.skipped
        page["download_url"] = url_for(
            "questions.question_export", **dict(request.args.to_dict(), accept="1")
        )
        return render_template("questions/export.html", **page)
    name = f"cau-hoi-{date.today():%Y%m%d}{exports.EXTENSIONS[form.format.data]}"
    response = _download(exported.data, exports.MIME_TYPES[form.format.data], name)
    response.headers["X-HoiThi-Skipped"] = str(len(exported.skipped))
    return response
