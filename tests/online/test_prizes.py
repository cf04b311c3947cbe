"""Prizes down the ranking: people stepped over, ties at a boundary, collective prizes."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online.prizes import (
    ATTEMPTS,
    PARTICIPANTS,
    RATE,
    WINNERS,
    Tier,
    allocate,
    collective,
)
from online.ranking import BEST, SUM, DuplicateParticipant, Entry, Ranked, overall, rank_round
from online.units_table import ParticipantRow, Unit, table

MONDAY = datetime(2024, 5, 13, 10, 0, tzinfo=UTC)
# The usual prizes of a week: 1 first, 2 second, 5 third, 8 consolation.
WEEK = [Tier("Giải Nhất", 1), Tier("Giải Nhì", 2), Tier("Giải Ba", 5), Tier("Khuyến khích", 8)]


def line(rank: int, who: str) -> Ranked:
    return Ranked(rank, Entry(who, 10.0 - rank, None, 1000, MONDAY), None)


def ranking(*ranks: int) -> list[Ranked]:
    """A ranking with the given ranks; person i is called "p{i}"."""
    return [line(rank, f"p{i}") for i, rank in enumerate(ranks, start=1)]


def prizes(awards) -> list[tuple[str, str]]:
    return [(award.participant_id, award.tier) for award in awards]


def tier_sizes(awards) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for award in awards:
        sizes[award.tier] = sizes.get(award.tier, 0) + 1
    return sizes


def test_prizes_go_down_the_ranking_tier_by_tier():
    awards = allocate(ranking(*range(1, 21)), WEEK)
    assert tier_sizes(awards) == {"Giải Nhất": 1, "Giải Nhì": 2, "Giải Ba": 5, "Khuyến khích": 8}
    assert prizes(awards)[:4] == [
        ("p1", "Giải Nhất"),
        ("p2", "Giải Nhì"),
        ("p3", "Giải Nhì"),
        ("p4", "Giải Ba"),
    ]
    assert prizes(awards)[-1] == ("p16", "Khuyến khích")
    assert [award.rank for award in awards] == list(range(1, 17))


def test_excluded_people_keep_their_place_but_their_prize_goes_to_the_next_one_down():
    # p1 is on the organising committee, p3 was disqualified for false information.
    awards = allocate(ranking(1, 2, 3, 4, 5), WEEK[:2], excluded={"p1", "p3"})
    assert prizes(awards) == [("p2", "Giải Nhất"), ("p4", "Giải Nhì"), ("p5", "Giải Nhì")]
    assert [award.rank for award in awards] == [2, 4, 5]


def test_fewer_people_than_prizes_leaves_prizes_unawarded():
    assert prizes(allocate(ranking(1, 2), WEEK)) == [("p1", "Giải Nhất"), ("p2", "Giải Nhì")]


def test_a_tie_across_a_boundary_gives_everyone_the_higher_prize_and_the_next_tier_shrinks():
    # p3, p4 and p5 are equal on every key at the 3rd place, the last Giải Nhì.
    awards = allocate(ranking(1, 2, 3, 3, 3, 6, 7, 8, 9, 10), WEEK[:3])
    assert prizes(awards) == [
        ("p1", "Giải Nhất"),
        ("p2", "Giải Nhì"),
        ("p3", "Giải Nhì"),
        ("p4", "Giải Nhì"),
        ("p5", "Giải Nhì"),
        ("p6", "Giải Ba"),
        ("p7", "Giải Ba"),
        ("p8", "Giải Ba"),
    ]
    assert tier_sizes(awards) == {"Giải Nhất": 1, "Giải Nhì": 4, "Giải Ba": 3}


def test_a_tie_inside_a_tier_changes_nothing():
    awards = allocate(ranking(1, 2, 2, 4), WEEK[:3])
    assert prizes(awards) == [
        ("p1", "Giải Nhất"),
        ("p2", "Giải Nhì"),
        ("p3", "Giải Nhì"),
        ("p4", "Giải Ba"),
    ]


def test_a_large_tie_can_use_up_the_next_tier_entirely():
    # Four people tied for 1st: Giải Nhất for all, no Giải Nhì, Giải Ba shrinks by one.
    awards = allocate(ranking(1, 1, 1, 1, 5, 6, 7, 8, 9), WEEK[:3])
    assert tier_sizes(awards) == {"Giải Nhất": 4, "Giải Ba": 4}
    assert prizes(awards)[4:] == [(f"p{i}", "Giải Ba") for i in (5, 6, 7, 8)]


def test_a_tie_at_the_last_place_of_the_last_tier_gives_extra_prizes():
    awards = allocate(ranking(1, 2, 3, 3, 5), WEEK[:2])
    assert prizes(awards) == [
        ("p1", "Giải Nhất"),
        ("p2", "Giải Nhì"),
        ("p3", "Giải Nhì"),
        ("p4", "Giải Nhì"),
    ]


def test_a_tie_that_starts_after_the_last_prize_gets_nothing():
    awards = allocate(ranking(1, 2, 3, 4, 4), WEEK[:2])
    assert prizes(awards) == [("p1", "Giải Nhất"), ("p2", "Giải Nhì"), ("p3", "Giải Nhì")]


def test_an_excluded_person_inside_a_tie_does_not_count_towards_it():
    awards = allocate(ranking(1, 2, 2, 2), WEEK[:2], excluded={"p3"})
    assert prizes(awards) == [("p1", "Giải Nhất"), ("p2", "Giải Nhì"), ("p4", "Giải Nhì")]


def test_a_tier_of_none_is_skipped_and_a_negative_one_refused():
    awards = allocate(ranking(1, 2), [Tier("Giải Nhất", 0), Tier("Giải Nhì", 2)])
    assert prizes(awards) == [("p1", "Giải Nhì"), ("p2", "Giải Nhì")]
    with pytest.raises(ValueError):
        Tier("Giải Nhất", -1)


def test_an_unsorted_ranking_is_read_in_rank_order():
    shuffled = [line(3, "c"), line(1, "a"), line(2, "b")]
    assert prizes(allocate(shuffled, WEEK[:2])) == [
        ("a", "Giải Nhất"),
        ("b", "Giải Nhì"),
        ("c", "Giải Nhì"),
    ]


def test_a_person_twice_in_the_ranking_is_refused_rather_than_given_two_prizes():
    with pytest.raises(DuplicateParticipant):
        allocate([line(1, "a"), line(2, "a")], WEEK)


def test_prizes_follow_a_real_round_ranking_and_contest_standings():
    entries = [
        Entry("an", 10.0, 7172, 200_000, MONDAY),
        Entry("binh", 10.0, 7100, 100_000, MONDAY),
        Entry("cuong", 9.0, 7171, 50_000, MONDAY),
    ]
    week = rank_round(entries, actual=7171)
    assert prizes(allocate(week, WEEK[:2])) == [
        ("an", "Giải Nhất"),
        ("binh", "Giải Nhì"),
        ("cuong", "Giải Nhì"),
    ]
    for mode in (SUM, BEST):
        standings = overall([week], mode)
        assert prizes(allocate(standings, WEEK[:1])) == [("an", "Giải Nhất")]


def naive_tiers(ranks: list[int], counts: list[int], excluded: set[int]) -> dict[int, int]:
    """Person -> tier index: the tier of the slot numbered by how many eligible are ahead."""
    slots = [tier for tier, count in enumerate(counts) for _ in range(count)]
    result = {}
    for person, rank in enumerate(ranks):
        if person in excluded:
            continue
        ahead = sum(1 for other, r in enumerate(ranks) if other not in excluded and r < rank)
        if ahead < len(slots):
            result[person] = slots[ahead]
    return result


@st.composite
def rankings(draw):
    """Competition ranks (1, 2, 2, 4 …) for up to 30 people."""
    size = draw(st.integers(0, 30))
    ties = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    ranks = []
    for index, tied in enumerate(ties):
        ranks.append(ranks[-1] if tied and ranks else index + 1)
    return ranks


@settings(max_examples=300, deadline=None)
@given(
    rankings(),
    st.lists(st.integers(0, 4), min_size=1, max_size=4),
    st.sets(st.integers(0, 29), max_size=6),
)
def test_allocation_matches_counting_the_eligible_people_ahead(ranks, counts, excluded):
    lines = [line(rank, str(person)) for person, rank in enumerate(ranks)]
    tiers = [Tier(f"tier {index}", count) for index, count in enumerate(counts)]
    awards = allocate(lines, tiers, excluded={str(person) for person in excluded})
    got = {int(award.participant_id): int(award.tier.split()[1]) for award in awards}
    assert got == naive_tiers(ranks, counts, excluded)
    # Everyone tied gets the same prize, and better places never get a lower tier.
    by_rank = {}
    for award in awards:
        assert by_rank.setdefault(award.rank, award.tier) == award.tier
    tier_order = [int(award.tier.split()[1]) for award in awards]
    assert tier_order == sorted(tier_order)


# ---- collective prizes ---------------------------------------------------------------------------

DISTRICTS = [
    Unit(1, None, "Huyện ủy Châu Thành", 100),
    Unit(2, None, "Huyện ủy Đông Hải", 20),
    Unit(3, None, "Huyện ủy Dương Minh Châu", 50),
    Unit(4, None, "Huyện ủy An Biên", None),
    Unit(5, None, "Huyện ủy Bình Đại", 40),
]


def rows_for(unit_id: int, people: int, attempts_each: int, winners: int = 0):
    return [
        ParticipantRow(unit_id, attempts_each, 8.0, is_winner=index < winners)
        for index in range(people)
    ]


def district_table():
    rows = (
        rows_for(1, 30, 1, winners=1)  # 30 people, 30 attempts, rate 0.30
        + rows_for(2, 10, 3)  # 10 people, 30 attempts, rate 0.50
        + rows_for(3, 10, 2, winners=2)  # 10 people, 20 attempts, rate 0.20
        + rows_for(4, 30, 1)  # 30 people, 30 attempts, no headcount
        + rows_for(5, 0, 0)  # nobody
    )
    return table(DISTRICTS, rows, depth=1)


def names(rows) -> list[str]:
    return [row.unit.name for row in rows]


def test_most_participants_with_ties_broken_by_attempts_then_name():
    # Châu Thành and An Biên: 30 people and 30 attempts each; Châu Thành has a rate, An Biên none.
    # Đông Hải and Dương Minh Châu: 10 people each; Đông Hải made more attempts.
    assert names(collective(district_table(), PARTICIPANTS, 4)) == [
        "Huyện ủy Châu Thành",
        "Huyện ủy An Biên",
        "Huyện ủy Đông Hải",
        "Huyện ủy Dương Minh Châu",
    ]


def test_most_attempts_with_ties_broken_by_participants_then_rate():
    assert names(collective(district_table(), ATTEMPTS, 3)) == [
        "Huyện ủy Châu Thành",  # 30 attempts, 30 people, rate 0.30
        "Huyện ủy An Biên",  # 30 attempts, 30 people, no rate
        "Huyện ủy Đông Hải",  # 30 attempts, 10 people
    ]


def test_highest_rate_leaves_out_units_without_a_headcount_and_without_participants():
    assert names(collective(district_table(), RATE, 10)) == [
        "Huyện ủy Đông Hải",
        "Huyện ủy Châu Thành",
        "Huyện ủy Dương Minh Châu",
    ]


def test_most_winners_counts_only_units_with_a_winner():
    assert names(collective(district_table(), WINNERS, 10)) == [
        "Huyện ủy Dương Minh Châu",
        "Huyện ủy Châu Thành",
    ]


def test_units_equal_on_every_figure_are_ordered_by_their_vietnamese_name():
    units = [Unit(1, None, "Xã Đông Hòa"), Unit(2, None, "Xã Dương Hòa"), Unit(3, None, "Xã Ea")]
    rows = rows_for(1, 5, 1) + rows_for(2, 5, 1) + rows_for(3, 5, 1)
    assert names(collective(table(units, rows, depth=1), PARTICIPANTS, 3)) == [
        "Xã Dương Hòa",
        "Xã Đông Hòa",  # Đ comes after D, before E
        "Xã Ea",
    ]


def test_collective_refuses_an_unknown_kind_and_a_negative_count():
    with pytest.raises(ValueError):
        collective([], "average", 1)
    with pytest.raises(ValueError):
        collective([], PARTICIPANTS, -1)


def test_collective_of_none_is_empty():
    assert collective(district_table(), PARTICIPANTS, 0) == []
