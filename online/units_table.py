"""The unit table published after each round: who took part, unit by unit, rolled up the tree.

A province wants its districts' figures, a district its communes'; so every unit gets its own
figures (people attached to it directly) and its subtree's (itself and every unit below), and
the table shows the units at one depth of the tree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

UnitId = Hashable


class UnknownUnit(ValueError):
    """A participant row names a unit that is not in the tree."""

    def __init__(self, unit_id: UnitId) -> None:
        super().__init__(unit_id)
        self.unit_id = unit_id


class UnitCycle(ValueError):
    """The parents of a unit lead into a loop; the unit rules refuse such a tree on import."""

    def __init__(self, unit_id: UnitId) -> None:
        super().__init__(unit_id)
        self.unit_id = unit_id


@dataclass(frozen=True)
class Unit:
    """A unit of the tree; a parent not in the tree makes the unit a top unit."""

    id: UnitId
    parent_id: UnitId | None
    name: str
    headcount: int | None = None


@dataclass(frozen=True)
class ParticipantRow:
    """One participant's round: how many attempts, the counted score, and whether they won."""

    unit_id: UnitId | None
    attempts: int
    best_score: float | None
    is_winner: bool = False


@dataclass(frozen=True)
class Totals:
    """Figures for a set of participants.

    `registered` counts every row, `participants` only those with at least one attempt.
    `rate` is participants / headcount, None without a headcount (or with a headcount of 0).
    `average_score` is over the participants with a score, None when there is none.
    """

    registered: int
    participants: int
    attempts: int
    winners: int
    score_sum: float
    scored: int
    headcount: int | None

    @property
    def rate(self) -> float | None:
        return self.participants / self.headcount if self.headcount else None

    @property
    def average_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None


@dataclass(frozen=True)
class TableRow:
    """One unit of the table: `depth` 1 is a top unit."""

    unit: Unit
    depth: int
    own: Totals
    subtree: Totals


def table(units: Iterable[Unit], rows: Iterable[ParticipantRow], depth: int) -> list[TableRow]:
    """The units at `depth` (1 = top), most participants (subtree) first, then by name.

    A unit's headcount is read as the size of the whole unit, children included (how an
    organisation reports its members), so it is the denominator of the subtree's rate. A unit
    without one borrows the sum of its children's when every child has one. The own figures of
    a unit with children have no rate: nobody states how many people belong to it directly.
    Rows with no unit are left out; a row naming an unknown unit raises UnknownUnit.
    """
    return _sorted_at(all_rows(units, rows), depth)


def table_from_totals(
    units: Iterable[Unit], own: Mapping[UnitId, Totals], depth: int
) -> list[TableRow]:
    """`table`, from each unit's own figures already added up (a ranking snapshot's tallies).
    Figures of units no longer in the tree are left out."""
    return _sorted_at(rolled_up(units, own), depth)


def _sorted_at(rows: Iterable[TableRow], depth: int) -> list[TableRow]:
    if depth < 1:
        raise ValueError("depth", depth)
    return sorted(
        (row for row in rows if row.depth == depth),
        key=lambda row: (-row.subtree.participants, name_key(row.unit.name)),
    )


def all_rows(units: Iterable[Unit], rows: Iterable[ParticipantRow]) -> list[TableRow]:
    """Every unit's row, depth first: each unit, then its children in the order given."""
    units = list(units)
    own_rows: dict[UnitId, list[ParticipantRow]] = {unit.id: [] for unit in units}
    for row in rows:
        if row.unit_id is None:
            continue
        if row.unit_id not in own_rows:
            raise UnknownUnit(row.unit_id)
        own_rows[row.unit_id].append(row)
    return rolled_up(units, {unit_id: _totals(own, None) for unit_id, own in own_rows.items()})


