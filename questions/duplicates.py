"""Near-duplicate questions: stems that say almost the same thing, however typed.

Stems are compared after `normalised_stem`: Markdown reduced to its words, accents, case and
punctuation dropped. The pure part (`normalised_stem`, `similar`, `clusters`) knows nothing of
Flask or the database; the functions after it read the bank's current versions.

Scorer: `fuzz.token_sort_ratio`, not `fuzz.ratio`. Vietnamese rephrases a question most often by
turning it between active and passive voice ("Bộ Chính trị ban hành Chỉ thị 05 vào ngày nào?" /
"Chỉ thị 05 được Bộ Chính trị ban hành vào ngày nào?"): the same words in another order, which
`ratio` scores about 64 and `token_sort_ratio` about 95. The price, measured on the 102 sample
questions: one more pair of different questions above 90 (long shared "Theo bài viết …" lead-ins,
which `ratio` flags too). A flag is only a link for a person to follow, so a missed duplicate
(the same question twice in a contest) costs more than a false alarm.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

import numpy as np
from flask import current_app
from rapidfuzz import fuzz, process
from sqlalchemy import select

from contest.extensions import db
from contest.text import fold
from questions.markdown import may_have_markup, plain_text
from questions.models import Question, QuestionVersion, Status
from questions.search import current_versions

DEFAULT_THRESHOLD = 90.0
SCORER = fuzz.token_sort_ratio
# Rows of stems compared at a time: with 20,000 stems a block's bound matrix is 80 MB of float32.
_BLOCK = 1_000
_NOT_A_WORD = re.compile(r"[\W_]+")


def normalised_stem(stem: str) -> str:
    """'**Chỉ thị** 05-CT/TW ban hành ngày nào?' -> 'chi thi 05 ct tw ban hanh ngay nao'."""
    text = plain_text(stem) if may_have_markup(stem) else stem
    # Punctuation becomes a space, not nothing: "05-CT/TW" and "05 CT TW" must stay equal.
    return " ".join(_NOT_A_WORD.sub(" ", fold(text)).split())


def similar(
    target: str, candidates: Mapping[int, str], threshold: float
) -> list[tuple[int, float]]:
    """(id, score) of the candidates scoring at least `threshold` against `target`, best first.

    Both sides are stems as `normalised_stem` returns them. An empty stem (a question that is
    only a picture) matches nothing: equal emptiness is no evidence of a duplicate.
    """
    if not target:
        return []
    choices = {key: stem for key, stem in candidates.items() if stem}
    found = process.extract(target, choices, scorer=SCORER, score_cutoff=threshold, limit=None)
    return sorted(((key, score) for _stem, score, key in found), key=lambda hit: (-hit[1], hit[0]))


def score(a: str, b: str) -> float:
    """How alike two normalised stems are, 0-100, by the same measure as `similar`."""
    return SCORER(a, b) if a and b else 0.0


def clusters(stems: Mapping[int, str], threshold: float) -> list[list[int]]:
    """Groups of two or more ids linked by pairs scoring at least `threshold`, transitively.

    `stems` are normalised; `threshold` is above 0. A~B and B~C put A, B and C in one group even
    if A and C score lower: the report is for clean-up, and a chain of small rewordings is one
    question written several times.
    """
    # Equal stems are grouped by a dict first: a bank with 5,000 copies of "Đúng hay sai?" would
    # otherwise give 12 million pairs to the union-find below.
    ids_by_stem: dict[str, list[int]] = {}
    for key, stem in stems.items():
        if stem:
            ids_by_stem.setdefault(stem, []).append(key)
    distinct = list(ids_by_stem)
    parent = list(range(len(distinct)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # token_sort_ratio is ratio over the words in sorted order: sorting once here, not in every
    # comparison, makes the scoring twelve times faster.
    for i, j in _linked_pairs([" ".join(sorted(stem.split())) for stem in distinct], threshold):
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    groups: dict[int, list[int]] = {}
    for index, stem in enumerate(distinct):
        groups.setdefault(root(index), []).extend(ids_by_stem[stem])
    found = [sorted(group) for group in groups.values() if len(group) >= 2]
    return sorted(found, key=lambda group: group[0])


def _linked_pairs(words: list[str], threshold: float) -> Iterator[tuple[int, int]]:
    """Index pairs (i, j) of `words` whose `fuzz.ratio` is at least `threshold`.

    Scoring every pair is n²/2 comparisons: for 20,000 stems of ~200 characters, about 140 s on
    two cores even with cdist on all of them. Two exact bounds leave almost nothing to score:
    ratio = 200·LCS / (len_a + len_b), and LCS is at most
    - the shorter length, so with the stems sorted by length a block only meets the next few
      thousand (at 90, those at most 22% longer);
    - the characters the two have in common, counted with repeats. Written in unary (a column
      per character and count: "has at least k letters a") that is one float32 matrix product.
    At 90 that leaves ~0.5% of pairs to score exactly (cpdist); where the bound passes most pairs
    (thresholds near 50) the block is scored whole with cdist instead. Uint8 scores and all
    cores throughout; the cut-off applies to the exact score before it is rounded to uint8.
    """
    order = sorted(range(len(words)), key=lambda i: len(words[i]))
    ordered = np.array([words[i] for i in order], dtype=object)
    lengths = np.array([len(word) for word in ordered], dtype=np.float32)
    counts = _character_counts(ordered)
    share = threshold / 200
    stretch = (200 - threshold) / max(threshold, 1e-9)
    reach = np.searchsorted(lengths, lengths * stretch + 0.5, side="right")
    for start in range(0, len(ordered), _BLOCK):
        stop = min(start + _BLOCK, len(ordered))
        end = int(reach[stop - 1])
        unary = _unary(counts[start:end])
        room = unary[: stop - start] @ unary.T  # characters in common, per pair
        room -= share * lengths[start:stop, None]
        room -= share * lengths[None, start:end]
        room[np.tril_indices(stop - start)] = -1  # each pair once, never a stem with itself
        maybe = room >= -0.01  # float slack may let a pair through, never drop one
        if np.count_nonzero(maybe) > maybe.size // 4:
            scores = process.cdist(
                ordered[start:stop],
                ordered[start:end],
                scorer=fuzz.ratio,
                score_cutoff=threshold,
                dtype=np.uint8,
                workers=-1,
            )
            rows, columns = np.nonzero(scores * maybe)
        else:
            rows, columns = np.nonzero(maybe)
            if not rows.size:
                continue
            scores = process.cpdist(
                ordered[start + rows],
                ordered[start + columns],
                scorer=fuzz.ratio,
                score_cutoff=threshold,
                dtype=np.uint8,
                workers=-1,
            )
            rows, columns = rows[scores > 0], columns[scores > 0]
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            yield order[start + row], order[start + column]


def _character_counts(words) -> np.ndarray:
    alphabet = {char: k for k, char in enumerate(sorted({char for word in words for char in word}))}
    counts = np.zeros((len(words), len(alphabet)), dtype=np.int32)
    for row, word in enumerate(words):
        for char, count in Counter(word).items():
            counts[row, alphabet[char]] = count
    return counts


def _unary(counts: np.ndarray) -> np.ndarray:
    """Column (c, k) is 1 where a word has at least k of character c: dot products are Σ min."""
    top = counts.max(axis=0, initial=0)
    characters = np.repeat(np.arange(counts.shape[1]), top)
    levels = np.concatenate([np.arange(1, n + 1) for n in top] or [np.zeros(0, dtype=int)])
    return (counts[:, characters] >= levels).astype(np.float32)


# The bank: what the functions above are given from the database.


def threshold_setting() -> float:
    """The configured threshold (QUESTIONS_DUPLICATE_THRESHOLD), 90 when it is not set."""
    return float(current_app.config.get("QUESTIONS_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD))


def _threshold(threshold: float | None) -> float:
    return threshold_setting() if threshold is None else float(threshold)


def current_stems(exclude_retired: bool = True) -> dict[int, str]:
    """Question id -> normalised stem of its current version, in one query."""
    query = current_versions().with_only_columns(Question.id, QuestionVersion.content)
    if exclude_retired:
        query = query.where(Question.status != Status.RETIRED.value)
    rows = db.session.execute(query)
    return {key: normalised_stem(content.get("stem", "")) for key, content in rows}


def _questions(ids) -> dict[int, Question]:
    return {
        question.id: question
        for question in db.session.scalars(select(Question).where(Question.id.in_(ids)))
    }


def near_duplicates_of(
    question_id: int, stem: str, threshold: float | None = None
) -> list[tuple[Question, float]]:
    """Other questions, not retired, whose stem is near `stem`, best first, with their score.

    Call it after saving question `question_id` with `stem` (its raw Markdown) to flag the
    questions it may repeat; pass `question_id=0` for a stem not saved yet (an import).
    """
    candidates = current_stems()
    candidates.pop(question_id, None)
    hits = similar(normalised_stem(stem), candidates, _threshold(threshold))
    questions = _questions([key for key, _score in hits])
    return [(questions[key], found) for key, found in hits]


def duplicate_clusters(threshold: float | None = None) -> list[list[Question]]:
    """Groups of near-identical questions across the bank (retired ones left out)."""
    groups = clusters(current_stems(), _threshold(threshold))
    questions = _questions([key for group in groups for key in group])
    return [[questions[key] for key in group] for group in groups]


def scored_against_first(group: list[Question]) -> list[tuple[Question, float | None]]:
    """A group's questions, each with its score against the first (None for the first)."""
    stems = [normalised_stem(question.current.content.get("stem", "")) for question in group]
    return [
        (question, None if index == 0 else score(stems[0], stem))
        for index, (question, stem) in enumerate(zip(group, stems, strict=True))
    ]
