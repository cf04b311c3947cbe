"""A gathered question as a bank record: its type, content and details, or the reasons it has none.

The type comes from a "Loại câu hỏi:" line when there is one, otherwise from the layout (see
`word.inferred_type`); every label that means nothing for that type is reported, not dropped.
"""

from __future__ import annotations

from flask_babel import gettext as _

from contest.text import clean_line, fold
from questions.formats.base import QuestionRecord, parse_type
from questions.formats.word import (
    NO,
    SCORING_ALIASES,
    YES,
    inferred_type,
    is_true_false,
    read_number,
    truth,
)
from questions.formats.word_details import read_details
from questions.formats.word_marks import letter_name, letters, markdown, marked_correct
from questions.formats.word_question import Question


def record(question: Question, has_choices: bool) -> QuestionRecord | None:
    """The question as a record; None when it has issues (they are in `issues`)."""
    content = _content(question, has_choices)
    made = QuestionRecord(content=content or {}, line=question.paragraph)
    read_details(question, made)
    return made if content is not None and not question.issues else None


def _content(question: Question, has_choices: bool) -> dict | None:
    explicit = None
    if "type" in question.fields:
        value, paragraph = question.fields["type"]
        explicit = parse_type(value)
        if explicit is None:
            question.issue(
                paragraph,
                "type",
                _(
                    "Question %(number)s: unknown question type “%(type)s”: use Một lựa chọn, "
                    "Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn, Điền số, Sắp xếp or Tự luận.",
                    number=question.number,
                    type=value,
                ),
            )
            return None
    if question.table is not None and not question.options:
        question.issue(
            question.table[1],
            "answer",
            _(
                "Question %(number)s has no options A, B, C, but the answer table gives it "
                "a letter.",
                number=question.number,
            ),
        )
        return None
    body = (
        _choices(question, explicit)
        if question.options
        else _without_options(question, explicit, has_choices)
    )
    if body is None:
        return None
    _check_fields(question, body["type"])
    return {
        "type": body.pop("type"),
        "stem": markdown(question.stem),
        "explanation": markdown(question.blocks["explanation"]),
        **body,
    }


def _choices(question: Question, explicit: str | None) -> dict | None:
    if len(question.options) == 1:
        question.issue(
            question.paragraph,
            "options",
            _(
                "Question %(number)s has only one option; a choice question needs at least two.",
                number=question.number,
            ),
        )
        return None
    if explicit in ("short_text", "numeric", "open"):
        question.issue(
            question.options[0].paragraph,
            "type",
            _(
                "Question %(number)s: this type of question has no options A, B, C: remove "
                "them or change the “Loại câu hỏi:” line.",
                number=question.number,
            ),
        )
        return None
    if explicit == "ordering":
        return _ordering(question)
    correct = marked_correct(
        question.options,
        question.number,
        question.paragraph,
        question.fields.get("answer"),
        question.table,
        question.issue,
    )
    if correct is None:
        return None
    texts = [option.text for option in question.options]
    kind = explicit or inferred_type(texts, len(correct), None)
    if kind == "true_false":
        if not is_true_false(texts) or len(correct) != 1:
            question.issue(
                question.paragraph,
                "options",
                _(
                    "Question %(number)s: a true/false question has the two options “Đúng” "
                    "and “Sai”, one of them marked correct.",
                    number=question.number,
                ),
            )
            return None
        return {"type": kind, "answer": truth(texts[min(correct)])}
    options = [
        {"text": option.text, "correct": index in correct}
        for index, option in enumerate(question.options)
    ]
    body = {"type": kind, "options": options}
    if kind == "multiple":
        body["scoring"] = _scoring(question)
    return body


def _ordering(question: Question) -> dict | None:
    value, paragraph = question.fields.get("answer", ("", question.paragraph))
    order = letters(value)
    if question.table is not None:
        if "answer" not in question.fields:
            order, paragraph = question.table
        elif order is not None and order != question.table[0]:
            question.issue(
                paragraph,
                "answer",
                _(
                    "Question %(number)s: the marks disagree on the correct answer (%(marks)s).",
                    number=question.number,
                    marks="; ".join(
                        f"{name}: {', '.join(letter_name(i) for i in chosen)}"
                        for name, chosen in (
                            (_("the “Đáp án” line"), order),
                            (_("the answer table"), question.table[0]),
                        )
                    ),
                ),
            )
            return None
    if order is None or sorted(order) != list(range(len(question.options))):
        question.issue(
            paragraph,
            "answer",
            _(
                "Question %(number)s: for an ordering question the answer lists every option "
                "once, in the right order, such as “Đáp án: C, A, B”.",
                number=question.number,
            ),
        )
        return None
    return {"type": "ordering", "items": [question.options[i].text for i in order]}


