"""Drawing an attempt's questions, and the order of questions and options.

Every attempt draws afresh ("30 questions at random from 300"), so the draw must be cheap and
never fail when a draw is possible. All randomness comes from the `rng` passed in: an attempt
that stores its seed can be drawn again, question for question, to check a complaint.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

ThemeId = Hashable
VersionId = Hashable
T = TypeVar("T")


@dataclass(frozen=True)
class DrawRow:
    """`count` questions of one theme at one level (nhận biết, thông hiểu, vận dụng…)."""

    theme_id: ThemeId
    level: str
    count: int

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count", self.count)


class NotEnough(Exception):
    """The pool cannot fill `row`: only `available` of its questions can be drawn."""

    def __init__(self, row: DrawRow, available: int) -> None:
        super().__init__(row, available)
        self.row = row
        self.available = available


def draw(
    pool: Mapping[tuple[ThemeId, str], Sequence[VersionId]],
    spec: Sequence[DrawRow],
    rng: random.Random,
) -> list[VersionId]:
    """Question versions for one attempt: each row's count, row by row, no version twice.

    A question tagged with two themes sits in two pools; it may fill either row but only one
    place. Without shared questions each row is a uniform sample of its pool; when a shared
    question taken by an earlier row leaves a later row short, questions are moved between rows
    (augmenting paths, as in a bipartite matching) before giving up. NotEnough names the first
    row that cannot be filled, with how many of its questions can be drawn beside the rows
    before it.
    """
    # Each row's candidates in a random order; dict.fromkeys drops repeats and, unlike a set,
    # keeps the order, so a seeded rng always gives the same draw.
    candidates = []
    for row in spec:
        options = list(dict.fromkeys(pool.get((row.theme_id, row.level), ())))
        rng.shuffle(options)
        candidates.append(options)

    slot_row = [index for index, row in enumerate(spec) for _ in range(row.count)]
    holder: dict[VersionId, int] = {}  # version -> slot
    filled: list[VersionId | None] = [None] * len(slot_row)

    def place(slot: int, visited: set[VersionId]) -> bool:
        # Kuhn's augmenting path: take a free version, or one whose holder can move elsewhere.
        for version in candidates[slot_row[slot]]:
            if version in visited:
                continue
            visited.add(version)
            if version not in holder or place(holder[version], visited):
                holder[version] = slot
                filled[slot] = version
                return True
        return False

    for slot, row_index in enumerate(slot_row):
        if not place(slot, set()):
            row = spec[row_index]
            available = sum(1 for r in slot_row[:slot] if r == row_index)
            raise NotEnough(row, available)
    return list(filled)


def order(items: Sequence[T], shuffle: bool, rng: random.Random) -> list[T]:
    """The items in a random order when `shuffle`, else as given."""
    items = list(items)
    if shuffle:
        rng.shuffle(items)
    return items


# Options that speak about the other options as a group stay where the author put them
# ("Tất cả các phương án trên" must stay below the options it sums up). Matched on text
# without diacritics, in lower case. A false match only leaves an option unshuffled.
_ABOUT_OTHERS = re.compile(
    r"\b(?:phuong an|dap an|y|cau|lua chon)\b.*\btren\b"  # … các phương án trên / ý trên
    r"|^(?:tat ca|ca hai|ca ba|ca bon)\b.*\b(?:deu|dung|sai)\b"  # Tất cả đều đúng, Cả hai đều sai
    r"|^tat ca (?:cac )?(?:phuong an|dap an|y|cau tra loi|lua chon)\b"  # Tất cả các phương án
    r"|\bkhong co\b.*\bnao\b"  # Không có phương án nào đúng
    r"|\b(?:all|none|both|neither)\b.*\b(?:above|these|of them)\b"  # All of the above
)


def option_order(texts: Sequence[str] | int, shuffle: bool, rng: random.Random) -> list[int]:
    """Shown position -> option index; options about the other options stay in place.

    An option naming others by letter ("Cả A và B", "Chỉ ý c đúng") would point at the wrong
    options once they move, so such a question keeps the author's order entirely. Given a count
    instead of texts, every option moves.
    """
    if isinstance(texts, int):
        count, texts = texts, [""] * texts
    else:
        count = len(texts)
    positions = list(range(count))
    if not shuffle or _names_letters(texts):
        return positions
    free = [index for index, text in enumerate(texts) if not _ABOUT_OTHERS.search(_fold(text))]
    moved = list(free)
    rng.shuffle(moved)
    for at, index in zip(free, moved, strict=True):
        positions[at] = index
    return positions


def _names_letters(texts: Sequence[str]) -> bool:
    letters = "ABCDEFGH"[: len(texts)]
    if not letters:
        return False
    alone = re.compile(rf"(?<!\w)[{letters}](?!\w)")
    after_word = re.compile(rf"(?:ý|phương án|đáp án|câu)\s+[{letters}](?!\w)", re.IGNORECASE)
    texts = [unicodedata.normalize("NFC", text) for text in texts]
    return any(alone.search(text) or after_word.search(text) for text in texts)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.casefold().split())
