"""What a participant's browser may see of an attempt's questions, and how its answers map.

Two views of a pinned question. `question_view` is what the taking page gets while answering: the
stem and the options (or ordering items) in the order this attempt shows them, each only as
`{"index", "text"}` — no flag, weight, feedback, accepted answer, value or explanation is copied,
because the view is built key by key from an allowlist, never from the stored content.
`review_view` is the full review, built only when the round's review policy allows it.

Participants answer with *shown* indices; `to_stored` maps them back to the stored option (or
item) indices that `questions.checking` reads, and `to_shown` maps a saved answer forward again so
a reloaded page shows what was chosen.
"""

from __future__ import annotations

import math
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from questions.markdown import render

CHOICE_TYPES = ("single", "multiple")
TEXT_MAX = {"short_text": 500, "numeric": 100, "open": 10_000}
LETTERS = "ABCDEFGH"


class BadResponse(ValueError):
    """A response whose shape does not fit the question (a 422 for the API)."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entries(content: dict) -> list[str]:
    """The texts the shown order permutes: option texts, or ordering items."""
    if content["type"] in CHOICE_TYPES:
        return [option["text"] for option in content["options"]]
    if content["type"] == "ordering":
        return list(content["items"])
    return []


def stored_order(content: dict, shown_order: list | None) -> list[int]:
    """The stored index of each shown option (item, pair), in the order shown."""
    count = len(_entries(content))
    if shown_order and sorted(shown_order) == list(range(count)):
        return list(shown_order)
    return list(range(count))  # a question without a stored order shows the stored order


# ---- responses ----------------------------------------------------------------------------------


def to_stored(content: dict, shown_order: list | None, response: Any) -> Any:
    """A response in shown indices as the response `questions.checking.check` reads.

    Raises BadResponse when the shape is wrong: an index out of range or repeated, a string for
    a choice, a number for a text, an ordering that leaves an item out.
    """
    return shaped_to_stored(content["type"], stored_order(content, shown_order), response)


def shaped_to_stored(kind: str, order: list[int], response: Any) -> Any:
    """`to_stored` from what it needs of the question: its type and the shown order. The quick
    save keeps only these per question, not the whole content."""
    if kind == "single":
        if not _is_int(response) or not 0 <= response < len(order):
            raise BadResponse("single: one shown option index")
        return order[response]
    if kind in ("multiple", "ordering"):
        if not isinstance(response, list) or not all(_is_int(i) for i in response):
            raise BadResponse(f"{kind}: a list of shown indices")
        if len(set(response)) != len(response) or not all(0 <= i < len(order) for i in response):
            raise BadResponse(f"{kind}: indices distinct and in range")
        if kind == "ordering" and len(response) != len(order):
            raise BadResponse("ordering: every item exactly once")
        stored = [order[i] for i in response]
        return sorted(stored) if kind == "multiple" else stored
    if kind == "true_false":
        if not isinstance(response, bool):
            raise BadResponse("true_false: true or false")
        return response
    if kind == "numeric" and (_is_int(response) or isinstance(response, float)):
        if not math.isfinite(response):
            raise BadResponse("numeric: a finite number")
        return response
    if kind in TEXT_MAX:
        if not isinstance(response, str) or len(response) > TEXT_MAX[kind]:
            raise BadResponse(f"{kind}: text of at most {TEXT_MAX[kind]} characters")
        return response
    raise BadResponse(f"unknown question type {kind!r}")


def to_shown(content: dict, shown_order: list | None, stored: Any) -> Any:
    """A saved (stored) response as the shown indices the page displays; None if it can't be."""
    kind = content["type"]
    order = stored_order(content, shown_order)
    position = {stored_index: shown for shown, stored_index in enumerate(order)}
    try:
        if kind == "single":
            return position[stored]
        if kind == "multiple":
            return sorted(position[i] for i in stored)
        if kind == "ordering":
            return [position[i] for i in stored]
    except (KeyError, TypeError):
        return None
    return stored


# ---- what the taking page sees ------------------------------------------------------------------


def question_view(item, image_url: str | None = None) -> dict:
    """One pinned question (`AttemptQuestion`) as the taking page may see it: no answers."""
    content = item.version.content
    kind = content["type"]
    view = {
        "position": item.position,
        "type": kind,
        "stem_html": str(render(content["stem"])),
        "points": item.points,
    }
    if image_url:
        view["image_url"] = image_url
    texts, order = _entries(content), stored_order(content, item.shown_order)
    if kind in CHOICE_TYPES:
        view["options"] = [{"index": i, "text": texts[s]} for i, s in enumerate(order)]
    elif kind == "ordering":
        view["items"] = [{"index": i, "text": texts[s]} for i, s in enumerate(order)]
    elif kind == "numeric" and content.get("unit"):
        view["unit"] = content["unit"]  # what is counted, shown after the box; not the answer
    return view


# ---- the review, once the policy allows it ------------------------------------------------------


def _letters(indices) -> str:
    return ", ".join(LETTERS[i] for i in indices)


def _yes_no(value: bool) -> str:
    return _("True") if value else _("False")


def _display(content: dict, order: list[int], stored: Any) -> str | None:
    """A response (stored form) as a person reads it: letters, item texts, true/false, text."""
    if stored is None:
        return None
    kind = content["type"]
    shown = to_shown(content, order, stored)
    if kind == "single":
        return None if shown is None else LETTERS[shown]
    if kind == "multiple":
        return None if shown is None else _letters(shown)
    if kind == "ordering":
        items = content["items"]
        return " → ".join(items[i] for i in stored if _is_int(i) and 0 <= i < len(items))
    if kind == "true_false":
        return _yes_no(stored) if isinstance(stored, bool) else None
    return str(stored)


def _correct_display(content: dict, order: list[int]) -> str:
    kind = content["type"]
    if kind in CHOICE_TYPES:
        options = content["options"]
        return _letters(i for i, s in enumerate(order) if options[s].get("correct") is True)
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
    return ""  # open questions are scored by people: there is no one right text


def review_view(item, answer, image_url: str | None = None) -> dict:
    """The full review of one question: the answer given, the right one, explanation, source."""
    content, version = item.version.content, item.version
    order = stored_order(content, item.shown_order)
    stored = answer.response if answer is not None else None
    fraction = answer.fraction if answer is not None else None
    if content["type"] == "open":
        status = "pending" if stored else "unanswered"
    elif answer is None:
        status = "unanswered"
    else:
        status = {1.0: "right", 0.0: "wrong"}.get(fraction or 0.0, "partly")
    view = question_view(item, image_url)
    if content["type"] in CHOICE_TYPES:
        chosen = to_shown(content, order, stored) if stored is not None else None
        chosen = {chosen} if isinstance(chosen, int) else set(chosen or ())
        view["options"] = [
            {
                "index": i,
                "text": content["options"][s]["text"],
                "correct": content["options"][s].get("correct") is True,
                "chosen": i in chosen,
                "feedback_html": str(render(content["options"][s].get("feedback"))),
            }
            for i, s in enumerate(order)
        ]
    view.update(
        status=status,
        fraction=fraction,
        earned=round((fraction or 0.0) * item.points, 6),
        your_answer=_display(content, order, stored),
        correct_answer=_correct_display(content, order),
        explanation_html=str(render(content.get("explanation"))),
        source={
            "document": version.source_document,
            "section": version.source_section,
            "url": version.source_url,
        },
    )
    return view
