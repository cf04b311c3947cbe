"""Writing questions as a Word test paper that people read and `word_read` reads back.

Each question is "Câu N: stem", its options "A. …" on their own lines and, on the copy with
answers, a separate "Đáp án: B" line (never bold or colour, which a person editing the file
could change by accident), then "Giải thích: …" and the details the bank keeps.
"""

from __future__ import annotations

import io
import random
import re

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _

from questions.content import InvalidContent, normalised
from questions.formats.base import ExportResult, QuestionRecord, Skipped, choice_letter
from questions.formats.word import (
    LEVEL_NAMES,
    QUESTION_WORD,
    SCORING_NAMES,
    TYPE_NAMES,
    WRITTEN_LABELS,
    format_number,
    inferred_type,
)

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
FONT = "Times New Roman"  # the font of Vietnamese administrative papers
DOTS = "…" * 40


def write_docx(records: list[QuestionRecord]) -> ExportResult:
    kept, skipped = [], []
    for index, record in enumerate(records):
        content, reason = _holdable(record.content)
        if reason:
            skipped.append(Skipped(index, str(record.content.get("stem", ""))[:200], reason))
        else:
            kept.append((record, content))
    return ExportResult(_paper(kept, _("Question bank"), answers=True, details=True), skipped)


def write_paper_docx(records: list[QuestionRecord], title: str, with_answers: bool) -> bytes:
    """A paper to print: every question that is valid, with or without its answers."""
    kept = []
    for record in records:
        try:
            kept.append((record, normalised(record.content)))
        except InvalidContent:
            continue
    return _paper(kept, title, answers=with_answers, details=False)


def _holdable(content: dict) -> tuple[dict, str]:
    """The stored content, or a reason why a Word file cannot hold it faithfully."""
    try:
        content = normalised(content)
    except InvalidContent:
        return content, _("The question's content is not valid.")
    options = content.get("options", [])
    if any("weight" in option for option in options):
        return content, _("Option weights cannot be written in a Word file.")
    if any(option.get("feedback") for option in options):
        return content, _("Feedback on options cannot be written in a Word file.")
    if any(";" in text for text in content.get("accepted", [])):
        return content, _(
            "An accepted answer holds “;”, which separates accepted answers in a Word file."
        )
    return content, ""


# ---- the document -----------------------------------------------------------------------------


def _paper(questions: list[tuple[QuestionRecord, dict]], title, answers: bool, details: bool):
    document = docx.Document()
    _set_up(document)
    body = _Body(document)
    heading = body.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(str(title))
    run.bold = True
    run.font.size = Pt(15)
    for number, (record, content) in enumerate(questions, start=1):
        _question(body, number, content, answers)
        if details:
            _details(body, record)
    body.close()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Body:
    """Appends paragraphs in constant time.

    python-docx's add_paragraph looks through the whole body for the section properties each
    time, which makes a paper of two thousand questions take many seconds to write.
    """

    def __init__(self, document):
        self.parent = document._body
        self.element = document.element.body
        self.section = self.element.find(qn("w:sectPr"))
        if self.section is not None:
            self.element.remove(self.section)

    def add_paragraph(self) -> Paragraph:
        paragraph = OxmlElement("w:p")
        self.element.append(paragraph)
        return Paragraph(paragraph, self.parent)

    def close(self) -> None:
        if self.section is not None:
            self.element.append(self.section)


