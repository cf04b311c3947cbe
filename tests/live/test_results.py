"""The result sheet, its workbook and the event log agree with the actions taken on stage."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from contest.accounts.roles import Role
from live import service
from tests.live.factory import make_contest

HOST = "host:1"


@pytest.fixture
def played(app):
    """A short show: team A right and B wrong on a question, B wins a buzz, A judged, a fix."""
    contest = make_contest()
    knowledge, buzzer, judged = contest.parts
    a, b, c = (team.id for team in contest.teams)
    question = knowledge.questions[0].id

    def do(actor, kind, **payload):
        service.perform(contest.id, actor, kind, payload)

    do(HOST, "part.start", part=knowledge.id)
    do(HOST, "question.show", question=question)
    do(HOST, "answers.open")
    do(f"team:{a}", "answer.submit", question=question, response=1)
    do(f"team:{b}", "answer.submit", question=question, response=2)
    do(HOST, "reveal")
    do(HOST, "part.start", part=buzzer.id)
    do(HOST, "question.show", question=buzzer.questions[0].id)
    do(HOST, "buzzers.open")
    do(f"team:{b}", "buzz", question=buzzer.questions[0].id)
    do(HOST, "buzz.mark", correct=True)
    do(HOST, "part.start", part=judged.id)
    do(HOST, "stage.team", team=a)
    for judge, marks in zip(contest.judges, ([5, 3], [6, 4], [4, 2]), strict=True):
        do(f"judge:{judge.id}", "score.submit", part=judged.id, team=a, marks=marks)
    do(HOST, "scoring.close", team=a)
    do(HOST, "score.adjust", team=c, points=-2, reason="Vi phạm thời gian chuẩn bị")
    do(HOST, "contest.finish")
    return contest


def test_the_sheet_ranks_teams_by_what_happened(client, login_as, played):
    login_as(Role.HOST)
    html = client.get(f"/live/{played.id}/results").get_data(as_text=True)
    a, b, c = played.teams
    # A: 10 (answer) + 8 (judges: 8, 10, 6) = 18; B: 10 (buzz); C: -2 (correction)
    standings = html.split('id="standings"')[1].split("</table>")[0]
    assert standings.index(a.name) < standings.index(b.name) < standings.index(c.name)
    assert "<strong>18</strong>" in standings and "<strong>-2</strong>" in standings
    assert "Vi phạm thời gian chuẩn bị" in html
    assert "Giám khảo 3" in html  # every judge's marks are on the sheet
    assert "Kết quả chính thức." in html


def test_the_workbook_holds_standings_marks_and_the_log(client, login_as, played):
    login_as(Role.SECRETARY)
    response = client.get(f"/live/{played.id}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    results, marks, log = (list(sheet.values) for sheet in book.worksheets)
    assert results[0] == ("Hạng", "Đội", "Kiến thức", "Giành quyền", "Hùng biện", "Tổng điểm")
    assert results[1] == (1, "Đội A", 10, 0, 8, 18)
    assert len(marks) == 1 + 3 * 2  # three judges, two criteria
    assert len(log) == 1 + 19 and log[-1][2] == "contest.finish"


def test_the_event_log_export_has_every_event_in_order(client, login_as, played):
    login_as(Role.HOST)
    body = json.loads(client.get(f"/live/{played.id}/events.json").data)
    assert [event["seq"] for event in body["events"]] == list(range(1, 20))
    assert body["events"][3]["actor"] == f"team:{played.teams[0].id}"
    assert body["events"][3]["payload"] == {
        "question": played.parts[0].questions[0].id,
        "response": 1,
    }


def test_results_are_for_the_host_and_the_secretary(client, login_as, played):
    assert client.get(f"/live/{played.id}/results").status_code == 302  # to sign in
    login_as(Role.JUDGE)
    assert client.get(f"/live/{played.id}/results").status_code == 403
    assert client.get(f"/live/{played.id}/events.json").status_code == 403


def test_an_undone_correction_is_shown_struck_through_and_not_counted(client, login_as, app):
    contest = make_contest()
    team = contest.teams[0].id
    service.perform(contest.id, HOST, "part.start", {"part": contest.parts[0].id})
    stage = service.perform(
        contest.id, HOST, "score.adjust", {"team": team, "points": 5, "reason": "Nhầm"}
    )
    service.perform(contest.id, HOST, "undo", {"seq": stage.state.seq})
    login_as(Role.HOST)
    html = client.get(f"/live/{contest.id}/results").get_data(as_text=True)
    assert 'class="undone"' in html and "(đã hoàn tác)" in html
    assert "<strong>5</strong>" not in html.split('id="standings"')[1].split("</table>")[0]
