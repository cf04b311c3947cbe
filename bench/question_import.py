"""Importing a 10,000-question file: seconds to read, check and write it, per format and database.

    .venv/bin/python bench/question_import.py [--backend sqlite|postgresql|both]
        [--questions 10000] [--formats xlsx,gift,json] [--pg-url URL]

For each backend a fresh, migrated database holds the demo themes and the 102 sample questions.
For each format a file of N questions is written with the format's own writer (questions varied
from the samples, so the near-duplicate check has real work), then imported the way the web page
and the CLI do it: `imports.prepare` (read, validate, check against the bank, flag duplicates) and
`imports.write` plus commit. Each import is rolled back out of the database before the next
format, so every format meets the same bank. Target (issue: import and export): under 10 s for
10,000 questions on this machine, end to end.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("SECRET_KEY", "bench-only-secret")

from question_search import varied_content  # noqa: E402
from sqlalchemy import create_engine, delete, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from contest import create_app  # noqa: E402
from contest.config import normalise_database_url  # noqa: E402
from contest.extensions import db  # noqa: E402
from contest.themes.demo import load_demo_themes  # noqa: E402
from questions import imports  # noqa: E402
from questions.formats import QuestionRecord, write  # noqa: E402
from questions.models import Question  # noqa: E402
from questions.samples import load_sample_bank, sample_questions  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_S = 10.0
EXTENSION = {"xlsx": "xlsx", "csv": "csv", "gift": "gift", "json": "json", "moodle_xml": "xml"}


def records(count: int, seed: int) -> list[QuestionRecord]:
    rng = random.Random(seed)
    samples = sample_questions()
    made = []
    for number in range(count):
        sample = samples[number % len(samples)]
        made.append(
            QuestionRecord(
                content=varied_content(rng, sample, samples),
                level=sample["level"],
                points=sample["points"],
                time_limit_s=sample["time_limit_s"],
                themes=list(sample["themes"]),
                tags=list(sample["tags"]) + [f"đợt {number % 7 + 1}"],
                source_document=sample["source"]["document"],
                source_section=sample["source"].get("section", ""),
            )
        )
    return made


def bench(url: str, label: str, args) -> bool:
    from flask_migrate import upgrade

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    on_target = True
    with app.app_context(), app.test_request_context():
        upgrade()
        load_demo_themes()
        load_sample_bank()
        db.session.commit()
        bank = db.session.scalar(select(func.count()).select_from(Question))
        print(f"\n== {label}: bank of {bank} questions; files of {args.questions:,} questions")
        print(
            f"{'format':<8} {'size MB':>8} {'prepare s':>10} {'write s':>8} {'total s':>8}  result"
        )
        made = records(args.questions, args.seed)
        for name in args.formats.split(","):
            exported = write(made, name)
            data = exported.data
            # GIFT has no ordering questions: the writer leaves them out (and says so).
            expected = args.questions - len(exported.skipped)
            started = time.perf_counter()
            prepared = imports.prepare(data, f"bench.{EXTENSION[name]}", name)
            checked = time.perf_counter()
            problems = sum(len(item["issues"]) for item in prepared["items"]) + len(
                prepared["issues"]
            )
            written = imports.write(prepared["items"], None, imports.CommitOptions())
            db.session.commit()
            done = time.perf_counter()
            total = done - started
            on_target &= total < TARGET_S and problems == 0 and written == expected
            print(
                f"{name:<8} {len(data) / 1e6:8.1f} {checked - started:10.2f} "
                f"{done - checked:8.2f} {total:8.2f}  {written:,} of {expected:,} written, "
                f"{problems} problems"
            )
            # Back to the same bank for the next format.
            db.session.execute(delete(Question).where(Question.key.is_(None)))
            db.session.commit()
        db.engine.dispose()
    print(f"under {TARGET_S:.0f} s for every format: {'yes' if on_target else 'NO'}")
    return on_target


def bench_postgresql(base: str, args) -> bool:
    base = normalise_database_url(base)
    name = f"hoithi_bench_{uuid.uuid4().hex[:12]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        return bench(url, "PostgreSQL", args)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--questions", type=int, default=10000)
    parser.add_argument("--formats", default="xlsx,csv,gift,json")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    print("command:", " ".join(["bench/question_import.py", *(argv or sys.argv[1:])]))
    python = platform.python_version()
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {python}")
    print(f"load:    {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="hoithi_bench_") as folder:
            ok &= bench(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite", args)
    if args.backend in ("postgresql", "both"):
        ok &= bench_postgresql(args.pg_url, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
