"""packages ("chọn gói câu hỏi", as in Olympia's final): each team in turn answers a package.

A team picks the value of each of its questions (e.g. 10, 20, 30) and answers them aloud. Once in
the part it may put the star of hope ("ngôi sao hy vọng") on one: double if right, minus the value
if wrong. After a wrong answer the other teams may buzz within a few seconds to steal: a right
steal wins the value (and, if the part says so, the owner loses it); a wrong one costs a share.
"""

from __future__ import annotations

from live.formats import show
from live.formats.base import (
    HOST,
    TEAM,
    award,
    current_part,
    current_question,
    known_team,
    question_for_team,
)
from live.state import Buzz, Event, QuestionState, Rejected, Setup, State, Turn


def current_turn(state: State) -> Turn | None:
    turns = state.turns.get(state.part_id) or []
    return turns[-1] if turns else None


def _pending(qs: QuestionState | None) -> bool:
    return qs is not None and qs.phase in ("shown", "steal_open", "stealing")


def _turn_start(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state)
    team_id = known_team(setup, event.payload.get("team"))
    if _pending(state.current()) and state.question_id is not None:
        raise Rejected("question_open", "finish the current question first")
    if any(turn.team_id == team_id for turn in state.turns.get(part.id, [])):
        raise Rejected("already_had_turn")
    state.turns.setdefault(part.id, []).append(Turn(team_id))
    state.question_id, state.scene = None, "title"
    state.timer.stop()


def _package_pick(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state)
    turn = current_turn(state)
    values = event.payload.get("values")
    if turn is None:
        raise Rejected("no_turn", "start a team's turn first")
    if turn.values:
        raise Rejected("already_picked")
    count = part.rules["questions_per_turn"]
    if not isinstance(values, list) or len(values) != count:
        raise Rejected("bad_package", f"{count} values")
    if any(value not in part.rules["values"] for value in values):
        raise Rejected("bad_package", f"values from {part.rules['values']}")
    turn.values = list(values)


def _question_show(setup: Setup, state: State, event: Event) -> None:
    """A question of the turn's next value, never one already asked in the part."""
    turn = current_turn(state)
    if turn is None or not turn.values:
        raise Rejected("no_package", "the team picks its package first")
    if len(turn.questions) >= len(turn.values):
        raise Rejected("package_done")
    if _pending(state.current()) and state.question_id is not None:
        raise Rejected("question_open", "finish the current question first")
    found = setup.question(event.payload.get("question"))
    if found is not None and found[1].id in state.questions:
        raise Rejected("already_asked")
    if found is not None and found[1].points != turn.values[len(turn.questions)]:
        raise Rejected("not_next_value", f"a question worth {turn.values[len(turn.questions)]}")
    show.HANDLERS["question.show"][1](setup, state, event)
    turn.questions.append(state.question_id)
    part = current_part(setup, state)
    state.timer.start(part.rules["time_limit_s"], event.at)


def _value(setup: Setup, state: State) -> float:
    return float(setup.question(state.question_id)[1].points)


def _star_place(setup: Setup, state: State, event: Event, team_id: int) -> None:
    known_team(setup, team_id)
    _, question, qs = question_for_team(setup, state, event, None)
    turn = current_turn(state)
    if turn is None or turn.team_id != team_id or question.id not in turn.questions:
        raise Rejected("not_your_turn")
    if qs.phase != "shown":
        raise Rejected("too_late_for_star")
    if any(t.star is not None for t in state.turns[state.part_id] if t.team_id == team_id):
        raise Rejected("star_used")
    turn.star = question.id


def _answer_mark(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = current_question(setup, state, None)
    turn = current_turn(state)
    correct = event.payload.get("correct")
    if qs.phase != "shown" or turn is None or question.id not in turn.questions:
        raise Rejected("nobody_to_mark")
    if not isinstance(correct, bool):
        raise Rejected("bad_mark")
    value, starred = _value(setup, state), turn.star == question.id
    if correct:
        award(state, event, turn.team_id, value * 2 if starred else value, "package")
        qs.phase, qs.right = "marked", turn.team_id
        state.timer.stop()
        return
    qs.wrong.add(turn.team_id)
    if starred:
        award(state, event, turn.team_id, -value, "star")
    if part.rules["steal"]:
        qs.phase, qs.opened_at = "steal_open", event.at
        qs.openings += 1
        state.timer.start(part.rules["steal_time_s"], event.at)
    else:
        qs.phase = "marked"
        state.timer.stop()


def _steal_buzz(setup: Setup, state: State, event: Event, team_id: int) -> None:
    known_team(setup, team_id)
    part, _, qs = question_for_team(setup, state, event, None)
    turn = current_turn(state)
    if turn is not None and turn.team_id == team_id:
        raise Rejected("own_question", "a team cannot steal its own question")
    if qs.phase != "steal_open":
        raise Rejected("buzzers_closed")
    timer = state.timer
    if timer.running and event.at > timer.deadline + 0.25:
        raise Rejected("time_up")
    ms = round((event.at - qs.opened_at) * 1000, 1)
    qs.buzzes.append(Buzz(team_id, event.at, event.seq, "in", qs.openings, ms, event.at))
    qs.phase, qs.winner, state.scene = "stealing", team_id, "buzz"
    state.timer.start(part.rules["time_limit_s"], event.at)


def _steal_mark(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = current_question(setup, state, None)
    correct = event.payload.get("correct")
    if qs.phase != "stealing" or qs.winner is None:
        raise Rejected("nobody_to_mark")
    if not isinstance(correct, bool):
        raise Rejected("bad_mark")
    value, turn = _value(setup, state), current_turn(state)
    if correct:
        award(state, event, qs.winner, value, "steal")
        if part.rules["steal_owner_loses"] and turn.star != question.id:
            award(state, event, turn.team_id, -value, "stolen")
        qs.right = qs.winner
    elif part.rules["steal_wrong_ratio"]:
        award(state, event, qs.winner, -value * part.rules["steal_wrong_ratio"], "steal")
    qs.phase = "marked"
    state.timer.stop()


def _steal_close(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, None)
    if qs.phase != "steal_open":
        raise Rejected("buzzers_not_open")
    qs.phase = "marked"
    state.timer.stop()


FORMAT = "packages"
HANDLERS = {
    "turn.start": (HOST, _turn_start),
    "package.pick": (HOST, _package_pick),
    "question.show": (HOST, _question_show),
    "star.place": (TEAM, _star_place),
    "answer.mark": (HOST, _answer_mark),
    "buzz": (TEAM, _steal_buzz),
    "steal.mark": (HOST, _steal_mark),
    "steal.close": (HOST, _steal_close),
}
