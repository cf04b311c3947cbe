"""The import planner and tree rules, with plain values: no Flask, no database."""

import pytest

from contest.text import clean_line
from contest.units.rules import (
    CREATE,
    UNCHANGED,
    UPDATE,
    UnitRow,
    UnitValues,
    ancestor_ids,
    build_tree,
    descendant_ids,
    parse_headcount,
    plan_import,
    walk,
)

# A province with one district and one commune already in the database.
TREE = {
    "TU": UnitValues("Tỉnh ủy", "", "Tỉnh ủy", 1500),
    "HU": UnitValues("Huyện ủy", "TU", "Huyện ủy", None),
    "XA": UnitValues("Đảng bộ xã", "HU", "Đảng bộ xã", 80),
}


def issues_of(plan):
    """(row, field, code) of every issue, file-level ones included."""
    return [(issue.row, issue.field, issue.code) for issue in plan.issues]


def test_new_units_are_created_parents_first_even_when_the_file_lists_children_first():
    rows = [
        UnitRow(2, "CB1", "Chi bộ 1", "DB", "Chi bộ", "12"),
        UnitRow(3, "DB", "Đảng bộ mới", "XA", "Đảng bộ", ""),
    ]
    plan = plan_import(rows, TREE)
    assert plan.ok
    assert [row.code for row in plan.writes] == ["DB", "CB1"]
    assert plan.count(CREATE) == 2 and plan.count(UPDATE) == 0


def test_a_row_equal_to_the_tree_is_unchanged_and_a_different_one_is_an_update():
    rows = [
        UnitRow(2, "TU", "Tỉnh ủy", "", "Tỉnh ủy", "1.500"),
        UnitRow(3, "HU", "Huyện ủy Châu Thành", "TU", "Huyện ủy", ""),
    ]
    plan = plan_import(rows, TREE)
    assert [row.status for row in plan.rows] == [UNCHANGED, UPDATE]
    assert [row.code for row in plan.writes] == ["HU"]


def test_plain_tuples_with_none_for_the_top_parent_are_accepted_as_existing_units():
    plan = plan_import([UnitRow(2, "A", "A", "", "", "")], {"A": ("A", None, None, None)})
    assert plan.rows[0].status == UNCHANGED


def test_columns_missing_from_the_file_keep_the_values_in_the_tree():
    plan = plan_import([UnitRow(2, "XA", "Đảng bộ xã Tân Phú")], TREE, columns=("code", "name"))
    (row,) = plan.rows
    assert row.status == UPDATE
    assert row.values == UnitValues("Đảng bộ xã Tân Phú", "HU", "Đảng bộ xã", 80)


def test_an_empty_code_and_an_empty_name_are_errors_on_their_row():
    plan = plan_import([UnitRow(2, "A", "Có tên"), UnitRow(3, "  ", "  ")], {})
    assert issues_of(plan) == [(3, "code", "code_missing"), (3, "name", "name_missing")]
    assert plan.writes == []


@pytest.mark.parametrize(
    ("code", "problem"),
    [("CB 01", "code_invalid"), ("CB/01", "code_invalid"), ("X" * 51, "code_too_long")],
)
def test_a_code_with_spaces_or_symbols_or_too_long_is_refused(code, problem):
    plan = plan_import([UnitRow(2, code, "Tên")], {})
    assert issues_of(plan) == [(2, "code", problem)]


def test_letters_digits_dot_dash_underscore_and_vietnamese_letters_make_a_valid_code():
    assert plan_import([UnitRow(2, "HG-NB.01_Đ", "Tên")], {}).ok


def test_a_duplicate_code_is_reported_on_the_later_row_naming_the_first():
    rows = [UnitRow(2, "A", "Một"), UnitRow(3, "B", "Hai"), UnitRow(4, "A", "Ba")]
    plan = plan_import(rows, {})
    assert issues_of(plan) == [(4, "code", "code_duplicate")]
    assert plan.issues[0].params == {"code": "A", "first_row": 2}


def test_codes_are_case_sensitive():
    plan = plan_import([UnitRow(2, "cb01", "Thường"), UnitRow(3, "CB01", "Hoa")], {})
    assert plan.ok and plan.count(CREATE) == 2


def test_a_parent_neither_in_the_file_nor_in_the_tree_is_an_error():
    plan = plan_import([UnitRow(2, "CB", "Chi bộ", "KHONG-CO")], TREE)
    assert issues_of(plan) == [(2, "parent_code", "parent_missing")]
    assert plan.issues[0].params == {"parent": "KHONG-CO"}


def test_a_parent_code_differing_only_in_case_is_not_found():
    plan = plan_import([UnitRow(2, "CB", "Chi bộ", "xa")], TREE)
    assert issues_of(plan) == [(2, "parent_code", "parent_missing")]


