"""A stage show driven in memory, for the engine's tests: events applied as the service does."""

from __future__ import annotations

from live.engine import (
    Event,
    JudgeSpec,
    PartSpec,
    QuestionSpec,
    Setup,
    State,
    TeamSpec,
    apply,
    fold,
)
from live.rules import part_rules

SINGLE = {
    "type": "single",
    "stem": "Chỉ thị 05-CT/TW được ban hành năm nào?",
    "options": [
        {"text": "2011", "correct": False},
        {"text": "2016", "correct": True},
        {"text": "2021", "correct": False},
    ],
    "explanation": "Ngày 15/5/2016.",
}
MULTIPLE = {
    "type": "multiple",
    "stem": "Những văn bản nào nói về học tập và làm theo Bác?",
    "options": [
        {"text": "Chỉ thị 05-CT/TW", "correct": True},
        {"text": "Kết luận 01-KL/TW", "correct": True},
        {"text": "Luật Giao thông", "correct": False},
    ],
    "scoring": "all_or_nothing",
    "explanation": "",
}
TEAMS = (TeamSpec(1, "Đội Xã A"), TeamSpec(2, "Đội Xã B"), TeamSpec(3, "Đội Xã C"))
JUDGES = (JudgeSpec(11, "GK 1"), JudgeSpec(12, "GK 2"), JudgeSpec(13, "GK 3"))
HOST = "host:1"


def setup(*, tiebreak="none", tiebreak_part_id=None, **rules) -> Setup:
    """Parts all_answer (id 100), buzzer (200), judged (300), packages (400: questions 401–406
    worth 10, 20, 30, 10, 20, 30) and sudden_death (500), for three teams."""
    all_rules = part_rules("all_answer", rules.get("all_answer"))
    buzz_rules = part_rules("buzzer", rules.get("buzzer"))
    judged_rules = part_rules(
        "judged",
        rules.get("judged")
        or {"criteria": [{"name": "Nội dung", "max": 6}, {"name": "Phong cách", "max": 4}]},
    )
    return Setup(
        teams=TEAMS,
        judges=JUDGES,
        parts=(
            PartSpec(
                100,
                "Kiến thức",
                "all_answer",
                all_rules,
                (QuestionSpec(101, SINGLE, 10, 30), QuestionSpec(102, MULTIPLE, 20, 30)),
            ),
            PartSpec(
                200,
                "Giành quyền trả lời",
                "buzzer",
                buzz_rules,
                (QuestionSpec(201, SINGLE, 10, 15), QuestionSpec(202, SINGLE, 10, 15)),
            ),
            PartSpec(300, "Hùng biện", "judged", judged_rules),
            PartSpec(
                400,
                "Về đích",
                "packages",
                part_rules("packages", rules.get("packages")),
                tuple(QuestionSpec(401 + i, SINGLE, v, 15) for i, v in enumerate([10, 20, 30] * 2)),
            ),
            PartSpec(
                500,
                "Câu hỏi phụ",
                "sudden_death",
                part_rules("sudden_death", rules.get("sudden_death")),
                (QuestionSpec(501, SINGLE, 0, 15),),
            ),
            PartSpec(
                600,
                "Rung chuông vàng",
                "elimination",
                part_rules("elimination", {"seats": 10}),
                tuple(QuestionSpec(601 + i, SINGLE, 0, 15) for i in range(4)),
            ),
        ),
        tiebreak=tiebreak,
        tiebreak_part_id=tiebreak_part_id,
    )


class Show:
    """Appends events the way live.service does: try on the state, keep only what fits."""

    def __init__(self, stage: Setup | None = None, start: float = 1_000.0) -> None:
        self.setup = stage or setup()
        self.state = State()
        self.events: list[Event] = []
        self.clock = start

    def at(self, seconds: float) -> Show:
        """Move the server clock to `seconds` after the start."""
        self.clock = 1_000.0 + seconds
        return self

    def do(self, actor: str, kind: str, /, **payload) -> Event:
        event = Event(len(self.events) + 1, kind, payload, actor, self.clock)
        apply(self.setup, self.state, event)  # raises Rejected and keeps nothing
        self.events.append(event)
        if kind == "undo":
            self.state = fold(self.setup, self.events)
        return event

    def host(self, kind: str, /, **payload) -> Event:
        return self.do(HOST, kind, **payload)

    def team(self, team_id: int, kind: str, /, **payload) -> Event:
        return self.do(f"team:{team_id}", kind, **payload)

    def judge(self, judge_id: int, kind: str, /, **payload) -> Event:
        return self.do(f"judge:{judge_id}", kind, **payload)

    def player(self, seat: int, kind: str, /, **payload) -> Event:
        return self.do(f"player:{seat}", kind, **payload)

    def replayed(self) -> State:
        return fold(self.setup, self.events)
