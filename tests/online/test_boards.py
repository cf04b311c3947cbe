"""The leaderboard, winners and statistics pages, as visitors and organisers use them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import online.board_routes  # noqa: F401 - the leaderboard pages, before any app is built
from contest.accounts.roles import Role
from contest.extensions import db
from online import boards, closing, contests, prize_service, ranking, standings, taking
from online.models import Attempt, Award, OnlineContest, Participant, Round
from tests.online.test_admin import page_text, said
from tests.online.test_closing import scored_round
from tests.online.test_standings import (
    NOW,
    bulk_round,
    empty_round,
    published_contest,
    unit_tree,
)
from tests.online.test_taking import build_world

ROW = re.compile(
    r'<tr class="(?P<cls>[^"]*)"[^>]*>\s*<td class="rank"[^>]*>(?P<rank>\d+).*?'
    r"<strong>(?P<name>[^<]+)</strong>\s*<span class=\"sub\">(?P<sub>[^<]*)</span>",
    re.S,
)


def rows(response) -> list[dict]:
    return [match.groupdict() for match in ROW.finditer(page_text(response))]


@pytest.fixture
def board(app):
    """A published contest: round 1 closed with 200 people over a unit tree, round 2 open."""
    units = unit_tree()
    contest = published_contest()
    first = empty_round(contest, 1)
    bulk = bulk_round(first, people=200, units=[units[c] for c in ("X11", "X12", "X21", "X22")])
    first.closed_at, first.actual = NOW, 5000
    empty_round(contest, 2, opens_at=NOW - timedelta(hours=1), closes_at=NOW + timedelta(days=6))
    db.session.commit()
    return bulk


def person(bulk, index) -> Participant:
    return db.session.get(Participant, bulk.ids[index])


# ---- public pages -------------------------------------------------------------------------------


def test_the_round_page_lists_ten_thousand_entries_in_the_order_of_the_rule(app, client):
    round_ = empty_round(published_contest())
    bulk = bulk_round(round_)
    round_.closed_at, round_.actual = NOW, 5000
    db.session.commit()
    response = client.get("/cuoc-thi/tim-hieu-05/vong/1/xep-hang?n=1000")
    assert response.status_code == 200
    shown = rows(response)
    expected = ranking.rank_round(bulk.entries(), 5000)[:1000]
    index_of = {pid: i for i, pid in enumerate(bulk.ids)}
    assert [int(row["rank"]) for row in shown] == [placed.rank for placed in expected]
    rank_of = {f"Người dự thi {index_of[p.participant_id]:05d}": p.rank for p in expected}
    assert all(rank_of[row["name"]] == int(row["rank"]) for row in shown)
    assert len({row["rank"] for row in shown}) < len(shown)  # ties share a rank on the page


def test_public_pages_mask_phone_numbers_and_never_show_national_ids(client, board):
    someone = person(board, 0)
    someone.full_name, someone.phone = "Trần Thị Mỹ Lệ", "0912345678"
    someone.national_id_hash, someone.national_id_last4 = "f" * 64, "7315"
    db.session.commit()
    pages = [
        "/cuoc-thi/tim-hieu-05/xep-hang?n=1000",
        "/cuoc-thi/tim-hieu-05/vong/1/xep-hang?n=1000",
        f"/cuoc-thi/tim-hieu-05/vong/1/xep-hang?t={someone.token}",
    ]
    for url in pages:
        text = page_text(client.get(url))
        assert "Trần Thị Mỹ Lệ" in text and "09xx xxx 678" in text
        assert "0912345678" not in text and "0912 345 678" not in text
        assert "7315" not in text and "f" * 64 not in text
        assert all(row["sub"].count("xx") == 2 for row in rows(client.get(url)) if row["sub"])


def test_the_prediction_error_shows_only_once_the_round_is_closed(app, client, board):
    closed = page_text(client.get("/cuoc-thi/tim-hieu-05/vong/1/xep-hang"))
    assert said(app, "Off by") in closed
    assert said(app, "Real figure for the prediction question:") in closed
    board.round.closed_at, board.round.actual = None, None
    board.round.closes_at = NOW + timedelta(days=1) + timedelta(days=365 * 100)
    boards.mark_stale(board.round.id)  # no page reopens a round: tell its board by hand
    db.session.commit()
    provisional = page_text(client.get("/cuoc-thi/tim-hieu-05/vong/1/xep-hang"))
    assert said(app, "Off by") not in provisional
    assert said(app, "Real figure for the prediction question:") not in provisional


def test_find_my_rank_highlights_my_row_even_outside_the_top(app, client, board):
    result = standings.round_ranking(board.round)
    last = result.ranked[-1]
    me = db.session.get(Participant, last.participant_id)
    response = client.get(f"/cuoc-thi/tim-hieu-05/vong/1/xep-hang?n=10&t={me.token}")
    assert response.headers["Cache-Control"] == "private, no-store"
    shown = rows(response)
    assert len(shown) == 11 and shown[-1]["name"] == me.full_name
    assert "me" in shown[-1]["cls"].split() and int(shown[-1]["rank"]) == last.rank
    assert said(app, "Rank %(rank)s", rank=str(last.rank)) in page_text(response)
    # The whole personal link pasted in the box works as well as its code.
    link = f"http://localhost/cuoc-thi/tim-hieu-05/ca-nhan/{me.token}"
    assert rows(client.get("/cuoc-thi/tim-hieu-05/vong/1/xep-hang", query_string={"t": link}))


def test_find_my_rank_refuses_a_link_of_another_contest(app, client, board):
    other = published_contest("cuoc-thi-khac")
    stranger = bulk_round(empty_round(other), people=1)
    token = db.session.get(Participant, stranger.ids[0]).token
    text = page_text(client.get(f"/cuoc-thi/tim-hieu-05/vong/1/xep-hang?t={token}"))
    assert said(app, "This personal link does not belong to this contest.") in text
    assert 'class="me"' not in text


def test_the_unit_table_rolls_figures_up_to_the_chosen_level(client, board):
    def units_section(url):
        text = page_text(client.get(url))
        return text[text.index('id="units"') :]

    level2 = units_section("/cuoc-thi/tim-hieu-05/vong/1/xep-hang?cap=2")
    assert "Huyện ủy Châu Thành" in level2 and "Đảng bộ thị trấn Ngã Sáu" not in level2
    level3 = units_section("/cuoc-thi/tim-hieu-05/vong/1/xep-hang?cap=3")
    assert "Đảng bộ thị trấn Ngã Sáu" in level3 and "Huyện ủy Châu Thành</strong>" not in level3

    result = standings.round_ranking(board.round)
    rows_ = standings.unit_table(
        board.round.contest_id, [board.round.id], standings.scores_of(result), set(), 2
    )
    by_name = {row.unit.name: row.subtree for row in rows_}
    communes = standings.unit_table(
        board.round.contest_id, [board.round.id], standings.scores_of(result), set(), 3
    )
    ngasau, maidam = (
        next(row.subtree for row in communes if row.unit.name == name)
        for name in ("Đảng bộ thị trấn Ngã Sáu", "Đảng bộ thị trấn Mái Dầm")
    )
    district = by_name["Huyện ủy Châu Thành"]
    assert district.participants == ngasau.participants + maidam.participants > 0
    assert district.headcount == 700
    assert f"{district.participants}" in level2


def test_the_winners_page_waits_for_publication_then_lists_the_winners(app, client, board):
    url = "/cuoc-thi/tim-hieu-05/vong/1/giai-thuong"
    assert said(app, "The prizes of this round have not been published yet.") in page_text(
        client.get(url)
    )
    prize_service.set_prizes(board.round, [("Giải Nhất", 1), ("Giải Nhì", 2)], [])
    prize_service.publish(board.round, NOW)
    db.session.commit()
    text = page_text(client.get(url))
    first = db.session.scalar(select(Award).where(Award.rank == 1))
    winner = db.session.get(Participant, first.participant_id)
    assert "Giải Nhất" in text and winner.full_name in text
    assert "09xx xxx" in text and winner.phone not in text


def test_the_overall_standings_page_follows_the_contest_standings(client, board):
    response = client.get("/cuoc-thi/tim-hieu-05/xep-hang?n=1000")
    expected = standings.contest_standings(board.round.contest)
    assert [int(row["rank"]) for row in rows(response)] == [s.rank for s in expected.standings]


def test_board_pages_of_an_unpublished_contest_do_not_exist(client, board):
    board.round.contest.published = False
    db.session.commit()
    for url in ("/xep-hang", "/vong/1/xep-hang", "/vong/1/giai-thuong", "/vong/9/xep-hang"):
        assert client.get(f"/cuoc-thi/tim-hieu-05{url}").status_code == 404


# ---- organisers ---------------------------------------------------------------------------------

ORGANISER_GETS = [
    "/online/rounds/{id}/results",
    "/online/rounds/{id}/results.xlsx",
    "/online/rounds/{id}/stats",
    "/online/rounds/{id}/stats/questions.csv",
    "/online/rounds/{id}/stats.xlsx",
]
ORGANISER_POSTS = [
    "/online/rounds/{id}/close",
    "/online/rounds/{id}/prizes",
    "/online/rounds/{id}/publish",
    "/online/rounds/{id}/attempts/{attempt}/disqualify",
    "/online/rounds/{id}/attempts/{attempt}/reinstate",
]


def urls(board, templates):
    attempt = db.session.scalar(select(Attempt.id).where(Attempt.round_id == board.round.id))
    return [t.format(id=board.round.id, attempt=attempt) for t in templates]


def test_organiser_pages_send_visitors_to_sign_in_and_refuse_other_roles(client, board, login_as):
    for url in urls(board, ORGANISER_GETS):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login"), url
    login_as(Role.EDITOR, Role.REVIEWER, Role.JUDGE, username="khongphaibtc")
    for url in urls(board, ORGANISER_GETS):
        assert client.get(url).status_code == 403, url
    for url in urls(board, ORGANISER_POSTS):
        assert client.post_form(url, {"reason": "x", "confirm": "y"}).status_code == 403, url
    # Nothing happened: not published, nobody newly disqualified (only the generated ones).
    assert board.round.prizes_published_at is None
    reasons = db.session.scalars(select(Attempt.disqualified).distinct()).all()
    assert set(reasons) == {None, "Khai man thông tin"}


@pytest.fixture
def host(login_as):
    return login_as(Role.HOST, username="bantochuc")


def test_the_organiser_sees_every_page_and_download(client, board, host):
    for url in urls(board, ORGANISER_GETS):
        response = client.get(url)
        assert response.status_code == 200, url
    export = client.get(f"/online/rounds/{board.round.id}/results.xlsx")
    book = load_workbook(io.BytesIO(export.data), read_only=True)
    assert book.sheetnames == list(prize_service.sheet_names().values())
    assert export.headers["Content-Disposition"].startswith("attachment;")


def test_the_organiser_closes_a_round_with_a_button(app, client, host):
    world = build_world(lambda *a, **k: host)
    round_ = scored_round(world)
    round_.closes_at = NOW - timedelta(minutes=1)
    db.session.commit()
    url = f"/online/rounds/{round_.id}/close"
    assert client.post(url).status_code == 400  # no CSRF token
    assert db.session.get(Round, round_.id).closed_at is None
    response = client.post_form(url, follow_redirects=True)
    assert said(app, "The round is closed.") in page_text(response)
    assert db.session.get(Round, round_.id).actual == 6


def test_a_disqualification_needs_its_reason_and_then_shows_it(app, client, board, host):
    top = standings.round_ranking(board.round).ranked[0]
    attempt_id = standings.round_ranking(board.round).attempt_of[top.participant_id]
    url = f"/online/rounds/{board.round.id}/attempts/{attempt_id}/disqualify"
    response = client.post_form(url, {"reason": "  "}, follow_redirects=True)
    assert said(app, "Write the reason for the disqualification.") in page_text(response)
    assert db.session.get(Attempt, attempt_id).disqualified is None
    response = client.post_form(url, {"reason": "Khai sai đơn vị"}, follow_redirects=True)
    assert db.session.get(Attempt, attempt_id).disqualified == "Khai sai đơn vị"
    section = page_text(response).split('id="disqualified"')[1]
    assert "Khai sai đơn vị" in section
    assert standings.round_ranking(board.round).find(top.participant_id) is None


def test_the_organiser_sets_prizes_and_publishes_once(app, client, board, host):
    base = f"/online/rounds/{board.round.id}"
    bad = client.post_form(f"{base}/prizes", {"tiers-0-name": "Giải Nhất", "tiers-0-count": "-3"})
    assert bad.status_code == 400
    form = {
        "tiers-0-name": "Giải Nhất",
        "tiers-0-count": "1",
        "tiers-1-name": "Giải Nhì",
        "tiers-1-count": "2",
        "collective-0-kind": "participants",
        "collective-0-name": "Giải tập thể",
        "collective-0-count": "1",
        "collective-0-depth": "2",
    }
    assert client.post_form(f"{base}/prizes", form).status_code == 302
    assert board.round.prize_tiers == [
        {"name": "Giải Nhất", "count": 1},
        {"name": "Giải Nhì", "count": 2},
    ]
    unconfirmed = client.post_form(f"{base}/publish", {})
    assert unconfirmed.status_code == 400 and board.round.prizes_published_at is None
    done = client.post_form(f"{base}/publish", {"confirm": "y"}, follow_redirects=True)
    assert said(app, "The prizes are published.") in page_text(done)
    written = db.session.scalar(select(func.count()).select_from(Award))
    assert written >= 4  # 1 + 2 people (more on a tie) and one unit
    again = client.post_form(f"{base}/publish", {"confirm": "y"}, follow_redirects=True)
    assert said(app, "The prizes of this round are published; the list can't change.") in (
        page_text(again)
    )
    assert db.session.scalar(select(func.count()).select_from(Award)) == written


def test_the_statistics_page_charts_and_tables(app, client, host):
    world = build_world(lambda *a, **k: host)
    round_ = scored_round(world)
    response = client.get(f"/online/rounds/{round_.id}/stats")
    text = page_text(response)
    data = re.search(r'id="online-charts-data">(.*?)</script>', text, re.S).group(1)
    for key in ('"times"', '"scores"', '"questions"', '"units"'):
        assert key in data
    assert "online-charts.js" in text and "chart.umd.min.js" in text
    csv = client.get(f"/online/rounds/{round_.id}/stats/questions.csv").data.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert len(lines) == 3 and lines[1].startswith(f"{world.questions['single'].id},")
    assert ",12,12,6,50.0,1.0" in lines[1]
    book = load_workbook(io.BytesIO(client.get(f"/online/rounds/{round_.id}/stats.xlsx").data))
    assert len(book.sheetnames) == 4
    assert client.get(f"/online/rounds/{round_.id}/stats/nothing.csv").status_code == 404


# ---- the demo -----------------------------------------------------------------------------------


def test_the_demo_contest_has_a_closed_round_with_prizes_and_a_round_open_now(app, client):
    from contest.demo import load_demo
    from online.demo import SLUG, load_online_demo

    load_demo()
    assert load_online_demo() in (0, 1)  # wired into load_demo or not, it is there once
    db.session.commit()
    assert load_online_demo() == 0
    contest = db.session.scalar(select(OnlineContest).where(OnlineContest.slug == SLUG))
    last_week, this_week = contest.rounds
    assert last_week.closed_at is not None and last_week.actual is not None
    assert db.session.scalar(select(func.count()).where(Award.round_id == last_week.id)) >= 10
    assert contests.round_state(this_week) == contests.OPEN
    newcomer = Participant(contest_id=contest.id, token="nguoi-moi-den-0001", full_name="Người mới")
    db.session.add(newcomer)
    attempt = taking.start_attempt(this_week, newcomer, NOW.now(NOW.tzinfo))
    assert len(attempt.questions) == 10
    db.session.rollback()
    for url in ("/xep-hang", "/vong/1/xep-hang", "/vong/2/xep-hang", "/vong/1/giai-thuong"):
        assert client.get(f"/cuoc-thi/{SLUG}{url}").status_code == 200, url
    assert closing.close_round(last_week, NOW.now(NOW.tzinfo)).already
