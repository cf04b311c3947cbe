"""A .docx as the lines a person sees: every paragraph, in order, with its formatting marks.

Table cells are entered cell by cell (each line knows its cell, for answer tables), paragraphs
are split at soft returns, and each character carries the marks people use for the right answer
(bold, underline, red, highlight). What the styles and Word's numbering mean is `word_styles`'
job. Nothing here knows what a question is; `word_read` does.
"""

from __future__ import annotations

import io
import itertools
import unicodedata
import zipfile
from dataclasses import dataclass

import docx
from flask_babel import gettext as _

from questions.formats.base import FormatError
from questions.formats.word_styles import Numbering, Styles, W, is_heading, paragraph_list

# Uncompressed XML a test paper could plausibly hold; more is a zip bomb or not a test paper.
MAX_XML_BYTES = 64 * 1024 * 1024


@dataclass
class Line:
    """One line of the document: a paragraph, or part of one between soft returns."""

    paragraph: int
    text: str
    marks: list[int]
    list_kind: str | None = None  # "stem" or "option" when Word numbers the paragraph
    list_id: tuple[str, str] | None = None
    heading: bool = False  # a Heading or Title style
    centered: bool = False
    cell: tuple[int, int, int] | None = None  # (table, row, cell) inside a Word table


def open_docx(data: bytes):
    """The python-docx document; FormatError when the bytes are not one, or far too large."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise FormatError(not_docx()) from error
    if size > MAX_XML_BYTES:
        raise FormatError(
            _(
                "The Word document is too large: more than %(size)d MB once unpacked.",
                size=MAX_XML_BYTES // (1024 * 1024),
            )
        )
    try:
        return docx.Document(io.BytesIO(data))
    # A damaged document can break python-docx and lxml in more ways than they document; the
    # contract is that only FormatError leaves a reader.
    except Exception as error:  # noqa: BLE001
        raise FormatError(not_docx()) from error


def not_docx() -> str:
    return _(
        "The file is not a Word document (.docx) or it is damaged: open it in Word and save it "
        "again as “Word Document (.docx)”."
    )


def document_lines(document):
    """Every line of the document in reading order."""
    styles = Styles(document)
    numbering = Numbering(document)
    body = document.element.body
    for number, (paragraph, cell) in enumerate(_block_paragraphs(body), start=1):
        ppr = paragraph.find(W + "pPr")
        style_element = ppr.find(W + "pStyle") if ppr is not None else None
        style = style_element.get(W + "val") if style_element is not None else styles.default
        pieces: list[str] = []
        marks: list[int] = []
        for run in _runs(paragraph):
            piece = _run_text(run)
            pieces.append(piece)
            marks += [styles.run_marks(run, style)] * len(piece)
        text = "".join(pieces)
        list_kind, list_id = paragraph_list(ppr, style, styles, numbering)
        heading, centered = is_heading(ppr, style, styles)
        offset = 0
        for index, piece in enumerate(text.split("\n")):
            first = index == 0
            yield Line(
                number,
                piece,
                marks[offset : offset + len(piece)],
                list_kind if first else None,
                list_id if first else None,
                heading,
                centered,
                cell,
            )
            offset += len(piece) + 1


# ---- walking the XML ----------------------------------------------------------------------------

_CONTAINERS = {W + tag for tag in ("sdt", "sdtContent", "customXml")}


def _block_paragraphs(container, where: list[int] | None = None, tables=None):
    """(paragraph, cell) in reading order, entering tables cell by cell and content controls.

    `where` is [table, row, cell] of the innermost table being walked; an answer table needs to
    know which cell is beside which.
    """
    tables = itertools.count() if tables is None else tables
    for child in container.iterchildren():
        tag = child.tag
        if tag == W + "p":
            yield child, ((where[0], where[1], where[2]) if where else None)
        elif tag == W + "tbl":
            yield from _block_paragraphs(child, [next(tables), -1, -1], tables)
        elif tag == W + "tr":
            if where:
                where[1], where[2] = where[1] + 1, -1
            yield from _block_paragraphs(child, where, tables)
        elif tag == W + "tc":
            if where:
                where[2] += 1
            yield from _block_paragraphs(child, where, tables)
        elif tag in _CONTAINERS:
            yield from _block_paragraphs(child, where, tables)


_INLINE_CONTAINERS = {
    W + tag
    for tag in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent")
    + ("fldSimple", "bdo", "dir")
}


def _runs(element):
    """Runs shown on the page: inside links and tracked insertions, never deleted text."""
    for child in element.iterchildren():
        if child.tag == W + "r":
            yield child
        elif child.tag in _INLINE_CONTAINERS:
            yield from _runs(child)


_TEXT = W + "t"
_CHARACTERS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n"}
_CHARACTERS[W + "noBreakHyphen"] = "-"


def _run_text(run) -> str:
    parts = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == _TEXT:
            parts.append(child.text or "")
        elif tag in _CHARACTERS:
            parts.append(_CHARACTERS[tag])
    # NFC per run keeps the text and its marks the same length.
    return unicodedata.normalize("NFC", "".join(parts))
