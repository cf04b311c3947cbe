"""Check the sample question bank (questions/samples.json) against its sources.

    .venv/bin/python tools/check_samples.py [SHARED_DIR]

SHARED_DIR is the folder holding domain/facts.md and seeds/; by default the `shared` folder
beside the repository. Every question's `quote` must occur verbatim in its source (runs of
whitespace collapsed): a seed file ("seeds/003_....txt") or rows of the facts file
("facts.md F5", or "facts.md F1, F3, F5" for a question built on several rows). A quote that
joins excerpts with " … " is read as excerpts with text left out between them: each must occur,
in that order, and for the facts file each listed row must be quoted. Keys must be unique,
themes must be short names of contest/themes/demo.py's DEMO_THEMES, and the content must have
the shape of docs/question-content.md (and pass questions.content.validate when it imports).

Prints a summary and every failure; exits with status 1 on any failure.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "questions" / "samples.json"
THEMES_MODULE = REPO / "contest" / "themes" / "demo.py"

GAP = " … "
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FACTS_SOURCE = re.compile(r"facts\.md (F\d+(?:, F\d+)*)")
FACT_ROW = re.compile(r"^\| (F\d+) \|", re.M)
SEED_SOURCE = re.compile(r"seeds/[\w.-]+\.txt")

TYPES = ("single", "multiple", "true_false", "short_text", "numeric", "ordering", "open")
LEVELS = ("recall", "understanding", "application", "advanced_application")
POINTS = {"recall": 10, "understanding": 20, "application": 20, "advanced_application": 30}


def collapse(text: str) -> str:
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case without diacritics, as a short answer typed without them would be read."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    return collapse("".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold())


def demo_short_names(path: Path) -> set[str]:
    """Short names of DEMO_THEMES, read from the module's source without importing the app."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "DEMO_THEMES" for t in targets):
            return {
                ast.literal_eval(value)
                for theme in node.value.elts
                for key, value in zip(theme.keys, theme.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == "short_name"
            }
    raise SystemExit(f"{path}: no DEMO_THEMES")


class Sources:
    """The texts quotes are checked against, read once."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        facts = (shared / "domain" / "facts.md").read_text(encoding="utf-8")
        self.fact_rows = {
            match.group(1): collapse(facts[match.start() : facts.find("\n", match.start())])
            for match in FACT_ROW.finditer(facts)
        }
        self.seeds: dict[str, str] = {}

    def texts(self, file: str) -> list[tuple[str, str]] | str:
        """(label, text) pairs in file order, or the reason the source cannot be read."""
        if match := FACTS_SOURCE.fullmatch(file):
            wanted = match.group(1).split(", ")
            missing = [row for row in wanted if row not in self.fact_rows]
            if missing:
                return f"facts.md has no row {', '.join(missing)}"
            return [(row, text) for row, text in self.fact_rows.items() if row in wanted]
        if SEED_SOURCE.fullmatch(file):
            if file not in self.seeds:
                path = self.shared / file
                if not path.is_file():
                    return f"no file {path}"
                self.seeds[file] = collapse(path.read_text(encoding="utf-8"))
            return [(file, self.seeds[file])]
        return "source file must be 'facts.md Fn[, Fn…]' or 'seeds/<name>.txt'"


def quote_failure(quote: str, file: str, sources: Sources) -> str | None:
    texts = sources.texts(file)
    if isinstance(texts, str):
        return texts
    quote = collapse(quote)
    if not quote:
        return "empty quote"
    whole = " ".join(text for _, text in texts)
    if quote in whole and len(texts) == 1:
        return None
    used, position = set(), 0
    for part in quote.split(GAP):
        part = part.strip()
        found = whole.find(part, position)
        if not part or found < 0:
            return f"not found in {file} (in order): {part[:90]!r}"
        position = found + len(part)
        start = 0
        for label, text in texts:
            if start <= found < start + len(text):
                used.add(label)
            start += len(text) + 1
    unused = [label for label, _ in texts if label not in used]
    if unused:
        return f"source lists {', '.join(unused)} but the quote does not use it"
    return None


def numeric_forms(value: float) -> set[str]:
    """'2594' -> {'2594', '2.594'}; 99.7 -> {'99,7', '99.7'}."""
    if float(value).is_integer():
        whole = int(value)
        return {str(whole), f"{whole:,}".replace(",", ".")}
    text = repr(float(value))
    return {text, text.replace(".", ",")}


def content_failures(content: object) -> list[str]:
    """Shape problems against docs/question-content.md, plus the sample bank's own rules."""
    if not isinstance(content, dict):
        return ["content is not an object"]
    problems = []
    kind = content.get("type")
    if kind not in TYPES:
        return [f"unknown type {kind!r}"]
    if not isinstance(content.get("stem"), str) or not content["stem"].strip():
        problems.append("empty stem")
    if not isinstance(content.get("explanation"), str) or not content["explanation"].strip():
        problems.append("sample questions need an explanation")
    if kind in ("single", "multiple"):
        options = content.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= 8:
            return [*problems, "options must be a list of 2–8"]
        if not all(isinstance(option, dict) for option in options):
            return [*problems, "every option must be an object"]
        texts = [option.get("text") for option in options]
        if not all(isinstance(t, str) and t.strip() for t in texts):
            problems.append("every option needs a text")
        elif len({collapse(t) for t in texts}) != len(texts):
            problems.append("two options have the same text")
        correct = [option for option in options if option.get("correct") is True]
        if any(not isinstance(option.get("correct"), bool) for option in options):
            problems.append("every option needs correct: true/false")
        if kind == "single" and len(correct) != 1:
            problems.append(f"single needs exactly one correct option, has {len(correct)}")
        if kind == "multiple":
            if not correct:
                problems.append("multiple needs at least one correct option")
            if content.get("scoring", "all_or_nothing") not in ("all_or_nothing", "partial"):
                problems.append(f"unknown scoring {content.get('scoring')!r}")
            for option in options:
                weight = option.get("weight", 0)
                if isinstance(weight, bool) or not isinstance(weight, int | float):
                    problems.append("weight must be a number")
                elif not -100 <= weight <= 100:
                    problems.append("weight must be between -100 and 100")
    elif kind == "true_false":
        if not isinstance(content.get("answer"), bool):
            problems.append("true_false needs answer: true/false")
    elif kind == "short_text":
        accepted = content.get("accepted")
        if not isinstance(accepted, list) or not accepted:
            problems.append("short_text needs accepted answers")
        elif not all(isinstance(a, str) and a.strip() for a in accepted):
            problems.append("accepted answers must be non-empty text")
        if not isinstance(content.get("ignore_diacritics", False), bool):
            problems.append("ignore_diacritics must be true/false")
    elif kind == "numeric":
        value, tolerance = content.get("value"), content.get("tolerance", 0)
        for name, number in (("value", value), ("tolerance", tolerance)):
            if isinstance(number, bool) or not isinstance(number, int | float):
                problems.append(f"numeric needs a number {name}")
        if isinstance(tolerance, int | float) and tolerance < 0:
            problems.append("tolerance must be ≥ 0")
        if not isinstance(content.get("unit", ""), str):
            problems.append("unit must be text")
    elif kind == "ordering":
        items = content.get("items")
        if not isinstance(items, list) or not 2 <= len(items) <= 8:
            problems.append("ordering needs 2–8 items")
        elif not all(isinstance(i, str) and i.strip() for i in items) or len(set(items)) != len(
            items
        ):
            problems.append("ordering items must be distinct non-empty texts")
    elif kind == "open" and not isinstance(content.get("guidance", ""), str):
        problems.append("guidance must be text")
    return problems


def answer_failure(content: dict, quote: str) -> str | None:
    """The quote must at least contain a numeric answer or one accepted short answer."""
    is_number = content.get("type") == "numeric" and isinstance(content.get("value"), int | float)
    if is_number and not any(form in quote for form in numeric_forms(content["value"])):
        return f"the quote does not contain the value {content['value']}"
    if content.get("type") == "short_text" and isinstance(content.get("accepted"), list):
        plain = fold if content.get("ignore_diacritics") else str.casefold
        if not any(plain(a) in plain(collapse(quote)) for a in content["accepted"]):
            return "the quote contains none of the accepted answers"
    return None


def question_failures(question: object, themes: set[str], sources: Sources) -> list[str]:
    if not isinstance(question, dict):
        return ["not an object"]
    problems = content_failures(question.get("content"))
    key = question.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        problems.append("key must be a lower-case ASCII slug")
    chosen = question.get("themes")
    if not isinstance(chosen, list) or not chosen:
        problems.append("at least one theme")
    else:
        problems += [f"unknown theme {name!r}" for name in chosen if name not in themes]
    tags = question.get("tags", [])
    if not isinstance(tags, list) or len(tags) > 3:
        problems.append("0–3 tags")
    elif any(not isinstance(tag, str) or not tag or tag != tag.lower() for tag in tags):
        problems.append("tags are lower-case text")
    level = question.get("level")
    if level not in LEVELS:
        problems.append(f"unknown level {level!r}")
    elif question.get("points") != POINTS[level]:
        problems.append(f"{level} questions are worth {POINTS[level]} points")
    limit = question.get("time_limit_s")
    is_open = isinstance(question.get("content"), dict) and question["content"]["type"] == "open"
    low, high = (120, 300) if is_open else (20, 60)
    if isinstance(limit, bool) or not isinstance(limit, int) or not low <= limit <= high:
        problems.append(f"time_limit_s must be {low}–{high}")
    source, quote = question.get("source"), question.get("quote")
    if not isinstance(source, dict) or not isinstance(source.get("file"), str):
        return [*problems, "source.file missing"]
    if not isinstance(source.get("document"), str) or not source["document"].strip():
        problems.append("source.document missing")
    for field in ("section", "url"):
        if not isinstance(source.get(field, ""), str):
            problems.append(f"source.{field} must be text")
    if not isinstance(quote, str):
        return [*problems, "quote missing"]
    if failure := quote_failure(quote, source["file"], sources):
        problems.append(f"quote: {failure}")
    elif not content_failures(question.get("content")) and (
        failure := answer_failure(question["content"], quote)
    ):
        problems.append(failure)
    return problems


def app_validator():
    """questions.content.validate, so the bank also meets the app's own rules; None without it."""
    sys.path.insert(0, str(REPO))
    try:
        from questions.content import validate
    except ImportError as error:
        print(f"note: questions.content not importable ({error}); app validation skipped")
        return None
    return validate


def source_group(file: str) -> str:
    return "facts.md" if file.startswith("facts.md") else file


def print_counts(title: str, counter: Counter) -> None:
    print(f"\n{title}:")
    for name, count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:4d}  {name}")


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared"
    if not (shared / "domain" / "facts.md").is_file():
        print(f"{shared}: no domain/facts.md (pass the shared folder as the first argument)")
        return 1
    sources = Sources(shared)
    themes = demo_short_names(THEMES_MODULE)
    raw = SAMPLES.read_text(encoding="utf-8")
    questions = json.loads(raw)
    failures = []
    if not isinstance(questions, list):
        print(f"{SAMPLES}: not a JSON array")
        return 1
    if raw != json.dumps(questions, ensure_ascii=False, indent=2) + "\n":
        failures.append(("(file)", "not pretty-printed with indent 2 and ensure_ascii=False"))
    keys = Counter(q.get("key") for q in questions if isinstance(q, dict))
    failures += [(key, f"key used {n} times") for key, n in keys.items() if n > 1]
    validate = app_validator()
    for number, question in enumerate(questions, start=1):
        label = question.get("key") if isinstance(question, dict) else None
        for problem in question_failures(question, themes, sources):
            failures.append((label or f"#{number}", problem))
        if validate and isinstance(question, dict):
            for issue in validate(question.get("content")):
                failures.append((label or f"#{number}", f"app: {issue.field}: {issue.code}"))

    valid = [q for q in questions if isinstance(q, dict) and isinstance(q.get("content"), dict)]
    files = [q["source"].get("file", "?") for q in valid if isinstance(q.get("source"), dict)]
    rows = Counter(
        row for file in files if file.startswith("facts.md") for row in file[9:].split(", ")
    )
    print(f"{SAMPLES}: {len(questions)} questions")
    print_counts("By type", Counter(q["content"].get("type") for q in valid))
    print_counts("By level", Counter(q.get("level") for q in valid))
    print_counts("By theme", Counter(t for q in valid for t in q.get("themes") or []))
    print_counts("By source", Counter(source_group(file) for file in files))
    print_counts("Facts rows used (a question may use several)", rows)

    print()
    for label, problem in failures:
        print(f"FAIL {label}: {problem}")
    print(f"{len(failures)} failure(s)" if failures else "OK: no failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
