"""The prize list: down the final ranking, staff stepped over, disqualified entries out with their
reason, published once, exported as a workbook with the entries, the winners and the units."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import online.board_routes  # noqa: F401 - the leaderboard pages, before any app is built
from contest.extensions import db
from online import prize_service, prizes, ranking
from online.models import Attempt, Award, Participant, Round
from tests.online.test_standings import (
    NOW,
    bulk_round,
    empty_round,
    published_contest,
    unit_tree,
)
from tests.online.test_taking import run_in_threads

TIERS = [("Giải Nhất", 1), ("Giải Nhì", 2), ("Giải Ba", 5), ("Giải Khuyến khích", 8)]


def closed(round_: Round, actual: int) -> Round:
    round_.closed_at, round_.actual = NOW, actual
    db.session.commit()
    return round_


def awards_of(awards) -> list[tuple]:
    return [(award.tier, award.participant_id, award.rank) for award in awards]


@pytest.fixture
def big(app):
    round_ = empty_round(published_contest())
    bulk = bulk_round(round_, units=list(unit_tree().values()))
    closed(round_, 5000)
    prize_service.set_prizes(round_, TIERS, [])
    db.session.commit()
    return bulk


def test_the_prize_list_of_ten_thousand_entries_follows_the_ranking_rule(big):
    plan = prize_service.proposal(big.round)
    expected_ranking = ranking.rank_round(big.entries(), 5000)
    expected = prizes.allocate(
        expected_ranking, [prizes.Tier(n, c) for n, c in TIERS], excluded=big.staff
    )
    assert awards_of(plan.awards) == awards_of(expected)
    assert len(plan.awards) >= 16
    assert not {a.participant_id for a in plan.awards} & (big.staff | big.disqualified)


def test_publishing_writes_the_list_once_and_a_second_publish_is_refused(big):
    plan = prize_service.proposal(big.round)
    written = prize_service.publish(big.round, NOW + timedelta(hours=1))
    db.session.commit()
    assert written == len(plan.awards)
    stored = db.session.scalars(select(Award).order_by(Award.rank, Award.id)).all()
    assert [(a.tier, a.participant_id, a.rank) for a in stored] == awards_of(plan.awards)
    assert big.round.prizes_published_at == NOW + timedelta(hours=1)
    with pytest.raises(prize_service.PrizeRefused) as refused:
        prize_service.publish(big.round, NOW + timedelta(hours=2))
    assert refused.value.code == "published"
    assert db.session.scalar(select(func.count()).select_from(Award)) == written


def test_the_export_opens_with_openpyxl_and_has_entries_winners_and_units(big):
    data = prize_service.export(big.round)
    book = load_workbook(io.BytesIO(data), read_only=True)
    names = prize_service.sheet_names()
    assert book.sheetnames == [names["entries"], names["winners"], names["units"]]
    entries = list(book[names["entries"]].iter_rows(values_only=True))
    ranked = prize_service.proposal(big.round).ranking.ranked
    disqualified = len(big.disqualified)
    assert len(entries) == 1 + len(ranked) + disqualified
    first = entries[1]
    person = db.session.get(Participant, ranked[0].participant_id)
    assert first[0] == 1 and first[1] == person.full_name and first[3] == person.phone
    assert entries[-1][-1] == "Khai man thông tin"  # the reason stays with the entry
    winners = list(book[names["winners"]].iter_rows(values_only=True))
    assert len(winners) - 1 == len(prize_service.proposal(big.round).awards)
    units = list(book[names["units"]].iter_rows(values_only=True))
    assert units[1][0] == "Tỉnh ủy Hậu Giang" and len(units) == 1 + 7


# ---- small rounds -------------------------------------------------------------------------------


@pytest.fixture
def small(app):
    """30 people in one closed round, person i scoring 300 - 10 i (no ties), person 0 on staff."""
    round_ = empty_round(published_contest(), prediction="none", attempts_allowed=1)
    bulk = bulk_round(round_, people=30)
    for i, pid in enumerate(bulk.ids):
        db.session.query(Attempt).filter(Attempt.participant_id == pid).update(
            {
                "score": 300.0 - 10 * i,
                "disqualified": None,
                "submitted_at": NOW - timedelta(days=1),
                "time_taken_ms": 1000,
            }
        )
    db.session.query(Participant).update({"is_staff": False})
    db.session.get(Participant, bulk.ids[0]).is_staff = True
    closed(round_, None)
    prize_service.set_prizes(round_, [("Giải Nhất", 1), ("Giải Nhì", 2)], [])
    db.session.commit()
    return bulk


def winners(round_) -> list[tuple[str, int]]:
    return [(a.tier, a.participant_id) for a in prize_service.proposal(round_).awards]


def test_staff_keep_their_rank_but_never_get_a_prize(small):
    plan = prize_service.proposal(small.round)
    assert plan.ranking.ranked[0].participant_id == small.ids[0]  # first in the ranking
    assert winners(small.round) == [
        ("Giải Nhất", small.ids[1]),
        ("Giải Nhì", small.ids[2]),
        ("Giải Nhì", small.ids[3]),
    ]
    assert plan.staff == {small.ids[0]}


def test_a_disqualified_entry_drops_out_of_the_prizes_with_its_reason_kept(small, make_user):
    organiser = make_user("bantochuc")
    attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == small.ids[1]))
    prize_service.disqualify(attempt, "  Khai   sai năm sinh ", organiser)
    db.session.commit()
    assert attempt.disqualified == "Khai sai năm sinh"
    assert attempt.disqualified_by_id == organiser.id and attempt.disqualified_at is not None
    assert winners(small.round)[0] == ("Giải Nhất", small.ids[2])
    assert [a.participant_id for a in prize_service.disqualified(small.round)] == [small.ids[1]]
    assert small.ids[1] not in {
        p.participant_id for p in prize_service.proposal(small.round).ranking.ranked
    }

    prize_service.reinstate(attempt, organiser)
    db.session.commit()
    assert attempt.disqualified is None and attempt.disqualified_by_id is None
    assert winners(small.round)[0] == ("Giải Nhất", small.ids[1])


def test_a_disqualification_needs_a_reason(small, make_user):
    attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == small.ids[1]))
    with pytest.raises(prize_service.PrizeRefused) as refused:
        prize_service.disqualify(attempt, "   ", make_user("bantochuc"))
    assert refused.value.code == "no_reason"
    assert attempt.disqualified is None


def test_a_disqualification_takes_every_attempt_of_the_person_out(app, make_user):
    round_ = empty_round(published_contest(), prediction="none")
    bulk = bulk_round(round_, people=11)  # person 0 made two attempts
    first = db.session.scalar(
        select(Attempt).where(Attempt.participant_id == bulk.ids[0], Attempt.number == 1)
    )
    prize_service.disqualify(first, "Thi hộ", make_user("bantochuc"))
    db.session.commit()
    reasons = db.session.scalars(
        select(Attempt.disqualified).where(Attempt.participant_id == bulk.ids[0])
    ).all()
    assert reasons == ["Thi hộ", "Thi hộ"]
    ranked = prize_service.proposal(round_).ranking
    assert ranked.find(bulk.ids[0]) is None


def test_prizes_are_published_only_after_closing_and_then_nothing_changes(small, make_user):
    small.round.closed_at = None
    with pytest.raises(prize_service.PrizeRefused) as refused:
        prize_service.publish(small.round, NOW)
    assert refused.value.code == "not_closed"
    small.round.closed_at = NOW
    prize_service.publish(small.round, NOW)
    db.session.commit()
    attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == small.ids[1]))
    for change in (
        lambda: prize_service.disqualify(attempt, "Muộn", make_user("bantochuc")),
        lambda: prize_service.set_prizes(small.round, [("Giải Nhất", 5)], []),
    ):
        with pytest.raises(prize_service.PrizeRefused):
            change()
    individual, _collective = prize_service.published(small.round)
    assert [(a.tier, a.participant_id, a.unit_id) for a in individual][:1] == [
        ("Giải Nhất", small.ids[1], None)
    ]


def test_people_tied_at_the_last_prize_all_receive_it(small):
    tied = small.ids[3:6]
    db.session.query(Attempt).filter(Attempt.participant_id.in_(tied)).update({"score": 270.0})
    db.session.commit()
    assert winners(small.round) == [
        ("Giải Nhất", small.ids[1]),
        ("Giải Nhì", small.ids[2]),
        *[("Giải Nhì", pid) for pid in tied],
    ]


def test_publishing_from_two_requests_at_once_writes_one_list(app, small):
    round_id = small.round.id

    def work():
        try:
            prize_service.publish(db.session.get(Round, round_id), NOW)
        except prize_service.PrizeRefused:
            db.session.rollback()
            return False
        db.session.commit()
        return True

    assert sorted(run_in_threads(app, 4, work)) == [False, False, False, True]
    assert db.session.scalar(select(func.count()).select_from(Award)) == 3


def test_collective_prizes_go_to_the_units_the_unit_table_puts_first(app):
    units = unit_tree()
    round_ = empty_round(published_contest(), prediction="none")
    bulk = bulk_round(round_, people=40, units=[units["X11"], units["X21"]])
    for i, pid in enumerate(bulk.ids):
        unit = units["X11"] if i < 25 else units["X21"]
        db.session.get(Participant, pid).unit_id = unit
    closed(round_, None)
    prize_service.set_prizes(
        round_,
        [],
        [
            {"kind": "participants", "name": "Đông người nhất", "count": 1, "depth": 2},
            {"kind": "rate", "name": "Tỉ lệ cao nhất", "count": 1, "depth": 3},
        ],
    )
    plan = prize_service.proposal(round_)
    (most, most_rows), (rate, rate_rows) = plan.collective
    assert most["name"] == "Đông người nhất" and [r.unit.name for r in most_rows] == [
        "Huyện ủy Châu Thành"
    ]
    # 15 of 500 in phường I against about 24 of 400 in Ngã Sáu.
    assert [r.unit.name for r in rate_rows] == ["Đảng bộ thị trấn Ngã Sáu"]
    prize_service.publish(round_, NOW)
    db.session.commit()
    _individual, collective = prize_service.published(round_)
    assert [(a.tier, a.unit_id, a.kind) for a in collective] == [
        ("Đông người nhất", units["H1"], "collective"),
        ("Tỉ lệ cao nhất", units["X11"], "collective"),
    ]


def test_prize_settings_are_checked(small):
    with pytest.raises(prize_service.PrizeRefused):
        prize_service.set_prizes(small.round, [("Giải Nhất", -1)], [])
    with pytest.raises(prize_service.PrizeRefused):
        prize_service.set_prizes(small.round, [], [{"kind": "nonsense", "name": "X", "count": 1}])
    prize_service.set_prizes(small.round, [("  Giải   Nhất ", 1), ("", 4)], [])
    assert small.round.prize_tiers == [{"name": "Giải Nhất", "count": 1}]