def test_a_unit_cannot_be_its_own_parent():
    plan = plan_import([UnitRow(2, "A", "A", "A")], {})
    assert issues_of(plan) == [(2, "parent_code", "parent_self")]


def test_every_row_on_a_cycle_within_the_file_is_reported():
    rows = [
        UnitRow(2, "A", "A", "C"),
        UnitRow(3, "B", "B", "A"),
        UnitRow(4, "C", "C", "B"),
        UnitRow(5, "D", "D", "A"),  # hangs below the loop but is not on it
    ]
    plan = plan_import(rows, {})
    assert issues_of(plan) == [(r, "parent_code", "cycle") for r in (2, 3, 4)]
    assert plan.issues[0].params["path"] == "A → C → B → A"


def test_a_cycle_through_existing_units_is_found_in_the_tree_that_would_result():
    # The province moved under its own commune: TU → XA → HU → TU.
    plan = plan_import([UnitRow(2, "TU", "Tỉnh ủy", "XA", "Tỉnh ủy", "1500")], TREE)
    assert issues_of(plan) == [(2, "parent_code", "cycle")]
    assert plan.issues[0].params["path"] == "TU → XA → HU → TU"


def test_moving_existing_units_around_without_a_loop_is_fine():
    rows = [
        UnitRow(2, "XA", "Đảng bộ xã", "TU", "Đảng bộ xã", "80"),
        UnitRow(3, "HU", "Huyện ủy", "XA"),
    ]
    plan = plan_import(rows, TREE)
    assert plan.ok
    assert [row.code for row in plan.writes] == ["XA", "HU"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("12,5", "headcount_invalid"),
        ("12.5", "headcount_invalid"),
        (12.5, "headcount_invalid"),
        ("abc", "headcount_invalid"),
        ("1,200", "headcount_invalid"),
        (True, "headcount_invalid"),
        ("-3", "headcount_negative"),
        (-3, "headcount_negative"),
        ("99999999999", "headcount_too_large"),
    ],
)
def test_a_headcount_that_is_not_a_whole_number_of_zero_or_more_is_an_error(value, problem):
    plan = plan_import([UnitRow(2, "A", "A", "", "", value)], {})
    assert issues_of(plan) == [(2, "headcount", problem)]


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1200", 1200),
        ("1.200", 1200),  # the Vietnamese thousands dot
        ("1.200.000", 1_200_000),
        ("1 200", 1200),
        ("1\u00a0200", 1200),  # Excel's non-breaking space
        (1200, 1200),
        (1200.0, 1200),  # a number cell from openpyxl
        ("1200.0", 1200),
        ("0", 0),
        ("", None),
        (None, None),
    ],
)
def test_headcounts_as_people_write_them_are_read(value, number):
    assert parse_headcount(value) == (number, None)


def test_every_problem_of_a_row_is_reported_not_just_the_first():
    plan = plan_import([UnitRow(7, "A B", "", "NOPE", "", "abc")], {})
    assert issues_of(plan) == [
        (7, "code", "code_invalid"),
        (7, "name", "name_missing"),
        (7, "parent_code", "parent_missing"),
        (7, "headcount", "headcount_invalid"),
    ]


def test_too_long_names_and_kinds_are_errors():
    plan = plan_import([UnitRow(2, "A", "n" * 256, "", "k" * 101)], {})
    assert issues_of(plan) == [(2, "name", "name_too_long"), (2, "kind", "kind_too_long")]


def test_file_level_issues_refuse_the_plan():
    from contest.units.rules import ImportIssue

    plan = plan_import([], {}, file_issues=[ImportIssue(1, "", "file_broken")])
    assert not plan.ok and issues_of(plan) == [(1, "", "file_broken")]


def test_text_is_stored_in_one_form():
    assert clean_line("  Chi  bộ\t1 ") == "Chi bộ 1"
    assert clean_line("Chi bo\u0302\u0323") == "Chi bộ"  # decomposed accents become composed


class U:
    def __init__(self, id, parent_id):
        self.id, self.parent_id = id, parent_id


def test_the_tree_nests_units_and_walks_parents_before_children():
    units = [U(3, 2), U(1, None), U(2, 1), U(4, 1), U(5, None)]
    roots = build_tree(units)
    assert [node.unit.id for node in roots] == [1, 5]
    assert [(node.unit.id, depth) for node, depth in walk(roots)] == [
        (1, 0),
        (2, 1),
        (3, 2),
        (4, 1),
        (5, 0),
    ]


def test_descendants_and_ancestors():
    parent_of = {1: None, 2: 1, 3: 2, 4: 1, 5: None}
    assert descendant_ids(parent_of, 1) == {2, 3, 4}
    assert descendant_ids(parent_of, 3) == set()
    assert ancestor_ids(parent_of, 3) == [1, 2]
    assert ancestor_ids(parent_of, 5) == []
