"""The bank's JSON API: search, read, write and edit for staff; answers for nobody else."""

import json

import pytest
from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes import service as themes
from questions import service
from questions.models import Question, QuestionType, QuestionVersion, Status
from questions.service import Details
from questions.workflow import Action
from tests.conftest import PASSWORD

DIRECTIVE = "Chỉ thị 05-CT/TW được ban hành ngày nào?"
CONCLUSION = "Kết luận 01-KL/TW được ban hành năm nào?"
OTHER = "Tỉnh Lai Châu ban hành bao nhiêu kế hoạch triển khai?"


def single_choice(stem=DIRECTIVE):
    return {
        "type": "single",
        "stem": stem,
        "options": [
            {"text": "15/5/2016", "correct": True},
            {"text": "18/5/2021"},
            {"text": "14/5/2011"},
        ],
    }


def body(**changes):
    """A question as a client sends it."""
    sent = {
        "content": single_choice(),
        "level": "recall",
        "points": 10,
        "time_limit_s": 30,
        "source": {"document": "facts.md", "section": "F1", "url": "https://example.org/ct05"},
        "themes": [],
        "tags": ["mốc thời gian"],
    }
    sent.update(changes)
    return sent


def send(client, method, url, json, csrf=True):
    """A write the way the bank's JavaScript sends it: the page's token in X-CSRFToken."""
    headers = {"X-CSRFToken": client.csrf_token()} if csrf else {}
    return client.open(url, method=method, json=json, headers=headers)


def version_count() -> int:
    return db.session.scalar(select(func.count()).select_from(QuestionVersion))


@pytest.fixture
def author(make_user):
    return make_user("tacgia", Role.EDITOR)


@pytest.fixture
def theme(app):
    made = themes.create_theme(
        kind="directive",
        short_name="Chỉ thị 05-CT/TW",
        title="Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        organisation="Bộ Chính trị",
        year_from=2016,
    )
    db.session.commit()
    return made


@pytest.fixture
def bank(author, theme):
    """Three questions: two single choice about documents (one with a theme), one numeric."""
    first = service.create_question(author, single_choice(), Details(level="recall"))
    first.themes = [theme]
    service.set_tags(first, ["Mốc thời gian"])
    second = service.create_question(
        author, single_choice(CONCLUSION), Details(level="understanding")
    )
    numeric = {"type": "numeric", "stem": OTHER, "value": 2594, "unit": "kế hoạch"}
    third = service.create_question(author, numeric, Details(level="application"))
    db.session.commit()
    return first, second, third


def signed_in(app, make_user, username, *roles):
    make_user(username, *roles)
    other = app.test_client()
    response = other.post_form("/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return other


def stems(response) -> list[str]:
    return sorted(item["version"]["content"]["stem"] for item in response.get_json()["items"])


def test_search_without_accents_with_filters_and_pages(client, login_as, bank, theme):
    login_as(Role.EDITOR)
    found = client.get("/api/questions?q=chi+thi+05")
    assert found.status_code == 200 and stems(found) == [DIRECTIVE]
    assert stems(client.get("/api/questions?q=ban+hanh")) == sorted([DIRECTIVE, CONCLUSION, OTHER])
    assert stems(client.get(f"/api/questions?theme={theme.id}")) == [DIRECTIVE]
    assert stems(client.get("/api/questions?tag=M%E1%BB%91c+th%E1%BB%9Di+gian")) == [DIRECTIVE]
    assert stems(client.get("/api/questions?type=numeric")) == [OTHER]
    assert stems(client.get("/api/questions?level=understanding")) == [CONCLUSION]
    assert stems(client.get("/api/questions?status=approved")) == []

    first = client.get("/api/questions?sort=id&per_page=2").get_json()
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 2, 3, 2)
    second = client.get("/api/questions?sort=id&per_page=2&page=2").get_json()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == [question.id for question in bank]
    assert client.get("/api/questions?per_page=1000").get_json()["per_page"] == 100


