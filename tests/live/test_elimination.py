"""Rung chuông vàng: a miss eliminates, a rescue question brings the fastest back."""

from __future__ import annotations

import pytest

from live.engine import Rejected
from live.views import projector_view
from tests.live.show import Show

RIGHT, WRONG = 1, 0  # option indices of the sample question (B is right)


def question(show: Show, number: int, **opening) -> int:
    question_id = 600 + number
    show.host("question.show", question=question_id)
    show.host("answers.open", **opening)
    return question_id


def started(show: Show, seats=(1, 2, 3, 4, 5)) -> Show:
    show.host("part.start", part=600, seats=list(seats))
    return show


def test_a_wrong_or_missing_answer_eliminates():
    show = started(Show())
    q = question(show, 1)
    show.player(1, "answer.submit", question=q, response=RIGHT)
    show.player(2, "answer.submit", question=q, response=WRONG)
    show.player(3, "answer.submit", question=q, response=RIGHT)
    show.host("reveal")
    field = show.state.fields[600]
    assert field.alive == {1, 3}
    assert field.out == {2: q, 4: q, 5: q}


def test_the_eliminated_cannot_answer_and_empty_seats_cannot_play():
    show = started(Show())
    q = question(show, 1)
    show.player(1, "answer.submit", question=q, response=RIGHT)
    show.host("reveal")
    q2 = question(show, 2)
    with pytest.raises(Rejected, match="eliminated"):
        show.player(2, "answer.submit", question=q2, response=RIGHT)
    with pytest.raises(Rejected, match="not_playing"):
        show.player(9, "answer.submit", question=q2, response=RIGHT)
    with pytest.raises(Rejected, match="forbidden"):
        show.team(1, "answer.submit", question=q2, response=RIGHT)


def test_a_rescue_question_brings_back_the_fastest_right_among_the_eliminated():
    show = started(Show())
    q = question(show, 1)
    show.player(1, "answer.submit", question=q, response=RIGHT)
    show.host("reveal")  # 2, 3, 4, 5 are out
    show.at(100)
    rescue = question(show, 2, rescue=2)
    with pytest.raises(Rejected, match="not_for_you"):
        show.at(101).player(1, "answer.submit", question=rescue, response=RIGHT)
    show.at(104).player(5, "answer.submit", question=rescue, response=RIGHT)
    show.at(102).player(3, "answer.submit", question=rescue, response=WRONG)
    show.at(103).player(4, "answer.submit", question=rescue, response=RIGHT)
    show.at(105).player(2, "answer.submit", question=rescue, response=RIGHT)
    show.host("reveal")
    field = show.state.fields[600]
    assert field.alive == {1, 4, 5}  # 4 and 5 were the fastest right; 2 was slower
    assert sorted(field.out) == [2, 3]


def test_the_host_restores_or_eliminates_by_hand():
    show = started(Show())
    q = question(show, 1)
    show.host("reveal")  # nobody answered: everybody is out
    assert show.state.fields[600].alive == set()
    show.host("players.restore", seats=[2, 4])
    show.host("players.eliminate", seats=[4])
    assert show.state.fields[600].alive == {2}
    with pytest.raises(Rejected, match="not_eliminated"):
        show.host("players.restore", seats=[2])
    del q


def test_the_projector_counts_who_is_left_on_a_grid_of_seats():
    show = started(Show(), seats=(1, 2, 3))
    q = question(show, 1)
    show.player(2, "answer.submit", question=q, response=RIGHT)
    show.host("reveal")
    players = projector_view(show.setup, show.state)["players"]
    assert players["left"] == 1 and players["total"] == 3
    assert players["seats"] == [
        {"seat": 1, "state": "out"},
        {"seat": 2, "state": "alive"},
        {"seat": 3, "state": "out"},
    ]


def test_seats_come_from_the_start_and_stay_fixed():
    show = Show()
    with pytest.raises(Rejected, match="bad_seats"):
        show.host("part.start", part=600, seats=[0, 11])
    started(show)
    show.host("part.start", part=100)
    with pytest.raises(Rejected, match="already_started"):
        show.host("part.start", part=600, seats=[1])
