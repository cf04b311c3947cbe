"""The show's screens: joining with a code, each device on its own screen, the host console."""

from __future__ import annotations

import re

import pytest

from contest.accounts.roles import Role
from contest.extensions import db
from live import devices
from live.models import StageContest, StageJudge, StagePart, StageQuestion, StageTeam

QUESTION = {
    "type": "single",
    "stem": "Chỉ thị 05-CT/TW được ban hành năm nào?",
    "options": [{"text": "2011", "correct": False}, {"text": "2016", "correct": True}],
    "explanation": "Ngày 15/5/2016.",
}


@pytest.fixture
def show(app):
    """A contest with two teams, a judge and one part, built straight from the models."""
    contest = StageContest(title="Hội thi Chỉ thị 05", projector_code=devices.unique_code())
    db.session.add(contest)
    db.session.flush()
    for position, name in enumerate(("Đội Xã A", "Đội Xã B")):
        code = devices.unique_code()  # it must see the codes already handed out: flush below
        db.session.add(StageTeam(contest=contest, position=position, name=name, join_code=code))
        db.session.flush()
    code = devices.unique_code()
    judge = StageJudge(contest=contest, name="Giám khảo 1", join_code=code)
    part = StagePart(contest=contest, title="Kiến thức", format="all_answer", settings={})
    part.questions.append(StageQuestion(content=QUESTION, position=0))
    db.session.add_all([judge, part])
    db.session.commit()
    return contest


def join(client, code: str):
    return client.post_form("/stage/join", {"code": code})


def stage_cookie(client, contest_id: int):
    return client.get_cookie(f"hoithi_stage_{contest_id}")


def test_the_join_page_prefills_the_code_from_a_qr_link(client, show):
    page = client.get(f"/stage/join?code={show.teams[0].join_code}").get_data(as_text=True)
    assert f'value="{show.teams[0].join_code}"' in page


def test_a_team_code_binds_the_device_and_opens_the_team_pad(client, show):
    team = show.teams[0]
    response = join(client, team.join_code.lower())  # typed in lower case on a phone
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/stage/{show.id}/pad")
    cookie = stage_cookie(client, show.id)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert devices.device_seat(show.id, cookie.value).subject_id == team.id
    header = response.headers["Set-Cookie"]
    assert "Max-Age=259200" in header and "Secure" not in header

    page = client.get(f"/stage/{show.id}/pad")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-contest="{show.id}"' in html and 'data-seat="Đội Xã A"' in html
    assert "js/live/pad.js" in html
    assert page.headers["Cache-Control"] == "private, no-store"


def test_the_judge_and_projector_codes_open_their_own_screens(client, show):
    response = join(client, show.judges[0].join_code)
    assert response.headers["Location"].endswith(f"/stage/{show.id}/judge")
    assert client.get(f"/stage/{show.id}/judge").status_code == 200

    other = client.application.test_client()
    response = join(other, show.projector_code)
    assert response.headers["Location"].endswith(f"/stage/{show.id}/screen")
    html = other.get(f"/stage/{show.id}/screen").get_data(as_text=True)
    assert 'data-title="Hội thi Chỉ thị 05"' in html


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_the_device_cookie_is_secure_when_the_site_is(client, show):
    response = join(client, show.teams[1].join_code)
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_wrong_code_says_so_beside_the_field_and_sets_nothing(client, show):
    response = join(client, "ZZZZZZ")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mã này không đúng" in html or "This code opens no seat" in html
    assert 'aria-invalid="true"' in html
    assert stage_cookie(client, show.id) is None
    assert "hoithi_stage" not in response.headers.get("Set-Cookie", "")


def test_joining_needs_the_forms_csrf_token(client, show):
    response = client.post("/stage/join", data={"code": show.teams[0].join_code})
    assert response.status_code == 400
    assert stage_cookie(client, show.id) is None


@pytest.mark.parametrize("screen", ["pad", "judge", "screen"])
def test_a_device_without_a_seat_is_sent_to_join(client, show, screen):
    response = client.get(f"/stage/{show.id}/{screen}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/stage/join")


