"""The published tie-break rule, checked by hand and against a naive reading of the rule."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cmp_to_key

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online.ranking import (
    BEST,
    FIRST,
    SUM,
    DuplicateParticipant,
    Entry,
    Ranked,
    counted_attempt,
    counted_entries,
    overall,
    rank_round,
)

MONDAY = datetime(2024, 5, 13, 10, 0, tzinfo=UTC)  # a round opens Monday 10:00


def at(minutes: float) -> datetime:
    return MONDAY + timedelta(minutes=minutes)


def entry(who, score, prediction=None, seconds=300, minute=0.0) -> Entry:
    return Entry(who, float(score), prediction, seconds * 1000, at(minute))


def places(ranking) -> list[tuple[int, object]]:
    return [(line.rank, line.participant_id) for line in ranking]


# ---- by hand: each step of the rule -------------------------------------------------------------


def test_more_points_rank_first_whatever_the_prediction_and_the_time():
    # Nguyễn Văn An answered 10/10 slowly with a poor prediction; Trần Thị Bình 9/10 at once.
    an = entry("an", 10, prediction=9000, seconds=590, minute=50)
    binh = entry("binh", 9, prediction=7172, seconds=30, minute=1)
    assert places(rank_round([binh, an], actual=7172)) == [(1, "an"), (2, "binh")]


def test_at_equal_points_the_prediction_closest_to_the_real_figure_wins():
    # The real case: 7.171 people answered everything right; Lê Văn Cường predicted 7.172,
    # Phạm Thị Dung 7.100 (but faster), Hoàng Văn Em 7.250.
    cuong = entry("cuong", 10, prediction=7172, seconds=400)
    dung = entry("dung", 10, prediction=7100, seconds=100)
    em = entry("em", 10, prediction=7250, seconds=50)
    ranking = rank_round([em, dung, cuong], actual=7171)
    assert places(ranking) == [(1, "cuong"), (2, "dung"), (3, "em")]
    assert [line.prediction_error for line in ranking] == [1, 71, 79]


def test_being_over_or_under_by_the_same_amount_is_the_same_error():
    # Võ Thị Giang predicted one too many, Đặng Văn Hải one too few: time decides.
    giang = entry("giang", 10, prediction=7172, seconds=200)
    hai = entry("hai", 10, prediction=7170, seconds=100)
    assert places(rank_round([giang, hai], actual=7171)) == [(1, "hai"), (2, "giang")]


def test_no_prediction_ranks_after_any_prediction_however_far():
    # Bùi Thị Lan skipped the prediction question; Đỗ Văn Minh guessed wildly.
    lan = entry("lan", 10, prediction=None, seconds=10)
    minh = entry("minh", 10, prediction=1, seconds=500)
    ranking = rank_round([lan, minh], actual=7171)
    assert places(ranking) == [(1, "minh"), (2, "lan")]
    assert [line.prediction_error for line in ranking] == [7170, None]


def test_at_equal_points_and_prediction_the_shorter_time_wins():
    # Ngô Thị Nga and Dương Văn Phúc predicted the same; Phúc took 4 minutes, Nga 5.
    nga = entry("nga", 8, prediction=7000, seconds=300, minute=1)
    phuc = entry("phuc", 8, prediction=7000, seconds=240, minute=30)
    assert places(rank_round([nga, phuc], actual=7171)) == [(1, "phuc"), (2, "nga")]


def test_at_equal_everything_else_the_earlier_submission_wins():
    # Lý Thị Quỳnh submitted at 10:05, Mai Văn Sơn at 10:06, with the same time taken.
    son = entry("son", 8, prediction=7000, seconds=240, minute=6)
    quynh = entry("quynh", 8, prediction=7000, seconds=240, minute=5)
    assert places(rank_round([son, quynh], actual=7171)) == [(1, "quynh"), (2, "son")]


def test_without_a_real_figure_the_prediction_does_not_separate_anyone():
    # A round with no prediction question: most correct → fastest → earliest.
    tam = entry("tam", 9, prediction=None, seconds=100)
    uyen = entry("uyen", 9, prediction=5, seconds=200)
    ranking = rank_round([uyen, tam], actual=None)
    assert places(ranking) == [(1, "tam"), (2, "uyen")]
    assert [line.prediction_error for line in ranking] == [None, None]


def test_people_equal_on_every_key_share_a_place_and_the_next_place_is_skipped():
    # Châu Văn Vinh, Kiều Thị Xuân and Tạ Văn Yên are equal on every key; they share 2nd.
    first = entry("an", 10, prediction=7171)
    tied = [
        entry(who, 9, prediction=7000, seconds=200, minute=3) for who in ("vinh", "xuan", "yen")
    ]
    last = entry("bao", 9, prediction=7000, seconds=200, minute=4)
    ranking = rank_round([last, *tied, first], actual=7171)
    assert places(ranking) == [(1, "an"), (2, "vinh"), (2, "xuan"), (2, "yen"), (5, "bao")]


def test_an_empty_round_has_an_empty_ranking():
    assert rank_round([], actual=10) == []


def test_one_person_twice_in_a_ranking_is_refused():
    with pytest.raises(DuplicateParticipant) as raised:
        rank_round([entry("an", 1), entry("an", 2)], actual=None)
    assert raised.value.participant_id == "an"


@pytest.mark.parametrize(
    ("field", "value"), [("score", float("nan")), ("score", float("inf")), ("time", -1)]
)
def test_an_entry_with_a_score_that_cannot_be_compared_or_a_negative_time_is_refused(field, value):
    with pytest.raises(ValueError):
        if field == "score":
            Entry("an", value, None, 0, MONDAY)
        else:
            Entry("an", 1.0, None, value, MONDAY)


# ---- the counted attempt ------------------------------------------------------------------------


def test_best_counts_the_highest_score_and_among_equal_scores_the_earliest():
    # Nguyễn Thị Hoa tried three times: 8, then 9, then 9 again faster and closer.
    first = entry("hoa", 8, prediction=7171, seconds=100, minute=1)
    second = entry("hoa", 9, prediction=9000, seconds=500, minute=20)
    third = entry("hoa", 9, prediction=7171, seconds=60, minute=40)
    assert counted_attempt([third, first, second], BEST) is second


def test_first_counts_the_first_submitted_even_when_a_later_one_is_better():
    first = entry("hoa", 5, minute=1)
    later = entry("hoa", 10, minute=2)
    assert counted_attempt([later, first], FIRST) is first


def test_counted_attempt_refuses_no_attempts_several_people_and_an_unknown_rule():
    with pytest.raises(ValueError):
        counted_attempt([], BEST)
    with pytest.raises(ValueError):
        counted_attempt([entry("an", 1), entry("binh", 1)], BEST)
    with pytest.raises(ValueError):
        counted_attempt([entry("an", 1)], "last")


def test_counted_entries_keeps_one_attempt_per_person_in_order_of_first_appearance():
    attempts = [entry("binh", 3, minute=1), entry("an", 5, minute=2), entry("binh", 7, minute=3)]
    counted = counted_entries(attempts, BEST)
    assert [(e.participant_id, e.score) for e in counted] == [("binh", 7.0), ("an", 5.0)]


# ---- a naive reading of the rule ----------------------------------------------------------------


def naive_better(a: Entry, b: Entry, actual: int | None) -> bool:
    """Is `a` strictly ahead of `b`? The rule read aloud, one question at a time."""
    if a.score != b.score:
        return a.score > b.score
    if actual is not None:
        if a.prediction is None and b.prediction is not None:
            return False
        if a.prediction is not None and b.prediction is None:
            return True
        if a.prediction is not None and b.prediction is not None:
            distance_a = a.prediction - actual if a.prediction > actual else actual - a.prediction
            distance_b = b.prediction - actual if b.prediction > actual else actual - b.prediction
            if distance_a != distance_b:
                return distance_a < distance_b
    if a.time_taken_ms != b.time_taken_ms:
        return a.time_taken_ms < b.time_taken_ms
    return a.submitted_at < b.submitted_at


def naive_ranks(entries: list[Entry], actual: int | None) -> dict[object, int]:
    """Rank = 1 + how many are strictly ahead, counted over every pair.

    Entries with the same raw fields are compared once and weighted, so that 10,000 entries
    with few distinct values stay quick: still every pair of distinct entries is compared.
    """
    profiles = Counter((e.score, e.prediction, e.time_taken_ms, e.submitted_at) for e in entries)
    as_entry = {p: Entry(None, *p) for p in profiles}
    rank_of = {
        p: 1 + sum(n for q, n in profiles.items() if naive_better(as_entry[q], as_entry[p], actual))
        for p in profiles
    }
    return {
        e.participant_id: rank_of[(e.score, e.prediction, e.time_taken_ms, e.submitted_at)]
        for e in entries
    }


def many_ties(rng: random.Random, count: int) -> list[Entry]:
    """Few distinct scores, predictions, times and submission minutes: ties everywhere."""
    return [
        Entry(
            participant_id=number,
            score=float(rng.choice([6, 7, 8, 9, 10])),
            prediction=rng.choice([None, 7160, 7165, 7170, 7171, 7172, 7177, 7182]),
            time_taken_ms=rng.choice([60_000, 90_000, 120_000, 120_001, 180_000]),
            submitted_at=at(rng.choice(range(8))),
        )
        for number in range(count)
    ]


@pytest.mark.parametrize("actual", [7171, None])
def test_ten_thousand_entries_with_many_ties_rank_as_the_naive_reading_says(actual):
    entries = many_ties(random.Random(5), 10_000)
    ranking = rank_round(entries, actual)

    naive = naive_ranks(entries, actual)
    assert sorted(line.participant_id for line in ranking) == list(range(10_000))
    assert {line.participant_id: line.rank for line in ranking} == naive
    ranks = [line.rank for line in ranking]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert len(set(ranks)) < 2_000  # the data really is full of ties

    # Read in order, nobody is ahead of the person listed before them, and a shared rank
    # means neither is ahead of the other.
    for before, after in zip(ranking, ranking[1:], strict=False):
        assert not naive_better(after.entry, before.entry, actual)
        neither_ahead = not naive_better(before.entry, after.entry, actual)
        assert neither_ahead == (before.rank == after.rank)

    # A differently written sort (a comparison function, places counted by hand) agrees too.
    def compare(a: Entry, b: Entry) -> int:
        return -1 if naive_better(a, b, actual) else (1 if naive_better(b, a, actual) else 0)

    by_comparison = sorted(entries, key=cmp_to_key(compare))
    place, by_hand = 0, {}
    for index, e in enumerate(by_comparison):
        if index == 0 or compare(by_comparison[index - 1], e) != 0:
            place = index + 1
        by_hand[e.participant_id] = place
    assert by_hand == naive


def entries_strategy():
    one = st.builds(
        Entry,
        participant_id=st.none(),
        score=st.sampled_from([0.0, 2.5, 5.0]),
        prediction=st.none() | st.integers(95, 105),
        time_taken_ms=st.sampled_from([1000, 2000]),
        submitted_at=st.sampled_from([at(0), at(1)]),
    )
    return st.lists(one, max_size=40).map(
        lambda entries: [Entry(i, *fields(e)) for i, e in enumerate(entries)]
    )


def fields(e: Entry):
    return (e.score, e.prediction, e.time_taken_ms, e.submitted_at)


@settings(max_examples=300, deadline=None)
@given(entries_strategy(), st.none() | st.integers(95, 105), st.randoms(use_true_random=False))
def test_the_ranking_is_the_naive_one_and_does_not_depend_on_the_input_order(entries, actual, rng):
    expected = naive_ranks(entries, actual)
    shuffled = list(entries)
    rng.shuffle(shuffled)
    for given_order in (entries, shuffled):
        ranking = rank_round(given_order, actual)
        assert {line.participant_id: line.rank for line in ranking} == expected


# ---- the contest across rounds ------------------------------------------------------------------


def ranked_round(actual, *entries) -> list[Ranked]:
    return rank_round(entries, actual)


def test_sum_adds_the_rounds_and_then_breaks_ties_by_prediction_error_time_and_last_submission():
    # Two weeks. An and Bình both total 18 points; An's predictions were closer overall.
    week1 = ranked_round(
        100,
        entry("an", 10, prediction=98, seconds=300, minute=1),
        entry("binh", 8, prediction=100, seconds=100, minute=2),
        entry("cuong", 10, prediction=90, seconds=100, minute=3),
    )
    week2 = ranked_round(
        200,
        entry("an", 8, prediction=201, seconds=300, minute=10_001),
        entry("binh", 10, prediction=205, seconds=100, minute=10_002),
        entry("cuong", 7, prediction=200, seconds=100, minute=10_003),
    )
    standings = overall([week1, week2], SUM)
    assert places(standings) == [(1, "an"), (2, "binh"), (3, "cuong")]
    an = standings[0]
    assert (an.score, an.prediction_error, an.time_taken_ms, an.rounds) == (18.0, 3, 600_000, 2)
    assert an.submitted_at == at(10_001)


def test_sum_at_equal_points_and_errors_less_total_time_then_earlier_last_submission_win():
    week1 = ranked_round(
        None,
        entry("dung", 5, seconds=100, minute=1),
        entry("em", 5, seconds=100, minute=1),
        entry("giang", 5, seconds=90, minute=9),
    )
    week2 = ranked_round(
        None,
        entry("dung", 5, seconds=100, minute=10_005),
        entry("em", 5, seconds=100, minute=10_004),
        entry("giang", 5, seconds=110, minute=10_009),
    )
    # Giang: 200 s in all like the others, but her last submission is the latest.
    assert places(overall([week1, week2], SUM)) == [(1, "em"), (2, "dung"), (3, "giang")]


def test_sum_a_skipped_round_with_a_prediction_counts_as_a_missing_prediction():
    # Hải took both weeks and scored 0 in the second; Lan skipped it. Equal points: without
    # this rule Lan would win on a smaller sum of errors just by staying away.
    week1 = ranked_round(
        100, entry("hai", 10, prediction=100, minute=1), entry("lan", 10, prediction=100, minute=1)
    )
    week2 = ranked_round(200, entry("hai", 0, prediction=150, minute=10_001))
    standings = overall([week1, week2], SUM)
    assert places(standings) == [(1, "hai"), (2, "lan")]
    assert [s.missing_predictions for s in standings] == [0, 1]
    assert [s.prediction_error for s in standings] == [50, 0]


def test_sum_people_equal_on_every_key_share_a_place():
    week = ranked_round(None, entry("an", 5), entry("binh", 5), entry("cuong", 4))
    assert places(overall([week], SUM)) == [(1, "an"), (1, "binh"), (3, "cuong")]


def test_sum_totals_do_not_drift_with_the_order_of_the_rounds():
    # 0.1 + 0.2 + 0.3 differs from 0.3 + 0.2 + 0.1 in floating point; fsum does not.
    rounds_an = [0.1, 0.2, 0.3]
    weeks = [
        ranked_round(None, entry("an", a, minute=i), entry("binh", b, minute=i))
        for i, (a, b) in enumerate(zip(rounds_an, reversed(rounds_an), strict=True))
    ]
    assert 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1
    assert sorted(places(overall(weeks, SUM))) == [(1, "an"), (1, "binh")]


def test_best_takes_each_persons_best_single_round_by_the_round_rule():
    week1 = ranked_round(
        100, entry("an", 9, prediction=100, minute=1), entry("binh", 10, prediction=150, minute=2)
    )
    week2 = ranked_round(
        200, entry("an", 10, prediction=201, minute=10_001), entry("binh", 7, minute=10_002)
    )
    standings = overall([week1, week2], BEST)
    assert places(standings) == [(1, "an"), (2, "binh")]
    assert (standings[0].score, standings[0].prediction_error, standings[0].rounds) == (10.0, 1, 2)
    assert standings[1].prediction_error == 50


def test_overall_refuses_an_unknown_mode_and_a_round_listing_someone_twice():
    week = ranked_round(None, entry("an", 5))
    with pytest.raises(ValueError):
        overall([week], "average")
    with pytest.raises(DuplicateParticipant):
        overall([week + week], SUM)


def naive_sum_standings(rounds: list[list[Ranked]]) -> dict[object, int]:
    """The "sum" rule read aloud: totals with plain loops, then 1 + how many are ahead."""
    people = {line.participant_id for week in rounds for line in week}
    weeks_with_figure = [w for w in rounds if any(x.prediction_error is not None for x in w)]
    totals = {}
    for who in people:
        score, error, missing, time, last = 0.0, 0, 0, 0, None
        for week in rounds:
            for line in week:
                if line.participant_id == who:
                    score += line.entry.score
                    time += line.entry.time_taken_ms
                    if last is None or line.entry.submitted_at > last:
                        last = line.entry.submitted_at
                    if line.prediction_error is not None:
                        error += line.prediction_error
        for week in weeks_with_figure:
            mine = [x for x in week if x.participant_id == who]
            if not mine or mine[0].prediction_error is None:
                missing += 1
        totals[who] = (score, missing, error, time, last)

    def ahead(a, b):
        if a[0] != b[0]:
            return a[0] > b[0]
        for x, y in zip(a[1:], b[1:], strict=True):
            if x != y:
                return x < y
        return False

    return {who: 1 + sum(ahead(totals[o], totals[who]) for o in people) for who in people}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | st.integers(95, 105),
            st.lists(
                st.tuples(
                    st.integers(0, 5),
                    st.sampled_from([1, 2, 3]),  # whole points: sums stay exact
                    st.none() | st.integers(95, 105),
                    st.sampled_from([1000, 2000]),
                    st.integers(0, 2),
                ),
                max_size=8,
                unique_by=lambda t: t[0],
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_sum_standings_agree_with_the_naive_reading(weeks):
    rounds = [
        rank_round(
            [entry(who, s, p, seconds=t, minute=n * 10_000 + m) for who, s, p, t, m in rows], a
        )
        for n, (a, rows) in enumerate(weeks)
    ]
    standings = overall(rounds, SUM)
    assert {s.participant_id: s.rank for s in standings} == naive_sum_standings(rounds)
