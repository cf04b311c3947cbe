"""Leaderboards read from the database: a round's ranking, the contest's standings, the unit table.

The rules themselves are pure (online/ranking.py, online/units_table.py); this module only
gathers their inputs. A round ranks each person's counted attempt among the submitted attempts
nobody disqualified, measured against the round's real figure: the one fixed when the round was
closed, or, before that, the figure so far (provisional: it can still grow).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from contest.database import utcnow
from contest.extensions import db
from contest.units.models import Unit
from online import ranking, units_table
from online.models import (
    Attempt,
    AttemptQuestion,
    Award,
    OnlineContest,
    Participant,
    Prediction,
    Round,
)
from online.phones import mask

DEFAULT_TOP = 100
TOP_MAX = 1000


# ---- the real figure ----------------------------------------------------------------------------


def measured_figure(round_: Round) -> int | None:
    """What the prediction question asked about, counted now over the submitted attempts.

    Every submitted attempt counts, disqualified or not: the figure describes what happened in
    the round, and a later disqualification must not move everybody's prediction error.
    """
    submitted = (Attempt.round_id == round_.id, Attempt.submitted_at.is_not(None))
    if round_.prediction == Prediction.ATTEMPTS.value:
        return db.session.scalar(select(func.count()).select_from(Attempt).where(*submitted))
    if round_.prediction == Prediction.ALL_CORRECT.value:
        asked = (
            select(func.count())
            .where(AttemptQuestion.attempt_id == Attempt.id)
            .correlate(Attempt)
            .scalar_subquery()
        )
        return db.session.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(*submitted, asked > 0, Attempt.correct == asked)
        )
    return None


def figure(round_: Round) -> tuple[int | None, bool]:
    """The figure predictions are measured against, and whether it is final."""
    if round_.prediction == Prediction.NONE.value:
        return None, True
    if round_.closed_at is not None and round_.actual is not None:
        return round_.actual, True
    return measured_figure(round_), False


# ---- a round ------------------------------------------------------------------------------------


@dataclass
class RoundRanking:
    """A round's ranking; `attempt_of` maps a participant to their counted attempt."""

    round_id: int
    actual: int | None
    final: bool
    ranked: list[ranking.Ranked]
    attempt_of: dict[int, int]
    _index: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {placed.participant_id: i for i, placed in enumerate(self.ranked)}

    def find(self, participant_id: int) -> ranking.Ranked | None:
        index = self._index.get(participant_id)
        return None if index is None else self.ranked[index]


