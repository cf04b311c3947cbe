"""Reading a .docx test paper: its paragraphs as lines, then the lines as questions.

The first half turns the document into `Line`s: every paragraph, table cells included, in the
order Word shows them, split at soft returns, each character carrying the marks people use for
the right answer (bold, underline, red, highlight) and the paragraph's automatic numbering.
The second half (`_Question`) reads those lines the way a person reads the paper.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.text import clean_line, fold
from questions.formats.base import (
    FormatError,
    ImportIssue,
    ParseResult,
    QuestionRecord,
    choice_letter,
    parse_level,
    parse_type,
    split_list,
)
from questions.formats.word import (
    LABELS,
    NAME,
    NO,
    SCORING_ALIASES,
    STEM_ENDING_LABELS,
    YES,
    inferred_type,
    is_true_false,
    read_number,
    truth,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Uncompressed XML a test paper could plausibly hold; more is a zip bomb or not a test paper.
MAX_XML_BYTES = 64 * 1024 * 1024

BOLD, UNDERLINE, RED, HIGHLIGHT = 1, 2, 4, 8
MARK_NAMES = (
    (BOLD, _l("bold")),
    (UNDERLINE, _l("underline")),
    (RED, _l("red text")),
    (HIGHLIGHT, _l("highlight")),
)


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


def read_docx(data: bytes) -> ParseResult:
    document = _open(data)
    try:
        lines = list(_lines(document))
    # A damaged document can break python-docx and lxml in more ways than they document; the
    # contract is that only FormatError leaves a reader.
    except Exception as error:  # noqa: BLE001
        raise FormatError(_not_docx()) from error
    return _parse(lines)


def _not_docx() -> str:
    return _(
        "The file is not a Word document (.docx) or it is damaged: open it in Word and save it "
        "again as “Word Document (.docx)”."
    )


def _open(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise FormatError(_not_docx()) from error
    if size > MAX_XML_BYTES:
        raise FormatError(
            _(
                "The Word document is too large: more than %(size)d MB once unpacked.",
                size=MAX_XML_BYTES // (1024 * 1024),
            )
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - see read_docx
        raise FormatError(_not_docx()) from error


# ---- the document as lines ----------------------------------------------------------------------


def _on(element) -> bool:
    return (element.get(W + "val") or "true").lower() not in ("0", "false", "off")


def _is_red(value: str | None) -> bool:
    """FF0000, C00000, E00000, Word 2007's C0504D …: clearly red, not orange or pink."""
    if not value or not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        return False
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return red >= 0x99 and green <= 0x55 and blue <= 0x55 and red - max(green, blue) >= 0x66


def _run_properties(rpr) -> dict[str, bool]:
    props: dict[str, bool] = {}
    if rpr is None:
        return props
    if (bold := rpr.find(W + "b")) is not None:
        props["bold"] = _on(bold)
    if (underline := rpr.find(W + "u")) is not None:
        props["underline"] = (underline.get(W + "val") or "single") != "none"
    if (color := rpr.find(W + "color")) is not None:
        props["red"] = _is_red(color.get(W + "val"))
    highlight = rpr.find(W + "highlight")
    shading = rpr.find(W + "shd")
    if highlight is not None or shading is not None:
        fill = shading.get(W + "fill") if shading is not None else None
        props["highlight"] = (
            highlight is not None and (highlight.get(W + "val") or "none") != "none"
        ) or (fill is not None and fill.lower() not in ("auto", "ffffff"))
    return props


