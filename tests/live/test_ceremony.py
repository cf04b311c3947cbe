"""The closing ceremony and the audience's polls, in the engine and in what screens see."""

from __future__ import annotations

from dataclasses import replace

import pytest

from live.engine import Rejected
from live.views import host_view, projector_view, scoreboard_view, team_view
from tests.live.show import Show, setup


def scored(show: Show, points: dict[int, int]) -> None:
    show.host("part.start", part=100)
    for team, value in points.items():
        show.host("score.adjust", team=team, points=value, reason="điểm")


def test_a_frozen_board_keeps_the_hall_waiting_while_the_host_sees_live_scores():
    show = Show()
    scored(show, {1: 10, 2: 20})
    show.host("scoreboard.freeze")
    show.host("score.adjust", team=1, points=15, reason="phần cuối")
    board = scoreboard_view(show.setup, show.state)
    assert board["frozen"] is True
    assert [(r["team"], r["total"]) for r in board["standings"][:2]] == [(2, 20), (1, 10)]
    assert team_view(show.setup, show.state, 1)["team"]["total"] == 10
    live = host_view(show.setup, show.state)["standings"]
    assert [(r["team"], r["total"]) for r in live[:2]] == [(1, 25), (2, 20)]
    show.host("scoreboard.unfreeze")
    assert scoreboard_view(show.setup, show.state)["standings"][0]["team"] == 1


def test_freezing_twice_is_refused():
    show = Show()
    show.host("scoreboard.freeze")
    with pytest.raises(Rejected, match="already_frozen"):
        show.host("scoreboard.freeze")


def test_the_podium_reveals_from_the_last_place_up():
    show = Show()
    scored(show, {1: 30, 2: 10, 3: 20})
    show.host("podium.next")
    first = projector_view(show.setup, show.state)
    assert first["scene"] == "podium"
    assert [r["team"] for r in first["podium"]["rows"]] == [2]
    show.host("podium.next")
    show.host("podium.next")
    rows = projector_view(show.setup, show.state)["podium"]["rows"]
    assert [(r["team"], r["rank"]) for r in rows] == [(1, 1), (3, 2), (2, 3)]
    with pytest.raises(Rejected, match="podium_done"):
        show.host("podium.next")


def test_a_favourite_poll_gives_the_bonus_to_the_most_voted_teams():
    show = Show(replace(setup(), audience_bonus=2.0))
    show.host("part.start", part=100)
    poll = show.host("poll.open", kind="favourite")
    assert projector_view(show.setup, show.state)["poll"]["open"] is True
    show.host("poll.close", tally={"1": 40, "2": 40, "3": 7})
    totals = {r["team"]: r["total"] for r in host_view(show.setup, show.state)["standings"]}
    assert totals == {1: 2, 2: 2, 3: 0}
    block = projector_view(show.setup, show.state)["poll"]
    assert block["seq"] == poll.seq and block["tally"] == {"1": 40, "2": 40, "3": 7}


def test_without_a_bonus_a_poll_changes_no_score():
    show = Show()
    show.host("part.start", part=100)
    show.host("poll.open", kind="favourite")
    show.host("poll.close", tally={"1": 5})
    assert all(r["total"] == 0 for r in host_view(show.setup, show.state)["standings"])


def test_an_audience_question_poll_shows_options_but_never_the_answer():
    show = Show()
    show.host("part.start", part=100)
    show.host("poll.open", kind="question", question=101)
    block = projector_view(show.setup, show.state)["poll"]
    assert [c["label"] for c in block["choices"]] == ["2011", "2016", "2021"]
    assert "correct" not in str(block)
    with pytest.raises(Rejected, match="bad_tally"):
        show.host("poll.close", tally={"7": 1})
    with pytest.raises(Rejected, match="poll_open"):
        show.host("poll.open", kind="favourite")
