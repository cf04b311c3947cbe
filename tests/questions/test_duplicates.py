"""Near-duplicates: stems compared without accents or markup, flagged on save, grouped."""

import random

import pytest
from rapidfuzz import fuzz

from contest.accounts.roles import Role
from contest.extensions import db
from contest.text import fold
from questions import duplicates, service
from questions.duplicates import (
    _NOT_A_WORD,
    clusters,
    current_stems,
    duplicate_clusters,
    near_duplicates_of,
    normalised_stem,
    score,
    similar,
)
from questions.markdown import plain_text
from questions.samples import sample_questions
from questions.service import Details
from questions.workflow import Action

DIRECTIVE = (
    "Chỉ thị 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, "
    "phong cách Hồ Chí Minh được ban hành vào ngày nào?"
)
REWORDED = DIRECTIVE.replace("ngày nào", "năm nào")  # one word changed
UNRELATED = "Tỉnh Lai Châu ban hành bao nhiêu kế hoạch triển khai Kết luận 01-KL/TW?"


# Normalising


def test_accents_case_punctuation_and_markdown_do_not_count():
    plain = "chi thi 05 ct tw ban hanh ngay nao"
    assert normalised_stem("Chỉ thị 05-CT/TW ban hành ngày nào?") == plain
    assert normalised_stem("chi thi 05 CT/TW ban hanh ngay nao") == plain
    assert normalised_stem("**Chỉ  thị** 05‑CT/TW _ban hành_ ngày nào ?") == plain
    linked = "[Chỉ thị 05-CT/TW](https://dangcongsan.vn/chi-thi-05) ban hành ngày nào?"
    assert normalised_stem(linked) == plain
    assert normalised_stem("ĐẢNG ỦY") == "dang uy"
    assert normalised_stem("") == normalised_stem("![](https://x.vn/a.png)") == ""


MARKDOWN_CASES = [
    "x*y* và __đậm__",
    "2016. Chỉ thị nào?",
    "- 1. Mục\n- 2) Mục",
    "Dòng một\r2. dòng hai",
    "&amp; &#39; \\* `mã` <https://x.vn>",
    "```python\nin ra\n```",
    "> trích dẫn\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "# Tiêu đề\n\nĐoạn văn --- 05-CT/TW",
]


@pytest.mark.parametrize(
    "stem", MARKDOWN_CASES + [q["content"]["stem"] for q in sample_questions()]
)
def test_the_shortcut_past_the_markdown_parser_gives_the_parsers_words(stem):
    parsed = " ".join(_NOT_A_WORD.sub(" ", fold(plain_text(stem))).split())
    assert normalised_stem(stem) == parsed


def test_normalising_twice_changes_nothing():
    once = normalised_stem("**Chỉ thị** 05-CT/TW: ban hành ngày nào?")
    assert normalised_stem(once) == once


# Scoring


def test_one_word_changed_scores_above_90_and_an_unrelated_question_far_below():
    assert score(normalised_stem(DIRECTIVE), normalised_stem(REWORDED)) > 90
    assert score(normalised_stem(DIRECTIVE), normalised_stem(UNRELATED)) < 60


def test_the_same_words_in_another_order_are_a_near_duplicate():
    active = normalised_stem("Bộ Chính trị ban hành Chỉ thị 05-CT/TW vào ngày nào?")
    passive = normalised_stem("Chỉ thị 05-CT/TW được Bộ Chính trị ban hành vào ngày nào?")
    assert score(active, passive) > 90


def test_similar_keeps_candidates_at_or_above_the_threshold_best_first():
    target = normalised_stem(DIRECTIVE)
    candidates = {
        1: normalised_stem(UNRELATED),
        2: normalised_stem(REWORDED),
        3: normalised_stem(DIRECTIVE.upper()),
        4: "",
    }
    hits = similar(target, candidates, 90)
    assert [key for key, _ in hits] == [3, 2]
    assert hits[0][1] == 100 and 90 <= hits[1][1] < 100
    assert similar(target, candidates, hits[1][1] + 0.01) == [(3, 100.0)]
    assert similar("", candidates, 50) == []


