"""Unit rules that touch the database: edit and move units, search, export, apply an import."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.extensions import db
from contest.text import clean_line, fold
from contest.units import rules, transfer
from contest.units.models import Unit
from contest.units.rules import ImportIssue, ImportPlan, Node, UnitValues


class UnitError(ValueError):
    """A change the rules refuse; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, problem: str, /, **params) -> None:
        self.field = field
        super().__init__(message(problem, params))


# ---- reading ----------------------------------------------------------------------------------


def by_name(units) -> list[Unit]:
    """Sorted by name with accents ignored, then code: the database would put "Đ" after "Z"."""
    return sorted(units, key=lambda unit: (fold(unit.name), unit.code))


def all_units() -> list[Unit]:
    """Every unit, sorted by name."""
    return by_name(db.session.scalars(select(Unit)).all())


def unit_tree(units: list[Unit] | None = None) -> list[Node]:
    """The whole tree, siblings sorted by name."""
    return rules.build_tree(units if units is not None else all_units())


def paths(units: list[Unit]) -> dict[int, list[Unit]]:
    """For each unit id, its ancestors from the top of the tree down."""
    by_id = {unit.id: unit for unit in units}
    parent_of = {unit.id: unit.parent_id for unit in units}
    return {uid: [by_id[a] for a in rules.ancestor_ids(parent_of, uid)] for uid in by_id}


def path_label(ancestors: list[Unit], unit: Unit) -> str:
    """'Tỉnh ủy › Huyện ủy › Chi bộ 1'."""
    return " › ".join([ancestor.name for ancestor in ancestors] + [unit.name])


def search_units(query: str, limit: int = 200) -> list[Unit]:
    """Units whose code or name contain every word of `query`, ignoring case and accents."""
    words = fold(query).split()
    if not words:
        return []
    statement = select(Unit)
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(Unit.search_text.like(f"%{escaped}%", escape="\\"))
    return by_name(db.session.scalars(statement.limit(limit)).all())


def descendant_ids(unit: Unit) -> set[int]:
    parent_of = {uid: parent for uid, parent in db.session.execute(select(Unit.id, Unit.parent_id))}
    return rules.descendant_ids(parent_of, unit.id)


# ---- writing ----------------------------------------------------------------------------------


def create_unit(code, name, parent_id=None, kind="", headcount=None) -> Unit:
    """Add a unit; the caller commits."""
    unit = Unit()
    _fill(unit, code, name, parent_id, kind, headcount)
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(unit: Unit, code, name, parent_id=None, kind="", headcount=None) -> None:
    """Change a unit's details, its parent included; the caller commits."""
    _fill(unit, code, name, parent_id, kind, headcount)
    db.session.flush()


def move_unit(unit: Unit, parent_id: int | None) -> None:
    """Put a unit (with everything below it) under another parent, or at the top."""
    if parent_id is not None:
        if parent_id == unit.id or parent_id in descendant_ids(unit):
            raise UnitError("parent", "move_into_own_branch")
        if db.session.get(Unit, parent_id) is None:
            raise UnitError("parent", "parent_gone")
    unit.parent_id = parent_id


def delete_unit(unit: Unit) -> None:
    """Remove a unit that has nothing below it."""
    if db.session.scalar(select(Unit.id).where(Unit.parent_id == unit.id).limit(1)):
        raise UnitError("", "delete_has_children")
    db.session.delete(unit)
    db.session.flush()


def _fill(unit: Unit, code, name, parent_id, kind, headcount) -> None:
    code, name, kind = clean_line(code), clean_line(name), clean_line(kind)
    if problem := rules.code_problem(code):
        raise UnitError("code", problem, code=code, max=rules.CODE_MAX)
    taken = db.session.scalar(select(Unit.id).where(Unit.code == code))
    if taken is not None and taken != unit.id:
        raise UnitError("code", "code_taken", code=code)
    if not name:
        raise UnitError("name", "name_missing")
    if len(name) > rules.NAME_MAX:
        raise UnitError("name", "name_too_long", max=rules.NAME_MAX)
    if len(kind) > rules.KIND_MAX:
        raise UnitError("kind", "kind_too_long", max=rules.KIND_MAX)
    if headcount is not None and headcount < 0:
        raise UnitError("headcount", "headcount_negative")
    if headcount is not None and headcount > rules.HEADCOUNT_MAX:
        raise UnitError("headcount", "headcount_too_large")
    if unit.id is None:
        if parent_id is not None and db.session.get(Unit, parent_id) is None:
            raise UnitError("parent", "parent_gone")
        unit.parent_id = parent_id
    elif parent_id != unit.parent_id:
        move_unit(unit, parent_id)
    unit.code, unit.name, unit.kind, unit.headcount = code, name, kind, headcount


# ---- import and export ------------------------------------------------------------------------


def existing_values() -> dict[str, UnitValues]:
    """Every unit in the database as the import planner sees it: code -> values."""
    units = db.session.scalars(select(Unit)).all()
    code_of = {unit.id: unit.code for unit in units}
    return {
        unit.code: UnitValues(unit.name, code_of.get(unit.parent_id, ""), unit.kind, unit.headcount)
        for unit in units
    }


