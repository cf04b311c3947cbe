"""Packages with the star of hope and steals (Olympia's final), and the sudden-death question."""

from __future__ import annotations

import pytest

from live.engine import Rejected
from live.standings import standings
from tests.live.show import Show, setup


def totals(show: Show) -> dict[int, float]:
    return {row.team_id: row.total for row in standings(show.setup, show.state)}


def turn(show: Show, team: int = 1, values=(10, 20, 30)) -> None:
    show.host("part.start", part=400)
    show.host("turn.start", team=team)
    show.host("package.pick", values=list(values))


def test_a_team_answers_its_package_in_the_order_of_its_values():
    show = Show()
    turn(show, values=(20, 10, 30))
    with pytest.raises(Rejected, match="not_next_value"):
        show.host("question.show", question=401)  # worth 10; 20 comes first
    show.host("question.show", question=402)
    show.host("answer.mark", correct=True)
    assert totals(show)[1] == 20


def test_the_star_doubles_a_right_answer_and_costs_the_value_when_wrong():
    show = Show(setup(packages={"steal": False}))
    turn(show)
    show.host("question.show", question=401)
    show.team(1, "star.place", question=401)
    show.host("answer.mark", correct=True)
    assert totals(show)[1] == 20
    show.host("question.show", question=402)
    with pytest.raises(Rejected, match="star_used"):
        show.team(1, "star.place", question=402)

    other = Show(setup(packages={"steal": False}))
    turn(other)
    other.host("question.show", question=401)
    other.host("answer.mark", correct=True)
    other.host("question.show", question=402)
    other.team(1, "star.place", question=402)
    other.host("answer.mark", correct=False)
    assert totals(other)[1] == 10 - 20


def test_only_the_teams_own_turn_may_place_its_star_and_only_before_the_mark():
    show = Show()
    turn(show)
    show.host("question.show", question=401)
    with pytest.raises(Rejected, match="not_your_turn"):
        show.team(2, "star.place", question=401)
    show.host("answer.mark", correct=True)
    with pytest.raises(Rejected, match="too_late_for_star"):
        show.team(1, "star.place", question=401)


def test_a_steal_wins_the_value_and_a_wrong_steal_costs_half():
    show = Show()
    turn(show)
    show.at(0).host("question.show", question=401)
    show.at(5).host("answer.mark", correct=False)
    with pytest.raises(Rejected, match="own_question"):
        show.at(5.5).team(1, "buzz", question=401)
    show.at(6).team(2, "buzz", question=401)
    with pytest.raises(Rejected, match="buzzers_closed"):
        show.at(6.1).team(3, "buzz", question=401)
    show.host("steal.mark", correct=True)
    assert totals(show) == {1: 0, 2: 10, 3: 0}
    show.host("reveal")
    show.at(20).host("question.show", question=402)
    show.at(25).host("answer.mark", correct=False)
    show.at(26).team(3, "buzz", question=402)
    show.host("steal.mark", correct=False)
    assert totals(show) == {1: 0, 2: 10, 3: -10}


def test_a_steal_buzz_after_the_window_is_refused():
    show = Show()
    turn(show)
    show.at(0).host("question.show", question=401)
    show.at(5).host("answer.mark", correct=False)
    with pytest.raises(Rejected, match="time_up"):
        show.at(10.5).team(2, "buzz", question=401)  # 5 s to buzz
    show.host("steal.close")
    show.host("reveal")


def test_the_owner_loses_the_value_when_the_part_says_so():
    show = Show(setup(packages={"steal_owner_loses": True}))
    turn(show)
    show.host("question.show", question=401)
    show.host("answer.mark", correct=False)
    show.team(3, "buzz", question=401)
    show.host("steal.mark", correct=True)
    assert totals(show) == {1: -10, 2: 0, 3: 10}


def test_each_team_has_one_turn_and_the_reveal_waits_for_the_marks():
    show = Show()
    turn(show)
    show.host("question.show", question=401)
    with pytest.raises(Rejected, match="mark_first"):
        show.host("reveal")
    show.host("answer.mark", correct=True)
    show.host("reveal")
    with pytest.raises(Rejected, match="already_had_turn"):
        show.host("turn.start", team=1)
    show.host("turn.start", team=2)
    with pytest.raises(Rejected, match="no_package"):
        show.host("question.show", question=404)


# ---- sudden death -------------------------------------------------------------------------------


def test_the_sudden_death_winner_goes_first_among_tied_teams_without_points():
    show = Show(setup(tiebreak="sudden_death"))
    show.host("part.start", part=100)
    show.host("score.adjust", team=1, points=10, reason="a")
    show.host("score.adjust", team=2, points=10, reason="b")
    show.host("part.start", part=500)
    show.host("question.show", question=501)
    show.host("buzzers.open")
    show.at(1).team(1, "buzz", question=501)
    show.host("buzz.mark", correct=False)
    show.host("buzzers.open")
    show.at(2).team(2, "buzz", question=501)
    show.host("buzz.mark", correct=True)
    rows = standings(show.setup, show.state)
    assert [(r.team_id, r.rank, r.total) for r in rows] == [(2, 1, 10), (1, 2, 10), (3, 3, 0)]
