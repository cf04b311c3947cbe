"""The taking flow over HTTP: the JSON API and the two pages, as a participant's browser uses them.

These run against the real clock (rounds open around now); deadlines in the past are set in the
database rather than waited for.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from contest.database import utcnow
from contest.extensions import db
from online import taking
from online.models import Answer, Attempt
from questions import images
from tests.online.test_taking import (
    build_world,
    make_round,
    run_in_threads,
)


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


API = "/api/online/attempts"
# Nothing that tells a right answer from a wrong one may reach the browser before the review.
FORBIDDEN_KEYS = {"correct", "accepted", "value", "weight", "explanation", "feedback", "answer"}
FORBIDDEN_KEYS |= {"guidance", "tolerance", "scoring", "review_view"}
SECRETS = ["GIẢI THÍCH", "PHẢN HỒI", "ĐÁPÁNCHẤPNHẬN", "98765", "98.765", "HƯỚNG DẪN CHẤM"]


def open_round(world, kinds=None, **settings):
    kinds = kinds or list(world.questions)
    round_ = make_round(
        world.contest, [world.questions[k] for k in kinds], now=utcnow(), **settings
    )
    db.session.commit()
    return round_


def begin(client, person, round_):
    return client.post(API, json={"participant": person.token, "round": round_.id})


def started(client, person, round_) -> str:
    response = begin(client, person, round_)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()["attempt"]


def keys_in(value, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            keys_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            keys_in(inner, found)
    return found


def leaks(response) -> list[str]:
    """What in one response could tell the right answer."""
    text = response.get_data(as_text=True)
    found = [secret for secret in SECRETS if secret in text]
    body = response.get_json(silent=True)
    if body is not None:
        keys = keys_in(body)
        found += sorted(keys & FORBIDDEN_KEYS)
        found += sorted(k for k in keys if re.search("correct|explanation|feedback", k))
    else:
        found += [mark for mark in ("is-right", "right answer", "đáp án đúng", "✓") if mark in text]
    return found


# ---- starting -----------------------------------------------------------------------------------


def test_starting_twice_resumes_the_same_attempt(client, world):
    round_ = open_round(world)
    first = begin(client, world.people[0], round_)
    again = begin(client, world.people[0], round_)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["attempt"] == again.get_json()["attempt"]
    body = first.get_json()
    assert body["links"]["page"] == f"/thi/{body['attempt']}"
    assert 599 <= body["seconds_left"] <= 600
    assert body["deadline"].endswith("Z") and body["server_now"].endswith("Z")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"participant": "khong-co", "round": 1}, 404, "unknown_participant"),
        ({"participant": None, "round": 1}, 404, "unknown_participant"),
        ({}, 404, "unknown_participant"),
    ],
)
def test_a_start_without_a_valid_personal_token_is_refused(client, world, body, status, code):
    open_round(world)
    response = client.post(API, json=body)
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]


def test_a_start_at_a_round_that_is_not_open_says_so(client, world):
    round_ = make_round(
        world.contest, [world.questions["single"]], now=utcnow() + timedelta(days=3)
    )
    db.session.commit()
    response = begin(client, world.people[0], round_)
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "not_open",
        "message": "Vòng thi này hiện không mở.",
    }


def test_a_round_of_another_contest_is_unknown(client, world):
    from online.models import OnlineContest

    other = OnlineContest(slug="khac", title="Khác", published=True)
    db.session.add(other)
    db.session.flush()
    round_ = make_round(other, [world.questions["single"]], now=utcnow())
    db.session.commit()
    response = begin(client, world.people[0], round_)
    assert (response.status_code, response.get_json()["error"]) == (404, "unknown_round")


def test_starting_is_rate_limited_per_personal_link(app, client, world):
    app.config["ONLINE_START_LIMIT_PER_PARTICIPANT"] = "3 per minute"
    round_ = open_round(world)
    codes = [begin(client, world.people[0], round_).status_code for _ in range(4)]
    assert codes == [201, 200, 200, 429]
    refused = begin(client, world.people[0], round_)
    assert refused.get_json()["error"] == "too_many"
    assert begin(client, world.people[1], round_).status_code == 201  # another person is not


# ---- reading and saving -------------------------------------------------------------------------


def test_saved_answers_come_back_in_the_order_shown(client, world):
    round_ = open_round(world, ["single", "multiple", "ordering"], shuffle_options=True)
    token = started(client, world.people[0], round_)
    attempt = db.session.scalar(select(Attempt).where(Attempt.token == token))
    shown = {item.position: item.shown_order for item in attempt.questions}
    right = shown[1].index(0)  # where the right option of the single choice is shown
    assert client.put(f"{API}/{token}/answers/1", json={"response": right}).status_code == 200
    assert client.put(f"{API}/{token}/answers/2", json={"response": [2, 0]}).status_code == 200
    assert client.put(f"{API}/{token}/answers/3", json={"response": [1, 2, 0]}).status_code == 200
    body = client.get(f"{API}/{token}").get_json()
    assert {p: a["response"] for p, a in body["answers"].items()} == {
        "1": right,
        "2": [0, 2],
        "3": [1, 2, 0],
    }
    texts = [option["text"] for option in body["questions"][0]["options"]]
    assert texts == [
        world.questions["single"].current.content["options"][i]["text"] for i in shown[1]
    ]
    stored = db.session.get(Answer, (attempt.id, 3)).response
    assert stored == [shown[3][1], shown[3][2], shown[3][0]]
    result = client.post(f"{API}/{token}/submit").get_json()
    assert result["full_marks"] >= 1 and result["score"] >= 10


def test_a_save_answers_with_its_time(client, world):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    response = client.put(f"{API}/{token}/answers/1", json={"response": 2})
    body = response.get_json()
    assert body["saved"] is True and body["position"] == 1 and body["saved_at"].endswith("Z")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_saving_again_keeps_one_answer_with_the_time_the_save_reported(client, world):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    first = client.put(f"{API}/{token}/answers/1", json={"response": 0}).get_json()
    second = client.put(f"{API}/{token}/answers/1", json={"response": 2}).get_json()
    assert second["saved_at"] >= first["saved_at"]
    answers = client.get(f"{API}/{token}").get_json()["answers"]
    assert answers == {"1": {"response": 2, "saved_at": second["saved_at"]}}
    assert len(db.session.scalars(select(Answer)).all()) == 1


@pytest.mark.parametrize(
    ("position", "body", "status", "code"),
    [
        (1, {"response": "2"}, 422, "bad_response"),
        (1, {"response": 9}, 422, "bad_response"),
        (1, {}, 422, "bad_response"),
        (1, ["not", "an", "object"], 422, "bad_request"),
        (2, {"response": 0}, 404, "no_such_question"),
    ],
)
def test_a_bad_save_is_refused_with_a_reason(client, world, position, body, status, code):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    response = client.put(f"{API}/{token}/answers/{position}", json=body)
    assert (response.status_code, response.get_json()["error"]) == (status, code)


def test_the_prediction_is_saved(client, world):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    assert client.put(f"{API}/{token}/prediction", json={"prediction": -3}).status_code == 422
    response = client.put(f"{API}/{token}/prediction", json={"prediction": 7172})
    assert response.get_json()["prediction"] == 7172
    body = client.get(f"{API}/{token}").get_json()
    assert body["prediction"] == {
        "question": "Có bao nhiêu người trả lời đúng tất cả các câu?",
        "response": 7172,
    }


def test_a_token_reaches_only_its_own_attempt(client, world):
    round_ = open_round(world, ["single"])
    mine = started(client, world.people[0], round_)
    theirs = started(client, world.people[1], round_)
    client.put(f"{API}/{mine}/answers/1", json={"response": 0})
    client.put(f"{API}/{theirs}/answers/1", json={"response": 3})
    db.session.expire_all()
    by_token = {
        attempt.token: db.session.get(Answer, (attempt.id, 1)).response
        for attempt in db.session.scalars(select(Attempt))
    }
    assert by_token == {mine: 0, theirs: 3}
    assert client.get(f"{API}/{theirs}").get_json()["answers"]["1"]["response"] == 3


@pytest.mark.parametrize("method", ["get", "put", "post"])
def test_an_unknown_attempt_token_is_404(client, world, method):
    token = secrets.token_urlsafe(32)
    url = {
        "get": f"{API}/{token}",
        "put": f"{API}/{token}/answers/1",
        "post": f"{API}/{token}/submit",
    }[method]
    response = getattr(client, method)(url, json={"response": 0})
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_attempt"
    assert client.get(f"/thi/{token}").status_code == 404


def test_past_the_deadline_a_save_is_gone_and_the_server_submits(client, world):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    client.put(f"{API}/{token}/answers/1", json={"response": 0})
    attempt = db.session.scalar(select(Attempt).where(Attempt.token == token))
    attempt.started_at = utcnow() - timedelta(minutes=11)
    attempt.deadline = utcnow() - timedelta(seconds=16)
    db.session.commit()
    late = client.put(f"{API}/{token}/answers/1", json={"response": 1})
    assert (late.status_code, late.get_json()["error"]) == (410, "past_deadline")
    body = client.get(f"{API}/{token}").get_json()
    assert body["submitted"] is True and body["seconds_left"] == 0
    result = client.get(f"{API}/{token}/result").get_json()
    assert (result["finalised_by"], result["score"]) == ("server", 10)


# ---- submitting ---------------------------------------------------------------------------------


def test_a_second_submit_returns_the_same_result(client, world):
    round_ = open_round(world, ["single", "true_false"])
    token = started(client, world.people[0], round_)
    assert client.get(f"{API}/{token}/result").status_code == 409
    client.put(f"{API}/{token}/answers/2", json={"response": True})
    first = client.post(f"{API}/{token}/submit")
    second = client.post(f"{API}/{token}/submit")
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json() == client.get(f"{API}/{token}/result").get_json()
    assert first.get_json()["score"] == 10 and first.get_json()["full_marks"] == 1
    after = client.put(f"{API}/{token}/answers/1", json={"response": 0})
    assert (after.status_code, after.get_json()["error"]) == (409, "submitted")


def test_parallel_submit_requests_score_once(app, world, monkeypatch):
    round_ = open_round(world, ["single", "true_false", "numeric"])
    client = app.test_client()
    token = started(client, world.people[0], round_)
    for position, response in ((1, 0), (2, True), (3, "98765")):
        client.put(f"{API}/{token}/answers/{position}", json={"response": response})
    checked = []
    real_check = taking.check
    monkeypatch.setattr(taking, "check", lambda c, r: checked.append(1) or real_check(c, r))

    def work():
        response = app.test_client().post(f"{API}/{token}/submit")
        return response.status_code, response.get_json()

    results = run_in_threads(app, 6, work)
    assert {status for status, _body in results} == {200}
    assert all(body == results[0][1] for _status, body in results)
    assert results[0][1]["score"] == 30
    assert len(checked) == 3  # each answer checked once: one request scored, five read


# ---- no answer leaks ----------------------------------------------------------------------------


def test_no_response_of_the_taking_flow_tells_the_right_answer(client, world):
    round_ = open_round(world, review="after_close", shuffle_options=True)
    walked = []

    def visit(response):
        walked.append((response.request.method, response.request.path, response))
        return response

    token = visit(begin(client, world.people[0], round_)).get_json()["attempt"]
    visit(client.get(f"/thi/{token}"))
    body = visit(client.get(f"{API}/{token}")).get_json()
    for question in body["questions"]:
        for entry in question.get("options", []) + question.get("items", []):
            assert set(entry) == {"index", "text"}
    options = [o["text"] for q in body["questions"] for o in q.get("options", [])]
    assert "Năm 2016" in options  # the right option is there, as an option like the others
    responses = {"single": 0, "multiple": [0, 1], "true_false": False, "short_text": "Bác Hồ"}
    responses |= {"numeric": "7171", "ordering": [2, 1, 0], "open": "Học tập suốt đời."}
    for question in body["questions"]:
        url = f"{API}/{token}/answers/{question['position']}"
        visit(client.put(url, json={"response": responses[question["type"]]}))
    visit(client.put(f"{API}/{token}/prediction", json={"prediction": 7171}))
    visit(client.get(f"{API}/{token}"))
    visit(client.get(f"{API}/{token}/result"))
    visit(client.get(f"/thi/{token}/ket-qua"))
    visit(client.post(f"{API}/{token}/submit"))
    visit(client.post(f"{API}/{token}/submit"))
    visit(client.get(f"{API}/{token}/result"))
    visit(client.get(f"{API}/{token}"))
    visit(client.get(f"/thi/{token}"))
    visit(client.get(f"/thi/{token}/ket-qua"))
    visit(client.put(f"{API}/{token}/answers/1", json={"response": 0}))

    assert len(walked) == 21  # 3 before answering, 7 saves and a prediction, 10 after
    found = {f"{method} {path}": leaks(response) for method, path, response in walked}
    assert {where: what for where, what in found.items() if what} == {}
    result = walked[-2][2].get_data(as_text=True)
    assert "Đáp án và lời giải sẽ được công bố khi vòng thi kết thúc" in result


def test_once_the_policy_allows_the_result_shows_answers_and_explanations(client, world):
    round_ = open_round(world, ["single"], review="immediately")
    token = started(client, world.people[0], round_)
    client.put(f"{API}/{token}/answers/1", json={"response": 1})
    result = client.post(f"{API}/{token}/submit").get_json()
    [question] = result["review"]
    assert question["correct_answer"] == "A" and question["your_answer"] == "B"
    assert [o["correct"] for o in question["options"]] == [True, False, False, False]
    page = client.get(f"/thi/{token}/ket-qua").get_data(as_text=True)
    assert "GIẢI THÍCH: ngày 15/5/2016." in page and "Năm 2016" in page


# ---- the pages ----------------------------------------------------------------------------------


def test_the_taking_page_is_a_private_shell_that_reads_the_api(client, world):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    response = client.get(f"/thi/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    assert f'data-api="/api/online/attempts/{token}"' in page
    assert "js/take-round.js" in page and "css/take.css" in page
    labels = json.loads(re.search(r'id="take-labels">(.*?)</script>', page, re.S).group(1))
    assert (labels["saving"], labels["saved"]) == ("Đang lưu…", "Đã lưu")
    assert labels["retrying"] == "Chưa lưu được — đang thử lại"
    assert "Chỉ thị 05-CT/TW được Bộ Chính trị ban hành năm nào?" not in page  # via the API


def test_the_pages_send_each_other_to_the_right_place(client, world):
    round_ = open_round(world, ["single"])
    token = started(client, world.people[0], round_)
    assert client.get(f"/thi/{token}/ket-qua").location == f"/thi/{token}"
    client.post(f"{API}/{token}/submit")
    assert client.get(f"/thi/{token}").location == f"/thi/{token}/ket-qua"
    page = client.get(f"/thi/{token}/ket-qua").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "0 / 10 điểm" in text and "Thời gian làm bài" in text


def test_a_questions_image_is_served_to_its_attempt_only(app, client, world, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    version = world.questions["single"].current
    db.session.execute(
        type(version)
        .__table__.update()
        .where(type(version).__table__.c.id == version.id)
        .values(image_path=images.store_image(png))
    )
    round_ = open_round(world, ["single", "true_false"])
    token = started(client, world.people[0], round_)
    question = client.get(f"{API}/{token}").get_json()["questions"][0]
    assert question["image_url"] == f"/thi/{token}/anh/1"
    assert client.get(question["image_url"]).data == png
    assert client.get(f"/thi/{token}/anh/2").status_code == 404
    assert client.get(f"/thi/{secrets.token_urlsafe(32)}/anh/1").status_code == 404


def test_the_openapi_document_describes_the_taking_api(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/online/attempts"]) == {"post"}
    assert set(paths["/api/online/attempts/{token}"]) == {"get"}
    assert set(paths["/api/online/attempts/{token}/answers/{position}"]) == {"put"}
    assert set(paths["/api/online/attempts/{token}/prediction"]) == {"put"}
    assert set(paths["/api/online/attempts/{token}/submit"]) == {"post"}
    assert set(paths["/api/online/attempts/{token}/result"]) == {"get"}
