"""Scores and standings folded from the stage state: pure, the same for every screen and sheet.

A team's part score is the sum of its awards in that part (answers, buzzes, the host's
adjustments), plus, in a judged part, the judges' mean once scoring is closed, minus any
overtime penalty. Teams are ranked by their total; equal totals are split by the contest's
tie-break — the points of a named part, or the order the host recorded after a sudden-death
question — and teams still equal share a rank (1, 1, 3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from live import rules as scoring
from live.formats.judged import sheet_score
from live.state import Setup, State


@dataclass(frozen=True)
class Row:
    team_id: int
    name: str
    colour: str
    total: float
    parts: dict[int, float]  # part id → points in that part
    rank: int


def part_scores(setup: Setup, state: State, *, include_open: bool = False) -> dict:
    """{team id: {part id: points}}; judged sheets count once closed (or open, for the host)."""
    scores: dict[int, dict[int, float]] = {t.id: defaultdict(float) for t in setup.teams}
    for award in state.awards:
        scores[award.team_id][award.part_id or 0] += award.points
    for (part_id, team_id), sheet in state.sheets.items():
        part = setup.part(part_id)
        if sheet.status == "open" and not include_open:
            continue
        score = sheet_score(part, sheet)
        if score is not None:
            scores[team_id][part_id] += score
    for (part_id, team_id), performance in state.performances.items():
        if performance.penalty:
            scores[team_id][part_id] -= performance.penalty
    return {
        team: {part: scoring.points(value) for part, value in parts.items()}
        for team, parts in scores.items()
    }


def _tiebreak_key(setup: Setup, state: State, parts: dict[int, float], team_id: int):
    if setup.tiebreak == "part" and setup.tiebreak_part_id is not None:
        return (-parts.get(setup.tiebreak_part_id, 0.0),)
    if setup.tiebreak == "sudden_death" and team_id in state.tiebreak_order:
        return (state.tiebreak_order.index(team_id),)
    if setup.tiebreak == "sudden_death":
        return (len(setup.teams),)
    return ()


def standings(setup: Setup, state: State, *, include_open: bool = False) -> list[Row]:
    """Every team, best first, with its rank under the contest's tie-break."""
    scores = part_scores(setup, state, include_open=include_open)
    keyed = []
    for team in setup.teams:
        parts = scores[team.id]
        total = scoring.points(sum(parts.values()))
        key = (-total, *_tiebreak_key(setup, state, parts, team.id))
        keyed.append((key, team, total, parts))
    keyed.sort(key=lambda item: item[0])
    rows: list[Row] = []
    for index, (key, team, total, parts) in enumerate(keyed):
        rank = rows[-1].rank if rows and keyed[index - 1][0] == key else index + 1
        rows.append(Row(team.id, team.name, team.colour, total, dict(parts), rank))
    return rows
