"""Pure rules of the unit tree: tidy text, nest units, and plan an import. No Flask, no database."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from contest.text import clean_line

CODE_MAX = 50
NAME_MAX = 255
KIND_MAX = 100
HEADCOUNT_MAX = 2_147_483_647  # the database INTEGER; more would fail on write, not here
CODE_PUNCTUATION = "._-"

COLUMNS = ("code", "name", "parent_code", "kind", "headcount")
REQUIRED_COLUMNS = ("code", "name")

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def code_problem(code: str) -> str | None:
    """The issue code for a bad unit code, or None; `code` is already cleaned."""
    if not code:
        return "code_missing"
    if len(code) > CODE_MAX:
        return "code_too_long"
    if not all(ch.isalnum() or ch in CODE_PUNCTUATION for ch in code):
        return "code_invalid"
    return None


# Vietnamese group thousands with a dot ("1.200"), some tools with a space ("1 200").
_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[. ])[0-9]{3}(?:(?P=sep)[0-9]{3})*")
# "1200.0" is how a spreadsheet number sometimes reaches a CSV; the fraction is empty.
_ZERO_FRACTION = re.compile(r"(?P<whole>[0-9]+)\.0+")


def parse_headcount(value: Any) -> tuple[int | None, str | None]:
    """(number or None when blank, None) or (None, issue code) for a headcount cell."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, "headcount_invalid"
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, "headcount_invalid"
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = clean_line(value)
        if not text:
            return None, None
        negative = text.startswith("-")
        body = text[1:].strip() if negative else text
        if _PLAIN.fullmatch(body):
            number = int(body)
        elif _GROUPED.fullmatch(body):
            number = int(re.sub(r"[. ]", "", body))
        elif match := _ZERO_FRACTION.fullmatch(body):
            number = int(match["whole"])
        else:
            return None, "headcount_invalid"
        number = -number if negative else number
    if number < 0:
        return None, "headcount_negative"
    if number > HEADCOUNT_MAX:
        return None, "headcount_too_large"
    return number, None


# ---- the tree ---------------------------------------------------------------------------------


@dataclass
class Node:
    unit: Any
    children: list[Node] = field(default_factory=list)


def build_tree(units: Iterable[Any]) -> list[Node]:
    """Nest units (anything with .id and .parent_id) under their parents, in the given order."""
    nodes = {unit.id: Node(unit) for unit in units}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def walk(nodes: Sequence[Node], depth: int = 0) -> Iterator[tuple[Node, int]]:
    """Every node with its depth, parents before their children (the order of an export file)."""
    for node in nodes:
        yield node, depth
        yield from walk(node.children, depth + 1)


def descendant_ids(parent_of: Mapping[int, int | None], root_id: int) -> set[int]:
    """Ids of every unit below `root_id`; `parent_of` maps each unit id to its parent id."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parent_of.items():
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = list(children.get(root_id, []))
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return found


def ancestor_ids(parent_of: Mapping[int, int | None], unit_id: int) -> list[int]:
    """Ids from the top of the tree down to `unit_id`'s parent."""
    chain: list[int] = []
    current = parent_of.get(unit_id)
    while current is not None and current not in chain and current != unit_id:
        chain.append(current)
        current = parent_of.get(current)
    return chain[::-1]


# ---- import planning --------------------------------------------------------------------------


class UnitValues(NamedTuple):
    """What an import can set on a unit; parent_code "" is the top of the tree."""

    name: str
    parent_code: str
    kind: str
    headcount: int | None


@dataclass(frozen=True)
class UnitRow:
    """One data row as read from a file; `row` is the row number the user sees (header = 1)."""

    row: int
    code: Any = ""
    name: Any = ""
    parent_code: Any = ""
    kind: Any = ""
    headcount: Any = None


@dataclass
class ImportIssue:
    """Why a row (or, with row 1 and no field, the whole file) is refused."""

    row: int
    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlannedRow:
    row: int
    code: str
    values: UnitValues
    headcount_text: str
    status: str = ""
    issues: list[ImportIssue] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    file_issues: list[ImportIssue]
    # Creates and updates, parents before children; empty when the file is refused.
    writes: list[PlannedRow]

    @property
    def issues(self) -> list[ImportIssue]:
        return self.file_issues + [issue for row in self.rows for issue in row.issues]

    @property
    def ok(self) -> bool:
        return not self.issues

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status and not row.issues)


