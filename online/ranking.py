"""The published ranking rule of an online round, and of a contest across rounds.

A round ranks by: most points → prediction closest to the real figure → shortest time taken →
earliest submission. These are the words of the usual "thể lệ", so the sort keys below follow
them one for one. Entries equal on every key share a place ("1, 2, 2, 4"): the rule cannot tell
them apart, and a published list must not pretend it can.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

ParticipantId = Hashable

BEST, FIRST = "best", "first"  # which attempt of a round counts
SUM = "sum"  # contest standings: the sum of the rounds (BEST: the best single round)


class DuplicateParticipant(ValueError):
    """A ranking that should hold one counted entry per participant holds two."""

    def __init__(self, participant_id: ParticipantId) -> None:
        super().__init__(participant_id)
        self.participant_id = participant_id


@dataclass(frozen=True)
class Entry:
    """One attempt as the ranking sees it; `prediction` is None when none was given."""

    participant_id: ParticipantId
    score: float
    prediction: int | None
    time_taken_ms: int
    submitted_at: datetime

    def __post_init__(self) -> None:
        # A NaN score would compare false with everything and scatter a sort silently.
        if not math.isfinite(self.score):
            raise ValueError("score", self.score)
        if self.time_taken_ms < 0:
            raise ValueError("time_taken_ms", self.time_taken_ms)


@dataclass(frozen=True)
class Ranked:
    """An entry with its place; `prediction_error` is None without a prediction or a figure."""

    rank: int
    entry: Entry
    prediction_error: int | None

    @property
    def participant_id(self) -> ParticipantId:
        return self.entry.participant_id


@dataclass(frozen=True)
class Standing:
    """A participant's place in the contest, with the figures that decided it.

    In "sum" mode: `score` is the sum of the rounds, `prediction_error` the sum of the known
    errors (None when there is none), `missing_predictions` the rounds with a real figure where
    the participant gave no prediction or did not take part, `time_taken_ms` the total and
    `submitted_at` the last submission. In "best" mode all of them are the best entry's, and
    `missing_predictions` is 1 when that entry has no prediction error.
    """

    rank: int
    participant_id: ParticipantId
    score: float
    rounds: int
    missing_predictions: int
    prediction_error: int | None
    time_taken_ms: int
    submitted_at: datetime


# ---- one round ---------------------------------------------------------------------------------


def prediction_error(entry: Entry, actual: int | None) -> int | None:
    """How far the prediction is from the real figure; None when either is missing."""
    if actual is None or entry.prediction is None:
        return None
    return abs(entry.prediction - actual)


def _closeness(error: int | None, separates: bool) -> tuple[int, int]:
    # Without a real figure (a round with no prediction question) predictions do not separate
    # anyone; with one, any prediction beats no prediction.
    if not separates:
        return (0, 0)
    return (1, 0) if error is None else (0, error)


def _round_key(entry: Entry, actual: int | None) -> tuple[Any, ...]:
    error = prediction_error(entry, actual)
    closeness = _closeness(error, actual is not None)
    return (-entry.score, closeness, entry.time_taken_ms, entry.submitted_at)


def _competition_ranks(keys: Sequence[Any]) -> list[int]:
    """Standard competition ranks for keys already in order: equal keys share the first place."""
    ranks: list[int] = []
    for index, key in enumerate(keys):
        tied = index > 0 and key == keys[index - 1]
        ranks.append(ranks[-1] if tied else index + 1)
    return ranks


def rank_round(entries: Iterable[Entry], actual: int | None) -> list[Ranked]:
    """The round's ranking; `actual` is the real figure the prediction question asked for.

    Give one counted entry per participant (see `counted_entries`). Entries tied on every key
    keep the order they were given in, and share a rank.
    """
    entries = list(entries)
    _refuse_duplicates(entry.participant_id for entry in entries)
    keyed = sorted(((_round_key(entry, actual), entry) for entry in entries), key=lambda p: p[0])
    ranks = _competition_ranks([key for key, _ in keyed])
    return [
        Ranked(rank, entry, prediction_error(entry, actual))
        for rank, (_, entry) in zip(ranks, keyed, strict=True)
    ]


def counted_attempt(attempts: Iterable[Entry], rule: str) -> Entry:
    """The attempt of one participant that counts in a round with several attempts.

    "best": the highest score, and among equal scores the earliest submitted — the prediction
    and the time of a later attempt with the same score do not replace the first one, so trying
    again only helps by scoring more (and the choice never waits for the real figure).
    "first": the first submitted, for rounds where only one attempt counts.
    """
    attempts = list(attempts)
    if not attempts:
        raise ValueError("attempts")
    if len({attempt.participant_id for attempt in attempts}) > 1:
        raise ValueError("participant_id")
    if rule == BEST:
        return min(attempts, key=lambda attempt: (-attempt.score, attempt.submitted_at))
    if rule == FIRST:
        return min(attempts, key=lambda attempt: attempt.submitted_at)
    raise ValueError("rule", rule)


def counted_entries(attempts: Iterable[Entry], rule: str) -> list[Entry]:
    """Every participant's counted attempt, in the order participants first appear."""
    by_participant: dict[ParticipantId, list[Entry]] = {}
    for attempt in attempts:
        by_participant.setdefault(attempt.participant_id, []).append(attempt)
    return [counted_attempt(own, rule) for own in by_participant.values()]


