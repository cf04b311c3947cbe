"""The demo command sets up one stage contest, ready to run, however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from contest.extensions import db
from live.demo import SHOW_TITLE, TITLE
from live.models import StageContest
from questions.models import Question, QuestionVersion, Status


def test_the_demo_sets_up_the_stage_final_once_and_prints_the_projector_code(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output

    assert db.session.scalar(select(func.count()).select_from(StageContest)) == 2
    contest = db.session.scalar(select(StageContest).where(StageContest.title == TITLE))
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


def test_the_demo_has_a_hall_sized_show_ready_for_packages_and_rung_chuong_vang(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    show = db.session.scalar(select(StageContest).where(StageContest.title == SHOW_TITLE))
    packages, bell, sudden = show.parts
    assert [p.format for p in show.parts] == ["packages", "elimination", "sudden_death"]
    assert sorted(q.points for q in packages.questions) == [10, 10, 20, 20, 30, 30]
    assert bell.settings["seats"] == 100 and len(bell.questions) == 4
    assert len(sudden.questions) == 1 and show.settings["audience_bonus"] == 5
