"""Leaderboards from the database follow the published rule: the same ranks `rank_round` gives.

The large rounds are written with bulk inserts (10,000 people, some with two attempts, many tied
on every key); the expected ranking is computed from the generated values themselves, never read
back from the database. tests/online/test_prizes_service.py and test_boards.py use the helpers.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

import online.board_routes  # noqa: F401 - the leaderboard pages, before any app is built
from contest.extensions import db
from contest.units.models import Unit
from online import ranking, standings, taking
from online.models import Attempt, OnlineContest, Participant, Round
from tests.online.test_taking import NOW, build_world, make_participant, make_round, start

# ---- building rounds in bulk --------------------------------------------------------------------


def unit_tree() -> dict[str, int]:
    """Tỉnh → two districts → two communes each (headcounts on communes), ids by code."""
    spec = [
        ("T", "Tỉnh ủy Hậu Giang", None, None),
        ("H1", "Huyện ủy Châu Thành", "T", None),
        ("H2", "Thành ủy Vị Thanh", "T", None),
        ("X11", "Đảng bộ thị trấn Ngã Sáu", "H1", 400),
        ("X12", "Đảng bộ thị trấn Mái Dầm", "H1", 300),
        ("X21", "Đảng bộ phường I", "H2", 500),
        ("X22", "Đảng bộ phường III", "H2", 200),
    ]
    ids: dict[str, int] = {}
    for code, name, parent, headcount in spec:
        unit = Unit(code=code, name=name, parent_id=ids.get(parent), headcount=headcount)
        db.session.add(unit)
        db.session.flush()
        ids[code] = unit.id
    return ids


def published_contest(slug: str = "tim-hieu-05") -> OnlineContest:
    contest = OnlineContest(slug=slug, title="Tìm hiểu Chỉ thị 05", published=True)
    db.session.add(contest)
    db.session.flush()
    return contest


def empty_round(contest: OnlineContest, number: int = 1, **settings) -> Round:
    values = {
        "number": number,
        "title": f"Tuần {number}",
        "opens_at": NOW - timedelta(days=7),
        "closes_at": NOW - timedelta(hours=1),
        "draw": {"question_ids": []},
        "prediction": "attempts",
        "attempts_allowed": 2,
        "counted": "best",
    }
    values.update(settings)
    round_ = Round(contest=contest, **values)
    db.session.add(round_)
    db.session.flush()
    return round_


@dataclass
class Bulk:
    round: Round
    ids: list[int]  # participant ids, person i at index i
    attempts: list[dict]  # every attempt row written (participant_id filled in)
    staff: set[int]
    disqualified: set[int]  # participants whose attempts were disqualified

    def entries(self) -> list[ranking.Entry]:
        """Each person's counted attempt, chosen here from the generated values."""
        by_person: dict[int, list[ranking.Entry]] = {}
        for row in self.attempts:
            if row["submitted_at"] is None or row["disqualified"] is not None:
                continue
            entry = ranking.Entry(
                row["participant_id"],
                row["score"],
                row["prediction"],
                row["time_taken_ms"],
                row["submitted_at"],
            )
            by_person.setdefault(row["participant_id"], []).append(entry)
        return [ranking.counted_attempt(own, ranking.BEST) for own in by_person.values()]

    def submitted(self) -> int:
        return sum(1 for row in self.attempts if row["submitted_at"] is not None)


def bulk_round(round_: Round, people: int = 10_000, seed: int = 5, units=()) -> Bulk:
    """`people` participants with one or two attempts each, drawn so that many tie completely."""
    rng = random.Random(seed)
    contest_id = round_.contest_id
    prefix = secrets.token_hex(4)
    participant_rows = [
        {
            "contest_id": contest_id,
            "token": f"{prefix}-p{i:05d}",
            "full_name": f"Người dự thi {i:05d}",
            "phone": f"09{round_.id % 10}{i:07d}",
            "national_id_hash": f"{i:064x}",
            "national_id_last4": f"{i % 10000:04d}",
            "unit_id": rng.choice(units) if units and i % 7 else None,
            "is_staff": i % 250 == 3,
            "custom": {},
        }
        for i in range(people)
    ]
    db.session.execute(insert(Participant), participant_rows)
    ids = list(
        db.session.scalars(
            select(Participant.id)
            .where(Participant.token.like(f"{prefix}-p%"))
            .order_by(Participant.token)
        )
    )
    attempts, staff, disqualified = [], set(), set()
    for i, participant_id in enumerate(ids):
        if participant_rows[i]["is_staff"]:
            staff.add(participant_id)
        tied = i % 2 == 0  # half the people come from a narrow set of values: many full ties
        for number in (1, 2) if i % 10 == 0 else (1,):
            started = round_.opens_at + timedelta(minutes=rng.randrange(5) if tied else i)
            taken = 1000 * rng.randrange(3) if tied else rng.randrange(600_000)
            submitted = (
                started + timedelta(minutes=10) if tied else started + timedelta(milliseconds=taken)
            )
            unfinished = i % 97 == 5 and number == 1
            row = {
                "round_id": round_.id,
                "participant_id": participant_id,
                "number": number,
                "token": f"{prefix}-a{i:05d}-{number}",
                "seed": 0,
                "started_at": started,
                "deadline": started + timedelta(minutes=10),
                "submitted_at": None if unfinished else submitted,
                "finalised_by": None if unfinished else "participant",
                "score": None if unfinished else float(10 * rng.randrange(6 if tied else 0, 11)),
                "max_score": 100.0,
                "correct": 0,
                "prediction": (
                    rng.choice([None, 4990, 5000, 5010]) if tied else rng.randrange(20_000)
                ),
                "time_taken_ms": None if unfinished else taken,
                "disqualified": "Khai man thông tin" if i % 333 == 7 else None,
            }
            if row["disqualified"]:
                disqualified.add(participant_id)
            attempts.append(row)
    db.session.execute(insert(Attempt), attempts)
    db.session.commit()
    return Bulk(round_, ids, attempts, staff, disqualified)


