"""The unit table: each unit's own figures and its subtree's, at one depth of the tree."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online.units_table import (
    ParticipantRow,
    Unit,
    UnitCycle,
    UnknownUnit,
    all_rows,
    name_key,
    table,
)

# Tỉnh ủy Hậu Giang (1000 members)
# ├── Huyện ủy Châu Thành (no headcount of its own)
# │   ├── Đảng bộ xã Đông Phước (80)
# │   └── Đảng bộ xã Đông Thạnh (120)
# └── Thành ủy Ngã Bảy (300)
#     └── Đảng bộ phường Lái Hiếu (no headcount)
UNITS = [
    Unit(1, None, "Tỉnh ủy Hậu Giang", 1000),
    Unit(2, 1, "Huyện ủy Châu Thành", None),
    Unit(3, 2, "Đảng bộ xã Đông Phước", 80),
    Unit(4, 2, "Đảng bộ xã Đông Thạnh", 120),
    Unit(5, 1, "Thành ủy Ngã Bảy", 300),
    Unit(6, 5, "Đảng bộ phường Lái Hiếu", None),
]
ROWS = [
    # Đông Phước: 3 registered, 2 took part (4 attempts), one winner.
    ParticipantRow(3, 3, 9.0, is_winner=True),
    ParticipantRow(3, 1, 7.0),
    ParticipantRow(3, 0, None),
    # Đông Thạnh: 1 person, 2 attempts.
    ParticipantRow(4, 2, 8.0),
    # Huyện ủy Châu Thành's own staff: 1 person.
    ParticipantRow(2, 1, 6.0),
    # Ngã Bảy's own: 2 people; Lái Hiếu: 1 person, a winner.
    ParticipantRow(5, 1, 10.0, is_winner=True),
    ParticipantRow(5, 1, 4.0),
    ParticipantRow(6, 5, 5.0, is_winner=True),
    # Someone who named no unit.
    ParticipantRow(None, 1, 3.0),
]


def by_name(rows):
    return {row.unit.name: row for row in rows}


def test_a_leaf_units_own_figures_are_its_subtree_figures():
    phuoc = by_name(all_rows(UNITS, ROWS))["Đảng bộ xã Đông Phước"]
    assert phuoc.own == phuoc.subtree
    assert (phuoc.own.registered, phuoc.own.participants, phuoc.own.attempts) == (3, 2, 4)
    assert phuoc.own.winners == 1
    assert phuoc.own.average_score == 8.0  # (9 + 7) / 2: the one who never attempted is left out
    assert phuoc.own.rate == pytest.approx(2 / 80)


def test_figures_roll_up_through_three_levels():
    rows = by_name(all_rows(UNITS, ROWS))
    chau_thanh = rows["Huyện ủy Châu Thành"]
    assert (chau_thanh.own.participants, chau_thanh.own.attempts) == (1, 1)
    assert chau_thanh.subtree.participants == 1 + 2 + 1
    assert chau_thanh.subtree.attempts == 1 + 4 + 2
    assert chau_thanh.subtree.winners == 1
    assert chau_thanh.subtree.average_score == pytest.approx((6 + 9 + 7 + 8) / 4)

    province = rows["Tỉnh ủy Hậu Giang"]
    assert (province.own.registered, province.own.participants) == (0, 0)
    assert province.own.average_score is None
    assert province.subtree.registered == 8
    assert province.subtree.participants == 7
    assert province.subtree.attempts == 7 + 2 + 5
    assert province.subtree.winners == 3
    assert province.subtree.average_score == pytest.approx((6 + 9 + 7 + 8 + 10 + 4 + 5) / 7)
    assert [rows[n.name].depth for n in UNITS] == [1, 2, 3, 3, 2, 3]


def test_a_stated_headcount_covers_the_whole_unit_and_a_missing_one_is_summed_from_children():
    rows = by_name(all_rows(UNITS, ROWS))
    # Châu Thành states none: its communes' 80 + 120 stand in.
    assert rows["Huyện ủy Châu Thành"].subtree.headcount == 200
    assert rows["Huyện ủy Châu Thành"].subtree.rate == pytest.approx(4 / 200)
    # The province states 1000, which includes everyone below.
    assert rows["Tỉnh ủy Hậu Giang"].subtree.rate == pytest.approx(7 / 1000)
    assert rows["Thành ủy Ngã Bảy"].subtree.rate == pytest.approx(3 / 300)
    # A unit with children has no denominator for the people attached to it directly.
    assert rows["Thành ủy Ngã Bảy"].own.rate is None
    # No headcount and no children to borrow from: no rate.
    assert rows["Đảng bộ phường Lái Hiếu"].subtree.rate is None


def test_a_missing_headcount_is_not_summed_when_a_child_has_none_either():
    units = [Unit(1, None, "Huyện", None), Unit(2, 1, "Xã A", 50), Unit(3, 1, "Xã B", None)]
    (top,) = table(units, [ParticipantRow(2, 1, 5.0)], depth=1)
    assert top.subtree.headcount is None and top.subtree.rate is None


def test_a_headcount_of_zero_gives_no_rate_rather_than_a_division_by_zero():
    (row,) = table([Unit(1, None, "Xã", 0)], [ParticipantRow(1, 1, 5.0)], depth=1)
    assert row.subtree.rate is None


def test_the_table_shows_one_depth_most_participants_first():
    assert [(r.unit.name, r.subtree.participants) for r in table(UNITS, ROWS, depth=1)] == [
        ("Tỉnh ủy Hậu Giang", 7)
    ]
    assert [(r.unit.name, r.subtree.participants) for r in table(UNITS, ROWS, depth=2)] == [
        ("Huyện ủy Châu Thành", 4),
        ("Thành ủy Ngã Bảy", 3),
    ]
    assert [(r.unit.name, r.subtree.participants) for r in table(UNITS, ROWS, depth=3)] == [
        ("Đảng bộ xã Đông Phước", 2),
        ("Đảng bộ phường Lái Hiếu", 1),
        ("Đảng bộ xã Đông Thạnh", 1),
    ]
    assert table(UNITS, ROWS, depth=4) == []


def test_equal_participants_are_ordered_by_vietnamese_name():
    units = [Unit(i, None, name) for i, name in enumerate(["Xã Ea", "Xã Đông", "Xã Dương"])]
    rows = [ParticipantRow(i, 1, 1.0) for i in range(3)]
    assert [r.unit.name for r in table(units, rows, depth=1)] == ["Xã Dương", "Xã Đông", "Xã Ea"]


def test_a_unit_whose_parent_is_not_in_the_list_is_a_top_unit():
    units = [Unit(7, 99, "Chi bộ ấp 1", 12)]
    (row,) = table(units, [ParticipantRow(7, 1, 5.0)], depth=1)
    assert row.depth == 1 and row.subtree.participants == 1


def test_an_empty_tree_gives_an_empty_table():
    assert table([], [], depth=1) == []


def test_a_row_naming_an_unknown_unit_is_refused_with_the_unit():
    with pytest.raises(UnknownUnit) as raised:
        table(UNITS, [ParticipantRow(42, 1, 1.0)], depth=1)
    assert raised.value.unit_id == 42


def test_a_loop_of_parents_is_refused_instead_of_hanging():
    units = [Unit(1, 2, "A"), Unit(2, 1, "B"), Unit(3, None, "C"), Unit(4, 4, "D")]
    with pytest.raises(UnitCycle):
        table(units, [], depth=1)


def test_depth_starts_at_one():
    with pytest.raises(ValueError):
        table(UNITS, ROWS, depth=0)


def test_a_very_deep_tree_does_not_exhaust_the_recursion_limit():
    units = [Unit(i, i - 1 if i else None, f"Cấp {i}") for i in range(5000)]
    (top,) = table(units, [ParticipantRow(4999, 2, 1.0)], depth=1)
    assert top.subtree.attempts == 2


@pytest.mark.parametrize(
    "in_order",
    [
        ["An Giang", "Ăn", "Âm", "Bạc Liêu", "Dương", "Đông", "Ea Súp", "Ê", "Gò Công"],
        ["Ô Môn", "Ơn", "Uông", "Ưng", "Vĩnh"],
        ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bác"],  # tones: ngang, huyền, hỏi, ngã, sắc, nặng
        ["Phường 2", "Phường 10", "Phường 11"],
        ["Xã", "xã"],  # equal but for case: the text itself decides, so the order is fixed
    ],
)
def test_vietnamese_alphabetical_order(in_order):
    assert sorted(reversed(in_order), key=name_key) == in_order


def test_the_name_order_does_not_depend_on_how_diacritics_were_typed():
    composed, decomposed = "Đảng ủy", unicodedata.normalize("NFD", "Đảng ủy")
    assert name_key(composed)[:2] == name_key(decomposed)[:2]


tree_shapes = st.lists(st.integers(0, 10**6), max_size=25).map(
    lambda picks: [
        Unit(i, (pick % i) if i and pick % 3 else None, f"Đơn vị {i}", (pick % 50) or None)
        for i, pick in enumerate(picks)
    ]
)


@settings(max_examples=150, deadline=None)
@given(tree_shapes, st.data())
def test_every_subtree_is_its_own_figures_plus_its_childrens_subtrees(units, data):
    rows = data.draw(
        st.lists(
            st.builds(
                ParticipantRow,
                st.sampled_from([u.id for u in units]) if units else st.none(),
                st.integers(0, 3),
                st.sampled_from([None, 2.5, 10.0]),
                st.booleans(),
            ),
            max_size=40,
        )
    )
    result = {row.unit.id: row for row in all_rows(units, rows)}
    for unit in units:
        row = result[unit.id]
        kids = [result[u.id] for u in units if u.parent_id == unit.id]
        for figure in ("registered", "participants", "attempts", "winners", "scored"):
            expected = getattr(row.own, figure) + sum(getattr(k.subtree, figure) for k in kids)
            assert getattr(row.subtree, figure) == expected
    # The top units together hold every row that names a unit, once.
    tops = table(units, rows, depth=1)
    assert sum(r.subtree.registered for r in tops) == sum(1 for r in rows if r.unit_id is not None)
    participants = [r.subtree.participants for r in tops]
    assert participants == sorted(participants, reverse=True)
