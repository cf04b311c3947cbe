"""Practice ("Ôn tập"): random approved questions with immediate feedback, for anyone, unranked.

A practice run is small (at most MAX_QUESTIONS version ids, the option orders and the answers so
far) and belongs to one browser, so it lives in the signed session cookie: no table, nothing to
clean up. The correct answer of a question reaches the browser only with its feedback, after the
answer to it was sent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from contest.extensions import db
from questions.checking import check
from questions.models import QuestionVersion, question_theme
from questions.service import drawable_versions

MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 5, 30, 10
# Open questions are scored by people; practice cannot say whether an answer is right.
PRACTICE_TYPES = ("single", "multiple", "true_false", "short_text", "numeric", "ordering")


@dataclass
class Run:
    """One practice run: versions in the order asked, option orders, fractions earned so far."""

    version_ids: list[int]
    orders: list[list[int] | None]
    results: dict[int, float]  # position (0-based) -> fraction earned

    def to_session(self) -> dict:
        return {
            "ids": self.version_ids,
            "orders": self.orders,
            "results": {str(k): v for k, v in self.results.items()},
        }

    @classmethod
    def from_session(cls, data) -> Run | None:
        try:
            ids = [int(i) for i in data["ids"]]
            orders = list(data["orders"])
            results = {int(k): float(v) for k, v in data.get("results", {}).items()}
        except (KeyError, TypeError, ValueError):
            return None
        if not ids or len(orders) != len(ids):
            return None
        return cls(ids, orders, results)

    @property
    def score(self) -> float:
        return sum(self.results.values())


def available(theme_ids: list[int], levels: list[str]):
    """The versions practice may draw: approved, not open, in the chosen themes and levels."""
    query = drawable_versions().where(QuestionVersion.type.in_(PRACTICE_TYPES))
    if theme_ids:
        themed = select(question_theme.c.question_id).where(
            question_theme.c.theme_id.in_(theme_ids)
        )
        query = query.where(QuestionVersion.question_id.in_(themed))
    if levels:
        query = query.where(QuestionVersion.level.in_(levels))
    return query


def start(theme_ids: list[int], levels: list[str], count: int, rng: random.Random) -> Run | None:
    """A new run of `count` questions (fewer if the bank has fewer); None if it has none."""
    ids = list(
        db.session.scalars(available(theme_ids, levels).with_only_columns(QuestionVersion.id))
    )
    if not ids:
        return None
    chosen = rng.sample(ids, min(count, len(ids)))
    versions = {
        v.id: v
        for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(chosen)))
    }
    orders = [_shown_order(versions[version_id].content, rng) for version_id in chosen]
    return Run(chosen, orders, {})


def _shown_order(content: dict, rng: random.Random) -> list[int] | None:
    """Options (or items to order) shuffled: shown position -> stored index."""
    entries = content.get("options") or content.get("items")
    if not entries or content["type"] in ("true_false",):
        return None
    order = list(range(len(entries)))
    rng.shuffle(order)
    return order


def stored_response(content: dict, order: list[int] | None, form_values: list[str]):
    """The response in the stored order, from what the form sent (shown positions or text)."""
    kind = content["type"]
    if kind == "ordering":
        return _ordering_response(order, form_values)
    if kind == "true_false":
        return {"true": True, "false": False}.get(form_values[0] if form_values else "")
    if kind in ("short_text", "numeric"):
        return form_values[0] if form_values else ""
    shown = [int(value) for value in form_values if value.isdigit()]
    order = order or list(range(len(content.get("options") or content.get("items") or [])))
    try:
        stored = [order[position] for position in shown]
    except IndexError:
        return None  # a position the page never showed: scores 0
    if kind == "single":
        return stored[0] if len(stored) == 1 else None
    return stored


def _ordering_response(order: list[int] | None, ranks: list[str]):
    """Items are shown in `order`; `ranks[k]` is the place the person gave shown item k (1..n)."""
    places = [int(rank) for rank in ranks if rank.isdigit()]
    if not order or sorted(places) != list(range(1, len(order) + 1)) or len(ranks) != len(order):
        return None  # a place left empty or given twice: not an ordering
    by_place = sorted(range(len(order)), key=lambda shown: places[shown])
    return [order[shown] for shown in by_place]


def answer(run: Run, position: int, content: dict, form_values: list[str]) -> float:
    """Check the answer to the question at `position` and keep the fraction it earned.

    Answering a question again replaces the earlier result: practice is for learning.
    """
    fraction = check(content, stored_response(content, run.orders[position], form_values)) or 0.0
    run.results[position] = fraction
    return fraction