def test_a_filter_that_means_nothing_is_refused_not_ignored(client, login_as, bank):
    login_as(Role.REVIEWER)
    response = client.get("/api/questions?type=essay&page=two")
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [
        ("type", "not_a_choice"),
        ("page", "not_an_integer"),
    ]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.HOST])
def test_staff_of_the_bank_read_a_question_with_its_answers(client, login_as, bank, theme, role):
    login_as(role)
    question = bank[0]
    response = client.get(f"/api/questions/{question.id}")
    assert response.status_code == 200
    got = response.get_json()
    assert (got["id"], got["status"], got["revision"], got["approved_revision"]) == (
        question.id,
        "draft",
        1,
        None,
    )
    assert got["themes"] == [{"id": theme.id, "short_name": "Chỉ thị 05-CT/TW"}]
    assert got["tags"] == ["mốc thời gian"]
    assert got["author"]["username"] == "tacgia"
    version = got["version"]
    assert (version["number"], version["type"], version["level"]) == (1, "single", "recall")
    assert version["content"]["options"][0] == {"text": "15/5/2016", "correct": True}
    assert set(version["source"]) == {"document", "section", "url"}


def test_a_judge_and_an_anonymous_client_never_see_an_answer(app, client, make_user, bank):
    judge = signed_in(app, make_user, "giamkhao", Role.JUDGE)
    question_id = bank[0].id
    for url in (f"/api/questions/{question_id}", "/api/questions?q=chi+thi"):
        refused = judge.get(url)
        assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
        anonymous = client.get(url)
        assert anonymous.status_code == 401
        assert anonymous.get_json()["error"] == "unauthorized"
        for response in (refused, anonymous):
            assert set(response.get_json()) == {"error", "message"}
            assert "15/5/2016" not in json.dumps(response.get_json(), ensure_ascii=False)


def test_an_editor_creates_a_question_that_search_then_finds(client, login_as, theme):
    editor = login_as(Role.EDITOR)
    response = send(client, "POST", "/api/questions", body(themes=[theme.id]))
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert response.headers["Location"] == f"/api/questions/{created['id']}"
    assert (created["status"], created["revision"]) == ("draft", 1)
    assert created["author"]["id"] == editor.id
    assert created["themes"] == [{"id": theme.id, "short_name": theme.short_name}]
    assert created["version"]["source"]["url"] == "https://example.org/ct05"
    found = client.get("/api/questions?q=chi+thi+ban+hanh").get_json()
    assert [item["id"] for item in found["items"]] == [created["id"]]
    assert client.get(response.headers["Location"]).get_json() == created


