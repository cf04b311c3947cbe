"""Who wins which prize: individual tiers down the ranking, and collective prizes for units.

The tie rule, as Vietnamese contests usually apply it: the published ranking (points,
prediction, time to the millisecond, submission time) separates practically everyone, and
people it cannot separate are treated alike — all of them receive the higher prize, and the
tiers below give out as many fewer. For tiers 1 / 2 / 5 / 8, if three people are tied exactly
at the 3rd place (the last Giải Nhì), all three get Giải Nhì and Giải Ba has 4 places instead
of 5. A tie that overflows a tier can empty the next one, and the next. Only at the very end
does a tie add prizes: everyone tied at the last place of the last tier receives it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Protocol

from online.ranking import DuplicateParticipant, ParticipantId
from online.units_table import TableRow, name_key

PARTICIPANTS, ATTEMPTS, RATE, WINNERS = "participants", "attempts", "rate", "winners"
COLLECTIVE_KINDS = (PARTICIPANTS, ATTEMPTS, RATE, WINNERS)


class Placed(Protocol):
    """A place in a ranking: a round's `Ranked` or the contest's `Standing`."""

    @property
    def rank(self) -> int: ...

    @property
    def participant_id(self) -> ParticipantId: ...


@dataclass(frozen=True)
class Tier:
    """A prize and how many of it, e.g. Tier("Giải Nhì", 2)."""

    name: str
    count: int

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count", self.name, self.count)


@dataclass(frozen=True)
class Award:
    """A prize given to a participant; `placed` is the ranking line it was given for."""

    tier: str
    participant_id: ParticipantId
    rank: int
    placed: Placed


def allocate(
    ranked: Iterable[Placed], tiers: Sequence[Tier], excluded: Iterable[ParticipantId] = ()
) -> list[Award]:
    """Give the tiers, best first, down the ranking; see the module docstring for ties.

    `excluded` are people who may not win (disqualified, ineligible, organisers): they keep
    their place in the published ranking but are stepped over, and their prize goes to the next
    person down. Awards come in ranking order and keep the ranking's own rank.
    """
    ranked = sorted(ranked, key=lambda placed: placed.rank)
    seen: set[ParticipantId] = set()
    for placed in ranked:
        if placed.participant_id in seen:
            raise DuplicateParticipant(placed.participant_id)
        seen.add(placed.participant_id)
    excluded = set(excluded)
    eligible = [placed for placed in ranked if placed.participant_id not in excluded]

    # One slot per prize, best first: a group of tied people takes the tier of its first slot
    # and uses up as many slots as it has people.
    slots = [tier.name for tier in tiers for _ in range(tier.count)]
    awards: list[Award] = []
    position = 0
    for rank, group in groupby(eligible, key=lambda placed: placed.rank):
        if position >= len(slots):
            break
        tier = slots[position]
        tied = list(group)
        awards.extend(Award(tier, placed.participant_id, rank, placed) for placed in tied)
        position += len(tied)
    return awards


def collective(units_rows: Iterable[TableRow], kind: str, count: int) -> list[TableRow]:
    """The `count` units that win a collective prize of `kind`, best first.

    Kinds: most participants, most attempts, highest participation rate, most winners — over
    each unit's subtree. Ties go to the other figures in that order (so among equal rates the
    larger unit wins), then to the name in Vietnamese order: the list is always decided. A unit
    with nothing to show for the kind (no participant; no headcount for the rate) wins nothing.
    """
    if kind not in COLLECTIVE_KINDS:
        raise ValueError("kind", kind)
    if count < 0:
        raise ValueError("count", count)
    order = (kind, *(other for other in COLLECTIVE_KINDS if other != kind))
    candidates = [row for row in units_rows if _figure(row, kind)]
    candidates.sort(key=lambda row: _collective_key(row, order))
    return candidates[:count]


def _collective_key(row: TableRow, order: Sequence[str]) -> tuple:
    figures = tuple(_descending(_figure(row, kind)) for kind in order)
    return (figures, name_key(row.unit.name))


def _figure(row: TableRow, kind: str) -> float | None:
    totals = row.subtree
    return {
        PARTICIPANTS: totals.participants,
        ATTEMPTS: totals.attempts,
        RATE: totals.rate,
        WINNERS: totals.winners,
    }[kind]


def _descending(value: float | None) -> tuple[int, float]:
    return (1, 0.0) if value is None else (0, -value)