def rolled_up(units: Iterable[Unit], own: Mapping[UnitId, Totals]) -> list[TableRow]:
    """Every unit's row, depth first, each with its own figures and its subtree's.

    `own` holds the figures of people attached to each unit directly, without headcounts: the
    tree's headcounts are applied here."""
    units = list(units)
    by_id = {unit.id: unit for unit in units}
    children: dict[UnitId, list[Unit]] = {unit.id: [] for unit in units}
    tops: list[Unit] = []
    for unit in units:
        if unit.parent_id in by_id:
            children[unit.parent_id].append(unit)
        else:
            tops.append(unit)

    # Parents before children (a stack walk, so a deep tree cannot exhaust the recursion limit);
    # walked backwards, every unit comes after its children and can add them up.
    order: list[tuple[Unit, int]] = []
    stack = [(top, 1) for top in reversed(tops)]
    while stack:
        unit, level = stack.pop()
        order.append((unit, level))
        stack.extend((child, level + 1) for child in reversed(children[unit.id]))
    if len(order) < len(units):
        placed = {unit.id for unit, _ in order}
        raise UnitCycle(next(unit.id for unit in units if unit.id not in placed))

    own_of: dict[UnitId, Totals] = {}
    subtree_of: dict[UnitId, Totals] = {}
    for unit, _ in reversed(order):
        kids = [subtree_of[child.id] for child in children[unit.id]]
        figures = own.get(unit.id, _NOBODY)
        if not kids and unit.headcount is not None:
            figures = _combine([figures], unit.headcount)  # the same figures, with a headcount
        headcount = unit.headcount
        if headcount is None and kids and all(kid.headcount is not None for kid in kids):
            headcount = sum(kid.headcount or 0 for kid in kids)
        own_of[unit.id] = figures
        subtree_of[unit.id] = _combine([figures, *kids], headcount) if kids else figures
    return [TableRow(unit, level, own_of[unit.id], subtree_of[unit.id]) for unit, level in order]


def _totals(rows: Sequence[ParticipantRow], headcount: int | None) -> Totals:
    scores = [row.best_score for row in rows if row.attempts > 0 and row.best_score is not None]
    return Totals(
        registered=len(rows),
        participants=sum(1 for row in rows if row.attempts > 0),
        attempts=sum(row.attempts for row in rows),
        winners=sum(1 for row in rows if row.is_winner),
        score_sum=math.fsum(scores),
        scored=len(scores),
        headcount=headcount,
    )


_NOBODY = Totals(0, 0, 0, 0, 0.0, 0, None)


def _combine(parts: Sequence[Totals], headcount: int | None) -> Totals:
    registered = participants = attempts = winners = scored = 0
    for part in parts:  # one pass: thousands of units are added up per page view
        registered += part.registered
        participants += part.participants
        attempts += part.attempts
        winners += part.winners
        scored += part.scored
    # fsum is exact, so a unit's total does not depend on the order its children come in.
    score_sum = math.fsum(part.score_sum for part in parts)
    return Totals(registered, participants, attempts, winners, score_sum, scored, headcount)


def depths(units: Iterable[Unit]) -> dict[UnitId, int]:
    """Each unit's depth in the tree (1 = top), without adding anything up."""
    units = list(units)
    parent_of = {unit.id: unit.parent_id for unit in units}
    depth_of: dict[UnitId, int] = {}
    for unit in units:
        path, current = [], unit.id
        while current in parent_of and current not in depth_of:
            if current in path:
                raise UnitCycle(current)
            path.append(current)
            current = parent_of[current]
        depth = depth_of.get(current, 0)
        for unit_id in reversed(path):
            depth += 1
            depth_of[unit_id] = depth
    return depth_of


# ---- Vietnamese alphabetical order -------------------------------------------------------------

# a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư: the letter, then its shape mark.
_SHAPE = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
# Tones after the letters, in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_PIECES = re.compile(r"[0-9]+|.", re.DOTALL)


def name_key(name: str) -> tuple:
    """Sort key for Vietnamese names: "Đông" after "Dương", "Xã 2" before "Xã 10".

    Plain string order puts "Đ" after "Z" and "10" before "2", which no Vietnamese list does.
    Letters compare first, tones only between names equal in their letters, then the text.
    """
    letters: list[tuple[int, int | str, int]] = []
    tones: list[int] = []  # one per entry of `letters`
    for piece in _PIECES.findall(unicodedata.normalize("NFD", name.casefold())):
        if piece[0] in "0123456789":
            letters.append((0, int(piece), 0))
            tones.append(0)
        elif piece in _SHAPE and letters and letters[-1][0] == 1:
            kind, letter, shape = letters[-1]
            letters[-1] = (kind, letter, shape + _SHAPE[piece])
        elif piece in _TONE and tones:
            tones[-1] = _TONE[piece]
        else:
            letters.append((1, "d", 1) if piece == "đ" else (1, piece, 0))
            tones.append(0)
    return (tuple(letters), tuple(tones), name)