def plan_import(
    rows: Sequence[UnitRow],
    existing: Mapping[str, tuple],
    columns: Sequence[str] = COLUMNS,
    file_issues: Sequence[ImportIssue] = (),
) -> ImportPlan:
    """Check every row against the file and the tree (`existing`: code -> UnitValues).

    Columns missing from the file keep the current values of existing units. Nothing is written:
    the plan says what would be created, updated or left, and every reason to refuse the file.
    """
    existing = {code: _values(*values) for code, values in existing.items()}
    planned = [_check_row(raw, existing.get(clean_line(raw.code)), columns) for raw in rows]

    first_row: dict[str, int] = {}
    for row in planned:
        if not row.code:
            continue
        if row.code in first_row:
            params = {"code": row.code, "first_row": first_row[row.code]}
            row.issues.append(ImportIssue(row.row, "code", "code_duplicate", params))
        else:
            first_row[row.code] = row.row
    in_file = {row.code: row for row in planned if row.code and first_row[row.code] == row.row}

    # The tree as it would be: existing units with the file's rows laid over them.
    parent_of = {code: values.parent_code for code, values in existing.items()}
    parent_of.update({code: row.values.parent_code for code, row in in_file.items()})

    for row in planned:
        parent = row.values.parent_code
        if not parent:
            continue
        if parent == row.code:
            issue = ImportIssue(row.row, "parent_code", "parent_self", {"code": parent})
        elif parent not in parent_of:
            issue = ImportIssue(row.row, "parent_code", "parent_missing", {"parent": parent})
        else:
            continue
        row.issues.append(issue)

    for code, cycle in _cycles(parent_of).items():
        row = in_file.get(code)
        if row is not None and len(cycle) > 1:
            at = cycle.index(code)
            path = " → ".join(cycle[at:] + cycle[: at + 1])
            row.issues.append(ImportIssue(row.row, "parent_code", "cycle", {"path": path}))

    for row in planned:
        row.issues.sort(key=lambda issue: COLUMNS.index(issue.field))
    plan = ImportPlan(planned, list(file_issues), writes=[])
    if plan.ok:
        depth = _depths(parent_of)
        changed = [row for row in in_file.values() if row.status in (CREATE, UPDATE)]
        plan.writes = sorted(changed, key=lambda row: (depth[row.code], row.row))
    return plan


def _values(name: str, parent_code: str | None, kind: str | None, headcount: int | None):
    return UnitValues(name, parent_code or "", kind or "", headcount)


def _check_row(raw: UnitRow, old: UnitValues | None, columns: Sequence[str]) -> PlannedRow:
    code = clean_line(raw.code)
    name = clean_line(raw.name)
    parent = clean_line(raw.parent_code) if "parent_code" in columns else (old and old.parent_code)
    kind = clean_line(raw.kind) if "kind" in columns else (old and old.kind)
    if "headcount" in columns:
        headcount, headcount_problem = parse_headcount(raw.headcount)
        shown = "" if raw.headcount is None else clean_line(raw.headcount)
    else:
        headcount, headcount_problem = (old.headcount if old else None), None
        shown = "" if headcount is None else str(headcount)
    values = UnitValues(name, parent or "", kind or "", headcount)
    row = PlannedRow(raw.row, code, values, shown)

    def issue(field_name: str, code_: str, **params: Any) -> None:
        row.issues.append(ImportIssue(raw.row, field_name, code_, params))

    if problem := code_problem(code):
        issue("code", problem, code=code, max=CODE_MAX)
    if not name:
        issue("name", "name_missing")
    elif len(name) > NAME_MAX:
        issue("name", "name_too_long", max=NAME_MAX)
    if len(values.kind) > KIND_MAX:
        issue("kind", "kind_too_long", max=KIND_MAX)
    if headcount_problem:
        issue("headcount", headcount_problem, value=shown)

    if code:
        row.status = CREATE if old is None else (UNCHANGED if values == old else UPDATE)
    return row


def _cycles(parent_of: Mapping[str, str]) -> dict[str, list[str]]:
    """Each code that lies on a loop of parents, with the loop from the top of its walk."""
    on_cycle: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        seen_at: dict[str, int] = {}
        node = start
        while node and node in parent_of and node not in done:
            if node in seen_at:
                cycle = path[seen_at[node] :]
                for member in cycle:
                    on_cycle[member] = cycle
                break
            seen_at[node] = len(path)
            path.append(node)
            node = parent_of[node]
        done.update(path)
    return on_cycle


def _depths(parent_of: Mapping[str, str]) -> dict[str, int]:
    """Distance from the top; a loop (already refused) stops the walk rather than hanging it."""
    depth: dict[str, int] = {}
    for start in parent_of:
        chain: list[str] = []
        code = start
        while code in parent_of and code not in depth and code not in chain:
            chain.append(code)
            code = parent_of[code]
        base = depth.get(code, -1)
        for member in reversed(chain):
            base += 1
            depth[member] = base
    return depth
