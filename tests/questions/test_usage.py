"""Where questions were used and how they fared: the bank's used/unused filter and dashboard."""

import pytest
from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from questions import service, usage
from questions.models import QuestionUse, Status
from questions.search import Filters, search
from questions.service import Details
from questions.stats import discrimination_index


@pytest.fixture
def bank(app, make_user):
    editor = make_user("bientap", Role.EDITOR)
    questions = []
    for number, stem in enumerate(["Chỉ thị 05-CT/TW?", "Kết luận 01-KL/TW?", "Quy định 08?"]):
        content = {"type": "true_false", "stem": stem, "answer": number % 2 == 0}
        question = service.create_question(editor, content, Details())
        question.status, question.approved_revision = Status.APPROVED.value, 1
        questions.append(question)
    db.session.commit()
    return questions


def ids(filters: Filters) -> set[int]:
    return {question.id for question, _version in db.session.execute(search(filters))}


def test_the_used_filter_separates_drawn_questions_from_the_rest(bank):
    usage.record_use([bank[0].current], "round:1", "Tuần 1")
    db.session.commit()
    assert ids(Filters(used="used")) == {bank[0].id}
    assert ids(Filters(used="unused")) == {bank[1].id, bank[2].id}
    assert ids(Filters()) == {question.id for question in bank}


def test_recording_the_same_draw_twice_keeps_one_record(bank):
    assert usage.record_use([bank[0].current, bank[1].current], "round:1") == 2
    assert usage.record_use([bank[0].current], "round:1") == 0
    assert usage.record_use([bank[0].current], "stage:4") == 1
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(QuestionUse)) == 3


def test_statistics_are_overwritten_when_a_round_is_closed_again(bank):
    version = bank[1].current
    usage.record_statistics(version, "round:1", answered=200, correct=50, discrimination=0.31)
    usage.record_statistics(version, "round:1", answered=210, correct=63, discrimination=0.35)
    db.session.commit()
    [(stat, question, _version)] = usage.statistics()
    assert (question.id, stat.answered, stat.correct, stat.discrimination) == (
        bank[1].id,
        210,
        63,
        0.35,
    )
    assert stat.correct_share == pytest.approx(0.3)


def test_the_dashboard_lists_never_used_questions_and_round_figures(client, login_as, bank):
    usage.record_use([bank[0].current], "round:1")
    usage.record_statistics(bank[0].current, "round:1", 400, 100, 0.42)
    db.session.commit()
    login_as(Role.EDITOR)
    page = client.get("/questions/dashboard").get_data(as_text=True)
    assert "Kết luận 01-KL/TW?" in page and "Quy định 08?" in page  # never used
    never_used = page.split("How questions fared")[0] if "How questions" in page else page
    assert "2 câu hỏi đã duyệt chưa được dùng" in never_used
    assert "25,0%" in page and "0,42" in page  # 100 of 400, discrimination


def test_the_dashboard_says_when_there_are_no_figures_yet(client, login_as, bank):
    login_as(Role.EDITOR)
    page = client.get("/questions/dashboard").get_data(as_text=True)
    assert "Chưa có số liệu" in page


def test_the_list_page_filters_never_used_questions(client, login_as, bank):
    usage.record_use([bank[0].current], "round:1")
    db.session.commit()
    login_as(Role.EDITOR)
    page = client.get("/questions?used=unused").get_data(as_text=True)
    assert "Kết luận 01-KL/TW?" in page and "Chỉ thị 05-CT/TW?" not in page


def test_discrimination_is_top_group_share_minus_bottom_group_share():
    # 20 people: the best 5 (27% of 20, rounded) all right, the weakest 5 all wrong.
    people = [(score, score >= 10) for score in range(20)]
    assert discrimination_index(people) == 1.0
    # A question the weak get right and the strong get wrong discriminates negatively.
    assert discrimination_index([(score, score < 10) for score in range(20)]) == -1.0
    # Everybody right: it tells nobody apart.
    assert discrimination_index([(score, True) for score in range(20)]) == 0.0


def test_discrimination_needs_enough_people():
    assert discrimination_index([(score, True) for score in range(9)]) is None


def test_the_api_filters_by_use_and_refuses_a_meaningless_value(client, login_as, bank):
    usage.record_use([bank[2].current], "round:1")
    db.session.commit()
    login_as(Role.EDITOR)
    found = client.get("/api/questions?used=used").get_json()
    assert [item["id"] for item in found["items"]] == [bank[2].id]
    assert client.get("/api/questions?used=sometimes").status_code == 422
