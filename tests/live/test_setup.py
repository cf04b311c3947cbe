"""Organisers set a stage contest up through the pages: teams, judges, parts, questions, codes."""

from __future__ import annotations

import html
import re

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes import service as themes
from contest.units import service as units
from live import devices, service
from live.models import StageContest, StageEvent, StageJudge, StagePart, StageQuestion, StageTeam
from questions import service as bank_service
from questions.models import Question, QuestionUse, Status
from questions.service import Details


def said(app, msgid: str, **params) -> str:
    """A message as a visitor reads it (Vietnamese by default)."""
    with app.test_request_context():
        return gettext(msgid, **params)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def error_beside(response, field_id: str) -> str:
    """The error shown under one field of a form (the `_forms.html` macro's paragraph)."""
    found = re.search(
        rf'<p class="error" id="{field_id}-error">(.*?)</p>', page_text(response), re.S
    )
    return found.group(1).strip() if found else ""


def single(stem: str, right: str = "2016") -> dict:
    return {
        "type": "single",
        "stem": stem,
        "options": [
            {"text": "2011", "correct": right == "2011"},
            {"text": "2016", "correct": right == "2016"},
        ],
    }


@pytest.fixture
def bank(app, make_user):
    """Theme "Chỉ thị 05" with 4 approved questions; one draft question."""
    editor = make_user("bientap", Role.EDITOR)
    theme = themes.create_theme(
        kind="directive",
        short_name="Chỉ thị 05",
        title="Chỉ thị số 05-CT/TW",
        organisation="Bộ Chính trị",
        year_from=2016,
    )
    ids = []
    for n in range(4):
        question = bank_service.create_question(
            editor, single(f"Câu hỏi số {n}: năm ban hành?"), Details(level="recall")
        )
        question.status, question.approved_revision = Status.APPROVED.value, 1
        question.themes = [theme]
        ids.append(question.id)
    draft = bank_service.create_question(editor, single("Câu nháp?"), Details())
    units.create_unit("HG-NB-LH", "Đảng bộ phường Lái Hiếu")
    db.session.commit()
    return {"theme": theme.id, "approved": ids, "draft": draft.id, "editor": editor.id}


@pytest.fixture
def host(login_as):
    return login_as(Role.HOST, username="bantochuc")


def create_contest(client, **changes) -> StageContest:
    data = {"title": "Hội thi tìm hiểu Chỉ thị 05", "description": "", "tiebreak": "none"}
    data.update(changes)
    response = client.post_form("/live/new", data)
    assert response.status_code == 302, page_text(response)
    return db.session.scalars(select(StageContest).order_by(StageContest.id.desc())).first()


def add_team(client, contest, name="Đội Lái Hiếu", **changes):
    data = {"name": name, "unit": "", "members": "An\nBình", "colour": "#c62828"}
    data.update(changes)
    return client.post_form(f"/live/{contest.id}/teams/new", data)


PART = {
    "title": "Phần 1: Kiến thức",
    "format": "all_answer",
    "aa_points": "10",
    "aa_time_limit_s": "30",
    "aa_multiple_scoring": "all_or_nothing",
}
JUDGED = {
    "title": "Phần 3: Hùng biện",
    "format": "judged",
    "jd_criteria": "Nội dung | 6\nPhong cách | 4",
    "jd_stage_time_limit_s": "600",
    "jd_overtime_steps": "0 | 0,5\n60 | 1",
    "jd_overtime_stop_s": "120",
}


def add_part(client, contest, data=PART) -> StagePart:
    response = client.post_form(f"/live/{contest.id}/parts/new", data)
    assert response.status_code == 302, page_text(response)
    return db.session.scalars(select(StagePart).order_by(StagePart.id.desc())).first()


