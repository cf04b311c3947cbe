"""Drawing questions: counts per row, no question twice, repeatable from a seed; option order."""

import itertools
import random
import unicodedata
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online.draw import DrawRow, NotEnough, draw, option_order, order

# Theme 1 (Chỉ thị 05) and theme 2 (Kết luận 01); question 150 is tagged with both themes.
POOL = {
    (1, "nhan_biet"): list(range(100, 160)),
    (1, "thong_hieu"): list(range(200, 230)),
    (2, "nhan_biet"): list(range(150, 151)) + list(range(300, 340)),
    (2, "van_dung"): list(range(400, 410)),
}
SPEC = [DrawRow(1, "nhan_biet", 10), DrawRow(1, "thong_hieu", 5), DrawRow(2, "nhan_biet", 10)]


def test_each_row_gets_its_count_from_its_own_pool_and_no_question_twice():
    drawn = draw(POOL, SPEC, random.Random(1))
    assert len(drawn) == 25 and len(set(drawn)) == 25
    assert all(v in POOL[(1, "nhan_biet")] for v in drawn[:10])
    assert all(v in POOL[(1, "thong_hieu")] for v in drawn[10:15])
    assert all(v in POOL[(2, "nhan_biet")] for v in drawn[15:])


def test_the_same_seed_draws_the_same_questions_and_another_seed_others():
    assert draw(POOL, SPEC, random.Random(42)) == draw(POOL, SPEC, random.Random(42))
    assert draw(POOL, SPEC, random.Random(42)) != draw(POOL, SPEC, random.Random(43))


def test_a_question_in_two_themes_is_drawn_at_most_once():
    pool = {(1, "nhan_biet"): [1, 2, 3], (2, "nhan_biet"): [3, 4, 5]}
    spec = [DrawRow(1, "nhan_biet", 2), DrawRow(2, "nhan_biet", 2)]
    draws = [draw(pool, spec, random.Random(seed)) for seed in range(100)]
    assert all(len(set(drawn)) == 4 for drawn in draws)
    assert {3 in drawn[:2] for drawn in draws} == {True, False}  # either row may have it
    assert {3 in drawn[2:] for drawn in draws} == {True, False}


def test_a_repeat_inside_one_pool_does_not_count_twice():
    with pytest.raises(NotEnough) as raised:
        draw({(1, "x"): [7, 7, 7]}, [DrawRow(1, "x", 2)], random.Random(0))
    assert raised.value.available == 1


def test_a_shared_question_taken_by_an_earlier_row_is_moved_when_a_later_row_needs_it():
    # Row 1 may take 1 or 2; row 2 can only take 2. A draw that gives 2 to row 1 must move it.
    pool = {(1, "x"): [1, 2], (2, "x"): [2]}
    spec = [DrawRow(1, "x", 1), DrawRow(2, "x", 1)]
    assert {tuple(draw(pool, spec, random.Random(seed))) for seed in range(40)} == {(1, 2)}


def test_not_enough_names_the_row_and_how_many_it_could_have():
    spec = [DrawRow(1, "nhan_biet", 10), DrawRow(2, "van_dung", 12)]
    with pytest.raises(NotEnough) as raised:
        draw(POOL, spec, random.Random(0))
    assert (raised.value.row, raised.value.available) == (spec[1], 10)


def test_not_enough_when_the_rows_together_need_more_than_their_shared_questions():
    pool = {(1, "x"): [1, 2], (2, "x"): [1, 2, 3]}
    spec = [DrawRow(1, "x", 2), DrawRow(2, "x", 2)]
    with pytest.raises(NotEnough) as raised:
        draw(pool, spec, random.Random(0))
    assert (raised.value.row, raised.value.available) == (spec[1], 1)


def test_a_row_with_no_pool_at_all_has_none_available_and_a_row_of_zero_needs_none():
    with pytest.raises(NotEnough) as raised:
        draw(POOL, [DrawRow(9, "nhan_biet", 1)], random.Random(0))
    assert raised.value.available == 0
    assert draw(POOL, [DrawRow(9, "nhan_biet", 0)], random.Random(0)) == []


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        DrawRow(1, "x", -1)


def test_without_shared_questions_every_question_of_a_row_is_about_equally_likely():
    pool = {(1, "x"): list(range(10))}
    rng = random.Random(7)
    counts = Counter(v for _ in range(5000) for v in draw(pool, [DrawRow(1, "x", 3)], rng))
    # 1500 expected each; 1350–1650 is more than five standard deviations wide.
    assert all(1350 <= counts[v] <= 1650 for v in range(10)), counts


