"""The `// hoithi: {JSON}` comment before a GIFT question: what GIFT has no syntax for.

Both halves live here so that what the writer puts in (`metadata`) is what the reader takes back
(`apply`): the record's details (key, level, points, time, themes, tags, source) and content
GIFT cannot say (scoring, the unit of a number, guidance, which options are right).
"""

from __future__ import annotations

from typing import Any

from questions.formats.base import QuestionRecord


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# What each key of the hoithi comment may hold.
META_CHECKS = {
    "key": lambda value: isinstance(value, str),
    "level": lambda value: isinstance(value, str),
    "points": _is_int,
    "time_limit_s": _is_int,
    "themes": _is_texts,
    "tags": _is_texts,
    "source": lambda value: isinstance(value, dict) and _is_texts(list(value.values())),
    "scoring": lambda value: isinstance(value, str),
    "unweighted": lambda value: isinstance(value, bool),
    "correct": lambda value: isinstance(value, list) and all(_is_int(item) for item in value),
    "ignore_diacritics": lambda value: isinstance(value, bool),
    "unit": lambda value: isinstance(value, str),
    "guidance": lambda value: isinstance(value, str),
}
# Content keys the comment carries, and the one type each belongs to.
META_CONTENT = {
    "scoring": "multiple",
    "ignore_diacritics": "short_text",
    "unit": "numeric",
    "guidance": "open",
}


def apply(record: QuestionRecord, key: str, value: Any) -> bool:
    """Put one key of the hoithi comment into the record; False when the value is unusable.

    Unknown keys are ignored: they would come from a newer writer.
    """
    if key not in META_CHECKS:
        return True
    if not META_CHECKS[key](value):
        return False
    content = record.content
    options = content.get("options", [])
    if key in META_CONTENT:
        if content["type"] == META_CONTENT[key]:
            content[key] = value
    elif key == "source":
        record.source_document = value.get("document", "")
        record.source_section = value.get("section", "")
        record.source_url = value.get("url", "")
    elif key == "unweighted":
        # The percentages were only written for Moodle: the question itself has no weights.
        for option in options if value else []:
            option.pop("weight", None)
    elif key == "correct":
        if not all(0 <= index < len(options) for index in value):
            return False
        for index, option in enumerate(options):
            option["correct"] = index in value
    else:
        setattr(record, key, list(value) if isinstance(value, list) else value)
    return True


def metadata(record: QuestionRecord, content: dict, weights: list[float | None]) -> dict[str, Any]:
    """What the hoithi comment carries: the record's fields and content GIFT cannot say.

    `weights` are the percentages written before the options, which decide whether the reader
    needs "correct" to know the right options.
    """
    meta: dict[str, Any] = {}
    if record.key is not None:
        meta["key"] = record.key
    for name in ("level", "points", "time_limit_s"):
        if getattr(record, name) is not None:
            meta[name] = getattr(record, name)
    for name in ("themes", "tags"):
        if getattr(record, name):
            meta[name] = list(getattr(record, name))
    source = {
        "document": record.source_document,
        "section": record.source_section,
        "url": record.source_url,
    }
    if any(source.values()):
        meta["source"] = {name: value for name, value in source.items() if value}
    kind = content["type"]
    if kind == "multiple":
        if content["scoring"] != "partial":
            meta["scoring"] = content["scoring"]
        options = content["options"]
        if not any("weight" in option for option in options):
            meta["unweighted"] = True
        if [w is not None and w > 0 for w in weights] != [o["correct"] for o in options]:
            meta["correct"] = [index for index, option in enumerate(options) if option["correct"]]
    elif kind == "short_text" and content["ignore_diacritics"]:
        meta["ignore_diacritics"] = True
    elif kind == "numeric" and content.get("unit"):
        meta["unit"] = content["unit"]
    elif kind == "open" and content.get("guidance"):
        meta["guidance"] = content["guidance"]
    return meta