# Grouping


def test_a_chain_of_small_rewordings_is_one_group():
    a = "hoc tap va lam theo tu tuong dao duc phong cach ho chi minh nam 2016"
    b = "hoc tap va lam theo tu tuong dao duc phong cach ho chi minh nam 2021 tai dia phuong"
    c = "hoc tap va lam theo tu tuong dao duc phong cach ho chi minh tai cac dia phuong trong tinh"
    assert score(a, b) >= 85 and score(b, c) >= 85 and score(a, c) < 85  # A~B~C, not A~C
    assert clusters({7: c, 3: a, 5: b, 9: "ket luan 01 kl tw"}, 85) == [[3, 5, 7]]


def test_singletons_and_empty_stems_make_no_group_and_groups_come_in_id_order():
    stems = {
        10: "dung hay sai",
        4: "chi thi 05 ban hanh ngay nao",
        8: "chi thi 05 ban hanh ngay nao",
        2: "ket luan 01 ban hanh nam nao",
        6: "ket luan 01 ban hanh nam nao nhi",
        11: "",
        12: "",
    }
    assert clusters(stems, 90) == [[2, 6], [4, 8]]
    assert clusters({1: "mot cau hoi"}, 90) == [] and clusters({}, 90) == []


def _reworded(words: list[str], vocabulary: list[str], rnd: random.Random, changes: int) -> str:
    words = list(words)
    for _ in range(changes):
        words[rnd.randrange(len(words))] = rnd.choice(vocabulary)
    return " ".join(words)


@pytest.mark.parametrize("block", [7, 1_000])
@pytest.mark.parametrize("threshold", [55, 75, 90, 97])
def test_grouping_finds_exactly_the_pairs_a_full_comparison_finds(monkeypatch, threshold, block):
    # The length and shared-character bounds skip most pairs; they must never skip a real one,
    # whether the pair sits inside one block of rows or across two.
    monkeypatch.setattr(duplicates, "_BLOCK", block)
    rnd = random.Random(threshold)
    vocabulary = normalised_stem(" ".join(q["content"]["stem"] for q in sample_questions()))
    vocabulary = sorted(set(vocabulary.split()))
    stems = {}
    for key in range(1, 301):
        if key > 20 and rnd.random() < 0.6:
            source = stems[rnd.randrange(1, key)].split()
            stems[key] = _reworded(source, vocabulary, rnd, rnd.randint(0, 4))
        else:
            stems[key] = " ".join(rnd.choices(vocabulary, k=rnd.randint(4, 40)))

    parent = {key: key for key in stems}

    def root(key):
        while parent[key] != key:
            key = parent[key]
        return key

    keys = sorted(stems)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if fuzz.token_sort_ratio(stems[a], stems[b]) >= threshold:
                parent[max(root(a), root(b))] = min(root(a), root(b))
    expected = {}
    for key in keys:
        expected.setdefault(root(key), []).append(key)
    assert clusters(stems, threshold) == sorted(g for g in expected.values() if len(g) > 1)


@pytest.mark.parametrize(("threshold", "short", "extra"), [(75, 30, 19), (90, 45, 9)])
def test_a_longer_stem_right_at_the_length_limit_is_still_found(
    monkeypatch, threshold, short, extra
):
    monkeypatch.setattr(duplicates, "_BLOCK", 1)  # the shorter stem's block must reach the longer
    a = "m" * short
    b = f"{a} {'z' * extra}"
    assert score(a, b) == threshold
    assert clusters({1: a, 2: b}, threshold) == [[1, 2]]


def test_twenty_thousand_stems_are_grouped_with_their_rewordings():
    # Size, not speed, is what this checks; the time is measured in bench notes, not asserted.
    rnd = random.Random(5)
    vocabulary = sorted(
        set(normalised_stem(" ".join(q["content"]["stem"] for q in sample_questions())).split())
    )
    stems, copied_from = {}, {}
    for key in range(1, 20_001):
        if key % 100 == 0:
            copied_from[key] = rnd.randrange(1, key - 1)
            stems[key] = _reworded(stems[copied_from[key]].split(), vocabulary, rnd, 1)
        else:
            stems[key] = " ".join(rnd.choices(vocabulary, k=rnd.randint(15, 45)))
    group_of = {key: tuple(group) for group in clusters(stems, 90) for key in group}
    assert all(group_of.get(key) == group_of.get(source) for key, source in copied_from.items())
    assert all(set(group) & set(copied_from) for group in set(group_of.values()))


