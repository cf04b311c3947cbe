"""The one-statement answer save: what it keeps in memory never lets a stale fact through."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contest.extensions import db
from online import quick_save, taking
from online.models import Answer
from tests.online.test_api import open_round, started
from tests.online.test_taking import NOW, build_world, make_round, start


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


def test_a_grace_period_shortened_after_the_first_save_applies_to_the_next(world):
    round_ = make_round(world.contest, [world.questions["single"]], grace_s=30)
    attempt = start(round_, world.people[0])
    assert taking.save_by_token(attempt.token, 1, 0, attempt.deadline)  # the plan is kept now
    db.session.commit()
    round_.grace_s = 5  # the organiser edits the round while it runs
    db.session.commit()
    ten_late = attempt.deadline + timedelta(seconds=10)
    assert taking.save_by_token(attempt.token, 1, 1, ten_late) is False
    with pytest.raises(taking.Refused) as refused:
        taking.save_answer(attempt, 1, 1, ten_late)
    assert refused.value.code == "past_deadline"
    db.session.rollback()
    assert db.session.get(Answer, (attempt.id, 1), populate_existing=True).response == 0


def test_a_deadline_changed_in_the_database_is_not_overruled_by_the_kept_one(world):
    round_ = make_round(world.contest, [world.questions["single"]], grace_s=0)
    attempt = start(round_, world.people[0])
    assert taking.save_by_token(attempt.token, 1, 0, NOW)
    db.session.commit()
    attempt.deadline = NOW + timedelta(seconds=1)  # by hand: no page moves a deadline
    db.session.commit()
    assert taking.save_by_token(attempt.token, 1, 1, NOW + timedelta(seconds=2)) is False
    db.session.rollback()
    assert quick_save.plan(attempt.token).deadline != attempt.deadline  # kept, but not trusted


def test_a_submitted_attempt_writes_nothing_even_with_its_plan_kept(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    assert taking.save_by_token(attempt.token, 1, 0, NOW)
    taking.submit(attempt, NOW + timedelta(minutes=1))
    db.session.commit()
    assert taking.save_by_token(attempt.token, 1, 1, NOW + timedelta(minutes=1)) is False
    db.session.rollback()
    assert db.session.get(Answer, (attempt.id, 1)).response == 0


def test_a_position_the_attempt_lacks_and_a_misshapen_response_are_refused(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    with pytest.raises(taking.Refused) as missing:
        taking.save_by_token(attempt.token, 2, 0, NOW)
    assert missing.value.code == "no_such_question"
    with pytest.raises(taking.Refused) as misshapen:
        taking.save_by_token(attempt.token, 1, "A", NOW)
    assert misshapen.value.code == "bad_response"
    assert db.session.get(Answer, (attempt.id, 1)) is None


def test_the_kept_plans_are_bounded_least_recently_used_first_out():
    recent = quick_save._Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # "a" is now the most recently used
    recent.put("c", 3)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (1, None, 3)


def test_a_start_through_the_api_keeps_the_plan_so_the_first_save_reads_nothing(app, world):
    round_ = open_round(world, ["single", "ordering"])
    token = started(app.test_client(), world.people[0], round_)
    kept = quick_save._plans.get(token)
    assert kept is not None
    assert sorted(kind for kind, _order in kept.questions.values()) == ["ordering", "single"]
    assert kept == quick_save._load(token)  # the same plan a save would have read