def _set_up(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    # Word takes Vietnamese letters from the east-Asian and complex-script slots too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(3)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


def _add_markdown(paragraph, text: str) -> None:
    """Text with line breaks kept and **bold** shown bold (the only Markdown papers need)."""
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        position = 0
        for match in _BOLD.finditer(line):
            if match.start() > position:
                paragraph.add_run(line[position : match.start()])
            paragraph.add_run(match[1]).bold = True
            position = match.end()
        if position < len(line):
            paragraph.add_run(line[position:])


def _labelled(body, label: str, text: str = "", markdown: bool = False):
    paragraph = body.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    if markdown:
        _add_markdown(paragraph, text)
    elif text:
        paragraph.add_run(text)
    return paragraph


def _question(body, number: int, content: dict, answers: bool) -> None:
    kind = content["type"]
    stem = body.add_paragraph()
    stem.paragraph_format.keep_with_next = True
    stem.paragraph_format.space_before = Pt(8)
    stem.add_run(f"{QUESTION_WORD} {number}: ").bold = True
    _add_markdown(stem, content["stem"])
    texts, correct = _choices(content)
    if kind == "true_false":
        line = body.add_paragraph()
        for index, text in enumerate(texts):
            if index:
                line.add_run("\t")
            line.add_run(f"{choice_letter(index)}. ").bold = True
            line.add_run(text)
    for index, text in enumerate(texts if kind != "true_false" else []):
        option = body.add_paragraph()
        option.paragraph_format.keep_with_next = index < len(texts) - 1
        option.paragraph_format.left_indent = Cm(0.6)
        option.add_run(f"{choice_letter(index)}. ").bold = True
        option.add_run(text)
    if not answers:
        if not texts:
            _answer_space(body, content)
        return
    answer = _answer_text(content, correct)
    if answer:
        _labelled(body, WRITTEN_LABELS["answer"], answer)
    if _needs_type_line(content, texts, correct, answer):
        _labelled(body, WRITTEN_LABELS["type"], TYPE_NAMES[kind])
    for label, text in _answer_details(content):
        _labelled(body, WRITTEN_LABELS[label], text)
    if content["explanation"]:
        _labelled(body, WRITTEN_LABELS["explanation"], content["explanation"], markdown=True)
    if content.get("guidance"):
        _labelled(body, WRITTEN_LABELS["guidance"], content["guidance"], markdown=True)


def _choices(content: dict) -> tuple[list[str], list[int]]:
    """The lines A, B, C … a question shows and which of them are right (in that order)."""
    kind = content["type"]
    if kind in ("single", "multiple"):
        options = content["options"]
        return [o["text"] for o in options], [i for i, o in enumerate(options) if o["correct"]]
    if kind == "true_false":
        return ["Đúng", "Sai"], [0 if content["answer"] else 1]
    if kind == "ordering":
        items = content["items"]
        shown = _shuffled(len(items), content["stem"])
        # `correct` lists the shown letters in the right order: "Đáp án: C, A, B".
        return [items[i] for i in shown], [shown.index(i) for i in range(len(items))]
    return [], []


def _shuffled(count: int, seed: str) -> list[int]:
    """The same shuffled order on every printing of a question, never the right order."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    if order == sorted(order) and count > 1:
        order = order[1:] + order[:1]
    return order


def _answer_text(content: dict, correct: list[int]) -> str:
    kind = content["type"]
    if kind in ("single", "multiple", "true_false", "ordering"):
        return ", ".join(choice_letter(index) for index in correct)
    if kind == "short_text":
        return "; ".join(content["accepted"])
    if kind == "numeric":
        return format_number(content["value"])
    return ""


def _needs_type_line(content: dict, texts: list[str], correct: list[int], answer: str) -> bool:
    """Name the type only where the layout would be read as another type."""
    kind = content["type"]
    if kind == "open":
        return not content.get("guidance")
    if kind == "ordering":
        return True
    return inferred_type(texts, len(correct), answer or None) != kind


def _answer_details(content: dict) -> list[tuple[str, str]]:
    lines = []
    if content.get("scoring") == "partial":
        lines.append(("scoring", SCORING_NAMES["partial"]))
    if content.get("ignore_diacritics"):
        lines.append(("ignore_diacritics", "Có"))
    if content["type"] == "numeric":
        if content.get("unit"):
            lines.append(("unit", content["unit"]))
        if content["tolerance"]:
            lines.append(("tolerance", format_number(content["tolerance"])))
    return lines


def _answer_space(body, content: dict) -> None:
    """Dotted lines to write on, for questions without options on a paper without answers."""
    rows = 4 if content["type"] == "open" else 1
    unit = f" {content['unit']}" if content.get("unit") else ""
    for row in range(rows):
        paragraph = body.add_paragraph()
        if row == 0:
            paragraph.add_run("Trả lời: ").bold = True
        paragraph.add_run(DOTS + (unit if row == 0 else ""))


def _details(body, record: QuestionRecord) -> None:
    """The bank's details in small grey print, one "label: value" per line."""
    lines = [
        ("key", record.key or record.title),
        ("level", LEVEL_NAMES.get(record.level or "", "")),
        ("points", "" if record.points is None else str(record.points)),
        ("time", "" if record.time_limit_s is None else f"{record.time_limit_s} giây"),
        ("themes", _names(record.themes)),
        ("tags", _names(record.tags)),
        ("source", record.source_document),
        ("section", record.source_section),
        ("url", record.source_url),
    ]
    lines = [(label, value) for label, value in lines if value]
    if not lines:
        return
    paragraph = body.add_paragraph()
    for index, (label, value) in enumerate(lines):
        run = paragraph.add_run(f"{WRITTEN_LABELS[label]}: {value}")
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        if index < len(lines) - 1:
            run.add_break()


def _names(names: list[str]) -> str:
    """'a; b': a lone name holding a comma gets a closing ";" so it is not split at the comma."""
    text = "; ".join(names)
    return text + ";" if len(names) == 1 and "," in text else text