class _Styles:
    """What a run looks like once its paragraph style and character style are applied."""

    def __init__(self, document):
        root = document.styles.element
        self.styles = {style.get(W + "styleId"): style for style in root.iterchildren(W + "style")}
        self.default = next(
            (
                key
                for key, style in self.styles.items()
                if style.get(W + "type") == "paragraph" and _on_attribute(style.get(W + "default"))
            ),
            None,
        )
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.base = _run_properties(defaults)
        self._cache: dict[str, dict[str, bool]] = {}

    def chain(self, style_id: str | None):
        """The style and the styles it is based on, nearest first."""
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None

    def properties(self, style_id: str | None) -> dict[str, bool]:
        if style_id not in self._cache:
            props: dict[str, bool] = {}
            for style in reversed(list(self.chain(style_id))):
                props.update(_run_properties(style.find(W + "rPr")))
            self._cache[style_id] = props
        return self._cache[style_id]

    def run_marks(self, run, paragraph_style: str | None) -> int:
        props = dict(self.base)
        props.update(self.properties(paragraph_style))
        rpr = run.find(W + "rPr")
        if rpr is not None:
            if (character := rpr.find(W + "rStyle")) is not None:
                props.update(self.properties(character.get(W + "val")))
            props.update(_run_properties(rpr))
        names = (("bold", BOLD), ("underline", UNDERLINE), ("red", RED), ("highlight", HIGHLIGHT))
        return sum(flag for name, flag in names if props.get(name))

    def name(self, style_id: str | None) -> str:
        style = self.styles.get(style_id)
        element = style.find(W + "name") if style is not None else None
        return (element.get(W + "val") or "") if element is not None else ""

    def paragraph_property(self, style_id: str | None, tag: str):
        for style in self.chain(style_id):
            ppr = style.find(W + "pPr")
            if ppr is not None and (found := ppr.find(W + tag)) is not None:
                return found
        return None


def _on_attribute(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "on")


class _Numbering:
    """The number format Word shows for a list level: "decimal", "lowerLetter", "bullet" …"""

    def __init__(self, document):
        self.abstract: dict[str, dict[str, str]] = {}
        self.nums: dict[str, tuple[str, dict[str, str]]] = {}
        try:
            part = document.part.part_related_by(RT.NUMBERING)
        except KeyError:
            return
        root = getattr(part, "element", None)
        if root is None:
            return
        for abstract in root.iterchildren(W + "abstractNum"):
            self.abstract[abstract.get(W + "abstractNumId")] = self._formats(abstract)
        for num in root.iterchildren(W + "num"):
            link = num.find(W + "abstractNumId")
            overrides = {}
            for override in num.iterchildren(W + "lvlOverride"):
                level = override.find(W + "lvl")
                if level is not None:
                    overrides.update(self._formats(override))
            abstract_id = link.get(W + "val") if link is not None else None
            self.nums[num.get(W + "numId")] = (abstract_id, overrides)

    @staticmethod
    def _formats(element) -> dict[str, str]:
        formats = {}
        for level in element.iter(W + "lvl"):
            number_format = level.find(W + "numFmt")
            if number_format is not None:
                formats[level.get(W + "ilvl") or "0"] = number_format.get(W + "val") or ""
        return formats

    def describe(self, num_id: str, level: str) -> tuple[str | None, tuple[str, str]]:
        abstract_id, overrides = self.nums.get(num_id, (None, {}))
        number_format = overrides.get(level) or self.abstract.get(abstract_id, {}).get(level)
        # Restarting a list makes a new num over the same abstract list: still one list.
        return number_format, (abstract_id or f"num{num_id}", level)


def _list_kind(number_format: str | None, style_name: str) -> str | None:
    """Lettered lists hold options, numbered lists stems; bullets and Roman headings neither."""
    if number_format in ("lowerLetter", "upperLetter"):
        return "option"
    if number_format is None:  # the definition is missing: trust the style's name
        return None if "bullet" in style_name.lower() else "stem"
    if number_format.startswith("decimal") or number_format == "ordinal":
        return "stem"
    return None


