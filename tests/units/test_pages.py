"""The unit pages over HTTP: tree, search, edit and move, export, import preview and commit."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.units import service
from contest.units.models import Unit
from tests.conftest import PASSWORD


@pytest.fixture
def app_config(tmp_path):
    # Uploads waiting for their commit go to the test's own folder, not instance/.
    return {"UNIT_IMPORT_FOLDER": str(tmp_path / "imports")}


@pytest.fixture
def tree(app):
    make = service.create_unit
    tu = make("TU", "Tỉnh ủy Hậu Giang", None, "Tỉnh ủy", 1500)
    hu = make("HU", "Huyện ủy Châu Thành", tu.id, "Huyện ủy")
    xa = make("XA", "Đảng bộ xã Đông Phước", hu.id, "Đảng bộ xã", 80)
    cb = make("CB1", "Chi bộ ấp 1", xa.id, "Chi bộ", 12)
    db.session.commit()
    return {unit.code: unit.id for unit in (tu, hu, xa, cb)}


def snapshot():
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return [(u.code, u.name, u.parent_id, u.kind, u.headcount, u.updated_at) for u in units]


def english(client):
    client.post_form("/language", {"lang": "en", "next": "/"})


def upload(client, data: bytes, filename: str):
    return client.post_form("/units/import", {"file": (io.BytesIO(data), filename)})


def text(response) -> str:
    return response.get_data(as_text=True)


def unit_form(unit_id=None, **values):
    form = {"code": "", "name": "", "parent": "0", "kind": "", "headcount": ""}
    form.update(values)
    return form


# ---- browsing ---------------------------------------------------------------------------------


def test_any_staff_member_sees_the_tree_nested_with_kind_code_and_headcount(client, login_as, tree):
    login_as()  # staff with no role at all
    page = text(client.get("/units"))
    assert page.count("<details open>") == 3  # TU, HU, XA have units below them
    assert re.search(
        r"Tỉnh ủy Hậu Giang.*Huyện ủy Châu Thành.*Đảng bộ xã Đông Phước.*Chi bộ ấp 1", page, re.S
    )
    assert '<span class="unit-code">CB1</span>' in page
    assert "1.500" in page or "1,500" in page  # grouped the locale's way
    assert "/units/new" not in page  # no admin buttons for them


def test_search_without_accents_finds_the_unit_and_shows_its_path(client, login_as, tree):
    login_as()
    page = text(client.get("/units?q=dong phuoc"))
    assert "Đảng bộ xã Đông Phước" in page
    assert "Tỉnh ủy Hậu Giang › Huyện ủy Châu Thành ›" in page
    assert "Chi bộ ấp 1" not in page


# ---- adding, editing, moving, deleting --------------------------------------------------------


def test_an_admin_adds_a_unit_under_a_parent(client, login_as, tree):
    login_as(Role.ADMIN)
    form = unit_form(
        code="CB2", name=" Chi bộ  ấp 2 ", parent=tree["XA"], kind="Chi bộ", headcount="1.200"
    )
    response = client.post_form("/units/new", form)
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "CB2"))
    assert (unit.name, unit.parent_id, unit.headcount) == ("Chi bộ ấp 2", tree["XA"], 1200)


def test_the_parent_list_labels_units_by_path_and_disables_the_units_own_branch(
    client, login_as, tree
):
    login_as(Role.ADMIN)
    page = text(client.get(f"/units/{tree['HU']}/edit"))
    assert "Tỉnh ủy Hậu Giang › Huyện ủy Châu Thành › Đảng bộ xã Đông Phước" in page
    assert re.search(rf'<option disabled value="{tree["XA"]}"', page)
    assert re.search(rf'<option selected value="{tree["TU"]}"', page)


def test_changing_the_parent_moves_the_unit_with_its_branch(client, login_as, tree):
    login_as(Role.ADMIN)
    form = unit_form(
        code="XA",
        name="Đảng bộ xã Đông Phước",
        parent=tree["TU"],
        kind="Đảng bộ xã",
        headcount="80",
    )
    assert client.post_form(f"/units/{tree['XA']}/edit", form).status_code == 302
    assert db.session.get(Unit, tree["XA"]).parent_id == tree["TU"]
    assert db.session.get(Unit, tree["CB1"]).parent_id == tree["XA"]


def test_moving_a_unit_under_its_own_descendant_is_refused_and_nothing_moves(
    client, login_as, tree
):
    login_as(Role.ADMIN)
    english(client)
    before = snapshot()
    form = unit_form(code="HU", name="Huyện ủy Châu Thành", parent=tree["CB1"], kind="Huyện ủy")
    response = client.post_form(f"/units/{tree['HU']}/edit", form)
    assert response.status_code == 200
    assert "cannot be moved under itself or a unit below it" in text(response)
    assert snapshot() == before


def test_a_code_with_spaces_or_taken_by_another_unit_is_refused_beside_the_field(
    client, login_as, tree
):
    login_as(Role.ADMIN)
    english(client)
    response = client.post_form("/units/new", unit_form(code="CB 2", name="Chi bộ"))
    assert 'id="code-error"' in text(response) and "without spaces" in text(response)
    response = client.post_form("/units/new", unit_form(code="TU", name="Chi bộ"))
    assert 'id="code-error"' in text(response) and "already has the code" in text(response)
    response = client.post_form(
        "/units/new", unit_form(code="CB2", name="Chi bộ", headcount="12,5")
    )
    assert 'id="headcount-error"' in text(response)
    assert db.session.scalar(select(Unit).where(Unit.code.like("CB%2"))) is None


def test_only_a_unit_without_units_below_can_be_deleted(client, login_as, tree):
    login_as(Role.ADMIN)
    response = client.post_form(f"/units/{tree['XA']}/delete")
    assert response.status_code == 302
    assert db.session.get(Unit, tree["XA"]) is not None
    assert client.post_form(f"/units/{tree['CB1']}/delete").status_code == 302
    assert db.session.get(Unit, tree["CB1"]) is None


def test_the_edit_page_offers_delete_only_for_a_leaf(client, login_as, tree):
    login_as(Role.ADMIN)
    assert f"/units/{tree['XA']}/delete" not in text(client.get(f"/units/{tree['XA']}/edit"))
    assert f"/units/{tree['CB1']}/delete" in text(client.get(f"/units/{tree['CB1']}/edit"))


# ---- export -----------------------------------------------------------------------------------


def test_staff_export_csv_with_bom_and_xlsx_parents_first(client, login_as, tree):
    login_as()
    response = client.get("/units/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeffcode,name,parent_code,kind,headcount\r\n".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    response = client.get("/units/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "code",
        "TU",
        "HU",
        "XA",
        "CB1",
    ]


# ---- import -----------------------------------------------------------------------------------

GOOD_FILE = (
    "Mã đơn vị;Tên đơn vị;Mã cấp trên;Loại đơn vị;Số người\n"
    "CB2;Chi bộ ấp 2;XA;Chi bộ;1.200\n"
    "CB1;Chi bộ ấp Một;XA;Chi bộ;12\n"
    "TU;Tỉnh ủy Hậu Giang;;Tỉnh ủy;1500\n"
).encode("utf-8-sig")


def test_an_admin_imports_a_file_through_the_preview_and_commit(client, login_as, tree):
    login_as(Role.ADMIN)
    response = upload(client, GOOD_FILE, "don-vi.csv")
    assert response.status_code == 302
    preview_url = response.location
    assert re.fullmatch(r"/units/import/[0-9a-f]{32}", preview_url)
    assert db.session.scalar(select(Unit).where(Unit.code == "CB2")) is None  # nothing yet

    page = text(client.get(preview_url))
    assert "tag-new" in page and "tag-update" in page and "row-error" not in page
    assert f'action="{preview_url}"' in page  # the commit button is there

    response = client.post_form(preview_url)
    assert response.status_code == 302
    cb2 = db.session.scalar(select(Unit).where(Unit.code == "CB2"))
    assert (cb2.parent_id, cb2.headcount) == (tree["XA"], 1200)
    assert db.session.get(Unit, tree["CB1"]).name == "Chi bộ ấp Một"
    assert client.get(preview_url).status_code == 404  # the upload is used up


def test_a_bad_unit_file_is_refused_with_row_numbered_errors_and_the_tree_is_unchanged(
    client, login_as, tree
):
    login_as(Role.ADMIN)
    english(client)
    before = snapshot()
    bad = (
        "code,name,parent_code,kind,headcount\n"
        "CB2,Chi bộ ấp 2,KHONG-CO,Chi bộ,10\n"  # row 2: missing parent
        'CB3,Chi bộ ấp 3,XA,Chi bộ,"12,5"\n'  # row 3: not a whole number
        "CB2,Chi bộ trùng,XA,Chi bộ,\n"  # row 4: duplicate of row 2
        "TU,Tỉnh ủy Hậu Giang,CB1,Tỉnh ủy,1500\n"  # row 5: a cycle through the tree
        "CB4,Chi bộ ấp 4,XA,Chi bộ,abc\n"  # row 6: not a number
    ).encode()
    preview_url = upload(client, bad, "don-vi.csv").location
    page = text(client.get(preview_url))
    assert page.count('class="row-error"') == 5
    assert "Row 2, Parent unit code: The parent unit “KHONG-CO” is neither" in page
    assert "Row 3, Headcount: The headcount “12,5” is not a whole number" in page
    assert "Row 4, Unit code: The code “CB2” already appears in row 2." in page
    assert (
        "Row 5, Parent unit code: These units would be each other&#39;s parents: TU → CB1" in page
    )
    assert "Row 6, Headcount:" in page
    assert "nothing was changed" in page
    assert f'action="{preview_url}"' not in page  # no commit button

    response = client.post_form(preview_url)  # committing anyway changes nothing
    assert response.status_code == 409
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\x00\x01garbage" * 100, "don-vi.xlsx"),
        (b"", "don-vi.csv"),
        (b"code;name\n", "don-vi.csv"),
    ],
)
def test_a_broken_file_is_refused_on_row_1_without_a_server_error(
    client, login_as, tree, data, filename
):
    login_as(Role.ADMIN)
    english(client)
    before = snapshot()
    preview_url = upload(client, data, filename).location
    response = client.get(preview_url)
    assert response.status_code == 200
    assert "Row 1: The file" in text(response)
    assert client.post_form(preview_url).status_code == 409
    assert snapshot() == before


def test_only_csv_and_xlsx_files_are_accepted_by_the_upload_form(client, login_as):
    login_as(Role.ADMIN)
    response = upload(client, b"code,name\nA,B\n", "don-vi.txt")
    assert response.status_code == 400
    assert 'id="file-error"' in text(response)


def test_an_exported_file_uploaded_again_has_nothing_to_change(client, login_as, tree):
    login_as(Role.ADMIN)
    english(client)
    for name in ("export.xlsx", "export.csv"):
        exported = client.get(f"/units/{name}").data
        page = text(client.get(upload(client, exported, name).location))
        assert "Units to create: 0" in page and "Units to update: 0" in page
        assert "nothing to change" in page


def test_an_upload_belongs_to_its_uploader_and_malformed_tokens_are_not_found(
    app, client, login_as, make_user, tree
):
    login_as(Role.ADMIN)
    preview_url = upload(client, GOOD_FILE, "don-vi.csv").location
    assert client.get("/units/import/" + "0" * 32).status_code == 404
    assert client.get("/units/import/not-a-token").status_code == 404
    assert client.get("/units/import/..%2F..%2Fsecret_key").status_code == 404

    make_user("admin2", Role.ADMIN)
    other = app.test_client()
    other.post_form("/login", {"username": "admin2", "password": PASSWORD})
    assert other.get(preview_url).status_code == 404
    assert other.post_form(preview_url).status_code == 404
    assert db.session.scalar(select(Unit).where(Unit.code == "CB2")) is None


# ---- who may do what --------------------------------------------------------------------------


def test_staff_without_the_admin_role_cannot_open_write_pages_or_import(client, login_as, tree):
    login_as(Role.EDITOR, Role.HOST)
    assert client.get("/units/new").status_code == 403
    assert client.get(f"/units/{tree['CB1']}/edit").status_code == 403
    assert client.post_form(f"/units/{tree['CB1']}/delete").status_code == 403
    assert client.get("/units/import").status_code == 403
    assert upload(client, GOOD_FILE, "don-vi.csv").status_code == 403
    assert client.get("/units/import/" + "0" * 32).status_code == 403
    assert client.get("/units").status_code == 200
    assert client.get("/units/export.csv").status_code == 200
    assert db.session.get(Unit, tree["CB1"]) is not None


@pytest.mark.parametrize(
    "path", ["/units", "/units/new", "/units/import", "/units/export.csv", "/units/export.xlsx"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_post_without_its_csrf_token_is_refused(client, login_as, tree):
    login_as(Role.ADMIN)
    response = client.post("/units/new", data=unit_form(code="CB9", name="Chi bộ 9"))
    assert response.status_code == 400
    response = client.post(f"/units/{tree['CB1']}/delete")
    assert response.status_code == 400
    response = client.post("/units/import", data={"file": (io.BytesIO(GOOD_FILE), "u.csv")})
    assert response.status_code == 400
    assert db.session.scalar(select(Unit).where(Unit.code == "CB9")) is None
    assert db.session.get(Unit, tree["CB1"]) is not None
