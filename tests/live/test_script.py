"""The MC's script: a host-only tablet page with the answer, the notes and what comes next."""

from __future__ import annotations

import html
import json
import re

import pytest

from contest.accounts.roles import Role
from contest.extensions import socketio
from live.events import NAMESPACE
from tests.live.factory import make_contest


@pytest.fixture
def contest(app):
    return make_contest()


def script_parts(response) -> list[dict]:
    page = response.get_data(as_text=True)
    found = re.search(
        r'<script type="application/json" id="script-parts">(.*?)</script>', page, re.S
    )
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("role", [Role.HOST, Role.SECRETARY, Role.ADMIN])
def test_the_host_and_the_secretary_may_open_the_script(client, login_as, contest, role):
    login_as(role)
    response = client.get(f"/live/{contest.id}/script")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Kịch bản dẫn chương trình" in page and "Tiếp theo" in page
    assert "js/live/script.js" in page


@pytest.mark.parametrize("role", [Role.JUDGE, Role.EDITOR])
def test_other_staff_may_not(client, login_as, contest, role):
    login_as(role)
    assert client.get(f"/live/{contest.id}/script").status_code == 403


def test_a_visitor_is_sent_to_sign_in_and_a_device_gets_nothing(app, client, contest):
    response = client.get(f"/live/{contest.id}/script")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    projector = app.test_client()
    projector.post_form("/stage/join", {"code": contest.projector_code})
    assert projector.get(f"/live/{contest.id}/script").status_code == 302


def test_an_unknown_contest_is_not_found(client, login_as, contest):
    login_as(Role.HOST)
    assert client.get(f"/live/{contest.id + 999}/script").status_code == 404


def test_the_page_carries_each_question_and_its_notes_for_what_comes_next(
    client, login_as, contest
):
    login_as(Role.HOST)
    parts = script_parts(client.get(f"/live/{contest.id}/script"))
    assert [p["title"] for p in parts] == ["Kiến thức", "Giành quyền", "Hùng biện"]
    first, second = parts[0]["questions"]
    assert first["notes"] == "Đọc chậm" and first["number"] == 1
    assert "Chỉ thị 05-CT/TW được ban hành năm nào?" in first["stem_html"]
    assert second["number"] == 2 and "Những văn bản nào" in second["stem_html"]
    assert "correct" not in json.dumps(parts)  # the answer comes from the live view, on its own
    assert parts[2]["questions"] == []


def test_the_script_watches_as_the_host_and_the_console_links_to_it(app, client, login_as, contest):
    login_as(Role.HOST)
    watcher = socketio.test_client(
        app,
        namespace=NAMESPACE,
        auth={"contest": contest.id, "as": "host"},
        flask_test_client=client,
    )
    assert watcher.is_connected(NAMESPACE)
    view = watcher.emit("sync", namespace=NAMESPACE, callback=True)["view"]
    assert "last_action" in view  # the host's view: answers and notes come with the question
    watcher.disconnect(namespace=NAMESPACE)
    console = client.get(f"/live/{contest.id}/console").get_data(as_text=True)
    assert f'href="/live/{contest.id}/script"' in console
    detail = client.get(f"/live/{contest.id}").get_data(as_text=True)
    assert f'href="/live/{contest.id}/script"' in detail
