"""The leaderboard snapshot: the SQL ranking equals the pure rule, and it is rebuilt when due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from contest.extensions import db
from online import boards, prize_service, ranking, registration, standings, taking
from online.models import Attempt, RoundBoard, RoundRank
from tests.online.test_admin import page_text, said
from tests.online.test_standings import (
    NOW,
    bulk_round,
    empty_round,
    published_contest,
    unit_tree,
)
from tests.online.test_taking import build_world, make_round, start


def snapshot_lines(round_id: int) -> list[RoundRank]:
    return list(
        db.session.scalars(
            select(RoundRank).where(RoundRank.round_id == round_id).order_by(RoundRank.position)
        )
    )


def counted(bulk, rule: str) -> list[ranking.Entry]:
    """Each person's counted attempt by `rule`, from the generated rows, in submission order."""
    rows = sorted(
        (
            row
            for row in bulk.attempts
            if row["submitted_at"] is not None and row["disqualified"] is None
        ),
        key=lambda row: row["submitted_at"],
    )
    entries = [
        ranking.Entry(
            row["participant_id"],
            row["score"],
            row["prediction"],
            row["time_taken_ms"],
            row["submitted_at"],
        )
        for row in rows
    ]
    return ranking.counted_entries(entries, rule)


@pytest.fixture
def units(app):
    return unit_tree()


@pytest.mark.parametrize(
    ("counted_rule", "prediction"),
    [("best", "attempts"), ("first", "attempts"), ("best", "none")],
)
def test_the_snapshot_ranks_ten_thousand_entries_exactly_as_the_rule(
    app, units, counted_rule, prediction
):
    round_ = empty_round(published_contest(), counted=counted_rule, prediction=prediction)
    bulk = bulk_round(round_, units=list(units.values()))
    figure = bulk.submitted() if prediction == "attempts" else None
    expected = ranking.rank_round(counted(bulk, counted_rule), figure)

    assert boards.build(round_, NOW)
    lines = snapshot_lines(round_.id)
    board = db.session.get(RoundBoard, round_.id)
    assert (board.entries, board.actual, board.final, board.stale) == (
        len(expected),
        figure,
        figure is None,  # without a prediction question nothing is left to fix at closing
        False,
    )
    assert [line.position for line in lines] == list(range(1, len(expected) + 1))
    assert [line.rank for line in lines] == [placed.rank for placed in expected]
    expected_by_person = {placed.participant_id: placed for placed in expected}
    for line in lines:
        placed = expected_by_person[line.participant_id]
        assert (line.rank, line.score, line.prediction_error, line.submitted_at) == (
            placed.rank,
            placed.entry.score,
            placed.prediction_error,
            placed.entry.submitted_at,
        )
    # The generated round is full of complete ties, which must share a rank.
    assert len({line.rank for line in lines}) < len(lines) - 100
    two_attempts = [line for line in lines if line.attempts == 2]
    assert two_attempts, "people with two submitted attempts count both in the unit table"


def test_the_unit_table_from_the_snapshot_equals_the_one_from_every_row(app, units):
    contest = published_contest()
    round_ = empty_round(contest)
    bulk = bulk_round(round_, people=3000, units=[units[c] for c in ("X11", "X12", "X21", "X22")])
    winner = bulk.ids[7 * 3 + 1]  # someone with a unit
    boards.build(round_, NOW)
    result = standings.round_ranking(round_)
    scores = standings.scores_of(result)
    tree = standings.tree()
    for depth in (1, 2, 3):
        from_rows = standings.unit_table(contest.id, [round_.id], scores, {winner}, depth)
        from_snapshot = boards.unit_rows(round_.id, tree, {winner}, depth)
        assert [row.unit.id for row in from_snapshot] == [row.unit.id for row in from_rows]
        for mine, theirs in zip(from_snapshot, from_rows, strict=True):
            for part in ("own", "subtree"):
                a, b = getattr(mine, part), getattr(theirs, part)
                assert (a.registered, a.participants, a.attempts, a.winners, a.scored) == (
                    b.registered,
                    b.participants,
                    b.attempts,
                    b.winners,
                    b.scored,
                )
                assert a.score_sum == pytest.approx(b.score_sum)
                assert a.headcount == b.headcount
    assert sum(row.subtree.winners for row in boards.unit_rows(round_.id, tree, {winner}, 1)) == 1


