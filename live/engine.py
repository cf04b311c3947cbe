"""The live stage as a pure state machine: the show's state is folded from its event log.

No Flask, no database, no sockets, no clock: an event carries the server time it was recorded
at, and everything time-dependent (an answer after time-out, a buzz's milliseconds, overtime) is
decided from those times. `apply` either changes the state or raises `Rejected` *before* it
changes anything, so the service can try an event on the live state and append it only if it
fits; `fold` replays a whole log the same way, and an event that no longer fits (a team's answer
after the host undid the opening of answers) is skipped and listed in `state.ignored`.

Undo is an event too: `undo` names the host action it takes back. `fold` first collects the
taken-back actions, then replays the rest, so undoing a correction, a mark or a reveal needs no
inverse of each action — the state is simply what the remaining events make.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from live import rules as scoring
from questions.checking import check

HOST, TEAM, JUDGE = "host", "team", "judge"

SCENES = ("blank", "title", "question", "options", "timer", "buzz", "reveal", "scoreboard", "stage")
SCENES += ("results",)

EVENT_ACTORS = {
    "part.start": HOST,
    "question.show": HOST,
    "answers.open": HOST,
    "answers.close": HOST,
    "reveal": HOST,
    "buzzers.open": HOST,
    "buzzers.close": HOST,
    "buzz.mark": HOST,
    "timer.start": HOST,
    "timer.pause": HOST,
    "timer.resume": HOST,
    "timer.reset": HOST,
    "scene.show": HOST,
    "score.adjust": HOST,
    "stage.team": HOST,
    "performance.start": HOST,
    "performance.stop": HOST,
    "scoring.close": HOST,
    "scores.publish": HOST,
    "contest.finish": HOST,
    "tiebreak.decide": HOST,
    "undo": HOST,
    "answer.submit": TEAM,
    "buzz": TEAM,
    "score.submit": JUDGE,
}


class Rejected(Exception):
    """An event that does not fit the current state; `code` says why (for the UI's message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# ---- the setup: what the show is made of -------------------------------------------------------


@dataclass(frozen=True)
class TeamSpec:
    id: int
    name: str
    colour: str = "#1d4ed8"


@dataclass(frozen=True)
class JudgeSpec:
    id: int
    name: str


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    content: dict  # the bank's content shape, correct answers included
    points: float
    time_limit_s: int
    notes: str = ""


@dataclass(frozen=True)
class PartSpec:
    id: int
    title: str
    format: str
    rules: dict
    questions: tuple[QuestionSpec, ...] = ()


@dataclass(frozen=True)
class Setup:
    teams: tuple[TeamSpec, ...]
    judges: tuple[JudgeSpec, ...]
    parts: tuple[PartSpec, ...]
    tiebreak: str = "none"  # "none" | "part" | "sudden_death"
    tiebreak_part_id: int | None = None

    def part(self, part_id: Any) -> PartSpec | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def question(self, question_id: Any) -> tuple[PartSpec, QuestionSpec] | None:
        for part in self.parts:
            for question in part.questions:
                if question.id == question_id:
                    return part, question
        return None

    def team(self, team_id: Any) -> TeamSpec | None:
        return next((t for t in self.teams if t.id == team_id), None)

    def judge(self, judge_id: Any) -> JudgeSpec | None:
        return next((j for j in self.judges if j.id == judge_id), None)


@dataclass(frozen=True)
class Event:
    seq: int
    type: str
    payload: dict
    actor: str  # "host:5", "team:12", "judge:3"
    at: float  # server time, seconds since the epoch


def actor_parts(actor: str) -> tuple[str, int | None]:
    kind, _, ident = actor.partition(":")
    return kind, int(ident) if ident.isdigit() else None


# ---- the state ---------------------------------------------------------------------------------


@dataclass
class Timer:
    """A countdown kept as a server deadline; paused, it keeps what was left."""

    duration_s: float | None = None
    deadline: float | None = None
    remaining: float | None = None

    def start(self, seconds: float, at: float) -> None:
        self.duration_s, self.deadline, self.remaining = seconds, at + seconds, None

    def stop(self) -> None:
        self.deadline, self.remaining = None, None

    @property
    def running(self) -> bool:
        return self.deadline is not None

    @property
    def paused(self) -> bool:
        return self.deadline is None and self.remaining is not None


@dataclass
class Answer:
    response: Any
    at: float
    elapsed_s: float
    seq: int


@dataclass
class Buzz:
    team_id: int
    at: float
    seq: int
    kind: str  # "early" (before the buzzers opened), "first" (won the right), "late"
    opening: int  # which opening of the buzzers it came in (0 for an early buzz)
    ms: float | None  # after the buzzers opened


@dataclass
class QuestionState:
    # all_answer: shown → answering → closed → revealed
    # buzzer: shown ⇄ buzzers_open → buzzed → (shown after a wrong answer | marked) → revealed
    phase: str = "shown"
    opened_at: float | None = None
    answers: dict[int, Answer] = field(default_factory=dict)
    buzzes: list[Buzz] = field(default_factory=list)
    openings: int = 0
    winner: int | None = None
    locked_out: set[int] = field(default_factory=set)  # buzzed before the buzzers opened
    wrong: set[int] = field(default_factory=set)  # answered wrongly after winning a buzz
    right: int | None = None
    results: dict[int, float] = field(default_factory=dict)  # all_answer: points at the reveal
    fractions: dict[int, float] = field(default_factory=dict)

    @property
    def revealed(self) -> bool:
        return self.phase == "revealed"


@dataclass
class Award:
    seq: int
    team_id: int
    part_id: int | None
    question_id: int | None
    points: float
    kind: str  # "answer", "buzz", "adjust"
    reason: str = ""


@dataclass
class Performance:
    started_at: float
    stopped_at: float | None = None
    elapsed_s: float | None = None
    penalty: float = 0.0


@dataclass
class Sheet:
    """The judges' marks for one team in one judged part."""

    status: str = "open"  # open → closed → published
    marks: dict[int, list[float]] = field(default_factory=dict)  # judge → one mark a criterion
    amended: dict[int, int] = field(default_factory=dict)  # judge → how many times re-entered


@dataclass
class State:
    seq: int = 0
    part_id: int | None = None
    question_id: int | None = None
    scene: str = "title"
    timer: Timer = field(default_factory=Timer)
    questions: dict[int, QuestionState] = field(default_factory=dict)
    awards: list[Award] = field(default_factory=list)
    on_stage: int | None = None
    performances: dict[tuple[int, int], Performance] = field(default_factory=dict)
    sheets: dict[tuple[int, int], Sheet] = field(default_factory=dict)
    finished: bool = False
    tiebreak_order: list[int] = field(default_factory=list)
    host_actions: list[int] = field(default_factory=list)  # applied host events, for undo
    undone: set[int] = field(default_factory=set)
    ignored: dict[int, str] = field(default_factory=dict)  # seq → why it no longer fits

    def current(self) -> QuestionState | None:
        return self.questions.get(self.question_id) if self.question_id is not None else None


# ---- applying one event ------------------------------------------------------------------------


def apply(setup: Setup, state: State, event: Event) -> None:
    """Change `state` by `event`, or raise Rejected having changed nothing."""
    expected = EVENT_ACTORS.get(event.type)
    if expected is None:
        raise Rejected("unknown_event", event.type)
    kind, ident = actor_parts(event.actor)
    if kind != expected:
        raise Rejected("forbidden", f"{event.type} is not for a {kind}")
    if event.type == "undo":
        _check_undo(state, event)
        return  # its effect is the replay without the target (see fold)
    handler = _HANDLERS[event.type]
    if expected == HOST:
        handler(setup, state, event)
        state.host_actions.append(event.seq)
    else:
        handler(setup, state, event, ident)
    state.seq = max(state.seq, event.seq)


def _check_undo(state: State, event: Event) -> None:
    target = event.payload.get("seq")
    if not state.host_actions or target != state.host_actions[-1]:
        raise Rejected("not_last_action", "only the last host action can be undone")


def fold(setup: Setup, events: Iterable[Event]) -> State:
    """The state a log makes: undone actions left out, events that no longer fit skipped."""
    events = sorted(events, key=lambda e: e.seq)
    host_seqs = {e.seq for e in events if EVENT_ACTORS.get(e.type) == HOST and e.type != "undo"}
    undone: set[int] = set()
    for event in events:
        target = event.payload.get("seq") if event.type == "undo" else None
        if target in host_seqs and target not in undone and target < event.seq:
            undone.add(target)
    state = State(undone=undone)
    for event in events:
        state.seq = max(state.seq, event.seq)
        if event.seq in undone or event.type == "undo":
            continue
        try:
            apply(setup, state, event)
        except Rejected as exc:
            state.ignored[event.seq] = exc.code
    return state


# ---- helpers -----------------------------------------------------------------------------------


def _team(setup: Setup, team_id: Any) -> int:
    if setup.team(team_id) is None:
        raise Rejected("unknown_team")
    return team_id


def _part(setup: Setup, state: State, fmt: str | None = None) -> PartSpec:
    part = setup.part(state.part_id)
    if part is None:
        raise Rejected("no_part", "start a part first")
    if fmt is not None and part.format != fmt:
        raise Rejected("wrong_format", f"the part is {part.format}, not {fmt}")
    return part


def _question(setup: Setup, state: State, fmt: str) -> tuple[PartSpec, QuestionSpec, QuestionState]:
    part = _part(setup, state, fmt)
    found = setup.question(state.question_id)
    if found is None or state.current() is None:
        raise Rejected("no_question", "show a question first")
    return part, found[1], state.questions[state.question_id]


def _current_for_team(setup: Setup, state: State, event: Event, fmt: str):
    part, question, qs = _question(setup, state, fmt)
    if event.payload.get("question") != question.id:
        raise Rejected("stale_question", "the question on screen has changed")
    return part, question, qs


def _full_points(part: PartSpec, question: QuestionSpec) -> float:
    return float(question.points if question.points is not None else part.rules["points"])


def _time_limit(part: PartSpec, question: QuestionSpec) -> float:
    return float(question.time_limit_s or part.rules["time_limit_s"])


def _award(state: State, event: Event, team_id: int, value: float, kind: str, **extra) -> None:
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


# ---- host: moving through the show -------------------------------------------------------------


def _part_start(setup: Setup, state: State, event: Event) -> None:
    if setup.part(event.payload.get("part")) is None:
        raise Rejected("unknown_part")
    if state.on_stage is not None and _running_performance(state):
        raise Rejected("performance_running", "stop the performance first")
    state.part_id = event.payload["part"]
    state.question_id, state.on_stage, state.scene = None, None, "title"
    state.timer.stop()


def _question_show(setup: Setup, state: State, event: Event) -> None:
    part = _part(setup, state)
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
    team_id = _team(setup, event.payload.get("team"))
    value = event.payload.get("points")
    reason = event.payload.get("reason")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise Rejected("bad_points")
    if value == 0 or abs(value) > 1000:
        raise Rejected("bad_points", "not zero, at most 1000 either way")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 300:
        raise Rejected("reason_required")
    _award(state, event, team_id, float(value), "adjust", reason=reason.strip(), question_id=None)


def _contest_finish(setup: Setup, state: State, event: Event) -> None:
    if _running_performance(state):
        raise Rejected("performance_running", "stop the performance first")
    state.finished, state.scene = True, "results"
    state.timer.stop()


def _tiebreak_decide(setup: Setup, state: State, event: Event) -> None:
    order = event.payload.get("order")
    if not isinstance(order, list) or len(set(order)) != len(order) or len(order) < 2:
        raise Rejected("bad_order", "two or more different teams, best first")
    for team_id in order:
        _team(setup, team_id)
    state.tiebreak_order = list(order)


# ---- all_answer: every team answers on its pad -------------------------------------------------


def _answers_open(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = _question(setup, state, "all_answer")
    if qs.phase != "shown":
        raise Rejected("already_opened")
    qs.phase, qs.opened_at = "answering", event.at
    state.timer.start(_time_limit(part, question), event.at)
    state.scene = "options"


def _answer_submit(setup: Setup, state: State, event: Event, team_id: int) -> None:
    _team(setup, team_id)
    part, question, qs = _current_for_team(setup, state, event, "all_answer")
    if qs.phase != "answering":
        raise Rejected("answers_closed")
    timer = state.timer
    if timer.running and event.at > timer.deadline + scoring.ANSWER_GRACE_S:
        raise Rejected("time_up")
    elapsed = min(event.at - qs.opened_at, _time_limit(part, question))
    qs.answers[team_id] = Answer(event.payload.get("response"), event.at, elapsed, event.seq)


def _answers_close(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = _question(setup, state, "all_answer")
    if qs.phase != "answering":
        raise Rejected("answers_not_open")
    qs.phase = "closed"
    state.timer.stop()


def _scoring_content(part: PartSpec, content: dict) -> dict:
    if content.get("type") == "multiple":
        return {**content, "scoring": part.rules.get("multiple_scoring", "all_or_nothing")}
    return content


def _reveal(setup: Setup, state: State, event: Event) -> None:
    part = _part(setup, state)
    if part.format not in ("all_answer", "buzzer"):
        raise Rejected("wrong_format")
    part, question, qs = _question(setup, state, part.format)
    if qs.revealed:
        raise Rejected("already_revealed")
    if qs.phase == "buzzed":
        raise Rejected("mark_first", "mark the team's answer right or wrong first")
    if part.format == "all_answer":
        _score_answers(setup, state, event, part, question, qs)
    qs.phase, state.scene = "revealed", "reveal"
    state.timer.stop()


def _score_answers(setup, state, event, part, question, qs) -> None:
    full, limit = _full_points(part, question), _time_limit(part, question)
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
            _award(state, event, team.id, earned, "answer")


# ---- buzzer: first to buzz answers aloud -------------------------------------------------------


def _buzzers_open(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = _question(setup, state, "buzzer")
    if qs.phase != "shown":
        raise Rejected("cannot_open", f"the question is {qs.phase}")
    out = qs.locked_out | qs.wrong
    if all(team.id in out for team in setup.teams):
        raise Rejected("no_team_left")
    qs.phase, qs.opened_at, qs.winner = "buzzers_open", event.at, None
    qs.openings += 1


def _buzz(setup: Setup, state: State, event: Event, team_id: int) -> None:
    _team(setup, team_id)
    _, _, qs = _current_for_team(setup, state, event, "buzzer")
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
        part, question, _ = _question(setup, state, "buzzer")
        state.timer.start(_time_limit(part, question), event.at)


def _buzzers_close(setup: Setup, state: State, event: Event) -> None:
    _, _, qs = _question(setup, state, "buzzer")
    if qs.phase != "buzzers_open":
        raise Rejected("buzzers_not_open")
    qs.phase = "shown"


def _buzz_mark(setup: Setup, state: State, event: Event) -> None:
    part, question, qs = _question(setup, state, "buzzer")
    correct = event.payload.get("correct")
    if qs.phase != "buzzed" or qs.winner is None:
        raise Rejected("nobody_to_mark")
    if not isinstance(correct, bool):
        raise Rejected("bad_mark")
    team_id = qs.winner
    if correct:
        _award(state, event, team_id, _full_points(part, question), "buzz")
        qs.phase, qs.right = "marked", team_id
    else:
        penalty = float(part.rules.get("wrong_penalty") or 0)
        if penalty:
            _award(state, event, team_id, -penalty, "buzz")
        qs.wrong.add(team_id)
        qs.phase, qs.winner = "shown", None
    state.timer.stop()


# ---- judged: judges score a performance by a rubric --------------------------------------------


def _running_performance(state: State) -> Performance | None:
    return next((p for p in state.performances.values() if p.stopped_at is None), None)


def _stage_team(setup: Setup, state: State, event: Event) -> None:
    part = _part(setup, state, "judged")
    team_id = _team(setup, event.payload.get("team"))
    if _running_performance(state):
        raise Rejected("performance_running", "stop the performance first")
    state.on_stage, state.scene = team_id, "stage"
    state.sheets.setdefault((part.id, team_id), Sheet())
    state.timer.stop()


def _performance_start(setup: Setup, state: State, event: Event) -> None:
    part = _part(setup, state, "judged")
    if state.on_stage is None:
        raise Rejected("nobody_on_stage")
    if (part.id, state.on_stage) in state.performances:
        raise Rejected("already_performed")
    state.performances[(part.id, state.on_stage)] = Performance(started_at=event.at)
    state.timer.start(part.rules["stage_time_limit_s"], event.at)


def _performance_stop(setup: Setup, state: State, event: Event) -> None:
    part = _part(setup, state, "judged")
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
    team_id = _team(setup, payload.get("team"))
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


_HANDLERS = {
    "part.start": _part_start,
    "question.show": _question_show,
    "answers.open": _answers_open,
    "answers.close": _answers_close,
    "reveal": _reveal,
    "buzzers.open": _buzzers_open,
    "buzzers.close": _buzzers_close,
    "buzz.mark": _buzz_mark,
    "timer.start": _timer_start,
    "timer.pause": _timer_pause,
    "timer.resume": _timer_resume,
    "timer.reset": _timer_reset,
    "scene.show": _scene_show,
    "score.adjust": _score_adjust,
    "stage.team": _stage_team,
    "performance.start": _performance_start,
    "performance.stop": _performance_stop,
    "scoring.close": _scoring_close,
    "scores.publish": _scores_publish,
    "contest.finish": _contest_finish,
    "tiebreak.decide": _tiebreak_decide,
    "answer.submit": _answer_submit,
    "buzz": _buzz,
    "score.submit": _score_submit,
}
