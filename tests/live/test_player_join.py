"""Rung chuông vàng's players join with the player code and their seat number."""

from __future__ import annotations

import pytest

from contest.extensions import db
from live import devices
from live.models import StageContest
from tests.live.factory import make_contest


@pytest.fixture
def contest(app) -> StageContest:
    return make_contest(final=True)  # its elimination part has 20 seats


def join(client, code: str, seat: str = ""):
    return client.post_form("/stage/join", {"code": code, "seat": seat})


def stage_cookie(client, contest_id: int):
    return client.get_cookie(f"hoithi_stage_{contest_id}")


def test_a_player_code_and_seat_bind_the_phone_to_its_seat_and_open_the_player_page(
    client, contest
):
    code = devices.player_code(contest)
    response = join(client, code.lower(), " 7 ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/stage/{contest.id}/player")
    seat = devices.device_seat(contest.id, stage_cookie(client, contest.id).value)
    assert seat.role.value == "player" and seat.subject_id == 7
    assert devices.player_seats(contest.id) == [7]

    page = client.get(f"/stage/{contest.id}/player")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-seat="7"' in html and "js/live/player.js" in html
    assert page.headers["Cache-Control"] == "private, no-store"
    # A player's phone opening a team's pad is sent back to its own page.
    assert client.get(f"/stage/{contest.id}/pad").headers["Location"].endswith("/player")


@pytest.mark.parametrize(
    ("seat", "said"),
    [
        ("", ("Hãy nhập số ghế của bạn.", "Type the number on your seat.")),
        ("21", ("Số ghế từ 1 đến 20.", "Seat numbers go from 1 to 20.")),
        ("0", ("Số ghế từ 1 đến 20.", "Seat numbers go from 1 to 20.")),
        ("bảy", ("Số ghế từ 1 đến 20.", "Seat numbers go from 1 to 20.")),
    ],
)
def test_a_missing_or_out_of_range_seat_is_refused_beside_the_seat_field(
    client, contest, seat, said
):
    response = join(client, devices.player_code(contest), seat)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    beside_the_seat = html[html.index('id="seat-error"') :].split("</p>")[0]
    assert any(words in beside_the_seat for words in said)
    assert 'id="code-error"' not in html  # the code was right
    assert stage_cookie(client, contest.id) is None
    assert devices.player_seats(contest.id) == []


def test_a_team_code_still_opens_the_team_pad_whatever_the_seat_field_says(client, contest):
    team = contest.teams[0]
    response = join(client, team.join_code, "5")
    assert response.headers["Location"].endswith(f"/stage/{contest.id}/pad")
    assert devices.device_seat(contest.id, stage_cookie(client, contest.id).value).subject_id == (
        team.id
    )


def test_a_wrong_code_is_still_refused_beside_the_code_field(client, contest):
    devices.player_code(contest)
    html = join(client, "ZZZZZZ", "3").get_data(as_text=True)
    assert 'id="code-error"' in html and 'id="seat-error"' not in html
    assert stage_cookie(client, contest.id) is None


def test_a_contest_without_an_elimination_part_takes_no_players(client, app):
    contest = make_contest()
    contest.player_code = devices.unique_code()
    db.session.commit()
    html = join(client, contest.player_code, "1").get_data(as_text=True)
    assert 'id="seat-error"' in html  # no seat is in range: there are none
    assert stage_cookie(client, contest.id) is None
