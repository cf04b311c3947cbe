"""The sample bank: at least 80 approved questions, each valid, cited, and answerable."""

import json

import pytest
from sqlalchemy import func, select

from contest.extensions import db
from contest.text import fold
from contest.themes.demo import DEMO_THEMES
from questions.checking import check
from questions.content import validate
from questions.models import Question, QuestionType, Status
from questions.samples import load_sample_bank, sample_questions

SAMPLES = sample_questions()


def correct_response(content: dict):
    """What a participant who knows the answer sends, per type."""
    kind = content["type"]
    if kind == "single":
        return next(i for i, o in enumerate(content["options"]) if o.get("correct"))
    if kind == "multiple":
        return [i for i, o in enumerate(content["options"]) if o.get("correct")]
    if kind == "true_false":
        return content["answer"]
    if kind == "short_text":
        return content["accepted"][0]
    if kind == "numeric":
        return str(content["value"])
    if kind == "ordering":
        return list(range(len(content["items"])))
    return None


def test_there_are_at_least_80_samples_of_every_type_with_unique_keys():
    assert len(SAMPLES) >= 80
    assert len({s["key"] for s in SAMPLES}) == len(SAMPLES)
    types = {s["content"]["type"] for s in SAMPLES}
    assert types == {kind.value for kind in QuestionType}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["key"])
def test_each_sample_is_valid_cited_and_its_answer_scores_full_marks(sample):
    assert validate(sample["content"]) == []
    assert sample["source"]["file"] and sample["source"]["document"] and sample["quote"].strip()
    assert set(sample["themes"]) <= {theme["short_name"] for theme in DEMO_THEMES}
    if sample["content"]["type"] != "open":
        assert check(sample["content"], correct_response(sample["content"])) == 1.0


def test_the_demo_bank_loads_approved_and_cited_once(app, runner):
    runner.invoke(args=["demo"])
    approved = select(func.count()).select_from(Question).where(Question.status == Status.APPROVED)
    assert db.session.scalar(approved) == len(SAMPLES)
    question = db.session.scalar(select(Question).where(Question.key == SAMPLES[0]["key"]))
    assert question.current.source_document and question.themes and question.approved_revision == 1
    assert load_sample_bank() == 0  # a second run adds nothing


def test_the_cli_search_finds_sample_questions_without_accents(app, runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["questions", "search", "ngay thu bay voi dan"])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "\t" in line]
    assert len(lines) >= 2 and all(line.split("\t")[1] == "approved" for line in lines)
    for line in lines:
        content = db.session.get(Question, int(line.split("\t")[0])).current.content
        assert "ngay thu bay voi dan" in fold(json.dumps(content, ensure_ascii=False))
    everything = runner.invoke(args=["questions", "search"])
    assert len([line for line in everything.output.splitlines() if "\t" in line]) == len(SAMPLES)