# ---- the contest across rounds -----------------------------------------------------------------


def overall(round_results: Sequence[Sequence[Ranked]], mode: str) -> list[Standing]:
    """Contest standings from each round's ranking (as `rank_round` returns it).

    "sum": most points over all rounds → fewest rounds without a prediction (a round with a
    real figure that the participant skipped counts as one: otherwise staying away would save
    prediction error) → smallest sum of prediction errors → least total time → earliest last
    submission.
    "best": each participant's best single entry, compared by the round rule; an entry with a
    prediction error ranks before one without, whichever round it came from.
    """
    for results in round_results:
        _refuse_duplicates(ranked.participant_id for ranked in results)
    if mode == SUM:
        standings = _sum_standings(round_results)
    elif mode == BEST:
        standings = _best_standings(round_results)
    else:
        raise ValueError("mode", mode)
    keyed = sorted(((_standing_key(s), s) for s in standings), key=lambda pair: pair[0])
    ranks = _competition_ranks([key for key, _ in keyed])
    return [replace(s, rank=rank) for rank, (_, s) in zip(ranks, keyed, strict=True)]


def _sum_standings(round_results: Sequence[Sequence[Ranked]]) -> list[Standing]:
    by_participant: dict[ParticipantId, list[Ranked]] = {}
    for results in round_results:
        for ranked in results:
            by_participant.setdefault(ranked.participant_id, []).append(ranked)
    with_figure = sum(
        1 for results in round_results if any(r.prediction_error is not None for r in results)
    )
    standings = []
    for participant_id, own in by_participant.items():
        errors = [r.prediction_error for r in own if r.prediction_error is not None]
        # An error exists only in a round with a figure, so the rest of those rounds were
        # skipped or entered without a prediction.
        missing = with_figure - len(errors)
        standings.append(
            Standing(
                rank=0,
                participant_id=participant_id,
                # fsum is exact, so equal totals stay equal whatever the order of the rounds.
                score=math.fsum(r.entry.score for r in own),
                rounds=len(own),
                missing_predictions=missing,
                prediction_error=sum(errors) if errors else None,
                time_taken_ms=sum(r.entry.time_taken_ms for r in own),
                submitted_at=max(r.entry.submitted_at for r in own),
            )
        )
    return standings


def _best_standings(round_results: Sequence[Sequence[Ranked]]) -> list[Standing]:
    best: dict[ParticipantId, Ranked] = {}
    rounds: dict[ParticipantId, int] = {}
    for results in round_results:
        for ranked in results:
            participant_id = ranked.participant_id
            rounds[participant_id] = rounds.get(participant_id, 0) + 1
            held = best.get(participant_id)
            if held is None or _entry_key(ranked) < _entry_key(held):
                best[participant_id] = ranked
    return [
        Standing(
            rank=0,
            participant_id=participant_id,
            score=ranked.entry.score,
            rounds=rounds[participant_id],
            missing_predictions=int(ranked.prediction_error is None),
            prediction_error=ranked.prediction_error,
            time_taken_ms=ranked.entry.time_taken_ms,
            submitted_at=ranked.entry.submitted_at,
        )
        for participant_id, ranked in best.items()
    ]


def _entry_key(ranked: Ranked) -> tuple[Any, ...]:
    entry = ranked.entry
    closeness = _closeness(ranked.prediction_error, separates=True)
    return (-entry.score, closeness, entry.time_taken_ms, entry.submitted_at)


def _standing_key(standing: Standing) -> tuple[Any, ...]:
    return (
        -standing.score,
        standing.missing_predictions,
        standing.prediction_error or 0,
        standing.time_taken_ms,
        standing.submitted_at,
    )


def _refuse_duplicates(participant_ids: Iterable[ParticipantId]) -> None:
    seen: set[ParticipantId] = set()
    for participant_id in participant_ids:
        if participant_id in seen:
            raise DuplicateParticipant(participant_id)
        seen.add(participant_id)