def round_entries(round_: Round) -> tuple[list[ranking.Entry], dict[int, int]]:
    """Each participant's counted attempt, and the attempt id behind each participant's entry."""
    rows = db.session.execute(
        select(
            Attempt.id,
            Attempt.participant_id,
            Attempt.score,
            Attempt.prediction,
            Attempt.time_taken_ms,
            Attempt.submitted_at,
        )
        .where(
            Attempt.round_id == round_.id,
            Attempt.submitted_at.is_not(None),
            Attempt.disqualified.is_(None),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    ).all()
    entries, attempt_by_entry = [], {}
    for attempt_id, participant_id, score, prediction, taken_ms, submitted_at in rows:
        entry = ranking.Entry(participant_id, score or 0.0, prediction, taken_ms or 0, submitted_at)
        entries.append(entry)
        attempt_by_entry[id(entry)] = attempt_id
    counted = ranking.counted_entries(entries, round_.counted)
    # counted_entries hands back the very Entry objects it was given, so identity finds them.
    return counted, {entry.participant_id: attempt_by_entry[id(entry)] for entry in counted}


def round_ranking(round_: Round) -> RoundRanking:
    """The round's ranking by the published rule, with the final or the provisional figure."""
    actual, final = figure(round_)
    counted, attempt_of = round_entries(round_)
    return RoundRanking(round_.id, actual, final, ranking.rank_round(counted, actual), attempt_of)


# ---- the contest --------------------------------------------------------------------------------


@dataclass
class ContestStandings:
    standings: list[ranking.Standing]
    rounds: list[Round]  # the rounds counted: those that have opened
    final: bool  # every counted round is closed with its figure fixed
    _index: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {s.participant_id: i for i, s in enumerate(self.standings)}

    def find(self, participant_id: int) -> ranking.Standing | None:
        index = self._index.get(participant_id)
        return None if index is None else self.standings[index]


def contest_standings(contest: OnlineContest, now: datetime | None = None) -> ContestStandings:
    """Standings over every round that has opened, by the contest's setting (sum or best)."""
    now = now or utcnow()
    rounds = [round_ for round_ in contest.rounds if round_.opens_at <= now]
    results = [round_ranking(round_) for round_ in rounds]
    standings = ranking.overall([result.ranked for result in results], contest.standings)
    final = all(
        result.final and round_.closed_at for result, round_ in zip(results, rounds, strict=True)
    )
    return ContestStandings(standings, rounds, bool(rounds) and final)


# ---- who is on a line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """What a public list may show of a participant: never the phone in full, never an ID."""

    id: int
    full_name: str
    unit: str
    phone: str  # masked
    is_staff: bool


def people(participant_ids: Iterable[int]) -> dict[int, Person]:
    """The named participants, loaded in one query with their units."""
    ids = list(set(participant_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Participant.id,
            Participant.full_name,
            Participant.phone,
            Participant.is_staff,
            Unit.name,
        )
        .outerjoin(Unit, Unit.id == Participant.unit_id)
        .where(Participant.id.in_(ids))
    ).all()
    found = {}
    for participant_id, name, phone, is_staff, unit_name in rows:
        try:
            masked = mask(phone) if phone else ""
        except ValueError:
            masked = ""
        found[participant_id] = Person(participant_id, name, unit_name or "", masked, is_staff)
    return found


def top_size(text: str | None) -> int:
    """The `n` of "top n" from a query string: a whole number from 10 to 1000, else 100."""
    try:
        value = int(text or DEFAULT_TOP)
    except ValueError:
        return DEFAULT_TOP
    return min(max(value, 10), TOP_MAX)


# ---- the unit table -----------------------------------------------------------------------------


def tree() -> list[units_table.Unit]:
    rows = db.session.execute(select(Unit.id, Unit.parent_id, Unit.name, Unit.headcount)).all()
    return [units_table.Unit(*row) for row in rows]


def depth_choices(units: Sequence[units_table.Unit]) -> list[tuple[int, list[str]]]:
    """The levels of the tree, each with a few of the kinds of unit found there (for the picker)."""
    kinds = dict(db.session.execute(select(Unit.id, Unit.kind)).all())
    levels: dict[int, list[str]] = {}
    for unit_id, depth in units_table.depths(units).items():
        names = levels.setdefault(depth, [])
        kind = kinds.get(unit_id) or ""
        if kind and kind not in names:
            names.append(kind)
    return [(depth, names[:3]) for depth, names in sorted(levels.items())]


def participant_rows(
    contest_id: int,
    round_ids: Sequence[int],
    scores: dict[int, float],
    winners: set[int],
) -> list[units_table.ParticipantRow]:
    """One row per registered person: submitted attempts (not disqualified) in those rounds,
    the score that ranks them, and whether they won a prize."""
    attempts = dict(
        db.session.execute(
            select(Attempt.participant_id, func.count())
            .where(
                Attempt.round_id.in_(list(round_ids) or [-1]),
                Attempt.submitted_at.is_not(None),
                Attempt.disqualified.is_(None),
            )
            .group_by(Attempt.participant_id)
        ).all()
    )
    people_units = db.session.execute(
        select(Participant.id, Participant.unit_id).where(Participant.contest_id == contest_id)
    ).all()
    return [
        units_table.ParticipantRow(
            unit_id, attempts.get(pid, 0), scores.get(pid), is_winner=pid in winners
        )
        for pid, unit_id in people_units
    ]


def unit_table(
    contest_id: int,
    round_ids: Sequence[int],
    scores: dict[int, float],
    winners: set[int],
    depth: int,
) -> list[units_table.TableRow]:
    """The unit table at `depth` (1 = top units), each unit's figures rolled up its subtree."""
    rows = participant_rows(contest_id, round_ids, scores, winners)
    return units_table.table(tree(), rows, depth)


def published_winners(round_ids: Sequence[int]) -> set[int]:
    """People with a published individual prize in these rounds."""
    return set(
        db.session.scalars(
            select(Award.participant_id).where(
                Award.round_id.in_(list(round_ids) or [-1]), Award.participant_id.is_not(None)
            )
        )
    )


def scores_of(result: RoundRanking | ContestStandings) -> dict[int, float]:
    if isinstance(result, RoundRanking):
        return {placed.participant_id: placed.entry.score for placed in result.ranked}
    return {standing.participant_id: standing.score for standing in result.standings}


def depth_from(text: str | None, choices: Sequence[tuple[int, list[str]]]) -> int:
    """The `cap` chosen in the query string, if the tree has that level; else the first level."""
    levels = [depth for depth, _kinds in choices]
    try:
        value = int(text or 0)
    except ValueError:
        value = 0
    return value if value in levels else (levels[0] if levels else 1)
