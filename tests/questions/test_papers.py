"""Printable test papers: variants keyed right, the same for a seed, drawn by theme and level,
printed without answers on the candidates' pages, keys exported."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import docx
import pytest
from openpyxl import load_workbook

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes import service as themes
from questions import papers, service
from questions.checking import check
from questions.formats import word_write
from questions.models import Status
from questions.papers import Candidate, DrawRow, NotEnough, Source, make_variants
from questions.service import Details
from questions.workflow import Action


def single(stem, right, *wrong):
    options = [{"text": right, "correct": True}] + [{"text": text} for text in wrong]
    return {"type": "single", "stem": stem, "options": options}


EVERY_TYPE = [
    single("Chỉ thị 05-CT/TW ban hành năm nào?", "2016", "2011", "2021", "2019"),
    single("Kết luận 01-KL/TW ban hành năm nào?", "2021", "2016", "2011"),
    {
        "type": "multiple",
        "stem": "Văn bản nào do Bộ Chính trị ban hành?",
        "options": [
            {"text": "Nghị định 01"},
            {"text": "Chỉ thị 05-CT/TW", "correct": True},
            {"text": "Thông tư 02"},
            {"text": "Kết luận 01-KL/TW", "correct": True},
        ],
    },
    {"type": "true_false", "stem": "Kết luận 01-KL/TW ban hành ngày 18/5/2021.", "answer": True},
    {"type": "short_text", "stem": "Chỉ thị số mấy?", "accepted": ["Chỉ thị 05", "05-CT/TW"]},
    {"type": "numeric", "stem": "Bao nhiêu đảng viên?", "value": 7171, "unit": "đảng viên"},
    {
        "type": "ordering",
        "stem": "Xếp theo thời gian.",
        "items": ["Chỉ thị 03-CT/TW", "Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"],
    },
    {"type": "open", "stem": "Nêu ý nghĩa của việc làm theo Bác.", "guidance": "Nêu gương"},
]
SOURCES = [Source(100 + n, content) for n, content in enumerate(EVERY_TYPE)]


def full_marks_response(entry: papers.KeyEntry):
    """What a candidate who copies the key answers, as the bank's own content reads it."""
    letters = entry.answer if isinstance(entry.answer, str) else ""
    shown = [ord(letter) - ord("A") for letter in re.findall(r"[A-H]", letters)]
    if entry.kind == "single":
        return entry.order[shown[0]]
    if entry.kind in ("multiple", "ordering"):
        return [entry.order[index] for index in shown]
    if entry.kind == "short_text":
        return entry.answer[0]
    return entry.answer  # true_false: the bool; numeric: the number; open: None


# ---- the pure part ------------------------------------------------------------------------------


def test_answering_every_variant_by_its_key_scores_full_marks():
    by_id = {source.question_id: source.content for source in SOURCES}
    for variant in make_variants(SOURCES, 6, seed=2024):
        for entry in variant.key:
            score = check(by_id[entry.question_id], full_marks_response(entry))
            assert score == (None if entry.kind == "open" else 1.0), (variant.code, entry)


def test_each_shown_option_is_the_one_the_key_names():
    by_id = {source.question_id: source.content for source in SOURCES}
    for variant in make_variants(SOURCES, 4, seed=7):
        for shown, entry in zip(variant.questions, variant.key, strict=True):
            if entry.kind == "single":
                letter = "ABCDEFGH".index(entry.answer)
                correct = [
                    o["text"] for o in by_id[shown.question_id]["options"] if o.get("correct")
                ]
                assert shown.choices[letter] == correct[0]


def test_variants_have_codes_from_101_and_differ_in_order():
    variants = make_variants(SOURCES, 4, seed=99)
    assert [variant.code for variant in variants] == [101, 102, 103, 104]
    orders = {tuple(shown.question_id for shown in variant.questions) for variant in variants}
    assert len(orders) == 4
    first_options = {
        next(s.choices for s in variant.questions if s.question_id == 100) for variant in variants
    }
    assert len(first_options) > 1  # the options move too
    for variant in variants:
        assert [shown.number for shown in variant.questions] == list(range(1, 9))
        assert sorted(s.question_id for s in variant.questions) == [s.question_id for s in SOURCES]


