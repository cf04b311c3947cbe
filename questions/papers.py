"""Printable test papers (đề thi): draw questions, shuffle them into variants (mã đề), key each one.

Pure: plain values in and out, no Flask and no database, so a paper is the same every time it is
built from the same questions and seed. That is what lets a paper be printed again, identically,
from its address alone (docs/papers.md).

Per variant the questions are put in a new order and the options of single and multiple choice
questions are shuffled; the other types keep their layout. Ordering items are shown shuffled in
the order the Word paper (`questions.formats.word_write`) prints them, so the .docx of a variant
and its key here always agree.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from contest.text import fold

LETTERS = "ABCDEFGH"
FIRST_CODE = 101
MAX_VARIANTS = 20

# An option that points at other options ("Cả A và B đều đúng", "Tất cả các đáp án trên") means
# something only where it stands: the question's options are then printed in the bank's order.
_POINTS_AT_OTHERS = re.compile(
    r"\b(tat ca|ca (hai|ba|bon)\b|ca [a-h]\b|[a-h] (va|hoac) [a-h]\b|[a-h], [a-h]\b"
    r"|(cac )?(dap an|phuong an|y|cau) (tren|nao)\b|(dap an|phuong an) [a-h]\b"
    r"|khong co (dap an|phuong an|y) nao|all of the above|none of the above|both\b)"
)


@dataclass(frozen=True)
class Source:
    """One question going onto the paper: its bank id and the content of the version printed."""

    question_id: int
    content: dict[str, Any]
    image_path: str | None = None


@dataclass(frozen=True)
class Shown:
    """A question as a candidate sees it: never its answer."""

    number: int
    question_id: int
    kind: str
    stem: str
    choices: tuple[str, ...] = ()  # printed A, B, C …: options, or ordering items
    unit: str = ""
    image_path: str | None = None


@dataclass(frozen=True)
class KeyEntry:
    """The answer to question `number` of one variant.

    `answer`: letters ("B", "A, C"; for ordering the shown letters in the right order, "C, A, B"),
    a bool (true_false), the accepted answers (short_text), the value (numeric), None (open).
    `order` maps each shown letter to the option or item's index in the bank's content.
    """

    number: int
    question_id: int
    kind: str
    answer: Any
    order: tuple[int, ...] = ()
    tolerance: float = 0
    unit: str = ""
    guidance: str = ""


@dataclass(frozen=True)
class Variant:
    code: int
    questions: tuple[Shown, ...]
    key: tuple[KeyEntry, ...]


def letters(indices) -> str:
    return ", ".join(LETTERS[index] for index in indices)


def ordering_order(content: dict) -> list[int]:
    """The order ordering items are shown in: fixed by the stem, never the right order.

    The same as the Word paper's, so a variant printed from Word has this key too.
    """
    order = list(range(len(content["items"])))
    random.Random(content["stem"]).shuffle(order)
    if order == sorted(order) and len(order) > 1:
        order = order[1:] + order[:1]
    return order


def keeps_option_order(content: dict) -> bool:
    """Whether an option refers to other options, so shuffling would change what it says."""
    return any(_POINTS_AT_OTHERS.search(fold(o["text"])) for o in content.get("options", []))


def _placed(number: int, source: Source, rng: random.Random) -> tuple[Shown, KeyEntry]:
    content, kind = source.content, source.content["type"]
    order: list[int] = []
    choices: tuple[str, ...] = ()
    if kind in ("single", "multiple"):
        options = content["options"]
        order = list(range(len(options)))
        if not keeps_option_order(content):
            rng.shuffle(order)
        choices = tuple(options[i]["text"] for i in order)
        answer: Any = letters(p for p, i in enumerate(order) if options[i].get("correct"))
    elif kind == "ordering":
        order = ordering_order(content)
        choices = tuple(content["items"][i] for i in order)
        answer = letters(order.index(i) for i in range(len(order)))
    elif kind == "true_false":
        answer = content["answer"]
    elif kind == "short_text":
        answer = tuple(content["accepted"])
    elif kind == "numeric":
        answer = content["value"]
    else:
        answer = None
    shown = Shown(
        number,
        source.question_id,
        kind,
        content["stem"],
        choices,
        content.get("unit", "") if kind == "numeric" else "",
        source.image_path,
    )
    key = KeyEntry(
        number,
        source.question_id,
        kind,
        answer,
        tuple(order),
        tolerance=content.get("tolerance", 0) if kind == "numeric" else 0,
        unit=shown.unit,
        guidance=content.get("guidance", "") if kind == "open" else "",
    )
    return shown, key


def make_variants(sources: Sequence[Source], count: int, seed: int) -> list[Variant]:
    """`count` variants coded 101, 102 …: each its own question order, option order and key."""
    if not 1 <= count <= MAX_VARIANTS:
        raise ValueError(f"between 1 and {MAX_VARIANTS} variants, not {count}")
    variants = []
    for code in range(FIRST_CODE, FIRST_CODE + count):
        # A string seed is hashed the same way on every run and machine (unlike hash()).
        rng = random.Random(f"paper:{seed}:{code}")
        positions = list(range(len(sources)))
        rng.shuffle(positions)
        placed = [_placed(n, sources[p], rng) for n, p in enumerate(positions, start=1)]
        variants.append(Variant(code, tuple(s for s, _k in placed), tuple(k for _s, k in placed)))
    return variants


def printed_content(content: dict, entry: KeyEntry) -> dict:
    """The content with its options in the order a variant prints them (for the Word paper)."""
    if content["type"] not in ("single", "multiple"):
        return content
    return dict(content, options=[content["options"][i] for i in entry.order])


# ---- drawing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A drawable question: its id, its approved version's level and its themes."""

    question_id: int
    level: str
    theme_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DrawRow:
    """`count` questions of a theme and a level; None means any theme, or any level."""

    theme_id: int | None
    level: str | None
    count: int

    def takes(self, candidate: Candidate) -> bool:
        return (self.theme_id is None or self.theme_id in candidate.theme_ids) and (
            not self.level or self.level == candidate.level
        )


@dataclass(frozen=True)
class Shortfall:
    row: int  # 0-based position of the row
    asked: int
    available: int


class NotEnough(Exception):
    """The bank holds fewer questions than some rows ask for; nothing was drawn."""

    def __init__(self, shortfalls: list[Shortfall]):
        super().__init__(f"{len(shortfalls)} row(s) short")
        self.shortfalls = shortfalls


def draw(
    pool: Sequence[Candidate], rows: Sequence[DrawRow], seed: int, taken: Sequence[int] = ()
) -> list[int]:
    """Question ids drawn at random (the same for the same seed and bank), row after row.

    A question is drawn once at most, and never one already in `taken`. Raises NotEnough naming
    every row the bank cannot fill, with how many questions it could have given.
    """
    rng = random.Random(f"draw:{seed}")
    chosen = set(taken)
    ordered = sorted(pool, key=lambda candidate: candidate.question_id)
    drawn: list[int] = []
    shortfalls = []
    for index, row in enumerate(rows):
        if row.count <= 0:
            continue
        eligible = [c.question_id for c in ordered if row.takes(c) and c.question_id not in chosen]
        if len(eligible) < row.count:
            shortfalls.append(Shortfall(index, row.count, len(eligible)))
            continue
        picked = rng.sample(eligible, row.count)
        chosen.update(picked)
        drawn.extend(picked)
    if shortfalls:
        raise NotEnough(shortfalls)
    return drawn