def test_a_host_sets_up_teams_judges_and_parts_and_sees_them_with_their_codes(client, host, bank):
    contest = create_contest(client)
    assert add_team(client, contest, unit="HG-NB-LH").status_code == 302
    assert add_team(client, contest, name="Đội Ngã Sáu", colour="#1565c0").status_code == 302
    response = client.post_form(f"/live/{contest.id}/judges/new", {"name": "GK. Trần Thị Khảo"})
    assert response.status_code == 302
    add_part(client, contest)
    judged = add_part(client, contest, JUDGED)

    assert judged.settings["criteria"] == [
        {"name": "Nội dung", "max": 6},
        {"name": "Phong cách", "max": 4},
    ]
    assert judged.settings["overtime_steps"] == [
        {"after_s": 0, "penalty": 0.5},
        {"after_s": 60, "penalty": 1},
    ]
    first, second = contest.teams
    assert first.unit.code == "HG-NB-LH" and first.member_list == ["An", "Bình"]
    assert first.join_code != second.join_code

    page = page_text(client.get(f"/live/{contest.id}"))
    for text in ["Đội Lái Hiếu", "Đội Ngã Sáu", "GK. Trần Thị Khảo", "Phần 3: Hùng biện"]:
        assert text in page
    for code in [first.join_code, second.join_code, contest.judges[0].join_code]:
        assert code in page
    assert contest.projector_code in page
    assert f"/live/{contest.id}/console" in page and f"/stage/{contest.id}/screen" in page
    assert page.index("Đội Lái Hiếu") < page.index("Đội Ngã Sáu")

    codes = page_text(client.get(f"/live/{contest.id}/codes"))
    assert codes.count("<svg") == 4  # projector, two teams, one judge
    assert f"/stage/join?code={first.join_code}" in codes


def test_the_menu_shows_stage_contests_to_hosts_and_secretaries_only(app, client, login_as):
    login_as(Role.SECRETARY, username="thuky")
    assert said(app, "Stage contests") in page_text(client.get("/"))
    client.post_form("/logout")
    login_as(Role.EDITOR, username="bientap2")
    assert said(app, "Stage contests") not in page_text(client.get("/"))


