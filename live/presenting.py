"""A stage question as screens show it: without its answer, and its answer once revealed.

`public_question` is built key by key from an allowlist — stem, option texts, ordering items —
so nothing marking a right answer can slip into a pad's or the projector's payload before the
reveal. Ordering items are stored in the right order, so they are shown in a fixed shuffle
(the same on every screen and after a restart) and pads answer with shown positions.
"""

from __future__ import annotations

import random
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from live.engine import QuestionSpec
from questions.markdown import plain_text, render

LETTERS = "ABCDEFGH"
CHOICE_TYPES = ("single", "multiple")


def short_stem(content: dict, limit: int = 90) -> str:
    """A stem as one short line of what a person reads (its Markdown taken out), for lists."""
    text = " ".join(plain_text(content.get("stem", "")).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_order(question: QuestionSpec) -> list[int]:
    """The fixed order ordering items are shown in: never the right order itself."""
    items = question.content.get("items") or []
    order = list(range(len(items)))
    if len(order) < 2:
        return order
    random.Random(question.id).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def public_question(question: QuestionSpec, number: int, *, with_options: bool = True) -> dict:
    """What a pad or the projector may see of a question before its reveal."""
    content = question.content
    view: dict[str, Any] = {
        "id": question.id,
        "number": number,
        "type": content["type"],
        "stem_html": str(render(content["stem"])),
        "points": question.points,
    }
    if not with_options:
        return view
    if content["type"] in CHOICE_TYPES:
        view["options"] = [
            {"index": i, "letter": LETTERS[i], "text": option["text"]}
            for i, option in enumerate(content["options"])
        ]
    elif content["type"] == "ordering":
        items = content["items"]
        view["items"] = [{"index": i, "text": items[s]} for i, s in enumerate(item_order(question))]
    elif content["type"] == "numeric" and content.get("unit"):
        view["unit"] = content["unit"]
    return view


def to_stored(question: QuestionSpec, response: Any) -> Any:
    """A pad's response (shown positions for ordering) as the checker reads it.

    Raises ValueError for a response of the wrong shape, so a bad pad gets a clear refusal.
    """
    kind = question.content["type"]
    count = len(question.content.get("options") or question.content.get("items") or [])
    if kind == "single":
        if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < count:
            raise ValueError("single: one option index")
        return response
    if kind in ("multiple", "ordering"):
        if not isinstance(response, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < count for i in response
        ):
            raise ValueError(f"{kind}: a list of indices")
        if len(set(response)) != len(response) or (kind == "ordering" and len(response) != count):
            raise ValueError(f"{kind}: each index once")
        if kind == "multiple":
            return sorted(response)
        order = item_order(question)
        return [order[i] for i in response]
    if kind == "true_false":
        if not isinstance(response, bool):
            raise ValueError("true_false: true or false")
        return response
    if kind in ("short_text", "numeric", "open"):
        if isinstance(response, bool) or not isinstance(response, str | int | float):
            raise ValueError(f"{kind}: text")
        text = str(response).strip()
        if not text or len(text) > 500:
            raise ValueError(f"{kind}: 1 to 500 characters")
        return text
    raise ValueError(f"unknown type {kind!r}")


def _yes_no(value: Any) -> str:
    return _("True") if value else _("False")


def answer_text(question: QuestionSpec, stored: Any) -> str:
    """A stored response as a person reads it: letters, the items in order, true/false, text."""
    content = question.content
    kind = content["type"]
    if stored is None:
        return ""
    if kind == "single":
        return LETTERS[stored] if isinstance(stored, int) and 0 <= stored < 8 else ""
    if kind == "multiple":
        return ", ".join(LETTERS[i] for i in stored if isinstance(i, int) and 0 <= i < 8)
    if kind == "ordering":
        items = content["items"]
        return " → ".join(items[i] for i in stored if isinstance(i, int) and 0 <= i < len(items))
    if kind == "true_false":
        return _yes_no(stored)
    return str(stored)


def correct_text(question: QuestionSpec) -> str:
    content = question.content
    kind = content["type"]
    if kind in CHOICE_TYPES:
        right = [i for i, option in enumerate(content["options"]) if option.get("correct") is True]
        texts = [f"{LETTERS[i]}. {content['options'][i]['text']}" for i in right]
        return "; ".join(texts)
    if kind == "ordering":
        return " → ".join(content["items"])
    if kind == "true_false":
        return _yes_no(content["answer"])
    if kind == "short_text":
        return " / ".join(content["accepted"])
    if kind == "numeric":
        text = format_decimal(content["value"])
        if content.get("tolerance"):
            text += f" (± {format_decimal(content['tolerance'])})"
        return f"{text} {content['unit']}" if content.get("unit") else text
    return content.get("guidance", "")


def revealed_question(question: QuestionSpec, number: int) -> dict:
    """The question with its answer: for the host always, for everyone after the reveal."""
    view = public_question(question, number)
    content = question.content
    if content["type"] in CHOICE_TYPES:
        for option, stored in zip(view["options"], content["options"], strict=True):
            option["correct"] = stored.get("correct") is True
    view["correct_text"] = correct_text(question)
    view["explanation_html"] = str(render(content.get("explanation")))
    return view
