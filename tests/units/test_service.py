"""Unit rules on the database: edit, move, delete, search, import all-or-nothing, round trip."""

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.units import service, transfer
from contest.units.models import Unit
from contest.units.rules import CREATE, UPDATE


@pytest.fixture
def tree(app):
    """Tỉnh ủy → Huyện ủy → Đảng bộ xã → Chi bộ, and a school beside it."""
    make = service.create_unit
    tu = make("TU", "Tỉnh ủy Hậu Giang", None, "Tỉnh ủy", 1500)
    hu = make("HU", "Huyện ủy Châu Thành", tu.id, "Huyện ủy")
    xa = make("XA", "Đảng bộ xã Đông Phước", hu.id, "Đảng bộ xã", 80)
    cb = make("CB1", "Chi bộ ấp 1", xa.id, "Chi bộ", 12)
    school = make("TCT", "Trường Chính trị", None, "Trường")
    db.session.commit()
    return {unit.code: unit for unit in (tu, hu, xa, cb, school)}


def snapshot():
    """Everything an import could change, to compare before and after."""
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return [
        (u.code, u.name, u.parent.code if u.parent else None, u.kind, u.headcount, u.updated_at)
        for u in units
    ]


def parse(text: str) -> transfer.ParsedFile:
    return transfer.read_upload("units.csv", text.encode())


def test_search_ignores_accents_case_and_word_order(tree):
    assert [u.code for u in service.search_units("dang bo xa")] == ["XA"]
    assert [u.code for u in service.search_units("CHÂU thanh")] == ["HU"]
    assert [u.code for u in service.search_units("thanh huyen")] == ["HU"]
    assert [u.code for u in service.search_units("cb1")] == ["CB1"]
    assert service.search_units("   ") == []


def test_search_treats_percent_and_underscore_as_plain_characters(tree):
    assert service.search_units("%") == []
    assert service.search_units("_") == []


def test_the_search_text_follows_every_rename(tree):
    service.update_unit(tree["CB1"], "CB1", "Chi bộ Khu vực Đông", tree["XA"].id, "Chi bộ", 12)
    db.session.commit()
    assert [u.code for u in service.search_units("khu vuc dong")] == ["CB1"]
    assert service.search_units("ap 1") == []


def test_a_unit_cannot_be_moved_under_its_own_descendant(tree):
    with pytest.raises(service.UnitError) as refused:
        service.move_unit(tree["HU"], tree["CB1"].id)
    assert refused.value.field == "parent"
    with pytest.raises(service.UnitError):
        service.move_unit(tree["HU"], tree["HU"].id)
    db.session.rollback()
    assert db.session.get(Unit, tree["HU"].id).parent_id == tree["TU"].id


def test_moving_a_unit_takes_its_branch_along(tree):
    service.move_unit(tree["XA"], tree["TCT"].id)
    db.session.commit()
    assert service.descendant_ids(tree["TCT"]) == {tree["XA"].id, tree["CB1"].id}


def test_a_code_taken_by_another_unit_is_refused_but_keeping_ones_own_is_fine(tree):
    with pytest.raises(service.UnitError) as refused:
        service.create_unit("TU", "Khác")
    assert refused.value.field == "code"
    service.update_unit(tree["TU"], " TU ", "Tỉnh ủy", None, "Tỉnh ủy", 1600)
    db.session.commit()
    assert tree["TU"].headcount == 1600


def test_only_a_leaf_unit_can_be_deleted(tree):
    with pytest.raises(service.UnitError):
        service.delete_unit(tree["XA"])
    db.session.rollback()
    service.delete_unit(tree["CB1"])
    db.session.commit()
    assert db.session.scalar(select(Unit).where(Unit.code == "CB1")) is None