def plan_import(parsed: transfer.ParsedFile) -> ImportPlan:
    """What committing this file would do to the tree as it is now."""
    return rules.plan_import(parsed.rows, existing_values(), parsed.columns, parsed.issues)


class ImportRefused(Exception):
    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("import refused")
        self.plan = plan


def apply_import(parsed: transfer.ParsedFile) -> ImportPlan:
    """Write every create and update of the file, or nothing: the plan is made again against the
    database as it is now, and any issue refuses the whole file. The caller commits."""
    plan = plan_import(parsed)
    if not plan.ok:
        raise ImportRefused(plan)
    by_code = {unit.code: unit for unit in db.session.scalars(select(Unit)).all()}
    for row in plan.writes:  # parents first, so a new parent exists before its children
        unit = by_code.get(row.code)
        if unit is None:
            unit = by_code[row.code] = Unit(code=row.code)
            db.session.add(unit)
        values = row.values
        unit.parent = by_code.get(values.parent_code)
        unit.name, unit.kind, unit.headcount = values.name, values.kind, values.headcount
    db.session.flush()
    return plan


def export_records() -> list[transfer.Record]:
    """All units as file rows, parents before children, so the file re-imports as it is."""
    units = all_units()
    code_of = {unit.id: unit.code for unit in units}
    return [
        (n.unit.code, n.unit.name, code_of.get(n.unit.parent_id, ""), n.unit.kind, n.unit.headcount)
        for n, _depth in rules.walk(unit_tree(units))
    ]


def pending_folder() -> Path:
    """Where uploads wait for their commit (configurable, so tests keep instance/ clean)."""
    configured = current_app.config.get("UNIT_IMPORT_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


# ---- messages ---------------------------------------------------------------------------------

# Each label, in either language, is also accepted as a column header (see transfer.ALIASES).
FIELD_LABELS = {
    "code": _l("Unit code"),
    "name": _l("Unit name"),
    "parent_code": _l("Parent unit code"),
    "kind": _l("Unit kind"),
    "headcount": _l("Headcount"),
}

MESSAGES = {
    "file_type": _l("Only .csv and .xlsx files can be imported."),
    "file_empty": _l("The file is empty."),
    "file_encoding": _l(
        "The file is not in UTF-8. In Excel, save it as “CSV UTF-8”, or upload the .xlsx file."
    ),
    "file_broken": _l("The file cannot be read: it is damaged or not really a CSV or XLSX file."),
    "file_no_rows": _l("The file has a header row but no units."),
    "file_too_many_rows": _l("The file has more than %(max)d rows; split it into smaller files."),
    "header_missing": _l("The first row must name the columns; missing: %(columns)s."),
    "header_duplicate": _l("The column “%(column)s” appears twice."),
    "code_missing": _l("The code is empty."),
    "code_too_long": _l("The code is longer than %(max)d characters."),
    "code_invalid": _l(
        "The code “%(code)s” may contain only letters, digits, dot, dash and underscore, "
        "without spaces."
    ),
    "code_duplicate": _l("The code “%(code)s” already appears in row %(first_row)d."),
    "code_taken": _l("Another unit already has the code “%(code)s”."),
    "name_missing": _l("The name is empty."),
    "name_too_long": _l("The name is longer than %(max)d characters."),
    "kind_too_long": _l("The kind is longer than %(max)d characters."),
    "parent_missing": _l("The parent unit “%(parent)s” is neither in the file nor in the tree."),
    "parent_self": _l("The unit “%(code)s” cannot be its own parent."),
    "parent_gone": _l("The chosen parent unit no longer exists."),
    "cycle": _l("These units would be each other's parents: %(path)s."),
    "move_into_own_branch": _l("A unit cannot be moved under itself or a unit below it."),
    "delete_has_children": _l("Only a unit with no units below it can be deleted."),
    "headcount_invalid": _l(
        "The headcount “%(value)s” is not a whole number (write 1200 or 1.200)."
    ),
    "headcount_negative": _l("The headcount cannot be negative."),
    "headcount_too_large": _l("The headcount is too large."),
}


def message(code: str, params: dict | None = None) -> str:
    """The translated sentence for an issue or error code."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    return str(template) % params if params and "%(" in str(template) else str(template)


def describe(issue: ImportIssue) -> str:
    """'Row 3, Parent unit code: …' in the reader's language."""
    params = dict(issue.params)
    if issue.code == "header_missing":
        # Name the columns as this page does; both those words and the export's work as headers.
        columns = str(params.get("columns", "")).split(", ")
        params["columns"] = ", ".join(f"“{FIELD_LABELS.get(c, c)}”" for c in columns)
    text = message(issue.code, params)
    if issue.field in FIELD_LABELS:
        return _(
            "Row %(row)d, %(field)s: %(message)s",
            row=issue.row,
            field=FIELD_LABELS[issue.field],
            message=text,
        )
    return _("Row %(row)d: %(message)s", row=issue.row, message=text)