def test_the_same_seed_gives_the_same_paper_and_another_seed_another():
    assert make_variants(SOURCES, 3, seed=5) == make_variants(SOURCES, 3, seed=5)
    assert make_variants(SOURCES, 3, seed=5) != make_variants(SOURCES, 3, seed=6)


def test_types_without_options_keep_their_layout_and_candidates_never_get_a_flag():
    for variant in make_variants(SOURCES, 2, seed=1):
        for shown in variant.questions:
            assert all(isinstance(choice, str) for choice in shown.choices)
            if shown.kind in ("true_false", "short_text", "numeric", "open"):
                assert shown.choices == ()
        numeric = next(s for s in variant.questions if s.kind == "numeric")
        assert numeric.unit == "đảng viên"


def test_options_that_point_at_other_options_stay_where_they_are():
    content = single("Câu nào đúng?", "Cả A và B đều đúng", "Học tập", "Làm theo")
    content["options"] = content["options"][1:] + content["options"][:1]
    everything = single("Chọn?", "Tất cả các đáp án trên", "Một", "Hai", "Ba")
    for variant in make_variants([Source(1, content), Source(2, everything)], 5, seed=3):
        shown = {s.question_id: s.choices for s in variant.questions}
        assert shown[1] == ("Học tập", "Làm theo", "Cả A và B đều đúng")
        assert shown[2][0] == "Tất cả các đáp án trên"


def test_ordering_items_are_shown_in_the_order_the_word_paper_prints_them():
    content = EVERY_TYPE[6]
    assert papers.ordering_order(content) == word_write._shuffled(3, content["stem"])
    assert papers.ordering_order(content) != [0, 1, 2]


@pytest.mark.parametrize("count", [0, 21])
def test_between_one_and_twenty_variants(count):
    with pytest.raises(ValueError):
        make_variants(SOURCES, count, seed=1)


POOL = (
    [Candidate(n, "recall", frozenset({1})) for n in range(1, 11)]
    + [Candidate(n, "understanding", frozenset({1})) for n in range(11, 14)]
    + [Candidate(n, "recall", frozenset({2})) for n in range(14, 20)]
    + [Candidate(20, "recall", frozenset({1, 2}))]
)
LEVEL_OF = {c.question_id: (c.level, c.theme_ids) for c in POOL}


def test_a_draw_takes_the_asked_number_per_theme_and_level_each_question_once():
    rows = [DrawRow(1, "recall", 4), DrawRow(1, "understanding", 2), DrawRow(2, None, 5)]
    drawn = papers.draw(POOL, rows, seed=11)
    assert len(drawn) == len(set(drawn)) == 11
    assert all(LEVEL_OF[q] == ("recall", LEVEL_OF[q][1]) and 1 in LEVEL_OF[q][1] for q in drawn[:4])
    assert all(LEVEL_OF[q][0] == "understanding" for q in drawn[4:6])
    assert all(2 in LEVEL_OF[q][1] for q in drawn[6:])


def test_a_draw_is_the_same_for_a_seed_whatever_the_pool_order():
    rows = [DrawRow(1, "recall", 5)]
    assert papers.draw(POOL, rows, 8) == papers.draw(list(reversed(POOL)), rows, 8)
    seeds = {tuple(papers.draw(POOL, rows, seed)) for seed in range(10)}
    assert len(seeds) > 1


def test_questions_already_on_the_paper_are_not_drawn_again():
    drawn = papers.draw(POOL, [DrawRow(1, "understanding", 2)], seed=1, taken=[11])
    assert sorted(drawn) == [12, 13]


def test_too_few_questions_names_every_short_row_and_what_the_bank_has():
    rows = [DrawRow(1, "understanding", 5), DrawRow(2, "recall", 2), DrawRow(2, "application", 1)]
    with pytest.raises(NotEnough) as refused:
        papers.draw(POOL, rows, seed=1)
    found = [(s.row, s.asked, s.available) for s in refused.value.shortfalls]
    assert found == [(0, 5, 3), (2, 1, 0)]


# ---- the pages ----------------------------------------------------------------------------------


def make_theme(short_name):
    return themes.create_theme(
        kind="directive",
        short_name=short_name,
        title=f"Tài liệu {short_name}",
        organisation="Bộ Chính trị",
        year_from=2016,
    )