def _without_options(question: Question, explicit: str | None, has_choices: bool) -> dict | None:
    value, paragraph = question.fields.get("answer", (None, question.paragraph))
    kind = explicit or inferred_type([], 0, value)
    guidance = markdown(question.blocks["guidance"])
    if kind is None:
        if guidance or not has_choices:
            kind = "open"
        else:
            # In a paper of choice questions, a bare stem is a question whose options or
            # answer were forgotten, not an essay question.
            question.issue(
                question.paragraph,
                "options",
                _(
                    "Question %(number)s has neither options nor an answer. Add the options, "
                    "a line “Đáp án: …”, or a line “Loại câu hỏi: Tự luận” for an essay "
                    "question.",
                    number=question.number,
                ),
            )
            return None
    if kind in ("single", "multiple", "ordering"):
        question.issue(
            question.paragraph,
            "options",
            _(
                "Question %(number)s: this type of question needs options A, B, C ….",
                number=question.number,
            ),
        )
        return None
    if kind == "open":
        guidance = "\n".join(part for part in (value or "", guidance) if part)
        return {"type": "open", "guidance": guidance}
    value = value or ""
    if kind == "true_false":
        if truth(value) is None:
            question.issue(
                paragraph,
                "answer",
                _(
                    "Question %(number)s: the answer of a true/false question is “Đúng” or “Sai”.",
                    number=question.number,
                ),
            )
            return None
        return {"type": "true_false", "answer": truth(value)}
    if kind == "numeric":
        return _numeric(question, value, paragraph)
    accepted = [clean_line(part) for part in value.split(";") if clean_line(part)]
    return {
        "type": "short_text",
        "accepted": accepted,
        "ignore_diacritics": _yes_no(question, "ignore_diacritics"),
    }


def _numeric(question: Question, value: str, paragraph: int) -> dict | None:
    number = read_number(value)
    if number is None:
        question.issue(
            paragraph,
            "answer",
            _(
                "Question %(number)s: the answer “%(answer)s” is not a number.",
                number=question.number,
                answer=value,
            ),
        )
        return None
    body = {"type": "numeric", "value": number[0], "tolerance": 0}
    if "tolerance" in question.fields:
        text, where = question.fields["tolerance"]
        tolerance = read_number(text.strip().lstrip("±+").strip())
        if tolerance is None:
            question.issue(
                where,
                "tolerance",
                _(
                    "Question %(number)s: the tolerance must be a number, not “%(value)s”.",
                    number=question.number,
                    value=text,
                ),
            )
            return None
        body["tolerance"] = tolerance[0]
    unit = question.fields["unit"][0] if "unit" in question.fields else number[1]
    if unit:
        body["unit"] = clean_line(unit)
    return body


def _scoring(question: Question) -> str:
    if "scoring" not in question.fields:
        return "all_or_nothing"
    value, paragraph = question.fields["scoring"]
    scoring = SCORING_ALIASES.get(fold(value).strip(" ."))
    if scoring is None:
        question.issue(
            paragraph,
            "scoring",
            _(
                "Question %(number)s: scoring is “Từng phần” or “Cả câu”, not “%(value)s”.",
                number=question.number,
                value=value,
            ),
        )
    return scoring or "all_or_nothing"


def _yes_no(question: Question, kind: str) -> bool:
    if kind not in question.fields:
        return False
    value, paragraph = question.fields[kind]
    answer = fold(value).strip(" .")
    if answer not in YES | NO:
        question.issue(
            paragraph,
            kind,
            _(
                "Question %(number)s: write “có” or “không” here, not “%(value)s”.",
                number=question.number,
                value=value,
            ),
        )
    return answer in YES


def _check_fields(question: Question, kind: str) -> None:
    """Labels that mean nothing for this type are reported, not dropped silently."""
    applies = {
        "scoring": ("multiple",),
        "ignore_diacritics": ("short_text",),
        "unit": ("numeric",),
        "tolerance": ("numeric",),
    }
    for name, kinds in applies.items():
        if name in question.fields and kind not in kinds:
            _not_here(question, question.fields[name][1], name)
    if question.blocks["guidance"] and kind != "open":
        _not_here(question, question.paragraph, "guidance")


def _not_here(question: Question, paragraph: int, name: str) -> None:
    question.issue(
        paragraph,
        name,
        _(
            "Question %(number)s: this line does not apply to this type of question.",
            number=question.number,
        ),
    )
