"""judged ("chấm điểm"): judges mark a performance by a rubric; overtime costs points."""

from __future__ import annotations

from live import rules as scoring
from live.formats.base import (
    HOST,
    JUDGE,
    current_part,
    known_team,
    running_performance,
)
from live.state import Event, PartSpec, Performance, Rejected, Setup, Sheet, State


def _stage_team(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state, "judged")
    team_id = known_team(setup, event.payload.get("team"))
    if running_performance(state):
        raise Rejected("performance_running", "stop the performance first")
    state.on_stage, state.scene = team_id, "stage"
    state.sheets.setdefault((part.id, team_id), Sheet())
    state.timer.stop()


def _performance_start(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state, "judged")
    if state.on_stage is None:
        raise Rejected("nobody_on_stage")
    if (part.id, state.on_stage) in state.performances:
        raise Rejected("already_performed")
    state.performances[(part.id, state.on_stage)] = Performance(started_at=event.at)
    state.timer.start(part.rules["stage_time_limit_s"], event.at)


def _performance_stop(setup: Setup, state: State, event: Event) -> None:
    part = current_part(setup, state, "judged")
    performance = state.performances.get((part.id, state.on_stage))
    if performance is None or performance.stopped_at is not None:
        raise Rejected("no_performance_running")
    cap = part.rules["stage_time_limit_s"] + part.rules["overtime_stop_s"]
    performance.stopped_at = event.at
    performance.elapsed_s = round(min(event.at - performance.started_at, cap), 3)
    performance.penalty = scoring.overtime_penalty(performance.elapsed_s, part.rules)
    state.timer.stop()


def _sheet(setup: Setup, state: State, payload: dict) -> tuple[PartSpec, int, Sheet]:
    part = setup.part(payload.get("part", state.part_id))
    if part is None or part.format != "judged":
        raise Rejected("wrong_format")
    team_id = known_team(setup, payload.get("team"))
    sheet = state.sheets.get((part.id, team_id))
    if sheet is None:
        raise Rejected("not_on_stage_yet", "the team has not been called to the stage")
    return part, team_id, sheet


def _score_submit(setup: Setup, state: State, event: Event, judge_id: int) -> None:
    if setup.judge(judge_id) is None:
        raise Rejected("unknown_judge")
    part, _, sheet = _sheet(setup, state, event.payload)
    if sheet.status != "open":
        raise Rejected("scoring_closed")
    marks = event.payload.get("marks")
    criteria = part.rules["criteria"]
    if not isinstance(marks, list) or len(marks) != len(criteria):
        raise Rejected("bad_marks", f"one mark for each of {len(criteria)} criteria")
    for mark, criterion in zip(marks, criteria, strict=True):
        if not scoring.valid_criterion_score(mark, criterion["max"]):
            raise Rejected("bad_marks", f"{criterion['name']}: 0 to {criterion['max']}")
    if judge_id in sheet.marks:
        sheet.amended[judge_id] = sheet.amended.get(judge_id, 0) + 1
    sheet.marks[judge_id] = [float(m) for m in marks]


def _scoring_close(setup: Setup, state: State, event: Event) -> None:
    _, _, sheet = _sheet(setup, state, event.payload)
    if sheet.status != "open":
        raise Rejected("scoring_closed")
    if not sheet.marks:
        raise Rejected("no_marks", "no judge has scored yet")
    sheet.status = "closed"


def _scores_publish(setup: Setup, state: State, event: Event) -> None:
    _, _, sheet = _sheet(setup, state, event.payload)
    if sheet.status != "closed":
        raise Rejected("not_closed", "close the scoring first")
    sheet.status = "published"


def sheet_score(part: PartSpec, sheet: Sheet) -> float | None:
    """The part score the judges' marks give (None before any judge has scored)."""
    totals = [sum(marks) for marks in sheet.marks.values()]
    return scoring.judged_score(totals, bool(part.rules.get("trimmed_mean")))


FORMAT = "judged"
HANDLERS = {
    "stage.team": (HOST, _stage_team),
    "performance.start": (HOST, _performance_start),
    "performance.stop": (HOST, _performance_stop),
    "score.submit": (JUDGE, _score_submit),
    "scoring.close": (HOST, _scoring_close),
    "scores.publish": (HOST, _scores_publish),
}
