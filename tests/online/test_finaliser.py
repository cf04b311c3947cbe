"""The server finalises attempts nobody submitted, with what was saved, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from contest.extensions import db
from online import finaliser, taking
from online.cli import online_cli
from online.models import Attempt
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


def three_attempts(world):
    """An abandoned attempt with two saved answers, one still running, one submitted."""
    round_ = make_round(world.contest, [world.questions["single"], world.questions["true_false"]])
    third = make_participant(world.contest, "Lê Văn Cường")
    abandoned = start(round_, world.people[0])
    taking.save_answer(abandoned, 1, 0, NOW + timedelta(minutes=1))  # right
    taking.save_answer(abandoned, 2, False, NOW + timedelta(minutes=2))  # wrong
    running = start(round_, world.people[1], NOW + timedelta(minutes=8))
    done = start(round_, third)
    taking.submit(done, NOW + timedelta(minutes=3))
    db.session.commit()
    return abandoned, running, done


def test_overdue_attempts_are_submitted_with_their_saved_answers(world):
    abandoned, running, done = three_attempts(world)
    later = NOW + timedelta(minutes=10, seconds=16)  # past the first deadline plus 15 s
    assert finaliser.finalise_overdue(later) == 1
    db.session.expire_all()
    assert abandoned.finalised_by == "server"
    assert abandoned.submitted_at == abandoned.deadline + timedelta(seconds=15)
    assert (abandoned.score, abandoned.correct, abandoned.time_taken_ms) == (10, 1, 600_000)
    assert running.submitted_at is None
    assert done.finalised_by == "participant" and done.submitted_at == NOW + timedelta(minutes=3)


def test_nothing_is_finalised_during_the_grace_period(world):
    abandoned, _running, _done = three_attempts(world)
    assert finaliser.finalise_overdue(abandoned.deadline + timedelta(seconds=15)) == 0
    assert finaliser.finalise_overdue(abandoned.deadline + timedelta(seconds=16)) == 1
    assert finaliser.finalise_overdue(abandoned.deadline + timedelta(minutes=5)) == 0


def test_finalisers_in_several_processes_submit_each_attempt_once(app, world):
    three_attempts(world)
    later = NOW + timedelta(days=1)
    counts = run_in_threads(app, 4, lambda: finaliser.finalise_overdue(later))
    assert sum(counts) == 2  # the abandoned and the running one, each by one finaliser
    finalised = db.session.scalars(select(Attempt.finalised_by).order_by(Attempt.id)).all()
    assert finalised == ["server", "server", "participant"]


def test_one_rounds_overdue_attempts_can_be_finalised_before_reading_it(world):
    abandoned, _running, _done = three_attempts(world)
    elsewhere = make_round(world.contest, [world.questions["single"]])
    other = start(elsewhere, world.people[0])
    later = NOW + timedelta(days=1)
    assert finaliser.finalise_round(abandoned.round_id, later) == 2
    db.session.expire_all()
    assert other.submitted_at is None


def test_the_cli_command_finalises_overdue_attempts(app, runner, world):
    abandoned, _running, _done = three_attempts(world)
    # The command reads the clock: put this deadline long before today.
    abandoned.deadline = abandoned.started_at = NOW - timedelta(days=400)
    db.session.commit()
    result = runner.invoke(online_cli, ["finalise"])
    assert result.exit_code == 0, result.output
    assert "finalised" in result.output
    db.session.expire_all()
    assert abandoned.finalised_by == "server"


def test_the_loop_starts_once_per_process_and_never_in_tests(app, monkeypatch):
    started = []
    monkeypatch.setattr(finaliser, "_started_in", None)
    monkeypatch.setattr(
        finaliser.socketio, "start_background_task", lambda *args: started.append(args)
    )
    assert finaliser.start_loop(app) is False  # TESTING
    monkeypatch.setitem(app.config, "TESTING", False)
    monkeypatch.setitem(app.config, "ONLINE_FINALISER", False)
    assert finaliser.start_loop(app) is False
    monkeypatch.setitem(app.config, "ONLINE_FINALISER", True)
    assert finaliser.start_loop(app) is True
    assert finaliser.start_loop(app) is False
    assert len(started) == 1