def test_a_secretary_reads_the_setup_but_cannot_change_it(app, client, make_user, login_as):
    owner = make_user("dan", Role.HOST)
    contest = StageContest(title="Hội thi", projector_code="PRJ234", created_by_id=owner.id)
    contest.teams.append(StageTeam(name="Đội A", join_code="TEAM23"))
    db.session.add(contest)
    db.session.commit()
    login_as(Role.SECRETARY, username="thuky")

    assert "Hội thi" in page_text(client.get("/live/"))
    page = client.get(f"/live/{contest.id}")
    assert page.status_code == 200 and "TEAM23" in page_text(page)
    assert said(app, "Add a team") not in page_text(page)
    assert client.get("/live/new").status_code == 403
    assert client.get(f"/live/{contest.id}/edit").status_code == 403
    team = contest.teams[0]
    assert client.post_form(f"/live/teams/{team.id}/delete").status_code == 403
    assert client.post_form(f"/live/{contest.id}/teams/new", {"name": "X"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(StageTeam)) == 1


def test_a_judge_and_an_anonymous_visitor_can_neither_see_nor_change_setups(client, login_as):
    assert client.get("/live/").status_code == 302  # to the sign-in page
    response = client.post_form("/live/new", {"title": "Hội thi", "tiebreak": "none"})
    assert response.status_code == 302 and response.location.startswith("/login")
    login_as(Role.JUDGE, username="giamkhao")
    assert client.get("/live/").status_code == 403
    assert (
        client.post_form("/live/new", {"title": "Hội thi", "tiebreak": "none"}).status_code == 403
    )
    assert db.session.scalar(select(func.count()).select_from(StageContest)) == 0


def test_a_blank_team_name_and_a_bad_colour_are_shown_beside_their_fields(app, client, host):
    contest = create_contest(client)
    response = add_team(client, contest, name="  ", colour="red")
    assert response.status_code == 400
    assert error_beside(response, "name") == said(app, "This field is required.")
    assert error_beside(response, "colour") == said(
        app, "Write the colour as # and six hex digits, e.g. #c62828."
    )
    response = add_team(client, contest, unit="không có đơn vị này")
    assert error_beside(response, "unit") == said(app, "No unit has this code or name.")
    assert contest.teams == []


def test_more_than_twenty_teams_are_refused(app, client, host):
    contest = create_contest(client)
    for n in range(20):
        assert add_team(client, contest, name=f"Đội {n}").status_code == 302
    response = add_team(client, contest, name="Đội 21")
    assert response.status_code == 400
    assert said(app, "A contest has at most %(max)d teams.", max=20) in page_text(response)
    assert len(contest.teams) == 20


def test_a_judged_part_without_criteria_is_refused_beside_the_criteria(app, client, host):
    contest = create_contest(client)
    response = client.post_form(f"/live/{contest.id}/parts/new", dict(JUDGED, jd_criteria=""))
    assert response.status_code == 400
    assert error_beside(response, "jd_criteria") == said(
        app, "A judged part needs at least one criterion."
    )
    response = client.post_form(
        f"/live/{contest.id}/parts/new", dict(JUDGED, jd_criteria="Nội dung")
    )
    assert "Line 1" in page_text(response) or "Dòng 1" in page_text(response)
    assert contest.parts == []


def test_a_typed_question_needs_a_correct_option(app, client, host):
    contest = create_contest(client)
    part = add_part(client, contest)
    typed = {"stem": "Chỉ thị 05 ban hành năm nào?", "options-0": "2011", "options-1": "2016"}
    response = client.post_form(f"/live/parts/{part.id}/questions/new", typed)
    assert response.status_code == 400
    assert error_beside(response, "correct") == said(app, "No option is marked correct.")

    response = client.post_form(f"/live/parts/{part.id}/questions/new", dict(typed, correct="1"))
    assert response.status_code == 302
    (question,) = part.questions
    assert question.version_id is None
    assert [o["correct"] for o in question.content["options"]] == [False, True]


def test_a_picked_question_is_a_copy_that_later_bank_edits_do_not_change(client, host, bank):
    contest = create_contest(client)
    part = add_part(client, contest)
    first = bank["approved"][0]
    found = page_text(client.get(f"/live/parts/{part.id}?q=so 0"))
    assert "Câu hỏi số 0" in found and "Câu nháp" not in found

    response = client.post_form(
        f"/live/parts/{part.id}/questions/pick", {"question_ids": [str(first), str(bank["draft"])]}
    )
    assert response.status_code == 302
    (copied,) = part.questions  # the draft is not approved: not added
    used = db.session.scalar(select(QuestionUse).where(QuestionUse.question_id == first))
    assert used.used_in == f"stage:{contest.id}" and used.version_id == copied.version_id

    question = db.session.get(Question, first)
    bank_service.edit_question(
        question, None, 1, single("Câu hỏi đã sửa?", right="2011"), Details(level="recall")
    )
    question.status, question.approved_revision = Status.APPROVED.value, 2
    db.session.commit()

    db.session.expire_all()
    copied = db.session.get(StageQuestion, copied.id)
    assert copied.content["stem"] == "Câu hỏi số 0: năm ban hành?"
    assert copied.content["options"][1]["correct"] is True
    page = page_text(client.get(f"/live/parts/{part.id}"))
    assert "Câu hỏi số 0" in page and "Câu hỏi đã sửa" not in page


def test_drawing_takes_approved_questions_not_yet_in_the_contest(app, client, host, bank):
    contest = create_contest(client)
    part = add_part(client, contest)
    draw = {"theme": str(bank["theme"]), "level": "recall", "count": "3"}
    assert client.post_form(f"/live/parts/{part.id}/questions/draw", draw).status_code == 302
    drawn = {q.version_id for q in part.questions}
    assert len(drawn) == 3

    response = client.post_form(f"/live/parts/{part.id}/questions/draw", dict(draw, count="2"))
    assert response.status_code == 400
    assert error_beside(response, "count") == said(
        app,
        "The bank has only %(available)d approved questions of this theme and level "
        "that are not in the contest yet.",
        available=1,
    )


def test_points_time_notes_and_order_of_a_question_can_be_set(client, host, bank):
    contest = create_contest(client)
    part = add_part(client, contest)
    ids = [str(qid) for qid in bank["approved"][:2]]
    client.post_form(f"/live/parts/{part.id}/questions/pick", {"question_ids": ids})
    first, second = part.questions
    response = client.post_form(
        f"/live/questions/{second.id}/edit",
        {"points": "20", "time_limit_s": "45", "notes": "Đọc chậm: “Chỉ thị không năm”."},
    )
    assert response.status_code == 302
    client.post_form(f"/live/questions/{second.id}/move", {"direction": "up"})
    db.session.expire_all()
    part = db.session.get(StagePart, part.id)
    assert [q.id for q in part.questions] == [second.id, first.id]
    assert (part.questions[0].points, part.questions[0].time_limit_s) == (20, 45)
    assert service.load_setup(part.contest).parts[0].questions[0].points == 20


def test_duplicating_copies_the_setup_with_new_codes_and_no_log(client, host, bank):
    contest = create_contest(client)
    add_team(client, contest, unit="HG-NB-LH")
    add_team(client, contest, name="Đội Ngã Sáu", colour="#1565c0")
    client.post_form(f"/live/{contest.id}/judges/new", {"name": "GK. Khảo"})
    part = add_part(client, contest)
    add_part(client, contest, JUDGED)
    client.post_form(
        f"/live/parts/{part.id}/questions/pick", {"question_ids": [str(bank["approved"][0])]}
    )
    client.post_form(
        f"/live/{contest.id}/edit",
        {"title": contest.title, "tiebreak": "part", "tiebreak_part": str(part.id)},
    )
    service.perform(contest.id, f"host:{host.id}", "part.start", {"part": part.id})

    response = client.post_form(f"/live/{contest.id}/duplicate")
    assert response.status_code == 302
    copy = db.session.scalars(select(StageContest).order_by(StageContest.id.desc())).first()
    assert copy.id != contest.id and copy.title.startswith(contest.title)

    def shape(c):
        return (
            [(t.name, t.unit_id, t.members, t.colour) for t in c.teams],
            [j.name for j in c.judges],
            [(p.title, p.format, p.settings, [q.content for q in p.questions]) for p in c.parts],
        )

    assert shape(copy) == shape(contest)
    old_codes = {contest.projector_code} | {s.join_code for s in contest.teams + contest.judges}
    new_codes = {copy.projector_code} | {s.join_code for s in copy.teams + copy.judges}
    assert len(new_codes) == 4 and not old_codes & new_codes
    assert copy.settings == {"tiebreak": "part", "tiebreak_part_id": copy.parts[0].id}
    events = select(func.count()).where(StageEvent.contest_id == copy.id)
    assert db.session.scalar(events) == 0


def test_nothing_the_log_refers_to_can_be_deleted_once_the_show_has_started(
    app, client, host, bank
):
    contest = create_contest(client)
    add_team(client, contest)
    client.post_form(f"/live/{contest.id}/judges/new", {"name": "GK. Khảo"})
    part = add_part(client, contest)
    client.post_form(
        f"/live/parts/{part.id}/questions/pick", {"question_ids": [str(bank["approved"][0])]}
    )
    team, judge, question = contest.teams[0], contest.judges[0], part.questions[0]
    service.perform(contest.id, f"host:{host.id}", "part.start", {"part": part.id})

    response = client.post_form(f"/live/teams/{team.id}/delete", follow_redirects=True)
    message = "The contest has started and its log refers to this team: it can't be deleted now."
    assert said(app, message) in page_text(response)
    client.post_form(f"/live/judges/{judge.id}/delete")
    client.post_form(f"/live/parts/{part.id}/delete")
    client.post_form(f"/live/questions/{question.id}/delete")
    for model in (StageTeam, StageJudge, StagePart, StageQuestion):
        assert db.session.scalar(select(func.count()).select_from(model)) == 1

    # Renaming is still allowed, and the running show reads the new name at once.
    service.stage(contest.id)
    data = {"name": "Đội Lái Hiếu (mới)", "unit": "", "members": "", "colour": "#2e7d32"}
    assert client.post_form(f"/live/teams/{team.id}/edit", data).status_code == 302
    assert service.stage(contest.id).setup.teams[0].name == "Đội Lái Hiếu (mới)"


def test_before_the_show_teams_are_reordered_deleted_and_given_new_codes(client, host):
    contest = create_contest(client)
    for name in ["Đội A", "Đội B", "Đội C"]:
        add_team(client, contest, name=name)
    team_a, team_b, team_c = contest.teams
    old_code = team_c.join_code
    client.post_form(f"/live/teams/{team_c.id}/move", {"direction": "up"})
    client.post_form(f"/live/teams/{team_c.id}/code")
    client.post_form(f"/live/teams/{team_a.id}/delete")
    db.session.expire_all()
    contest = db.session.get(StageContest, contest.id)
    assert [t.name for t in contest.teams] == ["Đội C", "Đội B"]
    assert [t.position for t in contest.teams] == [0, 1]
    assert contest.teams[0].join_code != old_code
    assert devices.seat_for_code(old_code) is None


def test_each_edit_page_opens_filled_in_with_what_is_saved(client, host, bank):
    contest = create_contest(client, description="Vòng **chung kết**")
    add_team(client, contest, unit="HG-NB-LH")
    client.post_form(f"/live/{contest.id}/judges/new", {"name": "GK. Khảo"})
    part = add_part(client, contest)
    judged = add_part(client, contest, JUDGED)
    client.post_form(
        f"/live/parts/{part.id}/questions/pick", {"question_ids": [str(bank["approved"][0])]}
    )
    team, judge, question = contest.teams[0], contest.judges[0], part.questions[0]
    pages = {
        f"/live/{contest.id}/edit": "Vòng **chung kết**",
        f"/live/teams/{team.id}/edit": 'value="HG-NB-LH"',
        f"/live/judges/{judge.id}/edit": 'value="GK. Khảo"',
        f"/live/parts/{judged.id}/edit": "Phong cách | 4",
        f"/live/parts/{part.id}/edit": 'value="30"',
        f"/live/questions/{question.id}/edit": "Câu hỏi số 0",
        f"/live/{contest.id}/parts/new": "Nội dung | 10",
        f"/live/parts/{part.id}/questions/new": 'name="options-3"',
        f"/live/{contest.id}/teams/new": 'list="unit-codes"',
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in page_text(response), url


def test_a_packages_part_keeps_its_values_and_steal_rules(client, login_as, app):
    from contest.extensions import db
    from live.models import StagePart
    from tests.live.factory import make_contest

    login_as(Role.HOST)
    contest = make_contest()
    form = {
        "title": "Về đích",
        "format": "packages",
        "pk_values": "30, 10; 20",
        "pk_questions_per_turn": "3",
        "pk_time_limit_s": "15",
        "pk_steal": "y",
        "pk_steal_time_s": "5",
        "pk_steal_wrong_percent": "50",
    }
    response = client.post_form(f"/live/{contest.id}/parts/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    part = db.session.scalars(db.select(StagePart).where(StagePart.title == "Về đích")).one()
    assert part.settings["values"] == [10, 20, 30]
    assert part.settings["steal"] is True and part.settings["steal_owner_loses"] is False
    assert part.settings["steal_wrong_ratio"] == 0.5
    bad = client.post_form(f"/live/{contest.id}/parts/new", {**form, "pk_values": "mười"})
    assert "Hãy viết các số điểm nguyên" in bad.get_data(as_text=True)
