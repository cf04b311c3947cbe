"""HTML from other quiz tools as the bank's text: sanitised first, then laid out as words.

Moodle XML texts and GIFT's `[html]` texts both come through here. nh3 runs first with a short
allowlist, so the converter below only ever sees harmless tags; its job is layout — paragraphs,
line breaks, lists, and in Markdown mode **bold**, *italics*, links and pictures.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import nh3

from contest.text import clean_line
from questions.markdown import CONTENT_DROPPED

ALLOWED_TAGS = {
    "p", "div", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "img", "span",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "sub", "sup",
    "table", "thead", "tbody", "tr", "td", "th",
}  # fmt: skip
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINK = re.compile(r"(https?:|mailto:)", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; a no-break space is a character
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +")
_BLANK_LINES = re.compile(r"\n{3,}")
# What only the sanitiser and parser can deal with: tags, entities, and the characters nh3 drops
# (NUL, a byte-order mark) or refuses (lone surrogates). Text without any is only white space.
_NEEDS_PARSING = re.compile("[<&\x00\ufeff\ud800-\udfff]")


# Built once: nh3.clean() with options builds its cleaner on every call, which cost more than
# the rest of a text's conversion (a Moodle export has several HTML texts per question).
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CONTENT_DROPPED,
    attributes={"a": {"href"}, "img": {"src", "alt"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)
_TAG_STRIPPER = nh3.Cleaner(tags=set(), clean_content_tags=CONTENT_DROPPED)


def sanitise(html_text: str) -> str:
    """Only harmless tags, no script or style contents, no javascript: or other odd links."""
    return _SANITISER.clean(html_text)


def strip_tags(text: str) -> str:
    """Markdown whose raw HTML is cut down to its words (Markdown itself untouched)."""
    return unescape(_TAG_STRIPPER.clean(text)).strip()


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def convert(html_text: str, markdown: bool, list_markers: bool | None = None) -> tuple[str, int]:
    """Sanitised HTML as text, and how many pictures it had that the bank cannot show.

    `markdown=False` gives the words alone, unescaped. List items keep their "- " or "1. " in
    Markdown mode; `list_markers` decides for plain words (by default they have none).
    """
    if not _NEEDS_PARSING.search(html_text):
        # Most answer texts and feedback have no markup at all: what the parser would give,
        # without it (a Moodle export has several such texts per question).
        text = _SPACES.sub(" ", html_text).strip()
        return (escape_markdown(text) if markdown else text), 0
    converter = _HtmlText(markdown, markdown if list_markers is None else list_markers)
    converter.feed(sanitise(html_text))
    converter.close()
    return converter.text(), converter.dropped_images


class _HtmlText(HTMLParser):
    """Sanitised HTML as Markdown (paragraphs, line breaks, **bold**, *italics*, lists, links)."""

    _BLOCKS = {"p", "div", "blockquote", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
    _MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}

    def __init__(self, markdown: bool, list_markers: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.list_markers = list_markers
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # [ordered, next number] per open list
        self.marks: dict[str, list[int]] = {"**": [], "*": []}  # where each open mark starts
        self.links: list[tuple[int, str]] = []
        self.dropped_images = 0

    def text(self) -> str:
        lines = "".join(self.out).split("\n")
        # Spaces on both sides of a moved mark ("a ** b** c") collapse as HTML would show them.
        text = "\n".join(_DOUBLE_SPACE.sub(" ", line).rstrip() for line in lines)
        return _BLANK_LINES.sub("\n\n", text).strip()

    def _at_line_start(self) -> bool:
        joined = "".join(self.out[-3:])
        return not joined or joined.endswith(("\n", "- ", ". "))

    def _break(self, lines: int) -> None:
        self.out.append("\n" * lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in self._BLOCKS:
            self._break(2)
            if tag.startswith("h"):
                self.handle_starttag("strong", [])
        elif tag in ("br", "tr"):
            self._break(1)
        elif tag in ("td", "th") and not self._at_line_start():
            self.out.append(" | ")
        elif tag in ("ul", "ol"):
            if not self.lists:  # a list inside a list starts on its item's next line
                self._break(2)
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            if self.lists:
                self.lists[-1][1] += 1
            indent = "   " * max(len(self.lists) - 1, 0)
            marker = (f"{number}. " if ordered else "- ") if self.list_markers else ""
            self.out.append("\n" + indent + marker)
        elif tag in self._MARKS and self.markdown:
            mark = self._MARKS[tag]
            self.marks[mark].append(len(self.out))
            if len(self.marks[mark]) == 1:
                self.out.append(mark)
        elif tag == "a":
            self.links.append((len(self.out), values.get("href", "")))
        elif tag == "img":
            self.image(values)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            if tag.startswith("h"):
                self.handle_endtag("strong")
            self._break(2)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self._break(2)
        elif tag in self._MARKS and self.markdown and self.marks[self._MARKS[tag]]:
            mark = self._MARKS[tag]
            start = self.marks[mark].pop()
            if not self.marks[mark]:
                self._close_mark(start, mark)
        elif tag == "a" and self.links:
            start, href = self.links.pop()
            inner = "".join(self.out[start:])
            if self.markdown and inner.strip() and _LINK.match(href) and "\n" not in inner:
                self.out[start:] = [f"[{inner.strip()}]({_url(href)})"]

    def _close_mark(self, start: int, mark: str) -> None:
        """Close **…**: Markdown ignores a mark next to a space, so spaces go outside it."""
        inner = "".join(self.out[start + 1 :])
        if not inner.strip() or "\n\n" in inner.strip():
            self.out[start:] = [inner]
            return
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        self.out[start:] = [lead, mark, inner.strip(), mark, trail]

    def image(self, values: dict[str, str]) -> None:
        src = values.get("src", "").strip()
        if self.markdown and src.lower().startswith("https://"):
            alt = escape_markdown(clean_line(values.get("alt", "")))
            self.out.append(f"![{alt}]({_url(src)})")
        else:  # Moodle's own files (@@PLUGINFILE@@) and anything else the bank cannot show
            self.dropped_images += 1

    def handle_data(self, data: str) -> None:
        text = _SPACES.sub(" ", data)
        if self._at_line_start():
            text = text.lstrip(" ")
        if text:
            self.out.append(escape_markdown(text) if self.markdown else text)


def _url(address: str) -> str:
    return address.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
