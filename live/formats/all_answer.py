"""all_answer ("trả lời trên thiết bị"): every team answers on its pad before the deadline."""

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
from live.state import Answer, Event, PartSpec, Rejected, Setup, State
from questions.checking import check


def _answers_open(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = current_question(setup, state, None)
    if qs.phase != "shown":
        raise Rejected("already_opened")
    qs.phase, qs.opened_at = "answering", event.at
    state.timer.start(time_limit(part, question), event.at)
    state.scene = "options"


def _answer_submit(setup: Setup, state: State, event: Event, team_id: int) -> None:
    known_team(setup, team_id)
    part, question, qs = question_for_team(setup, state, event, None)
    if qs.phase != "answering":
        raise Rejected("answers_closed")
    timer = state.timer
    if timer.running and event.at > timer.deadline + scoring.ANSWER_GRACE_S:
        raise Rejected("time_up")
    elapsed = min(event.at - qs.opened_at, time_limit(part, question))
    qs.answers[team_id] = Answer(event.payload.get("response"), event.at, elapsed, event.seq)


def _answers_close(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = current_question(setup, state, None)
    if qs.phase != "answering":
        raise Rejected("answers_not_open")
    qs.phase = "closed"
    state.timer.stop()


def _scoring_content(part: PartSpec, content: dict) -> dict:
    if content.get("type") == "multiple":
        return {**content, "scoring": part.rules.get("multiple_scoring", "all_or_nothing")}
    return content


def score_answers(setup, state, event, part, question, qs) -> None:
    """At the reveal: each team's last answer checked, with the speed bonus if the part has it."""
    full, limit = full_points(part, question), time_limit(part, question)
    content = _scoring_content(part, question.content)
    for team in setup.teams:
        answer = qs.answers.get(team.id)
        fraction = (check(content, answer.response) or 0.0) if answer else 0.0
        earned = full * fraction
        if answer and fraction > 0 and part.rules.get("speed_bonus"):
            earned = scoring.speed_points(full, answer.elapsed_s, limit) * fraction
        qs.fractions[team.id] = fraction
        qs.results[team.id] = scoring.points(earned)
        if earned:
            award(state, event, team.id, earned, "answer")


FORMAT = "all_answer"
HANDLERS = {
    "answers.open": (HOST, _answers_open),
    "answers.close": (HOST, _answers_close),
    "answer.submit": (TEAM, _answer_submit),
}
