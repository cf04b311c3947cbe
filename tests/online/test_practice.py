"""Practice ("Ôn tập"): anyone, no registration; the answer arrives only after answering."""

import re

import pytest

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.demo import load_demo_themes
from questions import service
from questions.models import Status
from questions.service import Details


def approved(editor, content, level="recall", themes=()):
    question = service.create_question(editor, content, Details(level=level))
    question.status, question.approved_revision = Status.APPROVED.value, 1
    question.themes = list(themes)
    return question


SINGLE = {
    "type": "single",
    "stem": "Chỉ thị 05-CT/TW được ban hành ngày nào?",
    "explanation": "Bộ Chính trị ban hành ngày 15/5/2016.",
    "options": [
        {"text": "15/5/2016", "correct": True},
        {"text": "18/5/2021"},
        {"text": "14/5/2011"},
    ],
}
ORDERING = {
    "type": "ordering",
    "stem": "Xếp theo thời gian ban hành, sớm trước.",
    "items": ["Chỉ thị 03-CT/TW", "Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"],
}


@pytest.fixture
def bank(app, make_user):
    editor = make_user("bientap", Role.EDITOR)
    load_demo_themes()
    single = approved(editor, SINGLE)
    ordering = approved(editor, ORDERING, level="understanding")
    draft = service.create_question(editor, dict(SINGLE, stem="Câu nháp chưa duyệt?"), Details())
    db.session.commit()
    return {"single": single, "ordering": ordering, "draft": draft}


def start(client, **form):
    data = {"count": "5", **form}
    return client.post_form("/on-tap", data)


def shown_options(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'name="answer" value="(\d+)">\s*<span class="letter">[A-H]\.</span> ([^<]+)</label>', page
    )


def test_anyone_practises_without_signing_in_and_sees_only_approved_questions(client, bank):
    response = start(client, levels="recall")
    assert response.status_code == 302
    page = client.get("/on-tap/1").get_data(as_text=True)
    assert "Chỉ thị 05-CT/TW được ban hành ngày nào?" in page
    assert "Câu nháp" not in page
    assert client.get("/on-tap/2").status_code == 404  # only one recall question is approved


def test_the_answer_and_the_explanation_arrive_only_after_answering(client, bank):
    start(client, levels="recall")
    before = client.get("/on-tap/1").get_data(as_text=True)
    assert "Bộ Chính trị ban hành" not in before  # the explanation
    assert "✔" not in before and "correct" not in before
    right = next(value for value, text in shown_options(before) if text.strip() == "15/5/2016")
    client.post_form("/on-tap/1", {"answer": right})
    after = client.get("/on-tap/1").get_data(as_text=True)
    assert "Chính xác!" in after
    assert "Bộ Chính trị ban hành ngày 15/5/2016." in after
    assert "✔ " in after


def test_a_wrong_answer_is_told_and_the_summary_counts_it(client, bank):
    start(client, levels="recall")
    page = client.get("/on-tap/1").get_data(as_text=True)
    wrong = next(value for value, text in shown_options(page) if text.strip() == "18/5/2021")
    client.post_form("/on-tap/1", {"answer": wrong})
    assert "Chưa đúng." in client.get("/on-tap/1").get_data(as_text=True)
    summary = client.get("/on-tap/ket-qua").get_data(as_text=True)
    assert "Đúng 0/1 câu" in summary


def test_an_ordering_question_is_answered_by_giving_each_item_its_place(client, bank):
    start(client, levels="understanding")
    page = client.get("/on-tap/1").get_data(as_text=True)
    shown = re.findall(r'<label for="place-(\d)">([^<]+)</label>', page)
    right_places = {text: ORDERING["items"].index(text) + 1 for _, text in shown}
    form = {f"place-{index}": str(right_places[text]) for index, text in shown}
    client.post_form("/on-tap/1", form)
    assert "Chính xác!" in client.get("/on-tap/1").get_data(as_text=True)


def test_nothing_to_practise_is_said_beside_the_choice(client, app, bank):
    response = start(client, levels="advanced_application")
    assert response.status_code == 400
    assert "Không có câu hỏi đã duyệt nào" in response.get_data(as_text=True)


def test_a_question_page_without_a_run_goes_back_to_the_start(client, bank):
    response = client.get("/on-tap/1")
    assert response.status_code == 302 and response.location.endswith("/on-tap")


def test_an_answer_without_the_form_token_is_refused(client, bank):
    start(client, levels="recall")
    assert client.post("/on-tap/1", data={"answer": "0"}).status_code == 400
