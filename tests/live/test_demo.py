"""The demo command sets up one stage contest, ready to run, however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from contest.extensions import db
from live.demo import TITLE
from live.models import StageContest
from questions.models import Question, QuestionVersion, Status


def test_the_demo_sets_up_the_stage_final_once_and_prints_the_projector_code(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output

    assert db.session.scalar(select(func.count()).select_from(StageContest)) == 1
    contest = db.session.scalar(select(StageContest))
    assert contest.title == TITLE
    assert contest.projector_code in first.output and contest.projector_code in again.output

    assert [team.unit.code for team in contest.teams] == [
        "HG-NB-LH",
        "HG-CT-NS",
        "HG-KCQ-GD",
        "HG-VT-P1",
    ]
    assert len({team.join_code for team in contest.teams}) == 4
    assert len({team.colour for team in contest.teams}) == 4
    assert len(contest.judges) == 3

    knowledge, buzzer, oratory = contest.parts
    assert (knowledge.title, knowledge.format) == ("Phần 1: Kiến thức", "all_answer")
    assert (buzzer.title, buzzer.format) == ("Phần 2: Giành quyền trả lời", "buzzer")
    assert (oratory.title, oratory.format) == ("Phần 3: Hùng biện", "judged")
    assert oratory.settings["criteria"] == [
        {"name": "Nội dung", "max": 5},
        {"name": "Lập luận", "max": 3},
        {"name": "Phong cách", "max": 2},
    ]
    assert oratory.settings["trimmed_mean"] is False
    assert len(knowledge.questions) == 5 and len(buzzer.questions) == 5

    version_ids = [q.version_id for part in (knowledge, buzzer) for q in part.questions]
    rows = db.session.execute(
        select(Question.status, QuestionVersion.content, Question.key)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(QuestionVersion.id.in_(version_ids))
    ).all()
    assert len(rows) == 10  # ten different questions, none asked twice
    assert {status for status, _content, _key in rows} == {Status.APPROVED.value}
    assert all(key for _status, _content, key in rows)  # every one from the sample bank
    copies = {q.version_id: q.content for part in (knowledge, buzzer) for q in part.questions}
    assert {
        v.id: v.content
        for v in db.session.scalars(
            select(QuestionVersion).where(QuestionVersion.id.in_(version_ids))
        )
    } == copies
