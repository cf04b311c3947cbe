"""Closing a round: not before its end, abandoned attempts first, the figure fixed, bank told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import online.board_routes  # noqa: F401 - the leaderboard pages, before any app is built
from contest.accounts.roles import Role
from contest.extensions import db
from online import closing, taking
from online.models import Attempt, Round
from questions.models import QuestionStat
from tests.online.test_admin import page_text
from tests.online.test_taking import (
    NOW,
    build_world,
    make_participant,
    make_round,
    run_in_threads,
    start,
)


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


def take(round_, person, single, true_false, at=NOW, submit=True) -> Attempt:
    """An attempt at the two-question round: answers (None: left blank), then submitted."""
    attempt = start(round_, person, at)
    if single is not None:
        taking.save_answer(attempt, 1, single, at + timedelta(minutes=1))
    if true_false is not None:
        taking.save_answer(attempt, 2, true_false, at + timedelta(minutes=2))
    if submit:
        taking.submit(attempt, at + timedelta(minutes=3))
    db.session.commit()
    return attempt


def two_question_round(world, **settings) -> Round:
    questions = [world.questions["single"], world.questions["true_false"]]
    return make_round(world.contest, questions, **settings)


def test_a_round_is_not_closed_before_its_closing_time(world):
    round_ = two_question_round(world)
    with pytest.raises(closing.CloseRefused) as refused:
        closing.close_round(round_, round_.closes_at - timedelta(seconds=1))
    assert refused.value.code == "not_over"
    assert round_.closed_at is None and round_.actual is None


def test_closing_submits_abandoned_attempts_then_fixes_the_all_correct_figure(world):
    round_ = two_question_round(world, closes_at=NOW + timedelta(minutes=30))
    take(round_, world.people[0], 0, True)  # everything right
    abandoned = take(round_, world.people[1], 0, True, submit=False)  # right, never submitted
    take(round_, make_participant(world.contest, "Lê Văn Cường"), 0, False)  # one wrong
    closed = closing.close_round(round_, round_.closes_at + timedelta(minutes=1))
    db.session.commit()
    db.session.refresh(abandoned)
    assert abandoned.finalised_by == "server" and abandoned.correct == 2
    assert (closed.actual, round_.actual) == (2, 2)
    assert round_.closed_at == round_.closes_at + timedelta(minutes=1)
    assert not closed.already


def test_the_attempts_figure_counts_every_submitted_attempt(world):
    round_ = two_question_round(world, prediction="attempts", attempts_allowed=2)
    take(round_, world.people[0], 0, True)
    take(round_, world.people[0], 1, True, at=NOW + timedelta(minutes=5))
    take(round_, world.people[1], 1, False)
    closing.close_round(round_, round_.closes_at)
    assert round_.actual == 3


def test_an_attempt_still_in_its_grace_period_makes_the_organiser_wait(world):
    round_ = two_question_round(world, closes_at=NOW + timedelta(minutes=5), grace_s=15)
    running = take(round_, world.people[0], 0, None, submit=False)
    assert running.deadline == round_.closes_at
    with pytest.raises(closing.CloseRefused) as refused:
        closing.close_round(round_, round_.closes_at + timedelta(seconds=10))
    assert refused.value.code == "running"
    assert refused.value.until == round_.closes_at + timedelta(seconds=15)
    db.session.rollback()
    closed = closing.close_round(round_, round_.closes_at + timedelta(seconds=16))
    assert closed.actual == 0  # the saved answer was not everything


def scored_round(world) -> Round:
    """12 people: the 6 best get the choice question right, all but the last the true/false one."""
    round_ = two_question_round(world)
    people = world.people + [make_participant(world.contest, f"Người {n}") for n in range(10)]
    for n, person in enumerate(people):
        take(round_, person, 0 if n < 6 else 1, True if n < 11 else None)
    return round_


def test_closing_writes_each_questions_figures_to_the_bank(world):
    round_ = scored_round(world)
    closed = closing.close_round(round_, round_.closes_at)
    db.session.commit()
    assert closed.questions == 2 and round_.actual == 6
    stats = {
        stat.question_id: stat
        for stat in db.session.scalars(
            select(QuestionStat).where(QuestionStat.used_in == f"round:{round_.id}")
        )
    }
    single, true_false = (
        stats[world.questions["single"].id],
        stats[world.questions["true_false"].id],
    )
    assert (single.answered, single.correct, single.discrimination) == (12, 6, 1.0)
    # The top 27% (3 people) all right; the bottom 3 include the one who left it blank.
    assert (true_false.answered, true_false.correct) == (12, 11)
    assert true_false.discrimination == pytest.approx(0.333, abs=0.001)


def test_the_bank_overview_shows_how_the_rounds_questions_fared(world, client, login_as):
    round_ = scored_round(world)
    closing.close_round(round_, round_.closes_at)
    db.session.commit()
    login_as(Role.EDITOR, username="xemthongke")
    text = page_text(client.get("/questions/dashboard"))
    assert f"round:{round_.id}" in text
    assert "50,0%" in text and "1,00" in text  # the choice question: half right, discriminating
    assert "91,7%" in text and "0,33" in text  # the true/false one: 11 of 12


def test_closing_twice_changes_nothing(world):
    round_ = scored_round(world)
    first = closing.close_round(round_, round_.closes_at)
    db.session.commit()
    stats = db.session.scalars(select(QuestionStat.id).order_by(QuestionStat.id)).all()
    again = closing.close_round(round_, round_.closes_at + timedelta(days=1))
    db.session.commit()
    assert again.already and not first.already
    assert (round_.closed_at, round_.actual) == (first.closed_at, first.actual)
    assert db.session.scalars(select(QuestionStat.id).order_by(QuestionStat.id)).all() == stats


def test_organisers_closing_at_the_same_moment_close_the_round_once(app, world):
    round_ = scored_round(world)
    round_id, when = round_.id, round_.closes_at

    def work():
        closed = closing.close_round(db.session.get(Round, round_id), when)
        db.session.commit()
        return closed.already

    assert sorted(run_in_threads(app, 4, work)) == [False, True, True, True]
    assert len(db.session.scalars(select(QuestionStat)).all()) == 2
