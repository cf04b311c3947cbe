"""buzzer ("giành quyền trả lời"): the first to press wins the right to answer aloud.

Fair buzzer: the first buzz to reach the server opens a short window (`buzz_window_ms`); every
buzz arriving within it is ordered by its corrected press time (see `rules.corrected_press`), so
a pad far from the server that pressed first still wins. Presses closer together than `tie_ms`
are flagged to the host, who awards the right to one team or re-asks (`buzz.reset`).
"""

from __future__ import annotations

from live import rules as scoring
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
from live.state import Buzz, Event, QuestionState, Rejected, Setup, State


def _buzzers_open(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, None)
    if qs.phase != "shown":
        raise Rejected("cannot_open", f"the question is {qs.phase}")
    out = qs.locked_out | qs.wrong
    if all(team.id in out for team in setup.teams):
        raise Rejected("no_team_left")
    qs.phase, qs.opened_at, qs.winner, qs.tied = "buzzers_open", event.at, None, []
    qs.openings += 1


def _opening(qs: QuestionState) -> list[Buzz]:
    return [b for b in qs.buzzes if b.opening == qs.openings and b.kind in ("in", "late")]


def _decide(qs: QuestionState, tie_s: float) -> None:
    contenders = sorted(
        (b for b in _opening(qs) if b.kind == "in"), key=lambda b: (b.corrected, b.at, b.seq)
    )
    first = contenders[0]
    qs.winner = first.team_id
    qs.tied = [b.team_id for b in contenders[1:] if b.corrected - first.corrected < tie_s]


def _buzz(setup: Setup, state: State, event: Event, team_id: int) -> None:
    known_team(setup, team_id)
    part, question, qs = question_for_team(setup, state, event, None)
    if team_id in qs.locked_out or team_id in qs.wrong:
        raise Rejected("locked_out")
    if qs.phase == "shown":
        # Pressing before the buzzers open costs the question: the rule every show announces.
        qs.locked_out.add(team_id)
        qs.buzzes.append(Buzz(team_id, event.at, event.seq, "early", 0, None))
        return
    if qs.phase not in ("buzzers_open", "buzzed"):
        raise Rejected("buzzers_closed")
    if any(b.team_id == team_id for b in _opening(qs)):
        raise Rejected("already_buzzed")
    window = part.rules.get("buzz_window_ms", 0) / 1000
    rtt = event.payload.get("rtt")
    corrected = scoring.corrected_press(event.at, event.payload.get("pressed_at"), rtt, window)
    corrected = max(corrected, qs.opened_at)  # nobody pressed before the buzzers opened
    arrivals = [b.at for b in _opening(qs)]
    kind = "in" if not arrivals or event.at <= min(arrivals) + window else "late"
    ms = round((corrected - qs.opened_at) * 1000, 1)
    rtt_ms = round(rtt * 1000, 1) if isinstance(rtt, int | float) else None
    qs.buzzes.append(Buzz(team_id, event.at, event.seq, kind, qs.openings, ms, corrected, rtt_ms))
    if kind == "late":
        return
    if qs.phase == "buzzers_open":
        qs.phase, state.scene = "buzzed", "buzz"
        state.timer.start(time_limit(part, question), event.at)
    _decide(qs, part.rules.get("tie_ms", 0) / 1000)


def _buzzers_close(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, None)
    if qs.phase != "buzzers_open":
        raise Rejected("buzzers_not_open")
    qs.phase = "shown"


def _buzz_award(setup: Setup, state: State, event: Event) -> None:
    """The host settles a tie: the right to answer goes to one of the teams in it."""
    _, _, qs = current_question(setup, state, None)
    team_id = event.payload.get("team")
    if qs.phase != "buzzed" or team_id not in [qs.winner, *qs.tied]:
        raise Rejected("not_in_tie", "only a team in the tie can be given the right")
    qs.winner, qs.tied = team_id, []  # the others keep their place in the order


def _buzz_reset(setup: Setup, state: State, event: Event) -> None:
    """Re-ask: this opening's buzzes are void and the buzzers can open again."""
    _, _, qs = current_question(setup, state, None)
    if qs.phase != "buzzed":
        raise Rejected("nobody_to_mark")
    for buzz in _opening(qs):
        buzz.kind = "void"
    qs.phase, qs.winner, qs.tied = "shown", None, []
    state.timer.stop()


def _buzz_mark(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = current_question(setup, state, None)
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
        qs.phase, qs.winner, qs.tied = "shown", None, []
    state.timer.stop()


# The sudden-death format shares these rules (its own module changes the mark): the handlers
# look the question up without naming a format, since only their format's parts reach them.
FORMAT = "buzzer"
HANDLERS = {
    "buzzers.open": (HOST, _buzzers_open),
    "buzzers.close": (HOST, _buzzers_close),
    "buzz": (TEAM, _buzz),
    "buzz.award": (HOST, _buzz_award),
    "buzz.reset": (HOST, _buzz_reset),
    "buzz.mark": (HOST, _buzz_mark),
}
