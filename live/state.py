"""The stage's data: what a show is made of (the setup), its events, and the folded state.

Plain dataclasses with no behaviour beyond small conveniences, shared by the engine and by each
format's rules in `live.formats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCENES = ("blank", "title", "question", "options", "timer", "buzz", "reveal", "scoreboard", "stage")
SCENES += ("results", "poll", "podium", "seats")


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
    audience_bonus: float = 0.0  # points for the audience's favourite team(s); 0: just for fun

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
    at: float  # when it reached the server
    seq: int
    kind: str  # "early" (before the buzzers opened), "in" (within the window), "late", "void"
    opening: int  # which opening of the buzzers it came in (0 for an early buzz)
    ms: float | None  # the corrected press time after the buzzers opened
    corrected: float | None = None  # the press time the order is decided by (server clock)
    rtt_ms: float | None = None  # the pad's measured round trip


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
    tied: list[int] = field(default_factory=list)  # pressed within the tie window of the winner
    locked_out: set[int] = field(default_factory=set)  # buzzed before the buzzers opened
    wrong: set[int] = field(default_factory=set)  # answered wrongly after winning a buzz
    right: int | None = None
    rescue: int = 0  # elimination: how many eliminated players this question may bring back
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
class Poll:
    """An audience poll: a favourite team, or an audience question's options."""

    seq: int
    kind: str  # "favourite" | "question"
    choices: tuple[int, ...]  # team ids, or option indices
    question_id: int | None = None
    closed: bool = False
    tally: dict[int, int] = field(default_factory=dict)  # written in the log at the close


@dataclass
class Turn:
    """A team's turn in a packages part: the values it chose, and where it put its star."""

    team_id: int
    values: list[int] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)  # shown in this turn, in order
    star: int | None = None  # the question the star of hope is on


@dataclass
class Field:
    """The players of an elimination part ("Rung chuông vàng"), by seat number."""

    seats: tuple[int, ...]
    alive: set[int] = field(default_factory=set)
    out: dict[int, int | None] = field(default_factory=dict)  # seat → the question it fell on
    back: dict[int, int | None] = field(default_factory=dict)  # seat → how it came back


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
    frozen: list[dict] | None = None  # the public board as it stood when the host froze it
    podium_shown: int | None = None  # places revealed so far, from the last one up
    polls: dict[int, Poll] = field(default_factory=dict)
    turns: dict[int, list[Turn]] = field(default_factory=dict)  # part → its turns so far
    fields: dict[int, Field] = field(default_factory=dict)  # elimination part → its players
    poll_open: int | None = None
    host_actions: list[int] = field(default_factory=list)  # applied host events, for undo
    undone: set[int] = field(default_factory=set)
    ignored: dict[int, str] = field(default_factory=dict)  # seq → why it no longer fits

    def current(self) -> QuestionState | None:
        return self.questions.get(self.question_id) if self.question_id is not None else None