# The bank


def _single(stem: str) -> dict:
    return {
        "type": "single",
        "stem": stem,
        "options": [{"text": "A", "correct": True}, {"text": "B", "correct": False}],
    }


@pytest.fixture
def bank(make_user):
    """Three questions: the directive's date, the same reworded, and an unrelated one."""
    editor = make_user("bientap", Role.EDITOR)
    made = {
        name: service.create_question(editor, _single(stem), Details())
        for name, stem in (("original", DIRECTIVE), ("reworded", REWORDED), ("other", UNRELATED))
    }
    db.session.commit()
    return made


def test_a_saved_question_is_flagged_with_its_near_twin_and_a_score(app, bank):
    found = near_duplicates_of(bank["reworded"].id, REWORDED)
    assert [(question.id, round(found_score)) for question, found_score in found] == [
        (bank["original"].id, round(score(normalised_stem(DIRECTIVE), normalised_stem(REWORDED))))
    ]
    assert found[0][1] > 90
    assert near_duplicates_of(bank["other"].id, UNRELATED) == []


def test_a_stem_not_saved_yet_is_checked_against_every_question(app, bank):
    found = near_duplicates_of(0, DIRECTIVE.replace("Chỉ thị 05-CT/TW", "**Chỉ thị 05 CT-TW**"))
    assert {question.id for question, _ in found} == {bank["original"].id, bank["reworded"].id}


def test_the_threshold_comes_from_the_settings(app, bank):
    app.config["QUESTIONS_DUPLICATE_THRESHOLD"] = 99.5
    assert near_duplicates_of(bank["reworded"].id, REWORDED) == []
    assert near_duplicates_of(bank["reworded"].id, REWORDED, threshold=90)


def test_retired_questions_are_not_offered(app, bank, make_user):
    reviewer = make_user("duyet", Role.REVIEWER)
    service.apply_action(bank["original"], reviewer, Action.RETIRE)
    db.session.commit()
    assert near_duplicates_of(bank["reworded"].id, REWORDED) == []
    assert duplicate_clusters() == []
    assert bank["original"].id in current_stems(exclude_retired=False)


def test_the_bank_is_grouped_from_each_questions_current_version(app, bank):
    assert duplicate_clusters() == [[bank["original"], bank["reworded"]]]
    assert current_stems()[bank["other"].id] == normalised_stem(UNRELATED)


# The report page


def test_an_editor_sees_each_group_with_links_and_scores(app, client, login_as, bank):
    login_as(Role.EDITOR)
    response = client.get("/questions/duplicates")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("original", "reworded"):
        assert f'href="/questions/{bank[name].id}"' in html
    assert f'href="/questions/{bank["other"].id}"' not in html
    assert "Lai Châu" not in html and "năm nào" in html
    assert 'value="90"' in html  # the threshold in use


def test_a_reviewer_may_choose_the_threshold_and_a_bad_one_falls_back(app, client, login_as, bank):
    login_as(Role.REVIEWER)
    strict = client.get("/questions/duplicates?threshold=100").get_data(as_text=True)
    assert f'href="/questions/{bank["original"].id}"' not in strict and 'value="100"' in strict
    for bad in ("abc", "20", "80", "101", "nan", "inf"):
        html = client.get(f"/questions/duplicates?threshold={bad}").get_data(as_text=True)
        assert 'value="90"' in html and f'href="/questions/{bank["original"].id}"' in html


def test_the_report_is_for_the_bank_staff_only(app, client, login_as):
    response = client.get("/questions/duplicates")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_as(Role.JUDGE)
    assert client.get("/questions/duplicates").status_code == 403
