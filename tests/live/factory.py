"""Stage contests for tests, written with the models the setup pages write."""

from __future__ import annotations

from contest.extensions import db
from live import devices
from live.models import StageContest, StageJudge, StagePart, StageQuestion, StageTeam
from tests.live.show import MULTIPLE, SINGLE


def make_contest(
    teams: int = 3, judges: int = 3, title: str = "Hội thi thử", final: bool = False
) -> StageContest:
    """A contest with an all_answer part (2 questions), a buzzer part (1) and a judged part.

    With `final`, also a packages part (questions worth 10, 20, 30) and an elimination part
    (two questions, 20 seats).
    """
    contest = StageContest(title=title, projector_code=devices.unique_code(), settings={})
    db.session.add(contest)
    db.session.flush()
    for i in range(teams):
        contest.teams.append(
            StageTeam(position=i, name=f"Đội {chr(65 + i)}", join_code=devices.unique_code())
        )
        db.session.flush()  # each code must be taken before the next one is drawn
    for i in range(judges):
        contest.judges.append(
            StageJudge(position=i, name=f"Giám khảo {i + 1}", join_code=devices.unique_code())
        )
        db.session.flush()
    knowledge = StagePart(position=0, title="Kiến thức", format="all_answer", settings={})
    knowledge.questions = [
        StageQuestion(position=0, content=SINGLE, notes="Đọc chậm"),
        StageQuestion(position=1, content=MULTIPLE),
    ]
    buzzer = StagePart(position=1, title="Giành quyền", format="buzzer", settings={})
    buzzer.questions = [StageQuestion(position=0, content=SINGLE)]
    judged = StagePart(
        position=2,
        title="Hùng biện",
        format="judged",
        settings={"criteria": [{"name": "Nội dung", "max": 6}, {"name": "Phong cách", "max": 4}]},
    )
    contest.parts.extend([knowledge, buzzer, judged])
    if final:
        packages = StagePart(position=3, title="Về đích", format="packages", settings={})
        packages.questions = [
            StageQuestion(position=i, content=SINGLE, points=value)
            for i, value in enumerate((10, 20, 30))
        ]
        bell = StagePart(
            position=4, title="Rung chuông vàng", format="elimination", settings={"seats": 20}
        )
        bell.questions = [StageQuestion(position=i, content=SINGLE) for i in range(2)]
        contest.parts.extend([packages, bell])
    db.session.commit()
    return contest
