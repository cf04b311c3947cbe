"""Moving through the show: parts, questions, scenes, the timer, corrections, the finish."""

from __future__ import annotations

from live.formats.all_answer import score_answers
from live.formats.base import (
    HOST,
    award,
    current_part,
    current_question,
    known_team,
    running_performance,
)
from live.state import SCENES, Event, QuestionState, Rejected, Setup, State


def _part_start(setup: Setup, state: State, event: Event) -> None:
    if setup.part(event.payload.get("part")) is None:
        raise Rejected("unknown_part")
    if state.on_stage is not None and running_performance(state):
        raise Rejected("performance_running", "stop the performance first")
    state.part_id = event.payload["part"]
    state.question_id, state.on_stage, state.scene = None, None, "title"
    state.timer.stop()


def _question_show(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state)
    found = setup.question(event.payload.get("question"))
    if found is None or found[0].id != part.id:
        raise Rejected("not_in_part", "that question is not in the current part")
    current = state.current()
    if current is not None and current.phase in ("answering", "buzzers_open", "buzzed"):
        raise Rejected("question_open", "close or reveal the current question first")
    state.question_id = found[1].id
    state.questions.setdefault(found[1].id, QuestionState())
    state.scene = "question"
    state.timer.stop()


def _reveal(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state)
    if part.format == "judged":
        raise Rejected("wrong_format")
    part, question, qs = current_question(setup, state, part.format)
    if qs.revealed:
        raise Rejected("already_revealed")
    awaiting = qs.phase in ("buzzed", "steal_open", "stealing")
    if awaiting or (part.format == "packages" and qs.phase == "shown"):
        raise Rejected("mark_first", "mark the team's answer right or wrong first")
    if part.format == "all_answer":
        score_answers(setup, state, event, part, question, qs)
    qs.phase, state.scene = "revealed", "reveal"
    state.timer.stop()


def _scene_show(setup: Setup, state: State, event: Event) -> None:
    scene = event.payload.get("scene")
    if scene not in SCENES:
        raise Rejected("unknown_scene")
    current = state.current()
    if scene in ("question", "options", "buzz") and current is None:
        raise Rejected("no_question", "show a question first")
    if scene == "reveal" and (current is None or not current.revealed):
        raise Rejected("not_revealed", "reveal the answer first")
    state.scene = scene


def _timer_start(setup: Setup, state: State, event: Event) -> None:
    seconds = event.payload.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= 3600:
        raise Rejected("bad_seconds", "from 1 to 3600 seconds")
    _refuse_while_answering(state)
    state.timer.start(seconds, event.at)


def _timer_pause(setup: Setup, state: State, event: Event) -> None:
    if not state.timer.running:
        raise Rejected("timer_not_running")
    state.timer.remaining = max(0.0, state.timer.deadline - event.at)
    state.timer.deadline = None


def _timer_resume(setup: Setup, state: State, event: Event) -> None:
    if not state.timer.paused:
        raise Rejected("timer_not_paused")
    state.timer.deadline, state.timer.remaining = event.at + state.timer.remaining, None


def _timer_reset(setup: Setup, state: State, event: Event) -> None:
    _refuse_while_answering(state)
    state.timer.stop()


def _refuse_while_answering(state: State) -> None:
    current = state.current()
    if current is not None and current.phase == "answering":
        raise Rejected("answers_open", "the timer counts the answers: close them first")


def _score_adjust(setup: Setup, state: State, event: Event) -> None:
    team_id = known_team(setup, event.payload.get("team"))
    value = event.payload.get("points")
    reason = event.payload.get("reason")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise Rejected("bad_points")
    if value == 0 or abs(value) > 1000:
        raise Rejected("bad_points", "not zero, at most 1000 either way")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 300:
        raise Rejected("reason_required")
    award(state, event, team_id, float(value), "adjust", reason=reason.strip(), question_id=None)


def _contest_finish(setup: Setup, state: State, event: Event) -> None:
    if running_performance(state):
        raise Rejected("performance_running", "stop the performance first")
    state.finished, state.scene = True, "results"
    state.timer.stop()


def _tiebreak_decide(setup: Setup, state: State, event: Event) -> None:
    order = event.payload.get("order")
    if not isinstance(order, list) or len(set(order)) != len(order) or len(order) < 2:
        raise Rejected("bad_order", "two or more different teams, best first")
    for team_id in order:
        known_team(setup, team_id)
    state.tiebreak_order = list(order)


FORMAT = None
HANDLERS = {
    "part.start": (HOST, _part_start),
    "question.show": (HOST, _question_show),
    "reveal": (HOST, _reveal),
    "scene.show": (HOST, _scene_show),
    "timer.start": (HOST, _timer_start),
    "timer.pause": (HOST, _timer_pause),
    "timer.resume": (HOST, _timer_resume),
    "timer.reset": (HOST, _timer_reset),
    "score.adjust": (HOST, _score_adjust),
    "contest.finish": (HOST, _contest_finish),
    "tiebreak.decide": (HOST, _tiebreak_decide),
}
