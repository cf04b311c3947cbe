"""Question text as safe HTML, and as plain text for search and previews.

Two locks, on purpose. markdown-it runs with raw HTML off, so a typed `<script>` is shown as text
and `javascript:` links are left as text. nh3 then sanitises the HTML against an allowlist, so even
if a renderer option or plugin changes one day, nothing outside that list reaches a browser.

Images: only `/uploads/…` (files this site serves) and `https://` addresses. Plain http is refused
because a browser either blocks it on an https page or loads it where anyone on the way can swap
it; `data:` and other schemes are refused outright. A refused image shows its alt text instead.
Headings start at h3 (`#` is h3, `##` is h4, …) so a question never outshouts the page's own titles.
Single line breaks are kept (`breaks`): editors type in a plain text box and expect lines to stay.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from contest.text import clean_line

TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped with everything inside them, not just unwrapped: their text is code or markup.
CONTENT_DROPPED = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
    "textarea", "title", "xmp", "noembed", "noframes",
}  # fmt: skip
HEADING_SHIFT = 2
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")


def image_allowed(src: str) -> bool:
    """Whether an image address may be shown: `/uploads/…` on this site, or https."""
    src = src.strip()
    if src.lower().startswith("https://"):
        return True
    if not src.startswith("/uploads/") or "\\" in src:
        return False
    # "/uploads/../admin" and its percent-encoded spelling would leave the uploads folder.
    path = unquote(src.split("?", 1)[0].split("#", 1)[0])
    return not any(segment in (".", "..") for segment in path.split("/"))


def _foreign_scheme(url: str) -> bool:
    # Browsers drop tabs and newlines inside a URL, so "jav&#9;ascript:" is javascript:. nh3 sees
    # that too; this also catches a percent-encoded spelling, which no browser runs but which is
    # no link anybody meant.
    bare = "".join(ch for ch in unquote(url) if ch.isprintable() and not ch.isspace()).lower()
    scheme, colon, _ = bare.partition(":")
    return bool(colon) and bool(_SCHEME.fullmatch(scheme)) and scheme not in URL_SCHEMES


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src") and _foreign_scheme(value):
        return None
    if tag == "img" and attribute == "src" and not image_allowed(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CONTENT_DROPPED,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    url_schemes=URL_SCHEMES,
)


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"


def _refuse_images(state: StateCore) -> None:
    for token in state.tokens:
        for index, child in enumerate(token.children or []):
            if child.type == "image" and not image_allowed(str(child.attrGet("src") or "")):
                token.children[index] = Token("text", "", 0, content=child.content)


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
_MARKDOWN.enable("table")
_MARKDOWN.core.ruler.push("shift_headings", _shift_headings)
_MARKDOWN.core.ruler.push("refuse_images", _refuse_images)


def sanitise(html: str) -> str:
    """HTML cut down to the allowlist: the last step of `render`, public to be tested alone."""
    return _CLEANER.clean(html)


def render(text: str | None) -> Markup:
    """Markdown as HTML that is safe to put in a page as it is."""
    return Markup(sanitise(_MARKDOWN.render(text or "")))


# The only Markdown that changes a stem's words rather than its punctuation: emphasis (its
# markers vanish, so "x*y*" is "xy"), links and images (the address is dropped), entities and
# escapes, autolinks, fences, and ordered-list numbers ("2016. Chỉ thị" is item 2016 whose text
# is "Chỉ thị"; a line may start at "\r" too). Stems without any of these skip the parser, which
# costs 1.8 s per 20,000 stems — on every save, for the whole bank. Tests hold the two equal.
_MAY_HAVE_MARKUP = re.compile(
    r"[*_\[\]<>&\\`~]|(?:^|(?<=\r))[ \t]*(?:[-+][ \t]+)*\d{1,9}[.)](?:\s|$)", re.MULTILINE
)


def may_have_markup(text: str | None) -> bool:
    """False when `text` certainly reads the same words with or without Markdown parsing."""
    return bool(text) and _MAY_HAVE_MARKUP.search(text) is not None


def plain_text(text: str | None) -> str:
    """The words of the Markdown on one line, without markup: for search and short previews.

    The result is text, not HTML: a typed `<b>` stays `<b>`, and templates escape it as usual.
    """
    parts: list[str] = []
    for token in _MARKDOWN.parse(text or ""):
        if token.type in ("fence", "code_block"):
            parts.append(token.content)
        elif token.type == "inline":
            words = []
            for child in token.children or []:
                if child.type in ("text", "code_inline", "image"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            parts.append("".join(words))
    return clean_line(" ".join(parts))