def ranks(ranked) -> dict:
    return {placed.participant_id: placed.rank for placed in ranked}


# ---- tests --------------------------------------------------------------------------------------


@pytest.fixture
def big(app):
    contest = published_contest()
    round_ = empty_round(contest)
    return bulk_round(round_, units=list(unit_tree().values()))


def test_ten_thousand_entries_rank_exactly_as_rank_round_does(big):
    result = standings.round_ranking(big.round)
    figure = big.submitted()  # the round asked for the number of entries
    expected = ranking.rank_round(big.entries(), figure)
    assert (result.actual, result.final) == (figure, False)
    assert len(result.ranked) == len(expected) > 9_000
    assert ranks(result.ranked) == ranks(expected)
    assert [placed.rank for placed in result.ranked] == [placed.rank for placed in expected]
    # Many people equal on every key: they share a rank and the next rank is skipped.
    shared = [
        r for r, nxt in zip(result.ranked, result.ranked[1:], strict=False) if r.rank == nxt.rank
    ]
    assert len(shared) > 100
    first_tie = shared[0].rank
    after = next(placed.rank for placed in result.ranked if placed.rank > first_tie)
    tied = sum(1 for placed in result.ranked if placed.rank == first_tie)
    assert after == first_tie + tied


def test_the_counted_attempt_is_the_best_one_and_disqualified_people_are_left_out(big):
    result = standings.round_ranking(big.round)
    ranked_ids = {placed.participant_id for placed in result.ranked}
    assert big.disqualified and not big.disqualified & ranked_ids
    twice = [pid for pid in big.ids[::10] if pid in ranked_ids]
    for pid in twice[:50]:
        own = [
            row for row in big.attempts if row["participant_id"] == pid and row["score"] is not None
        ]
        counted = db.session.get(Attempt, result.attempt_of[pid])
        assert counted.score == max(row["score"] for row in own)
        assert result.find(pid).entry.score == counted.score
    # "Find my rank" finds anyone ranked, however far down, and nobody who is not.
    last = result.ranked[-1]
    assert result.find(last.participant_id) is last
    assert result.find(next(iter(big.disqualified))) is None


def test_the_figure_is_provisional_until_the_round_is_closed_then_fixed(big):
    assert standings.figure(big.round) == (big.submitted(), False)
    big.round.closed_at, big.round.actual = NOW, 5000
    db.session.commit()
    result = standings.round_ranking(big.round)
    assert (result.actual, result.final) == (5000, True)
    assert ranks(result.ranked) == ranks(ranking.rank_round(big.entries(), 5000))
    top = result.ranked[0]
    assert top.prediction_error == abs(top.entry.prediction - 5000)


def test_overall_standings_add_up_the_rounds_as_the_rule_says(app):
    contest = published_contest()
    first = empty_round(contest, 1)
    second = empty_round(
        contest, 2, opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=6)
    )
    one = bulk_round(first, people=300, seed=1)
    two = bulk_round(second, people=200, seed=2)
    result = standings.contest_standings(contest, NOW)
    expected = ranking.overall(
        [
            ranking.rank_round(one.entries(), one.submitted()),
            ranking.rank_round(two.entries(), two.submitted()),
        ],
        "sum",
    )
    assert {s.participant_id: s.rank for s in result.standings} == {
        s.participant_id: s.rank for s in expected
    }
    assert not result.final  # the second round is still open
    assert [r.number for r in result.rounds] == [1, 2]


def test_a_round_not_yet_open_does_not_count_in_the_standings(app):
    contest = published_contest()
    empty_round(contest, 1)
    later = empty_round(
        contest, 2, opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=8)
    )
    result = standings.contest_standings(contest, NOW)
    assert later not in result.rounds


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


def test_the_all_correct_figure_counts_entries_with_every_question_right(world):
    questions = [world.questions["single"], world.questions["true_false"]]
    round_ = make_round(world.contest, questions, attempts_allowed=2)
    third = make_participant(world.contest, "Lê Văn Cường")
    answers = {world.people[0]: (0, True), world.people[1]: (0, False), third: (1, True)}
    for person, (single, true_false) in answers.items():
        attempt = start(round_, person)
        taking.save_answer(attempt, 1, single, NOW + timedelta(minutes=1))
        taking.save_answer(attempt, 2, true_false, NOW + timedelta(minutes=1))
        taking.submit(attempt, NOW + timedelta(minutes=2))
    unfinished = start(round_, world.people[0], NOW + timedelta(minutes=3))
    taking.save_answer(unfinished, 1, 0, NOW + timedelta(minutes=4))
    db.session.commit()
    assert standings.measured_figure(round_) == 1  # only the first person's submitted attempt
    round_.prediction = "attempts"
    assert standings.measured_figure(round_) == 3
    round_.prediction = "none"
    assert standings.figure(round_) == (None, True)


def test_public_lines_mask_phones_and_carry_no_identity_numbers(app):
    small = bulk_round(empty_round(published_contest()), people=20)
    person = standings.people([small.ids[12]])[small.ids[12]]
    assert person.phone.startswith("09xx xxx ") and len(person.phone) == 12
    assert not hasattr(person, "national_id_last4")