def test_a_forged_token_is_sent_to_join(client, show):
    client.set_cookie(f"hoithi_stage_{show.id}", "not-a-token")
    response = client.get(f"/stage/{show.id}/pad")
    assert response.headers["Location"].endswith("/stage/join")


def test_a_team_pad_opening_the_judge_screen_goes_back_to_its_pad(client, show):
    join(client, show.teams[0].join_code)
    for screen in ("judge", "screen"):
        response = client.get(f"/stage/{show.id}/{screen}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/stage/{show.id}/pad")


def test_a_seat_in_one_contest_opens_nothing_in_another(client, show):
    other = StageContest(title="Hội thi khác", projector_code=devices.unique_code())
    db.session.add(other)
    db.session.commit()
    join(client, show.teams[0].join_code)
    token = stage_cookie(client, show.id).value
    client.set_cookie(f"hoithi_stage_{other.id}", token)
    assert client.get(f"/stage/{other.id}/pad").headers["Location"].endswith("/stage/join")


def test_the_scoreboard_is_public_and_missing_contests_are_404(client, show):
    page = client.get(f"/stage/{show.id}/scoreboard")
    assert page.status_code == 200
    assert "js/live/scoreboard.js" in page.get_data(as_text=True)
    assert client.get("/stage/999999/scoreboard").status_code == 404


@pytest.mark.parametrize("app_config", [{"STAGE_JOIN_LIMIT": "3 per minute"}])
def test_join_attempts_are_rate_limited_per_address(client, show):
    statuses = [join(client, "ZZZZZZ").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_console_sends_anonymous_visitors_to_sign_in(client, show):
    response = client.get(f"/live/{show.id}/console")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_judge_account_may_not_open_the_console(client, login_as, show):
    login_as(Role.JUDGE)
    assert client.get(f"/live/{show.id}/console").status_code == 403


def test_the_host_console_lists_the_run_of_show_and_the_join_codes(client, login_as, show):
    login_as(Role.HOST)
    response = client.get(f"/live/{show.id}/console")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    part = show.parts[0]
    assert f'data-act="part.start" data-part="{part.id}"' in html
    assert f'data-question="{part.questions[0].id}"' in html
    assert show.teams[0].join_code in html and show.projector_code in html
    assert 'data-can-act="true"' in html
    assert "js/live/console.js" in html


def test_a_secretary_watches_the_console_without_controls_or_codes(client, login_as, show):
    login_as(Role.SECRETARY)
    html = client.get(f"/live/{show.id}/console").get_data(as_text=True)
    assert 'data-can-act="false"' in html
    assert show.teams[0].join_code not in html


def test_a_console_for_no_contest_is_404(client, login_as):
    login_as(Role.HOST)
    assert client.get("/live/999999/console").status_code == 404


def test_no_screen_page_holds_an_inline_script_handler(client, login_as, show):
    join(client, show.teams[0].join_code)
    pages = [client.get(f"/stage/{show.id}/pad"), client.get("/stage/join")]
    login_as(Role.HOST)
    pages.append(client.get(f"/live/{show.id}/console"))
    for page in pages:
        assert not re.search(r"\son[a-z]+=", page.get_data(as_text=True))


def test_the_run_of_show_reads_as_text_and_a_contest_without_a_judged_part_hides_its_panel(
    client, login_as, app
):
    from tests.live.factory import make_contest

    contest = make_contest()
    question = contest.parts[0].questions[0]
    question.content = {**question.content, "stem": "Học tập **tấm gương đạo đức** Hồ Chí Minh?"}
    judged = contest.parts[2]
    db.session.delete(judged)
    db.session.commit()
    login_as(Role.HOST)
    html = client.get(f"/live/{contest.id}/console").get_data(as_text=True)
    assert "Học tập tấm gương đạo đức Hồ Chí Minh?" in html and "**" not in html
    assert '<div class="console-judged" hidden>' in html