def feasible(pool, spec) -> bool:
    """Try every way of giving each row distinct questions (tiny cases only)."""
    rows = [list(dict.fromkeys(pool.get((r.theme_id, r.level), []))) for r in spec]

    def fill(index: int, used: frozenset) -> bool:
        if index == len(spec):
            return True
        free = [v for v in rows[index] if v not in used]
        return any(
            fill(index + 1, used | set(pick))
            for pick in itertools.combinations(free, spec[index].count)
        )

    return fill(0, frozenset())


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 3), st.just("x")),
        st.lists(st.integers(1, 7), max_size=5),
        max_size=3,
    ),
    st.lists(st.tuples(st.integers(1, 3), st.integers(0, 3)), max_size=3),
    st.integers(0, 2**32),
)
def test_the_draw_succeeds_exactly_when_some_assignment_exists(pool, rows, seed):
    spec = [DrawRow(theme, "x", count) for theme, count in rows]
    try:
        drawn = draw(pool, spec, random.Random(seed))
    except NotEnough:
        assert not feasible(pool, spec)
        return
    assert feasible(pool, spec)
    assert len(drawn) == len(set(drawn)) == sum(row.count for row in spec)
    start = 0
    for row in spec:
        assert set(drawn[start : start + row.count]) <= set(pool.get((row.theme_id, row.level), []))
        start += row.count


# ---- order of questions and options -------------------------------------------------------------


def test_order_shuffles_only_when_asked_and_repeatably():
    items = list(range(20))
    assert order(items, False, random.Random(1)) == items
    shuffled = order(items, True, random.Random(1))
    assert sorted(shuffled) == items and shuffled != items
    assert shuffled == order(items, True, random.Random(1))
    assert items == list(range(20))  # the caller's list is left alone


def test_options_keep_their_order_when_not_shuffled():
    assert option_order(["a", "b", "c", "d"], False, random.Random(0)) == [0, 1, 2, 3]
    assert option_order(4, False, random.Random(0)) == [0, 1, 2, 3]


def test_shuffled_options_are_a_permutation_and_repeatable():
    texts = ["Năm 1911", "Năm 1890", "Năm 1930", "Năm 1945"]
    shown = option_order(texts, True, random.Random(3))
    assert sorted(shown) == [0, 1, 2, 3]
    assert shown == option_order(texts, True, random.Random(3))
    assert {tuple(option_order(texts, True, random.Random(s))) for s in range(50)} != {(0, 1, 2, 3)}


@pytest.mark.parametrize(
    "about_others",
    [
        "Tất cả các phương án trên",
        "Tất cả các phương án trên đều đúng",
        "Cả 3 phương án trên",
        "Cả ba ý trên",
        "Tất cả đều đúng",
        "Cả hai đều sai",
        "Không có phương án nào đúng",
        "Không có đáp án nào ở trên",
        "TẤT CẢ CÁC ĐÁP ÁN",
        "All of the above",
        "None of the above",
        unicodedata.normalize("NFD", "Tất cả các phương án trên"),  # some keyboards
    ],
)
def test_an_option_about_the_other_options_stays_in_place(about_others):
    texts = ["Tư tưởng", "Đạo đức", "Phong cách", about_others]
    for seed in range(30):
        shown = option_order(texts, True, random.Random(seed))
        assert shown[3] == 3 and sorted(shown) == [0, 1, 2, 3]


def test_the_other_options_still_move_around_a_pinned_one():
    texts = ["Tư tưởng", "Đạo đức", "Phong cách", "Tất cả các phương án trên"]
    seen = {tuple(option_order(texts, True, random.Random(s))[:3]) for s in range(200)}
    assert seen == set(itertools.permutations(range(3)))


@pytest.mark.parametrize(
    "naming_letters",
    [
        "Cả A và B",
        "A và C đều đúng",
        "Chỉ B đúng",
        "Cả ý a và b",
        "Phương án c đúng",
        "Both A and B",
    ],
)
def test_an_option_naming_others_by_letter_keeps_the_whole_question_in_order(naming_letters):
    texts = ["Tư tưởng", "Đạo đức", "Phong cách", naming_letters]
    for seed in range(30):
        assert option_order(texts, True, random.Random(seed)) == [0, 1, 2, 3]


def test_ordinary_content_with_capital_words_still_shuffles():
    texts = ["Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW", "Nghị quyết 04", "Quy định 08"]
    seen = {tuple(option_order(texts, True, random.Random(s))) for s in range(50)}
    assert len(seen) > 1
