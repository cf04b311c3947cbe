"""The projector's look: colours and the organiser's logo, set on the contest's edit page."""

from __future__ import annotations

import html
import io
import re

import pytest

from contest.accounts.roles import Role
from contest.extensions import db
from live import devices
from live.look import logo_folder
from live.models import StageContest
from tests.live.factory import make_contest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
REFUSED = "Biểu trưng phải là ảnh PNG, JPEG hoặc WebP (không nhận SVG)."


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


@pytest.fixture
def contest(app, login_as):
    login_as(Role.HOST, username="dan")
    return make_contest()


def form(contest, **changes) -> dict:
    data = {
        "title": contest.title,
        "description": "",
        "tiebreak": "none",
        "tiebreak_part": "0",
        "look_primary": "#7a1f1f",
        "look_accent": "#ffd54f",
        "look_background": "#101010",
    }
    data.update(changes)
    return data


def save(client, contest, **changes):
    return client.post_form(
        f"/live/{contest.id}/edit", form(contest, **changes), content_type="multipart/form-data"
    )


def upload(data: bytes, name: str = "logo.png"):
    return (io.BytesIO(data), name)


def error_beside(response, field_id: str) -> str:
    page = html.unescape(response.get_data(as_text=True))
    found = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.S)
    return found.group(1).strip() if found else ""


def stored_files() -> list[str]:
    return sorted(path.name for path in logo_folder().iterdir())


def test_a_png_logo_is_kept_under_a_random_name_and_served_to_anyone(app, client, contest):
    response = save(client, contest, logo=upload(PNG, "../../etc/passwd.png"))
    assert response.status_code == 302
    db.session.refresh(contest)
    name = contest.logo_path
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}\.png", name)
    assert stored_files() == [name]
    assert (logo_folder() / name).read_bytes() == PNG

    anonymous = app.test_client()  # the projector and the pads have no account
    served = anonymous.get(f"/stage/{contest.id}/logo")
    assert served.status_code == 200
    assert served.data == PNG
    assert served.mimetype == "image/png"
    assert "public" in served.headers["Cache-Control"]
    assert "max-age=3600" in served.headers["Cache-Control"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_the_colours_are_saved_and_the_form_shows_them_again(client, contest):
    assert save(client, contest, look_primary="#7A1F1F").status_code == 302
    db.session.refresh(contest)
    look = contest.settings["look"]
    assert (look["primary"], look["accent"], look["background"]) == (
        "#7a1f1f",
        "#ffd54f",
        "#101010",
    )
    assert look["background_ink"] == "#ffffff" and look["accent_ink"] == "#111111"
    assert contest.settings["tiebreak"] == "none"
    page = client.get(f"/live/{contest.id}/edit").get_data(as_text=True)
    assert 'value="#7a1f1f"' in page and 'type="color"' in page


def test_a_colour_that_is_not_hex_is_refused_beside_its_field(client, contest):
    response = save(client, contest, look_accent="red")
    assert response.status_code == 400
    message = "Ghi màu bằng dấu # và sáu chữ số hệ mười sáu, ví dụ #c62828."
    assert error_beside(response, "look_accent") == message
    db.session.refresh(contest)
    assert "look" not in (contest.settings or {})


@pytest.mark.parametrize(
    "data, name",
    [
        (SVG, "logo.svg"),
        (b"<html>not an image</html>", "logo.png"),  # a fake PNG: the name lies
        (b"GIF89a" + b"\x00" * 32, "logo.gif"),  # an image, but not one of the three
    ],
)
def test_an_svg_or_a_fake_image_is_refused_and_nothing_is_saved(client, contest, data, name):
    response = save(client, contest, title="Đổi tên", logo=upload(data, name))
    assert response.status_code == 400
    assert error_beside(response, "logo") == REFUSED
    db.session.refresh(contest)
    assert contest.logo_path is None and contest.title != "Đổi tên"
    assert stored_files() == []


def test_a_logo_over_one_megabyte_is_refused(client, contest):
    response = save(client, contest, logo=upload(PNG + b"\x00" * (1024 * 1024)))
    assert response.status_code == 400
    assert error_beside(response, "logo") == "Biểu trưng lớn hơn 1024 KB."
    assert stored_files() == []


def test_a_new_logo_replaces_the_old_file_and_remove_takes_it_away(app, client, contest):
    save(client, contest, logo=upload(PNG))
    db.session.refresh(contest)
    first = contest.logo_path
    save(client, contest, logo=upload(JPEG, "logo.jpg"))
    db.session.refresh(contest)
    assert contest.logo_path.endswith(".jpg") and stored_files() == [contest.logo_path]
    assert app.test_client().get(f"/stage/{contest.id}/logo").mimetype == "image/jpeg"
    assert first not in stored_files()

    assert save(client, contest, remove_logo="y").status_code == 302
    db.session.refresh(contest)
    assert contest.logo_path is None and stored_files() == []
    assert app.test_client().get(f"/stage/{contest.id}/logo").status_code == 404


def test_only_that_contests_own_logo_can_be_fetched(app, client, contest):
    save(client, contest, logo=upload(PNG))
    db.session.refresh(contest)
    other = StageContest(title="Hội thi khác", projector_code=devices.unique_code())
    db.session.add(other)
    db.session.commit()
    anonymous = app.test_client()
    assert anonymous.get(f"/stage/{other.id}/logo").status_code == 404
    assert anonymous.get("/stage/99999/logo").status_code == 404
    # By its name, the logo is not reachable through another address either.
    assert anonymous.get(f"/stage/{other.id}/logo?name={contest.logo_path}").status_code == 404
    assert anonymous.get(f"/uploads/stage/{contest.logo_path}").status_code != 200
    # A logo_path that is not a name this app made (a tampered row) is never served.
    other.logo_path = "../secret_key"
    db.session.commit()
    assert anonymous.get(f"/stage/{other.id}/logo").status_code == 404


def test_the_projector_wears_the_colours_and_shows_the_logo_and_title(app, client, contest):
    save(client, contest, logo=upload(PNG))
    db.session.refresh(contest)
    projector = app.test_client()
    projector.post_form("/stage/join", {"code": contest.projector_code})
    page = projector.get(f"/stage/{contest.id}/screen").get_data(as_text=True)
    assert "--stage-primary: #7a1f1f;" in page and "--stage-background: #101010;" in page
    assert f'src="/stage/{contest.id}/logo?v={contest.logo_path[:8]}"' in page
    band = re.search(r'<header class="stage-band">(.*?)</header>', page, re.S).group(1)
    assert contest.title in band


def test_a_contest_without_a_look_keeps_the_default_projector(app, contest):
    projector = app.test_client()
    projector.post_form("/stage/join", {"code": contest.projector_code})
    page = projector.get(f"/stage/{contest.id}/screen").get_data(as_text=True)
    assert 'style=""' in page and "stage-logo" not in page
