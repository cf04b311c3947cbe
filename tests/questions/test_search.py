"""Search through the word index and the count cap gives what a plain scan of the texts gives."""

import pytest

from contest.accounts.roles import Role
from contest.extensions import db
from questions import search as question_search
from questions import service
from questions.search import Filters, search, search_page
from questions.service import Details

STEMS = [
    "Chỉ thị 05-CT/TW được ban hành ngày nào?",
    "Kết luận 01-KL/TW ban hành ngày 18/5/2021.",
    "Tấm gương “tự phê bình” của Chủ tịch Hồ Chí Minh.",
    "Bác Hồ viết “Sửa đổi lối làm việc” năm nào?",
    "Chỉ thị 03-CT/TW năm 2011 về tiếp tục đẩy mạnh việc học tập.",
    "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh.",
    "Cần, kiệm, liêm, chính, chí công vô tư.",
]


@pytest.fixture
def bank(app, make_user):
    editor = make_user("bientap", Role.EDITOR)
    questions = []
    for stem in STEMS:
        content = {"type": "true_false", "stem": stem, "answer": True}
        questions.append(service.create_question(editor, content, Details()))
    db.session.commit()
    return questions


def scanned(filters: Filters) -> list[int]:
    """The reference: every text read, no index, no cap."""
    return [question.id for question, _version in db.session.execute(search(filters)).all()]


def paged(filters: Filters, per_page: int = 2) -> list[int]:
    ids, page = [], 1
    while True:
        result = search_page(filters, page, per_page)
        ids += [question.id for question, _version in result.items]
        if not result.has_next:
            return ids
        page += 1


QUERIES = ["chi thi", "ho chi minh", "05", "tu phe binh", "tam guong hoc", "nam", "pickleball"]


@pytest.mark.parametrize("cap", [1000, 2])
@pytest.mark.parametrize("words", QUERIES)
def test_every_page_in_turn_gives_what_a_scan_gives(bank, monkeypatch, cap, words):
    # cap 2 sends common words down the newest-first walk; 1000 sorts the word index's hits.
    monkeypatch.setattr(question_search, "COUNT_CAP", cap)
    expected = scanned(Filters(text=words))
    assert paged(Filters(text=words)) == expected
    if words != "pickleball":
        assert expected, f"the bank should hold {words!r}"


def test_an_edited_question_is_found_by_its_new_words_only(bank):
    question = bank[0]
    content = dict(question.current.content, stem="Nghị quyết Trung ương 4 khóa XII.")
    service.edit_question(question, None, question.revision, content, Details())
    db.session.commit()
    assert question.id in paged(Filters(text="nghi quyet trung uong"))
    assert question.id not in paged(Filters(text="ban hanh ngay nao"))


def test_more_matches_than_the_cap_say_so_and_still_page_on(bank, monkeypatch):
    monkeypatch.setattr(question_search, "COUNT_CAP", 1)
    first = search_page(Filters(text="ho chi minh"), 1, 1)
    assert (first.total, first.total_is_exact, first.has_next) == (1, False, True)
    second = search_page(Filters(text="ho chi minh"), 2, 1)
    assert (second.page, len(second.items), second.has_next) == (2, 1, False)
    beyond = search_page(Filters(text="ho chi minh"), 50, 1)
    assert beyond.page == 1  # past the end of an uncounted result: the first page again


def test_the_list_page_says_more_than_when_the_count_stops(client, login_as, bank, monkeypatch):
    monkeypatch.setattr(question_search, "COUNT_CAP", 1)
    login_as(Role.EDITOR)
    page = client.get("/questions?q=ho+chi+minh").get_data(as_text=True)
    assert "Hơn 1 câu hỏi" in page
    assert "of 1" not in page and "/ 1" not in page  # no page count it cannot know


def test_quotes_and_operators_in_a_search_are_just_text(bank):
    for words in ['chi "thi', "AND OR NOT", "tu* phe^", "(ho chi", "NEAR(chi thi)"]:
        search_page(Filters(text=words), 1, 25)  # must not raise
    assert paged(Filters(text='"tu phe binh"')) == scanned(Filters(text='"tu phe binh"'))
