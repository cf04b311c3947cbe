"""Lookups and awards shared by every format's rules; each raises Rejected before any change."""

from __future__ import annotations

from typing import Any

from live import rules as scoring
from live.state import (
    Award,
    Event,
    PartSpec,
    QuestionSpec,
    QuestionState,
    Rejected,
    Setup,
    State,
)

HOST, TEAM, JUDGE = "host", "team", "judge"


def known_team(setup: Setup, team_id: Any) -> int:
    if setup.team(team_id) is None:
        raise Rejected("unknown_team")
    return team_id


def current_part(setup: Setup, state: State, fmt: str | None = None) -> PartSpec:
    part = setup.part(state.part_id)
    if part is None:
        raise Rejected("no_part", "start a part first")
    if fmt is not None and part.format != fmt:
        raise Rejected("wrong_format", f"the part is {part.format}, not {fmt}")
    return part


def current_question(
    setup: Setup, state: State, fmt: str | None
) -> tuple[PartSpec, QuestionSpec, QuestionState]:
    part = current_part(setup, state, fmt)
    found = setup.question(state.question_id)
    if found is None or state.current() is None:
        raise Rejected("no_question", "show a question first")
    return part, found[1], state.questions[state.question_id]


def question_for_team(setup: Setup, state: State, event: Event, fmt: str | None):
    """The current question, if it is the one the team's pad answered (not a stale screen)."""
    part, question, qs = current_question(setup, state, fmt)
    if event.payload.get("question") != question.id:
        raise Rejected("stale_question", "the question on screen has changed")
    return part, question, qs


def full_points(part: PartSpec, question: QuestionSpec) -> float:
    return float(question.points if question.points is not None else part.rules["points"])


def time_limit(part: PartSpec, question: QuestionSpec) -> float:
    return float(question.time_limit_s or part.rules["time_limit_s"])


def award(state: State, event: Event, team_id: int, value: float, kind: str, **extra) -> None:
    state.awards.append(
        Award(
            seq=event.seq,
            team_id=team_id,
            part_id=extra.pop("part_id", state.part_id),
            question_id=extra.pop("question_id", state.question_id),
            points=scoring.points(value),
            kind=kind,
            **extra,
        )
    )


def running_performance(state: State):
    return next((p for p in state.performances.values() if p.stopped_at is None), None)
