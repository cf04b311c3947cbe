"""sudden_death ("câu hỏi phụ"): a buzzer question that orders tied teams and adds no points.

The first team to buzz and answer right goes first in the tie-break order; a wrong answer puts
that team out of the question and the host may reopen the buzzers for the rest.
"""

from __future__ import annotations

from live.formats import buzzer
from live.formats.base import HOST, current_question
from live.standings import standings
from live.state import Event, Rejected, Setup, State


def _mark(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, None)
    correct = event.payload.get("correct")
    if qs.phase != "buzzed" or qs.winner is None:
        raise Rejected("nobody_to_mark")
    if not isinstance(correct, bool):
        raise Rejected("bad_mark")
    if correct:
        others = [row.team_id for row in standings(setup, state) if row.team_id != qs.winner]
        state.tiebreak_order = [qs.winner, *others]
        qs.phase, qs.right = "marked", qs.winner
    else:
        qs.wrong.add(qs.winner)
        qs.phase, qs.winner, qs.tied = "shown", None, []
    state.timer.stop()


FORMAT = "sudden_death"
HANDLERS = {**buzzer.HANDLERS, "buzz.mark": (HOST, _mark)}