@pytest.fixture
def bank(app, make_user):
    """Approved questions in two themes, and one draft."""
    editor = make_user("tacgia", Role.EDITOR)
    directive, conclusion = make_theme("Chỉ thị 05"), make_theme("Kết luận 01")
    made = {}

    def add(name, content, theme, level="recall", status=Status.APPROVED):
        question = service.create_question(editor, content, Details(level=level))
        question.themes = [theme]
        if status == Status.APPROVED:
            question.status, question.approved_revision = Status.APPROVED.value, 1
        made[name] = question

    for n in range(4):
        add(
            f"s{n}",
            single(f"Câu nhận biết {n}?", f"Đúng {n}", "Sai 1", "Sai 2", "Sai 3"),
            directive,
        )
    for n in range(2):
        content = {"type": "true_false", "stem": f"Nhận định {n}.", "answer": n == 0}
        add(f"tf{n}", content, directive, level="understanding")
    add("text", EVERY_TYPE[4] | {"accepted": ["Học tập suốt đời"]}, conclusion)
    add("number", EVERY_TYPE[5] | {"value": 98765}, conclusion)
    add("order", EVERY_TYPE[6], conclusion, level="application")
    add("many", EVERY_TYPE[2], conclusion, level="application")
    add("open", EVERY_TYPE[7], conclusion, level="advanced_application")
    add("draft", single("Câu nháp?", "Có", "Không"), directive, status=Status.DRAFT)
    db.session.commit()
    made["directive"], made["conclusion"] = directive, conclusion
    return made


def paper_form(**fields):
    data = {"title": "ĐỀ THI TÌM HIỂU CHỈ THỊ 05-CT/TW", "organisation": "ĐẢNG ỦY XÃ A"}
    data |= {"minutes": "30", "variants": "3", "seed": "4242", "ids": ""}
    for row in range(3):
        data |= {f"draws-{row}-theme": "0", f"draws-{row}-level": "", f"draws-{row}-count": ""}
    data.update(fields)
    return data


def english(client):
    client.post_form("/language", {"lang": "en", "next": "/"})


def chosen_ids(bank, *names):
    return ", ".join(str(bank[name].id) for name in names)


ALL_APPROVED = ("s0", "s1", "tf0", "text", "number", "order", "many", "open")


