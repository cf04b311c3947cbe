"""elimination ("Rung chuông vàng"): every player answers every question; a miss puts you out.

Players sit on numbered seats with their own phones. The part starts with the seats taken at
that moment (the service lists them in the event, so the log says who played). A wrong or missing
answer eliminates; a rescue question ("cứu trợ") is open only to the eliminated, and the fastest
N right answers come back; the host can also bring players back, or put one out, by hand. Those
still standing at the end win. No team scores change.
"""

from __future__ import annotations

from live import rules as scoring
from live.formats import all_answer, show
from live.formats.base import HOST, current_part, current_question, question_for_team, time_limit
from live.state import Answer, Event, Field, Rejected, Setup, State
from questions.checking import check

PLAYER = "player"


def players(state: State) -> Field | None:
    return state.fields.get(state.part_id)


def _seats(event: Event, limit: int, key: str = "seats") -> list[int]:
    seats = event.payload.get(key)
    if not isinstance(seats, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= limit for s in seats
    ):
        raise Rejected("bad_seats", f"seat numbers from 1 to {limit}")
    return sorted(set(seats))


def _part_start(setup: Setup, state: State, event: Event) -> None:
    part = setup.part(event.payload.get("part"))
    if part is None:
        raise Rejected("unknown_part")
    seats = _seats(event, part.rules["seats"])
    if part.id in state.fields:
        raise Rejected("already_started", "an elimination part is played once")
    show.HANDLERS["part.start"][1](setup, state, event)
    state.fields[part.id] = Field(tuple(seats), alive=set(seats))
    state.scene = "seats"


def _answers_open(setup: Setup, state: State, event: Event) -> None:
    rescue = event.payload.get("rescue", 0)
    if isinstance(rescue, bool) or not isinstance(rescue, int) or rescue < 0:
        raise Rejected("bad_rescue")
    field_ = players(state)
    if rescue and not field_.out:
        raise Rejected("nobody_to_rescue")
    if not rescue and not field_.alive:
        raise Rejected("nobody_left")
    _, _, qs = current_question(setup, state, None)
    all_answer.HANDLERS["answers.open"][1](setup, state, event)
    qs.rescue = rescue


def _answer_submit(setup: Setup, state: State, event: Event, seat: int) -> None:
    field_ = players(state)
    if field_ is None or seat not in field_.seats:
        raise Rejected("not_playing")
    part, question, qs = question_for_team(setup, state, event, None)
    may_answer = seat in field_.out if qs.rescue else seat in field_.alive
    if not may_answer:
        raise Rejected("not_for_you" if qs.rescue else "eliminated")
    if qs.phase != "answering":
        raise Rejected("answers_closed")
    timer = state.timer
    if timer.running and event.at > timer.deadline + scoring.ANSWER_GRACE_S:
        raise Rejected("time_up")
    elapsed = min(event.at - qs.opened_at, time_limit(part, question))
    qs.answers[seat] = Answer(event.payload.get("response"), event.at, elapsed, event.seq)


def _right(content: dict, answer: Answer | None) -> bool:
    return answer is not None and (check(content, answer.response) or 0.0) >= 1.0


def _reveal(setup: Setup, state: State, event: Event) -> None:
    _, question, qs = current_question(setup, state, None)
    if qs.revealed:
        raise Rejected("already_revealed")
    field_ = players(state)
    for seat in sorted(qs.answers if qs.rescue else field_.alive):
        qs.fractions[seat] = 1.0 if _right(question.content, qs.answers.get(seat)) else 0.0
    if qs.rescue:
        # The fastest right answers among the eliminated come back, up to the rescue's number.
        right = [s for s in field_.out if _right(question.content, qs.answers.get(s))]
        right.sort(key=lambda s: (qs.answers[s].elapsed_s, qs.answers[s].seq))
        for seat in right[: qs.rescue]:
            field_.out.pop(seat)
            field_.alive.add(seat)
            field_.back[seat] = question.id
    else:
        for seat in sorted(field_.alive):
            if not _right(question.content, qs.answers.get(seat)):
                field_.alive.discard(seat)
                field_.out[seat] = question.id
    qs.phase, state.scene = "revealed", "reveal"
    state.timer.stop()


def _restore(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state)
    field_ = players(state)
    seats = _seats(event, part.rules["seats"])
    if not seats or any(seat not in field_.out for seat in seats):
        raise Rejected("not_eliminated")
    for seat in seats:
        field_.out.pop(seat)
        field_.alive.add(seat)
        field_.back[seat] = None


def _eliminate(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state)
    field_ = players(state)
    seats = _seats(event, part.rules["seats"])
    if not seats or any(seat not in field_.alive for seat in seats):
        raise Rejected("not_playing")
    for seat in seats:
        field_.alive.discard(seat)
        field_.out[seat] = None


FORMAT = "elimination"
HANDLERS = {
    "part.start": (HOST, _part_start),
    "answers.open": (HOST, _answers_open),
    "answers.close": all_answer.HANDLERS["answers.close"],
    "answer.submit": (PLAYER, _answer_submit),
    "reveal": (HOST, _reveal),
    "players.restore": (HOST, _restore),
    "players.eliminate": (HOST, _eliminate),
}