def test_invalid_content_is_refused_with_every_issue_in_vietnamese(client, login_as):
    login_as(Role.EDITOR)
    content = single_choice(stem="  ")
    content["options"][1]["text"] = "15/5/2016"
    response = send(
        client, "POST", "/api/questions", body(content=content, level=["recall"], points=5000)
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("level", "unknown_level"),
        ("points", "out_of_range"),
        ("content.stem", "empty_stem"),
        ("content.options.1.text", "duplicate_option"),
    ]
    assert errors[2]["message"] == "Nội dung câu hỏi đang để trống."
    assert errors[3]["message"].startswith("Phương án 2:")
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_an_edit_from_the_current_revision_makes_version_two(client, login_as, bank):
    login_as(Role.EDITOR)
    question = bank[0]
    content = single_choice("Chỉ thị 05-CT/TW do Bộ Chính trị ban hành ngày nào?")
    response = send(
        client, "PUT", f"/api/questions/{question.id}", body(content=content, base_revision=1)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    saved = response.get_json()
    assert saved["changed"] is True
    assert (saved["revision"], saved["version"]["number"]) == (2, 2)
    assert saved["version"]["content"]["stem"] == content["stem"]
    assert saved["themes"] == []  # a PUT sends the whole question: no themes means none
    assert [v.number for v in db.session.get(Question, question.id).versions] == [1, 2]


def test_an_edit_from_a_stale_revision_is_refused_and_writes_nothing(client, login_as, bank):
    login_as(Role.EDITOR)
    question = bank[0]
    url = f"/api/questions/{question.id}"
    assert send(client, "PUT", url, body(points=20, base_revision=1)).status_code == 200
    before = version_count()
    late = send(client, "PUT", url, body(points=30, tags=["muộn"], base_revision=1))
    assert late.status_code == 409
    assert late.get_json()["error"] == "changed"
    assert late.get_json()["current_revision"] == 2
    assert version_count() == before
    current = client.get(url).get_json()
    assert (current["revision"], current["version"]["points"]) == (2, 20)
    assert current["tags"] == ["mốc thời gian"]


def test_saving_the_same_question_again_changes_nothing(client, login_as):
    login_as(Role.EDITOR)
    created = send(client, "POST", "/api/questions", body()).get_json()
    again = send(client, "PUT", f"/api/questions/{created['id']}", body(base_revision=1))
    assert again.status_code == 200
    assert again.get_json()["changed"] is False
    assert again.get_json()["revision"] == 1
    assert version_count() == 1


def test_an_edit_needs_the_revision_it_started_from(client, login_as, bank):
    login_as(Role.EDITOR)
    response = send(client, "PUT", f"/api/questions/{bank[0].id}", body())
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "base_revision"


def test_a_retired_question_is_not_edited(client, login_as, make_user, bank):
    service.apply_action(bank[0], make_user("duyet", Role.REVIEWER), Action.RETIRE)
    db.session.commit()
    login_as(Role.EDITOR)
    response = send(client, "PUT", f"/api/questions/{bank[0].id}", body(base_revision=1))
    assert response.status_code == 409 and response.get_json()["error"] == "retired"
    assert db.session.get(Question, bank[0].id).status == Status.RETIRED


def test_writing_needs_the_editor_role(client, login_as, bank):
    login_as(Role.REVIEWER, Role.HOST)
    assert send(client, "POST", "/api/questions", body()).status_code == 403
    url = f"/api/questions/{bank[0].id}"
    assert send(client, "PUT", url, body(base_revision=1)).status_code == 403
    assert version_count() == 3


def test_a_write_without_the_csrf_header_is_refused(client, login_as, bank):
    login_as(Role.EDITOR)
    created = send(client, "POST", "/api/questions", body(), csrf=False)
    assert created.status_code == 400 and created.get_json()["error"] == "csrf"
    url = f"/api/questions/{bank[0].id}"
    edited = send(client, "PUT", url, body(points=20, base_revision=1), csrf=False)
    assert edited.status_code == 400 and edited.get_json()["error"] == "csrf"
    assert version_count() == 3


def test_an_unknown_question_is_a_json_404(client, login_as):
    login_as(Role.EDITOR)
    response = client.get("/api/questions/999")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_the_openapi_document_describes_the_question_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and "X-CSRFToken" in document["info"]["description"]
    assert set(document["paths"]["/api/questions"]) == {"get", "post"}
    assert set(document["paths"]["/api/questions/{id}"]) == {"get", "put"}
    schemas = document["components"]["schemas"]
    for name in ("Question", "QuestionVersion", "Content", "Error", "ValidationErrors", "Page"):
        assert name in schemas
    kinds = {option["properties"]["type"]["const"] for option in schemas["Content"]["oneOf"]}
    assert kinds == {kind.value for kind in QuestionType}
    refs = []

    def collect(node):
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs and all(ref.removeprefix("#/components/schemas/") in schemas for ref in refs)
    for operations in document["paths"].values():
        for operation in operations.values():
            assert "200" in operation["responses"] or "201" in operation["responses"]