def make_paper(client, bank, names=ALL_APPROVED, **fields):
    response = client.post_form(
        "/questions/papers/new", paper_form(ids=chosen_ids(bank, *names), **fields)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def test_an_editor_draws_a_paper_and_every_variant_prints_with_its_code(client, login_as, bank):
    login_as(Role.EDITOR)
    rows = {
        "draws-0-theme": str(bank["directive"].id),
        "draws-0-level": "recall",
        "draws-0-count": "3",
        "draws-1-theme": str(bank["directive"].id),
        "draws-1-level": "understanding",
        "draws-1-count": "2",
        "draws-2-theme": str(bank["conclusion"].id),
        "draws-2-count": "2",
    }
    response = client.post_form("/questions/papers/new", paper_form(**rows))
    assert response.status_code == 302
    address = parse_qs(urlsplit(response.location).query)
    assert address["seed"] == ["4242"] and address["k"] == ["3"]
    ids = [int(part) for part in address["ids"][0].split(",")]
    assert len(ids) == len(set(ids)) == 7 and bank["draft"].id not in ids
    directive_recall = {bank[f"s{n}"].id for n in range(4)}
    assert len(directive_recall & set(ids[:3])) == 3
    assert set(ids[3:5]) == {bank["tf0"].id, bank["tf1"].id}

    page = client.get(response.location).get_data(as_text=True)
    codes = re.findall(r'class="code-box">[^<]*?(\d{3})<', page)
    assert sorted(set(codes)) == ["101", "102", "103"]  # each on its paper and its answer sheet
    assert page.count("ĐỀ THI TÌM HIỂU CHỈ THỊ 05-CT/TW") >= 6
    assert "ĐẢNG ỦY XÃ A" in page and "@page" not in page  # print CSS lives in paper.css
    assert client.get(response.location).get_data(as_text=True) == page  # reprints identically


def test_the_candidates_pages_never_show_an_answer(client, login_as, bank):
    login_as(Role.EDITOR)
    address = make_paper(client, bank)
    page = client.get(address).get_data(as_text=True)
    assert "Câu nhận biết 0?" in page and "Sai 3" in page and "Nêu ý nghĩa" in page
    for answer in ("Học tập suốt đời", "98765", "98.765", "Nêu gương", "correct", "key-table"):
        assert answer not in page, answer

    key = client.get(address + "&part=key").get_data(as_text=True)
    assert "Học tập suốt đời" in key and "98.765 đảng viên" in key and "Nêu gương" in key
    assert "key-table" in key


def test_the_key_page_names_the_right_option_of_each_variant(client, login_as, bank):
    login_as(Role.EDITOR)
    address = make_paper(client, bank, names=("s0",), variants="4")
    page = client.get(address).get_data(as_text=True)
    shown = re.findall(r'<span class="letter">([A-D])\.</span> ([^<]+)</div>', page)
    assert len(shown) == 16
    key = client.get(address + "&part=key").get_data(as_text=True)
    rows = re.findall(r'<tr><th scope="row">1</th>((?:<td>[A-D]</td>)+)</tr>', key)
    letters = re.findall(r"<td>([A-D])</td>", rows[0])
    for variant, letter in enumerate(letters):
        options = dict(shown[variant * 4 : variant * 4 + 4])
        assert options[letter] == "Đúng 0"


def test_the_keys_of_all_variants_come_as_one_workbook(client, login_as, bank):
    login_as(Role.REVIEWER)
    address = make_paper(client, bank)
    query = urlsplit(address).query
    response = client.get(f"/questions/papers/keys.xlsx?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.data))
    keys = book.worksheets[0]
    rows = list(keys.iter_rows(values_only=True))
    assert rows[0][1:] == (101, 102, 103)
    assert [row[0] for row in rows[1:]] == list(range(1, 9))
    bank_ids = {bank[name].id for name in ALL_APPROVED}
    for column, sheet in enumerate(book.worksheets[1:4], start=1):
        lines = list(sheet.iter_rows(values_only=True))[1:]
        assert {line[1] for line in lines} == bank_ids
        assert [line[4] for line in lines] == [row[column] for row in rows[1:]]
        by_question = {line[1]: line[4] for line in lines}
        assert by_question[bank["tf0"].id] == "Đúng"
        assert by_question[bank["text"].id] == "Học tập suốt đời"
    about = {row[0]: row[1] for row in book.worksheets[4].iter_rows(values_only=True)}
    assert 4242 in about.values()


def test_a_variant_prints_as_a_word_paper_with_the_same_key(client, login_as, bank):
    login_as(Role.HOST)
    address = make_paper(client, bank, names=("s0", "s1", "many", "order", "tf0"))
    query = urlsplit(address).query
    paper = client.get(f"/questions/papers/paper.docx?{query}&code=102")
    assert paper.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(paper.data)).paragraphs)
    assert "Mã đề 102" in text or "Variant 102" in text
    assert "Đáp án" not in text
    judges = client.get(f"/questions/papers/paper.docx?{query}&code=102&answers=1")
    lines = [p.text for p in docx.Document(io.BytesIO(judges.data)).paragraphs]
    word_key = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Đáp án:")]
    page = client.get(address + "&part=key").get_data(as_text=True)
    rows = re.findall(r'<th scope="row">\d+</th>\s*<td>([^<]*)', page.split("102</h2>")[1])
    assert len(word_key) == 5
    assert word_key[:5] == [answer.replace("Đúng", "A").replace("Sai", "B") for answer in rows[:5]]


def test_a_draft_question_is_refused_beside_the_field(client, login_as, bank):
    login_as(Role.EDITOR)
    english(client)
    ids = chosen_ids(bank, "s0", "draft") + ", 99999, abc"
    response = client.post_form("/questions/papers/new", paper_form(ids=ids))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="ids-error">(.*?)</p>', page, re.S).group(1)
    assert f"Question {bank['draft'].id} has no approved version (it is: Draft)" in error
    assert "Question 99999 does not exist." in error
    assert "“abc” is not a question number." in error


