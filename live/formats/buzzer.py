"""buzzer ("giành quyền trả lời"): the first valid buzz wins the right to answer aloud."""

from __future__ import annotations

from live.formats.base import (
    HOST,
    TEAM,
    award,
    current_question,
    full_points,
    known_team,
    question_for_team,
    time_limit,
)
from live.state import Buzz, Event, Rejected, Setup, State


def _buzzers_open(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, "buzzer")
    if qs.phase != "shown":
        raise Rejected("cannot_open", f"the question is {qs.phase}")
    out = qs.locked_out | qs.wrong
    if all(team.id in out for team in setup.teams):
        raise Rejected("no_team_left")
    qs.phase, qs.opened_at, qs.winner = "buzzers_open", event.at, None
    qs.openings += 1


def _buzz(setup: Setup, state: State, event: Event, team_id: int) -> None:
    known_team(setup, team_id)
    _, _, qs = question_for_team(setup, state, event, "buzzer")
    if team_id in qs.locked_out or team_id in qs.wrong:
        raise Rejected("locked_out")
    if qs.phase == "shown":
        # Pressing before the buzzers open costs the question: the rule every show announces.
        qs.locked_out.add(team_id)
        qs.buzzes.append(Buzz(team_id, event.at, event.seq, "early", 0, None))
        return
    if qs.phase not in ("buzzers_open", "buzzed"):
        raise Rejected("buzzers_closed")
    if any(b.team_id == team_id and b.opening == qs.openings for b in qs.buzzes):
        raise Rejected("already_buzzed")
    ms = round((event.at - qs.opened_at) * 1000, 1)
    kind = "first" if qs.phase == "buzzers_open" else "late"
    qs.buzzes.append(Buzz(team_id, event.at, event.seq, kind, qs.openings, ms))
    if kind == "first":
        qs.phase, qs.winner, state.scene = "buzzed", team_id, "buzz"
        part, question, _ = current_question(setup, state, "buzzer")
        state.timer.start(time_limit(part, question), event.at)


def _buzzers_close(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, "buzzer")
    if qs.phase != "buzzers_open":
        raise Rejected("buzzers_not_open")
    qs.phase = "shown"


def _buzz_mark(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = current_question(setup, state, "buzzer")
    correct = event.payload.get("correct")
    if qs.phase != "buzzed" or qs.winner is None:
        raise Rejected("nobody_to_mark")
    if not isinstance(correct, bool):
        raise Rejected("bad_mark")
    team_id = qs.winner
    if correct:
        award(state, event, team_id, full_points(part, question), "buzz")
        qs.phase, qs.right = "marked", team_id
    else:
        penalty = float(part.rules.get("wrong_penalty") or 0)
        if penalty:
            award(state, event, team_id, -penalty, "buzz")
        qs.wrong.add(team_id)
        qs.phase, qs.winner = "shown", None
    state.timer.stop()


FORMAT = "buzzer"
HANDLERS = {
    "buzzers.open": (HOST, _buzzers_open),
    "buzzers.close": (HOST, _buzzers_close),
    "buzz": (TEAM, _buzz),
    "buzz.mark": (HOST, _buzz_mark),
}