def test_the_database_refuses_a_negative_headcount_whatever_the_path(tree):
    from sqlalchemy.exc import IntegrityError

    tree["TU"].headcount = -1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_import_creates_and_updates_in_one_go_parents_first(tree):
    parsed = parse(
        "code,name,parent_code,kind,headcount\n"
        "CB2,Chi bộ ấp 2,XA2,Chi bộ,9\n"
        "XA2,Đảng bộ xã Phú Hữu,HU,Đảng bộ xã,1.200\n"
        "CB1,Chi bộ ấp 1,XA2,Chi bộ,12\n"
    )
    plan = service.apply_import(parsed)
    db.session.commit()
    assert (plan.count(CREATE), plan.count(UPDATE)) == (2, 1)
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    assert units["CB2"].parent.code == "XA2" and units["XA2"].headcount == 1200
    assert units["CB1"].parent.code == "XA2"  # moved by the file
    assert [u.code for u in service.search_units("phu huu")] == ["XA2"]


@pytest.mark.parametrize(
    ("bad_row", "problem", "rows"),
    [
        ("CB9,Chi bộ mới,KHONG-CO,,", "parent_missing", {4}),
        ("XA,Trùng mã,HU,,", "code_duplicate", {4}),
        # The province under its own chi bộ: row 2 (XA) lies on that loop too.
        ("TU,Tỉnh ủy Hậu Giang,CB1,Tỉnh ủy,1500", "cycle", {2, 4}),
        ('CB9,Chi bộ mới,XA,,"12,5"', "headcount_invalid", {4}),
        ("CB9,Chi bộ mới,XA,,abc", "headcount_invalid", {4}),
        ("CB9,,XA,,", "name_missing", {4}),
    ],
)
def test_a_file_with_one_bad_row_writes_nothing(tree, bad_row, problem, rows):
    before = snapshot()
    parsed = parse(
        "code,name,parent_code,kind,headcount\n"
        "XA,Đảng bộ xã Đông Phước (mới),HU,Đảng bộ xã,81\n"
        "CB8,Chi bộ ấp 8,XA,Chi bộ,7\n" + bad_row + "\n"
    )
    with pytest.raises(service.ImportRefused) as refused:
        service.apply_import(parsed)
    db.session.rollback()
    issues = refused.value.plan.issues
    assert {i.code for i in issues} == {problem} and {i.row for i in issues} == rows
    assert snapshot() == before


def test_the_commit_checks_the_file_again_against_the_tree_as_it_is_now(tree):
    parsed = parse("code,name,parent_code\nCB5,Chi bộ ấp 5,CB1\n")
    assert service.plan_import(parsed).ok
    service.delete_unit(tree["CB1"])  # someone deletes the parent between preview and commit
    db.session.commit()
    with pytest.raises(service.ImportRefused) as refused:
        service.apply_import(parsed)
    assert [i.code for i in refused.value.plan.issues] == ["parent_missing"]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_exported_file_imports_back_with_nothing_to_change(tree, extension):
    tree["TU"].name = 'Tỉnh ủy =Hậu Giang; "trung tâm"'
    db.session.commit()
    records = service.export_records()
    assert [r[0] for r in records] == ["TU", "HU", "XA", "CB1", "TCT"]  # parents first
    if extension == "csv":
        data = transfer.export_csv(records)
    else:
        data = transfer.export_xlsx(records, "Đơn vị")
    plan = service.plan_import(transfer.read_upload(f"units.{extension}", data))
    assert plan.ok
    assert (plan.count(CREATE), plan.count(UPDATE), plan.writes) == (0, 0, [])


def test_the_exported_file_rebuilds_the_tree_in_an_empty_database(tree):
    data = transfer.export_xlsx(service.export_records(), "Đơn vị")
    before = [row[:5] for row in snapshot()]  # all but updated_at
    db.session.execute(Unit.__table__.delete())
    db.session.commit()
    db.session.expunge_all()
    service.apply_import(transfer.read_upload("units.xlsx", data))
    db.session.commit()
    assert [row[:5] for row in snapshot()] == before