def test_asking_more_than_the_bank_holds_says_which_row_and_how_many(client, login_as, bank):
    login_as(Role.EDITOR)
    english(client)
    rows = {
        "draws-1-theme": str(bank["directive"].id),
        "draws-1-level": "understanding",
        "draws-1-count": "5",
    }
    response = client.post_form("/questions/papers/new", paper_form(**rows))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(r'id="draws-1-count-error">(.*?)</p>', page, re.S).group(1)
    assert "Chỉ thị 05, Understanding: 5 asked" in error and "only 2 approved" in error


def test_an_empty_paper_is_refused(client, login_as, bank):
    login_as(Role.EDITOR)
    response = client.post_form("/questions/papers/new", paper_form())
    assert response.status_code == 200 and 'id="ids-error"' in response.get_data(as_text=True)


def test_an_old_paper_reprints_as_made_and_a_typed_address_cannot_print_a_draft(
    app, client, login_as, make_user, bank
):
    login_as(Role.EDITOR)
    address = make_paper(client, bank, names=("s0", "s1"))
    before = client.get(address).get_data(as_text=True)
    question = bank["s0"]
    edited = single("Câu nhận biết 0, viết lại?", "Đúng 0", "Sai 1", "Sai 2", "Sai 3")
    service.edit_question(question, bank["s0"].author, 1, edited, Details())
    reviewer = make_user("duyet", Role.REVIEWER)
    for action in (Action.SUBMIT, Action.APPROVE):
        service.apply_action(
            question, reviewer if action is Action.APPROVE else question.author, action
        )
    db.session.commit()
    again = client.get(address).get_data(as_text=True)
    assert "Câu nhận biết 0?" in again and "viết lại" not in again
    assert again.count('class="sheet') == before.count('class="sheet')

    assert "rev=1%2C1" in address or "rev=1,1" in address
    draft = bank["draft"].id
    forged = re.sub(r"ids=[^&]+", f"ids={bank['s1'].id}%2C{draft}", address)
    assert client.get(forged).status_code == 404  # a draft was never on this paper


def test_the_bank_lists_ticked_questions_fill_the_form(client, login_as, bank):
    login_as(Role.EDITOR)
    data = {"start": "selection", "ids": [str(bank["s0"].id), str(bank["s1"].id)]}
    page = client.post_form("/questions/papers/new", data).get_data(as_text=True)
    assert f"{bank['s0'].id}, {bank['s1'].id}</textarea>" in page
    page = client.get(f"/questions/papers/new?ids={bank['s1'].id},{bank['s0'].id}").get_data(
        as_text=True
    )
    assert f"{bank['s1'].id}, {bank['s0'].id}</textarea>" in page


def test_a_damaged_address_is_refused(client, login_as, bank):
    login_as(Role.EDITOR)
    assert client.get("/questions/papers/view?ids=1,2&rev=1&seed=1&k=2").status_code == 400
    assert client.get("/questions/papers/view?ids=1&rev=1&seed=1&k=21").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/questions/papers/new",
        "/questions/papers/view?ids=1&rev=1&seed=1&k=1",
        "/questions/papers/keys.xlsx?ids=1&rev=1&seed=1&k=1",
        "/questions/papers/paper.docx?ids=1&rev=1&seed=1&k=1&code=101",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_staff_without_a_bank_role_may_not_make_papers(client, login_as):
    login_as()
    assert client.get("/questions/papers/new").status_code == 403


def test_a_wrong_number_and_a_wrong_count_are_both_reported_at_once(client, login_as, bank):
    login_as(Role.EDITOR)
    response = client.post_form(
        "/questions/papers/new", paper_form(ids="abc", **{"draws-0-count": "500"})
    )
    page = response.get_data(as_text=True)
    assert 'id="ids-error"' in page and 'id="draws-0-count-error"' in page


def test_a_typed_answer_that_looks_like_a_formula_stays_text_in_the_workbook(
    client, login_as, bank
):
    content = {"type": "short_text", "stem": "Công thức?", "accepted": ["=SUM(1,2)"]}
    question = service.create_question(bank["s0"].author, content, Details())
    question.status, question.approved_revision = Status.APPROVED.value, 1
    db.session.commit()
    login_as(Role.EDITOR)
    form = paper_form(ids=str(question.id), variants="1")
    address = client.post_form("/questions/papers/new", form).location
    data = client.get("/questions/papers/keys.xlsx?" + urlsplit(address).query).data
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == ("=SUM(1,2)", "s")
