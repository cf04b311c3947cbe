"""Unit pages: the tree, search, add, edit and move, delete, export and import."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from contest.accounts.access import roles_required, staff_required
from contest.accounts.roles import Role
from contest.extensions import db
from contest.forms import ConfirmForm
from contest.units import bp, rules, service, transfer
from contest.units.forms import ImportForm, UnitForm
from contest.units.models import Unit


@bp.get("/units")
@staff_required
def tree():
    """The whole tree, or with ?q= the units whose code or name match, each with its path."""
    query = request.args.get("q", "").strip()
    units = service.all_units()
    if query:
        found = service.search_units(query)
        paths = service.paths(units)
        return render_template("units/tree.html", query=query, found=found, paths=paths)
    return render_template(
        "units/tree.html", query="", nodes=service.unit_tree(units), total=len(units)
    )


def _unit_form(unit: Unit | None) -> UnitForm:
    """The form with every unit offered as parent, labelled by path; a unit's own branch is
    shown but disabled, since moving a unit under itself would make a loop."""
    form = UnitForm(obj=unit if request.method == "GET" else None)
    units = service.all_units()
    blocked = service.descendant_ids(unit) | {unit.id} if unit is not None else set()
    paths = service.paths(units)
    choices = [
        (node.unit.id, service.path_label(paths[node.unit.id], node.unit), node.unit.id in blocked)
        for node, _depth in rules.walk(service.unit_tree(units))
    ]
    form.set_parent_choices(choices, _("— Top of the tree —"))
    if request.method == "GET" and unit is not None:
        form.parent.data = unit.parent_id or 0
        form.headcount.data = "" if unit.headcount is None else str(unit.headcount)
    return form


def _save(form: UnitForm, unit: Unit | None) -> Unit | None:
    """Run the service with the form's values; on refusal put the message beside its field."""
    values = (
        form.code.data,
        form.name.data,
        form.parent_id,
        form.kind.data or "",
        form.headcount_value,
    )
    try:
        if unit is None:
            unit = service.create_unit(*values)
        else:
            service.update_unit(unit, *values)
    except service.UnitError as error:
        db.session.rollback()
        getattr(form, error.field, form.code).errors.append(str(error))
        return None
    db.session.commit()
    return unit


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create():
    """Add a unit; ?parent=<id> preselects where it goes."""
    form = _unit_form(None)
    if request.method == "GET":
        form.parent.data = request.args.get("parent", 0, type=int)
    if form.validate_on_submit() and (unit := _save(form, None)) is not None:
        flash(_("Unit %(name)s added.", name=unit.name), "success")
        return redirect(url_for("units.tree"))
    return render_template("units/form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(unit_id: int):
    """Edit a unit; changing its parent moves it with everything below it."""
    unit = db.get_or_404(Unit, unit_id)
    form = _unit_form(unit)
    if form.validate_on_submit() and _save(form, unit) is not None:
        flash(_("Unit %(name)s saved.", name=unit.name), "success")
        return redirect(url_for("units.tree"))
    return render_template(
        "units/form.html",
        form=form,
        unit=unit,
        children=service.by_name(unit.children),
        delete_form=ConfirmForm(formdata=None),
    )


@bp.post("/units/<int:unit_id>/delete")
@roles_required(Role.ADMIN)
def delete(unit_id: int):
    """Delete a unit that has no units below it."""
    unit = db.get_or_404(Unit, unit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = unit.name
    try:
        service.delete_unit(unit)
        db.session.commit()
    except service.UnitError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("units.edit", unit_id=unit_id))
    except IntegrityError:
        # Something else (a team, a participant) still points at the unit.
        db.session.rollback()
        flash(_("The unit is still in use and cannot be deleted."), "error")
        return redirect(url_for("units.edit", unit_id=unit_id))
    flash(_("Unit %(name)s deleted.", name=name), "success")
    return redirect(url_for("units.tree"))


@bp.get("/units/export.csv")
@staff_required
def export_csv():
    """All units as CSV (UTF-8 with BOM), parents before children."""
    data = transfer.export_csv(service.export_records())
    return _download(data, "text/csv; charset=utf-8", "units.csv")


@bp.get("/units/export.xlsx")
@staff_required
def export_xlsx():
    """All units as an Excel workbook, parents before children."""
    data = transfer.export_xlsx(service.export_records(), _("Units"))
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(data, mimetype, "units.xlsx")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/units/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_upload():
    """Upload a unit file; it is read and kept for a preview, nothing is written yet."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        parsed = transfer.read_upload(upload.filename, upload.read())
        token = transfer.save_pending(
            service.pending_folder(), current_user.id, upload.filename, parsed
        )
        return redirect(url_for("units.import_preview", token=token))
    page = render_template("units/import.html", form=form, labels=service.FIELD_LABELS)
    return page, 400 if form.errors else 200


def _pending_or_404(token: str) -> transfer.PendingImport:
    pending = transfer.load_pending(service.pending_folder(), token, current_user.id)
    if pending is None:
        abort(404)  # unknown, malformed, or someone else's upload
    return pending


@bp.get("/units/import/<token>")
@roles_required(Role.ADMIN)
def import_preview(token: str):
    """What the uploaded file would change, row by row, with every reason to refuse it."""
    pending = _pending_or_404(token)
    plan = service.plan_import(pending.parsed)
    return _preview(pending, plan)


def _preview(pending: transfer.PendingImport, plan, status: int = 200):
    return render_template(
        "units/preview.html",
        pending=pending,
        plan=plan,
        describe=service.describe,
        form=ConfirmForm(formdata=None),
    ), status


@bp.post("/units/import/<token>")
@roles_required(Role.ADMIN)
def import_commit(token: str):
    """Write the whole file or nothing, checked again against the tree as it is now."""
    pending = _pending_or_404(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        plan = service.apply_import(pending.parsed)
        db.session.commit()
    except service.ImportRefused as refused:
        # The tree changed since the preview, or the form was posted without one: show why.
        db.session.rollback()
        return _preview(pending, refused.plan, 409)
    except IntegrityError:
        # Someone changed the tree between the check and the write.
        db.session.rollback()
        flash(_("The tree changed while importing; nothing was changed. Check again."), "error")
        return redirect(url_for("units.import_preview", token=token))
    transfer.discard_pending(service.pending_folder(), token)
    flash(
        _(
            "Import done. Units created: %(created)d; units updated: %(updated)d.",
            created=plan.count(rules.CREATE),
            updated=plan.count(rules.UPDATE),
        ),
        "success",
    )
    return redirect(url_for("units.tree"))