def _block_paragraphs(container):
    """Paragraphs in reading order, entering tables (cell by cell) and content controls."""
    containers = {W + tag for tag in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml")}
    for child in container.iterchildren():
        if child.tag == W + "p":
            yield child
        elif child.tag in containers:
            yield from _block_paragraphs(child)


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


def _run_text(run) -> str:
    parts = []
    for child in run.iterchildren():
        if child.tag == W + "t":
            parts.append(child.text or "")
        elif child.tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif child.tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif child.tag == W + "noBreakHyphen":
            parts.append("-")
    # NFC per run keeps the text and its marks the same length.
    return unicodedata.normalize("NFC", "".join(parts))


def _lines(document):
    styles = _Styles(document)
    numbering = _Numbering(document)
    body = document.element.body
    for number, paragraph in enumerate(_block_paragraphs(body), start=1):
        ppr = paragraph.find(W + "pPr")
        style_element = ppr.find(W + "pStyle") if ppr is not None else None
        style = style_element.get(W + "val") if style_element is not None else styles.default
        text, marks = "", []
        for run in _runs(paragraph):
            piece = _run_text(run)
            text += piece
            marks += [styles.run_marks(run, style)] * len(piece)
        list_kind, list_id = _paragraph_list(ppr, style, styles, numbering)
        heading, centered = _is_heading(ppr, style, styles)
        offset = 0
        for index, piece in enumerate(text.split("\n")):
            yield Line(
                number,
                piece,
                marks[offset : offset + len(piece)],
                list_kind if index == 0 else None,
                list_id if index == 0 else None,
                heading,
                centered,
            )
            offset += len(piece) + 1


def _paragraph_list(ppr, style, styles: _Styles, numbering: _Numbering):
    direct = ppr.find(W + "numPr") if ppr is not None else None
    from_style = styles.paragraph_property(style, "numPr")
    num_id = level = None
    for numpr in (direct, from_style):
        if numpr is None:
            continue
        if num_id is None and (element := numpr.find(W + "numId")) is not None:
            num_id = element.get(W + "val")
        if level is None and (element := numpr.find(W + "ilvl")) is not None:
            level = element.get(W + "val")
    if not num_id or num_id == "0":
        return None, None
    number_format, list_id = numbering.describe(num_id, level or "0")
    return _list_kind(number_format, styles.name(style)), list_id


def _is_heading(ppr, style, styles: _Styles) -> tuple[bool, bool]:
    """(a heading or title style, centred): how titles and section headings look."""
    heading = styles.name(style).lower().startswith(("heading", "title", "subtitle"))
    jc = ppr.find(W + "jc") if ppr is not None else None
    if jc is None:
        jc = styles.paragraph_property(style, "jc")
    return heading, jc is not None and jc.get(W + "val") == "center"


# ---- lines as questions ---------------------------------------------------------------------

# "Câu 1:", "Câu 1.", "Câu 1 -", "Câu hỏi 1:", "CÂU 1)", "Câu 1 (2 điểm):". A separator is
# required, so that "Câu 2 trong bài thơ …" stays text.
_QUESTION = re.compile(
    r"\s*(?:c[âa]u(?:\s+h[ỏo]i)?|question)\s*(\d{1,4})\s*"
    r"(?:\(([^()\n]{1,40})\)\s*[:.\-–—]?\s*|[:.)\-–—]\s*|\t\s*|$)",
    re.IGNORECASE,
)
# "A. ", "A) ", "a/", "*B. "
_OPTION = re.compile(r"\s*(\*)?\s*([A-Ha-h])\s*[.)/]\s*")
_GAP = re.compile(r"\t+|\s{2,}")
_LETTER_SPLIT = re.compile(r"[\s,;&+/>→\-–]+|\bvà\b|\band\b", re.IGNORECASE)


@dataclass
class _Option:
    letter: int
    text: str
    paragraph: int
    star: bool = False
    text_marks: int = 0  # marks on at least half of the option's text
    prefix_marks: int = 0  # marks on its letter


def _label(text: str) -> tuple[str, int] | None:
    """("answer", index after the colon) for "Đáp án: B"; None when the line has no label."""
    colon = text.find(":", 0, 40)
    if colon < 0:
        return None
    kind = LABELS.get(fold(text[:colon]).strip(" *"))
    return (kind, colon + 1) if kind else None


def _covering(text: str, marks: list[int]) -> int:
    """The marks on at least half of the visible characters."""
    visible = [mark for char, mark in zip(text, marks, strict=False) if not char.isspace()]
    if not visible:
        return 0
    return sum(
        flag
        for flag, _name in MARK_NAMES
        if 2 * sum(1 for m in visible if m & flag) >= len(visible)
    )


def _options_in(line: Line) -> list[_Option] | None:
    """The options a line holds: "A. …", or several separated by tabs or wide spaces."""
    text = line.text
    first = _OPTION.match(text)
    if not first:
        if line.list_kind == "option":
            return [
                _Option(-1, clean_line(text), line.paragraph, False, _covering(text, line.marks))
            ]
        return None
    starts = [first]
    for gap in _GAP.finditer(text):
        if gap.start() < starts[-1].end():
            continue
        found = _OPTION.match(text, gap.end())
        if found and ord(found[2].upper()) == ord(starts[-1][2].upper()) + 1:
            starts.append(found)
    options = []
    for start, following in zip(starts, starts[1:] + [None], strict=True):
        end = following.start() if following else len(text)
        body = text[start.end() : end]
        options.append(
            _Option(
                ord(start[2].upper()) - ord("A"),
                clean_line(body),
                line.paragraph,
                bool(start[1]),
                _covering(body, line.marks[start.end() : end]),
                line.marks[start.start(2)] if start.start(2) < len(line.marks) else 0,
            )
        )
    return options


def _is_banner(text: str) -> bool:
    """Decoration or a section heading between questions: "PHẦN II. TỰ LUẬN", "--- HẾT ---"."""
    letters = [char for char in text if char.isalpha()]
    if not any(char.isalnum() for char in text):
        return True
    return len(letters) >= 3 and all(char.isupper() for char in letters)


def _letters(value: str) -> list[int] | None:
    """'A, C' / 'A và C' / 'C - A - B' -> option indices; None when not only letters."""
    tokens = [token for token in _LETTER_SPLIT.split(value.strip().rstrip(".")) if token]
    if tokens and all(len(token) == 1 and token.isascii() and token.isalpha() for token in tokens):
        return [ord(token.upper()) - ord("A") for token in tokens]
    return None


def _markdown(lines: list[tuple[str, list[int]]]) -> str:
    """Lines as Markdown: words bolded inside a text become **…**; a wholly bold text is plain."""
    wholly_bold = all(
        mark & BOLD
        for text, marks in lines
        for char, mark in zip(text, marks, strict=False)
        if not char.isspace()
    )
    result = []
    for text, marks in lines:
        pieces = []
        for bold, group in itertools.groupby(
            zip(text, marks, strict=False), key=lambda pair: bool(pair[1] & BOLD)
        ):
            chunk = "".join(char for char, _mark in group)
            core = chunk.strip()
            if bold and not wholly_bold and any(char.isalnum() for char in core):
                lead = chunk[: len(chunk) - len(chunk.lstrip())]
                trail = chunk[len(chunk.rstrip()) :]
                chunk = f"{lead}**{core}**{trail}"
            pieces.append(chunk)
        result.append("".join(pieces).replace("\t", " ").strip())
    return "\n".join(result).strip()


def _slice(line: Line, start: int) -> tuple[str, list[int]]:
    return line.text[start:], line.marks[start:]


@dataclass
class _Question:
    number: str
    paragraph: int
    stem: list[tuple[str, list[int]]] = field(default_factory=list)
    options: list[_Option] = field(default_factory=list)
    blocks: dict[str, list[tuple[str, list[int]]]] = field(
        default_factory=lambda: {"explanation": [], "guidance": []}
    )
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    # stem -> options -> tail (after the answer); explanation / guidance while those run on
    mode: str = "stem"
    issues: list[ImportIssue] = field(default_factory=list)

    def issue(self, paragraph: int, where: str, message: str) -> None:
        self.issues.append(ImportIssue(paragraph, where, message))

    # -- reading lines --

    def feed(self, line: Line) -> None:
        text = line.text
        if not text.strip():
            if self.mode in self.blocks or (self.mode == "stem" and self.stem):
                target = self.blocks.get(self.mode, self.stem)
                target.append(("", []))
            return
        label = _label(text)
        if label and (label[0] in STEM_ENDING_LABELS or self.mode != "stem"):
            self._labelled(line, *label)
            return
        if self.mode in self.blocks:
            # A section heading after the last explanation ends it; a centred quote does not.
            if line.heading or (_is_banner(text) and len(text.split()) >= 2):
                self.mode = "tail"
            elif any(char.isalnum() for char in text):
                self.blocks[self.mode].append(_slice(line, 0))
            return
        options = _options_in(line)
        if options and self.mode in ("stem", "options"):
            expected = len(self.options)
            if _is_banner(text) and options[0].letter not in (-1, expected):
                return  # "B. PHẦN TỰ LUẬN" after the options: a section heading
            self._add_options(options)
        elif options and not _is_banner(text):
            self.issue(
                line.paragraph,
                "options",
                _(
                    "Question %(number)s: an option after the answer line; put the options "
                    "before “Đáp án:”.",
                    number=self.number,
                ),
            )
        elif self.mode == "stem":
            self.stem.append(_slice(line, 0))
        elif not (line.heading or line.centered or _is_banner(text)):
            self.issue(
                line.paragraph,
                "",
                _(
                    "Question %(number)s: this paragraph is not an option, an answer or an "
                    "explanation. Delete it, or start it with a label such as “Giải thích:”.",
                    number=self.number,
                ),
            )

    def _add_options(self, options: list[_Option]) -> None:
        for option in options:
            expected = len(self.options)
            if option.letter == -1:  # Word's lettered numbering
                option.letter = expected
            elif option.letter != expected:
                self.issue(
                    option.paragraph,
                    "options",
                    _(
                        "Question %(number)s: option %(letter)s comes where option %(expected)s "
                        "was expected.",
                        number=self.number,
                        letter=choice_letter(option.letter),
                        expected=choice_letter(min(expected, 7)),
                    ),
                )
            self.options.append(option)
        self.mode = "options"

    def _labelled(self, line: Line, kind: str, start: int) -> None:
        value = line.text[start:]
        if kind in self.blocks:
            if self.blocks[kind]:
                self._twice(line, kind)
            self.mode = kind
            if value.strip():
                self.blocks[kind].append(_slice(line, start))
            return
        if kind in self.fields:
            self._twice(line, kind)
        self.fields[kind] = (value.strip(), line.paragraph)
        if kind == "answer":
            self.mode = "tail"
        elif self.mode == "stem" or (kind == "type" and self.mode != "tail"):
            self.mode = "options"  # options may follow a "Loại câu hỏi:" line
        elif self.mode in self.blocks:
            self.mode = "tail"

    def _twice(self, line: Line, kind: str) -> None:
        label = line.text.split(":", 1)[0].strip()
        self.issue(
            line.paragraph,
            kind,
            _("Question %(number)s: “%(label)s” is given twice.", number=self.number, label=label),
        )

    # -- the record --

    def record(self, has_choices: bool) -> QuestionRecord | None:
        """The question as a record; None when it has issues (they are in `issues`)."""
        content = self._content(has_choices)
        record = QuestionRecord(content=content or {}, line=self.paragraph)
        self._details(record)
        return record if content is not None and not self.issues else None

    def _content(self, has_choices: bool) -> dict | None:
        explicit = None
        if "type" in self.fields:
            value, paragraph = self.fields["type"]
            explicit = parse_type(value)
            if explicit is None:
                self.issue(
                    paragraph,
                    "type",
                    _(
                        "Question %(number)s: unknown question type “%(type)s”: use Một lựa chọn, "
                        "Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn, Điền số, Sắp xếp or Tự luận.",
                        number=self.number,
                        type=value,
                    ),
                )
                return None
        body = (
            self._choices(explicit)
            if self.options
            else self._without_options(explicit, has_choices)
        )
        if body is None:
            return None
        self._check_fields(body["type"])
        return {
            "type": body.pop("type"),
            "stem": _markdown(self.stem),
            "explanation": _markdown(self.blocks["explanation"]),
            **body,
        }

    def _choices(self, explicit: str | None) -> dict | None:
        if len(self.options) == 1:
            self.issue(
                self.paragraph,
                "options",
                _(
                    "Question %(number)s has only one option; a choice question needs at least "
                    "two.",
                    number=self.number,
                ),
            )
            return None
        if explicit in ("short_text", "numeric", "open"):
            self.issue(
                self.options[0].paragraph,
                "type",
                _(
                    "Question %(number)s: this type of question has no options A, B, C: remove "
                    "them or change the “Loại câu hỏi:” line.",
                    number=self.number,
                ),
            )
            return None
        if explicit == "ordering":
            return self._ordering()
        correct = self._correct()
        if correct is None:
            return None
        texts = [option.text for option in self.options]
        kind = explicit or inferred_type(texts, len(correct), None)
        if kind == "true_false":
            if not is_true_false(texts) or len(correct) != 1:
                self.issue(
                    self.paragraph,
                    "options",
                    _(
                        "Question %(number)s: a true/false question has the two options “Đúng” "
                        "and “Sai”, one of them marked correct.",
                        number=self.number,
                    ),
                )
                return None
            return {"type": kind, "answer": truth(texts[min(correct)])}
        options = [
            {"text": option.text, "correct": index in correct}
            for index, option in enumerate(self.options)
        ]
        body = {"type": kind, "options": options}
        if kind == "multiple":
            body["scoring"] = self._scoring()
        return body

    def _correct(self) -> set[int] | None:
        """The options marked correct, by the answer line, "*" or formatting, when they agree."""
        count = len(self.options)
        sources: list[tuple[str, set[int]]] = []
        if "answer" in self.fields:
            chosen = self._answer_options(*self.fields["answer"])
            if chosen is None:
                return None
            sources.append((_("the “Đáp án” line"), chosen))
        if stars := {index for index, option in enumerate(self.options) if option.star}:
            sources.append((_("“*” before the letter"), stars))
        # Formatting counts only where it tells options apart: bold letters on every option
        # are the paper's style, not an answer.
        for flag, name in MARK_NAMES:
            for part in ("text_marks", "prefix_marks"):
                marked = {
                    i for i, option in enumerate(self.options) if getattr(option, part) & flag
                }
                if marked and len(marked) < count and (str(name), marked) not in sources:
                    sources.append((str(name), marked))
        if not sources:
            self.issue(
                self.paragraph,
                "options",
                _(
                    "Question %(number)s: no option is marked correct. Make the right option "
                    "bold, underlined or red, or add a line “Đáp án: B”.",
                    number=self.number,
                ),
            )
            return None
        if len({frozenset(marked) for _name, marked in sources}) > 1:
            detail = "; ".join(
                f"{name}: {', '.join(choice_letter(i) for i in sorted(marked))}"
                for name, marked in sources
            )
            self.issue(
                self.paragraph,
                "options",
                _(
                    "Question %(number)s: the marks disagree on the correct answer (%(marks)s).",
                    number=self.number,
                    marks=detail,
                ),
            )
            return None
        return sources[0][1]

    def _answer_options(self, value: str, paragraph: int) -> set[int] | None:
        count = len(self.options)
        letters = _letters(value)
        if letters is None and (match := re.match(r"\s*([A-Ha-h])\s*[.)]\s+\S", value)):
            letters = [ord(match[1].upper()) - ord("A")]
        if letters is not None:
            outside = [letter for letter in letters if letter >= count]
            if not outside:
                return set(letters)
            self.issue(
                paragraph,
                "answer",
                _(
                    "Question %(number)s: the answer names option %(letter)s, but the options go "
                    "from A to %(last)s.",
                    number=self.number,
                    letter=chr(ord("A") + outside[0]),
                    last=choice_letter(count - 1),
                ),
            )
            return None
        for index, option in enumerate(self.options):
            same = fold(option.text) == fold(value)
            if same or (truth(value) is not None and truth(option.text) == truth(value)):
                return {index}
        self.issue(
            paragraph,
            "answer",
            _(
                "Question %(number)s: the answer “%(answer)s” is neither an option letter nor an "
                "option's text.",
                number=self.number,
                answer=value,
            ),
        )
        return None

    def _ordering(self) -> dict | None:
        value, paragraph = self.fields.get("answer", ("", self.paragraph))
        letters = _letters(value)
        if letters is None or sorted(letters) != list(range(len(self.options))):
            self.issue(
                paragraph,
                "answer",
                _(
                    "Question %(number)s: for an ordering question the answer lists every option "
                    "once, in the right order, such as “Đáp án: C, A, B”.",
                    number=self.number,
                ),
            )
            return None
        return {"type": "ordering", "items": [self.options[i].text for i in letters]}

    def _without_options(self, explicit: str | None, has_choices: bool) -> dict | None:
        value, paragraph = self.fields.get("answer", (None, self.paragraph))
        kind = explicit or inferred_type([], 0, value)
        guidance = _markdown(self.blocks["guidance"])
        if kind is None:
            if guidance or not has_choices:
                kind = "open"
            else:
                # In a paper of choice questions, a bare stem is a question whose options or
                # answer were forgotten, not an essay question.
                self.issue(
                    self.paragraph,
                    "options",
                    _(
                        "Question %(number)s has neither options nor an answer. Add the options, "
                        "a line “Đáp án: …”, or a line “Loại câu hỏi: Tự luận” for an essay "
                        "question.",
                        number=self.number,
                    ),
                )
                return None
        if kind in ("single", "multiple", "ordering"):
            self.issue(
                self.paragraph,
                "options",
                _(
                    "Question %(number)s: this type of question needs options A, B, C ….",
                    number=self.number,
                ),
            )
            return None
        if kind == "open":
            guidance = "\n".join(part for part in (value or "", guidance) if part)
            return {"type": "open", "guidance": guidance}
        value = value or ""
        if kind == "true_false":
            if truth(value) is None:
                self.issue(
                    paragraph,
                    "answer",
                    _(
                        "Question %(number)s: the answer of a true/false question is “Đúng” or "
                        "“Sai”.",
                        number=self.number,
                    ),
                )
                return None
            return {"type": "true_false", "answer": truth(value)}
        if kind == "numeric":
            return self._numeric(value, paragraph)
        accepted = [clean_line(part) for part in value.split(";") if clean_line(part)]
        return {
            "type": "short_text",
            "accepted": accepted,
            "ignore_diacritics": self._yes_no("ignore_diacritics"),
        }

    def _numeric(self, value: str, paragraph: int) -> dict | None:
        number = read_number(value)
        if number is None:
            self.issue(
                paragraph,
                "answer",
                _(
                    "Question %(number)s: the answer “%(answer)s” is not a number.",
                    number=self.number,
                    answer=value,
                ),
            )
            return None
        body = {"type": "numeric", "value": number[0], "tolerance": 0}
        if "tolerance" in self.fields:
            text, where = self.fields["tolerance"]
            tolerance = read_number(text.strip().lstrip("±+").strip())
            if tolerance is None:
                self.issue(
                    where,
                    "tolerance",
                    _(
                        "Question %(number)s: the tolerance must be a number, not “%(value)s”.",
                        number=self.number,
                        value=text,
                    ),
                )
                return None
            body["tolerance"] = tolerance[0]
        unit = self.fields["unit"][0] if "unit" in self.fields else number[1]
        if unit:
            body["unit"] = clean_line(unit)
        return body

    def _scoring(self) -> str:
        if "scoring" not in self.fields:
            return "all_or_nothing"
        value, paragraph = self.fields["scoring"]
        scoring = SCORING_ALIASES.get(fold(value).strip(" ."))
        if scoring is None:
            self.issue(
                paragraph,
                "scoring",
                _(
                    "Question %(number)s: scoring is “Từng phần” or “Cả câu”, not “%(value)s”.",
                    number=self.number,
                    value=value,
                ),
            )
        return scoring or "all_or_nothing"

    def _yes_no(self, kind: str) -> bool:
        if kind not in self.fields:
            return False
        value, paragraph = self.fields[kind]
        answer = fold(value).strip(" .")
        if answer not in YES | NO:
            self.issue(
                paragraph,
                kind,
                _(
                    "Question %(number)s: write “có” or “không” here, not “%(value)s”.",
                    number=self.number,
                    value=value,
                ),
            )
        return answer in YES

    def _check_fields(self, kind: str) -> None:
        """Labels that mean nothing for this type are reported, not dropped silently."""
        applies = {
            "scoring": ("multiple",),
            "ignore_diacritics": ("short_text",),
            "unit": ("numeric",),
            "tolerance": ("numeric",),
        }
        for name, kinds in applies.items():
            if name in self.fields and kind not in kinds:
                self._not_here(self.fields[name][1], name)
        if self.blocks["guidance"] and kind != "open":
            self._not_here(self.paragraph, "guidance")

    def _not_here(self, paragraph: int, name: str) -> None:
        self.issue(
            paragraph,
            name,
            _(
                "Question %(number)s: this line does not apply to this type of question.",
                number=self.number,
            ),
        )

    def _details(self, record: QuestionRecord) -> None:
        for kind, (value, paragraph) in self.fields.items():
            if kind == "level":
                record.level = parse_level(value)
                if record.level is None:
                    self.issue(
                        paragraph,
                        "level",
                        _(
                            "Question %(number)s: unknown level “%(level)s”: use Nhận biết, "
                            "Thông hiểu, Vận dụng or Vận dụng cao.",
                            number=self.number,
                            level=value,
                        ),
                    )
            elif kind == "points":
                match = re.fullmatch(r"(\d{1,6})(?:\s*(?:diem|d|points?))?", fold(value))
                if match:
                    record.points = int(match[1])
                else:
                    self.issue(
                        paragraph,
                        "points",
                        _(
                            "Question %(number)s: the points are a whole number, not “%(value)s”.",
                            number=self.number,
                            value=value,
                        ),
                    )
            elif kind == "time":
                record.time_limit_s = self._seconds(value, paragraph)
            elif kind in ("themes", "tags"):
                # The writer separates with ";" so that a name may hold a comma.
                names = [clean_line(name) for name in value.split(";")] if ";" in value else None
                setattr(record, kind, [n for n in names if n] if names else split_list(value))
            elif kind in ("source", "section", "url"):
                setattr(record, f"source_{'document' if kind == 'source' else kind}", value)
            elif kind == "key":
                record.title = clean_line(value)
                record.key = record.title or None

    def _seconds(self, value: str, paragraph: int) -> int | None:
        pattern = r"(\d{1,5})\s*(giay|s|sec|seconds?|phut|p|ph|min|minutes?)?"
        match = re.fullmatch(pattern, fold(value).rstrip("."))
        if match:
            minutes = (match[2] or "").startswith(("p", "m"))
            return int(match[1]) * (60 if minutes else 1)
        self.issue(
            paragraph,
            "time",
            _(
                "Question %(number)s: the time is a number of seconds such as “30 giây”, not "
                "“%(value)s”.",
                number=self.number,
                value=value,
            ),
        )
        return None


# ---- the whole paper --------------------------------------------------------------------------


def _parse(lines: list[Line]) -> ParseResult:
    result = ParseResult(format=NAME, position="paragraph")
    questions: list[_Question] = []
    stem_lists: set[tuple[str, str]] = set()
    current: _Question | None = None
    for line in lines:
        start = _QUESTION.match(line.text)
        if start or (line.list_kind == "stem" and _starts_question(current, line, stem_lists)):
            if line.list_kind == "stem":
                stem_lists.add(line.list_id)
            number = str(int(start[1])) if start else str(len(questions) + 1)
            current = _Question(number, line.paragraph)
            questions.append(current)
            rest = _slice(line, _stem_start(current, start))
            if rest[0].strip():
                current.stem.append(rest)
        elif current is not None:
            current.feed(line)
        elif _before_questions(line):
            result.issues.append(
                ImportIssue(
                    line.paragraph,
                    "",
                    _(
                        "An option or an answer before the first question: start each question "
                        "with “Câu 1:”, “Câu 2:” … or with Word's automatic numbering."
                    ),
                )
            )
    has_choices = any(question.options for question in questions)
    for question in questions:
        record = question.record(has_choices)
        if record is not None:
            result.records.append(record)
        result.issues += question.issues
    if not questions and not result.issues:
        result.issues.append(
            ImportIssue(
                None,
                "",
                _(
                    "The document holds no questions: start each question with “Câu 1:”, "
                    "“Câu 2:” … or with Word's automatic numbering."
                ),
            )
        )
    result.issues.sort(key=lambda issue: issue.line or 0)
    return result


def _stem_start(question: _Question, start: re.Match | None) -> int:
    """Where the stem begins after "Câu 1 (2 điểm):"; points or a level in brackets are kept."""
    if start is None:
        return 0
    note = start[2]
    if note is None:
        return start.end()
    if re.fullmatch(r"\d{1,6}\s*(?:diem|d)", fold(note)):
        question.fields["points"] = (note, question.paragraph)
    elif parse_level(note):
        question.fields["level"] = (note, question.paragraph)
    else:  # "(0,5 điểm)", "(trích)": part of the stem as typed
        return start.start(2) - 1
    return start.end()


def _starts_question(current: _Question | None, line: Line, stem_lists: set) -> bool:
    """Whether a paragraph Word numbers 1, 2, 3 … starts a question or continues one.

    A numbered list inside a stem or an explanation ("1. …, 2. …") continues it; the list that
    numbers the questions, or any numbered paragraph after a question's options, starts one.
    """
    if current is None or line.list_id in stem_lists:
        return True
    return current.mode in ("options", "tail")


def _before_questions(line: Line) -> bool:
    """Text before the first question is a title or instructions, except options and answers."""
    if not line.text.strip() or _is_banner(line.text) or line.heading or line.centered:
        return False
    label = _label(line.text)
    # Only capital letters: "a) …" lists are common in a paper's instructions.
    option = _OPTION.match(line.text)
    return (label is not None and label[0] == "answer") or bool(option and option[2].isupper())
