"""What Word's styles and numbering say about the text: the marks on a run, and whether a
paragraph is a numbered stem, a lettered option, a heading or centred.

A run's look is its own properties over its character style, over the paragraph style (and the
styles each is based on), over the document defaults; numbering.xml tells a lettered list
(options) from a numbered one (stems) from bullets.
"""

from __future__ import annotations

import functools
import re

from docx.opc.constants import RELATIONSHIP_TYPE as RT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BOLD, UNDERLINE, RED, HIGHLIGHT = 1, 2, 4, 8
_FLAGS = (("bold", BOLD), ("underline", UNDERLINE), ("red", RED), ("highlight", HIGHLIGHT))


# ---- the look of a run --------------------------------------------------------------------------


_VAL, _FILL = W + "val", W + "fill"
_B, _U, _COLOR, _HIGHLIGHT, _SHADING = (W + tag for tag in ("b", "u", "color", "highlight", "shd"))


def _on(element) -> bool:
    return (element.get(_VAL) or "true").lower() not in ("0", "false", "off")


def _on_attribute(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "on")


@functools.lru_cache(maxsize=256)  # a paper uses a handful of colours on thousands of runs
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
    # One pass over the few children, keeping the first of each as find() would: several
    # find() calls per run were the slowest part of reading a long paper.
    found = {}
    for child in rpr.iterchildren():
        found.setdefault(child.tag, child)
    if (bold := found.get(_B)) is not None:
        props["bold"] = _on(bold)
    if (underline := found.get(_U)) is not None:
        props["underline"] = (underline.get(_VAL) or "single") != "none"
    if (color := found.get(_COLOR)) is not None:
        props["red"] = _is_red(color.get(_VAL))
    highlight = found.get(_HIGHLIGHT)
    shading = found.get(_SHADING)
    if highlight is not None or shading is not None:
        fill = shading.get(_FILL) if shading is not None else None
        props["highlight"] = (
            highlight is not None and (highlight.get(_VAL) or "none") != "none"
        ) or (fill is not None and fill.lower() not in ("auto", "ffffff"))
    return props


class Styles:
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
        self._cache: dict[str | None, dict[str, bool]] = {}
        # The defaults with a paragraph style applied: the same for every run of the paragraph.
        self._paragraph_cache: dict[str | None, dict[str, bool]] = {}
        self._found: dict[tuple[str | None, str], object] = {}

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
        if paragraph_style not in self._paragraph_cache:
            self._paragraph_cache[paragraph_style] = {
                **self.base,
                **self.properties(paragraph_style),
            }
        props = self._paragraph_cache[paragraph_style]
        rpr = run.find(W + "rPr")
        if rpr is not None:
            props = dict(props)
            if (character := rpr.find(W + "rStyle")) is not None:
                props.update(self.properties(character.get(W + "val")))
            props.update(_run_properties(rpr))
        return sum(flag for name, flag in _FLAGS if props.get(name))

    def name(self, style_id: str | None) -> str:
        style = self.styles.get(style_id)
        element = style.find(W + "name") if style is not None else None
        return (element.get(W + "val") or "") if element is not None else ""

    def paragraph_property(self, style_id: str | None, tag: str):
        key = (style_id, tag)
        if key not in self._found:
            self._found[key] = next(
                (
                    found
                    for style in self.chain(style_id)
                    if (ppr := style.find(W + "pPr")) is not None
                    and (found := ppr.find(W + tag)) is not None
                ),
                None,
            )
        return self._found[key]


# ---- numbering ----------------------------------------------------------------------------------


class Numbering:
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


def paragraph_list(ppr, style, styles: Styles, numbering: Numbering):
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


def is_heading(ppr, style, styles: Styles) -> tuple[bool, bool]:
    """(a heading or title style, centred): how titles and section headings look."""
    heading = styles.name(style).lower().startswith(("heading", "title", "subtitle"))
    jc = ppr.find(W + "jc") if ppr is not None else None
    if jc is None:
        jc = styles.paragraph_property(style, "jc")
    return heading, jc is not None and jc.get(W + "val") == "center"