def test_a_busy_round_keeps_its_snapshot_until_the_refresh_interval_passes(app, units):
    app.config["ONLINE_BOARD_REFRESH_S"] = 30
    round_ = empty_round(published_contest())
    bulk = bulk_round(round_, people=400)
    boards.current(round_, NOW)  # the first view builds it
    someone = next(
        line.attempt_id
        for line in snapshot_lines(round_.id)
        if line.participant_id not in bulk.staff
    )
    attempt = db.session.get(Attempt, someone)
    prize_service.disqualify(attempt, "Dùng hai số điện thoại", by_user=None)
    db.session.commit()
    assert db.session.get(RoundBoard, round_.id, populate_existing=True).stale

    # Pages go on reading the snapshot: no rebuild on a page view while entries arrive.
    assert boards.current(round_, NOW + timedelta(seconds=1)).built_at == NOW
    assert boards.find(round_.id, attempt.participant_id) is not None
    assert boards.refresh_due(NOW + timedelta(seconds=10)) == 0
    # Once the interval has passed, the background loop rebuilds it, and only once.
    assert boards.refresh_due(NOW + timedelta(seconds=31)) == 1
    assert boards.find(round_.id, attempt.participant_id) is None
    assert boards.refresh_due(NOW + timedelta(seconds=70)) == 0


def test_marking_stale_writes_only_a_fresh_board(app):
    round_ = empty_round(published_contest())
    boards.build(round_, NOW)
    boards.mark_stale(round_.id)
    db.session.commit()
    assert db.session.get(RoundBoard, round_.id, populate_existing=True).stale
    # A second mark matches no row: a busy round does not rewrite the board for every submit.
    result = db.session.execute(
        update(RoundBoard)
        .where(RoundBoard.round_id == round_.id, RoundBoard.stale.is_(False))
        .values(stale=True)
    )
    assert result.rowcount == 0


def test_one_process_builds_at_a_time_and_a_dead_builders_claim_expires(app):
    round_ = empty_round(published_contest())
    assert boards._claim(round_.id, NOW)  # another process is building since NOW
    assert not boards.build(round_, NOW + timedelta(minutes=1))
    assert boards.build(round_, NOW + timedelta(minutes=11))
    board = db.session.get(RoundBoard, round_.id, populate_existing=True)
    assert board.building_since is None and board.built_at == NOW + timedelta(minutes=11)


def test_a_submit_marks_the_board_and_the_page_says_when_the_entry_will_show(
    app, client, make_user
):
    app.config["ONLINE_BOARD_REFRESH_S"] = 30
    world = build_world(make_user)
    round_ = make_round(world.contest, list(world.questions.values()))
    db.session.commit()
    boards.build(round_, NOW)
    person = world.people[0]
    attempt = start(round_, person)
    assert taking.submit(attempt, NOW + timedelta(minutes=2))
    db.session.commit()
    assert db.session.get(RoundBoard, round_.id, populate_existing=True).stale

    address = f"/cuoc-thi/{world.contest.slug}/vong/1/xep-hang?t={person.token}"
    pending = said(
        app,
        "%(name)s's entry was submitted after this update: "
        "its rank appears at the next update, within a minute.",
        name=person.full_name,
    )
    assert pending in page_text(client.get(address))

    boards.refresh_due(NOW + timedelta(seconds=31))
    page = page_text(client.get(address))
    assert pending not in page
    assert said(app, "Rank %(rank)s", rank="1") in page


def test_a_registration_marks_every_board_of_its_contest_stale(app):
    contest = published_contest()
    rounds = [empty_round(contest, 1), empty_round(contest, 2)]
    other = empty_round(published_contest("cuoc-thi-khac"))
    for round_ in (*rounds, other):
        boards.build(round_, NOW)
    with app.test_request_context():
        registration.register(
            contest,
            {"full_name": "Lê Văn Tám", "date_of_birth": date(1990, 1, 1), "phone": "0912345678"},
        )
        db.session.commit()
    fresh_read = select(RoundBoard).execution_options(populate_existing=True)
    stale = {board.round_id: board.stale for board in db.session.scalars(fresh_read)}
    assert stale == {rounds[0].id: True, rounds[1].id: True, other.id: False}
