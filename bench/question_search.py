"""Question bank search at scale: p50/p95/max of the list page's typical searches.

    .venv/bin/python bench/question_search.py [--backend sqlite|postgresql|both]
        [--questions 20000] [--repeats 50] [--pg-url URL]

Each backend gets a fresh, migrated database (a temporary SQLite file; a throwaway PostgreSQL
database `hoithi_bench_<random>`, dropped at the end). The bank is varied from
questions/samples.json and bulk-inserted; each search then runs through the list page's own code
path, `search_page(Filters(...), page, 25)`, in a new session each time as a request would.
Target (issue: search and browse): p95 under 50 ms at 20,000 questions, on both backends.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import platform
import random
import re
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# load_config would otherwise write instance/secret_key; the bench touches nothing of the repo.
os.environ.setdefault("SECRET_KEY", "bench-only-secret")

from sqlalchemy import create_engine, insert, inspect, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from contest import create_app  # noqa: E402
from contest.accounts import service as accounts  # noqa: E402
from contest.accounts.roles import Role  # noqa: E402
from contest.config import normalise_database_url  # noqa: E402
from contest.extensions import db  # noqa: E402
from contest.themes.demo import load_demo_themes  # noqa: E402
from contest.themes.models import Theme  # noqa: E402
from questions import content as question_content  # noqa: E402
from questions.models import (  # noqa: E402
    Level,
    Question,
    QuestionVersion,
    Status,
    Tag,
    question_tag,
    question_theme,
)
from questions.samples import sample_questions  # noqa: E402
from questions.search import Filters, search_page  # noqa: E402
from questions.service import Details, search_text  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PER_PAGE = 25  # questions.routes.PER_PAGE
TARGET_MS = 50.0
WARMUP = 5
BATCH = 2000

STATUSES = [  # 70% approved, the rest spread over the workflow
    (Status.APPROVED, 70),
    (Status.DRAFT, 10),
    (Status.IN_REVIEW, 10),
    (Status.REJECTED, 5),
    (Status.RETIRED, 5),
]
PLACES_IN_SAMPLES = ("Hậu Giang", "Thanh Trì", "Bình Lục", "Lai Châu")
PLACES = (
    "Hậu Giang", "Thanh Trì", "Bình Lục", "Lai Châu", "Kim Bảng", "Thanh Liêm", "Gia Lâm",
    "Đông Anh", "Sóc Trăng", "Vị Thanh", "Long Mỹ", "Phụng Hiệp", "Cái Răng", "Ninh Kiều",
    "Điện Biên", "Sơn La", "Mường Tè", "Tam Đường", "Quảng Trị", "Tuyên Quang", "Bình Phước",
)  # fmt: skip
LEADS = (
    "",
    "",
    "Câu hỏi vòng sơ khảo: ",
    "Câu hỏi vòng chung kết: ",
    "Dành cho đoàn viên, thanh niên: ",
    "Phần thi kiến thức: ",
    "Câu hỏi cấp cơ sở: ",
    "Câu hỏi dành cho cán bộ, công chức cấp xã: ",
)
EXTRA_TAGS = (
    "cấp xã", "cấp huyện", "cấp tỉnh", "vòng sơ khảo", "vòng chung kết", "đoàn thanh niên",
    "hội phụ nữ", "cựu chiến binh", "đề thi 2024", "đề thi 2025", "trắc nghiệm nhanh",
)  # fmt: skip
# A number on its own: not part of a code (05-CT/TW), a date (15/5/2016) or 2.594.
NUMBER = re.compile(r"(?<![\d./\-])\d+(?![\d./\-])")


@dataclass(frozen=True)
class Case:
    name: str
    filters: Filters
    page: int = 1


def cases(theme_id: int) -> list[Case]:
    """The list page's typical searches."""
    return [
        Case("a. accent-free 'chi thi' (2 words)", Filters(text="chi thi")),
        Case("b. three words 'ngay thu bay'", Filters(text="ngay thu bay")),
        Case("c. a word matching nothing", Filters(text="pickleball")),
        Case(
            "d. word + approved + level + type",
            Filters(text="guong", status="approved", level="recall", type="single"),
        ),
        Case("e. filters only (theme)", Filters(theme_id=theme_id)),
        Case("h. a rarer phrase 'tu phe binh'", Filters(text="tu phe binh")),
        Case("i. a short word '05' + 'nhan dan'", Filters(text="05 nhan dan")),
        Case("f. no filter, first page", Filters()),
        Case("g. no filter, page 400", Filters(), page=400),
    ]


# ---- the bank ---------------------------------------------------------------------------------


def _vary_text(value: str, place: str, shift: int) -> str:
    for name in PLACES_IN_SAMPLES:
        value = value.replace(name, place)
    if shift:
        value = NUMBER.sub(lambda m: str(int(m.group()) + shift), value)
    return value


def varied_content(rng: random.Random, sample: dict, samples: list[dict]) -> dict:
    """The sample's content, moved to another place, numbers shifted, a sentence borrowed."""
    content = copy.deepcopy(sample["content"])
    place, shift = rng.choice(PLACES), rng.choice((0, 0, 1, 2, 3, 5, 10))
    for key in ("stem", "explanation", "guidance"):
        if key in content:
            content[key] = _vary_text(content[key], place, shift)
    content["stem"] = rng.choice(LEADS) + content["stem"]
    other = rng.choice(samples)["content"].get("explanation", "")
    borrowed = next(iter(re.split(r"(?<=\.)\s", other)), "")
    content["explanation"] = (content.get("explanation", "") + " " + borrowed).strip()
    for option in content.get("options", []):
        option["text"] = _vary_text(option["text"], place, shift)
    if content["type"] in ("single", "multiple"):
        rng.shuffle(content["options"])
    if content["type"] == "numeric" and shift:
        content["value"] += shift
    if question_content.validate(content):  # a shift made two options equal: keep the original
        content = copy.deepcopy(sample["content"])
    return question_content.normalised(content)


def _pick_status(rng: random.Random) -> Status:
    return rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]


def build_bank(count: int, seed: int) -> dict:
    """Bulk-insert `count` questions (and 1-3 versions each); returns counts and seconds."""
    started = time.perf_counter()
    rng = random.Random(seed)
    samples = sample_questions()
    load_demo_themes()
    authors = [
        accounts.create_user(
            f"bien-tap-{n}", f"Biên tập viên {n}", "bench-password-1", [Role.EDITOR]
        )
        for n in range(1, 7)
    ]
    reviewer = accounts.create_user(
        "duyet-bench", "Người duyệt", "bench-password-1", [Role.REVIEWER]
    )
    db.session.commit()
    themes = {theme.short_name: theme.id for theme in db.session.scalars(select(Theme))}
    tag_names = sorted({t for s in samples for t in s["tags"]} | set(EXTRA_TAGS))
    db.session.execute(insert(Tag), [{"name": name} for name in tag_names])
    tags = {tag.name: tag.id for tag in db.session.scalars(select(Tag))}
    levels = [level.value for level in Level]
    now = datetime.now(UTC)
    totals = {"questions": 0, "versions": 0}
    for first in range(0, count, BATCH):
        plans, questions = [], []
        for _ in range(min(BATCH, count - first)):
            sample = rng.choice(samples)
            revision = rng.choices((1, 2, 3), weights=(75, 18, 7))[0]
            status = _pick_status(rng)
            created = now - timedelta(days=rng.uniform(0, 720))
            updated = created + (now - created) * rng.random()
            approved = {
                Status.APPROVED: revision,
                Status.RETIRED: revision,
                Status.IN_REVIEW: revision - 1 or None,
            }.get(status)
            level = sample["level"] if rng.random() < 0.6 else rng.choice(levels)
            plans.append((sample, revision, level, created, updated))
            questions.append(
                {
                    "status": status.value,
                    "revision": revision,
                    "approved_revision": approved,
                    "author_id": rng.choice(authors).id,
                    "reviewed_by_id": reviewer.id if approved else None,
                    "reviewed_at": updated if approved else None,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        ids = db.session.scalars(
            insert(Question).returning(Question.id, sort_by_parameter_order=True), questions
        ).all()
        versions, links, labels = [], [], []
        for question_id, (sample, revision, level, created, updated) in zip(
            ids, plans, strict=True
        ):
            source = sample["source"]
            details = Details(
                level=level,
                points=sample["points"],
                time_limit_s=sample["time_limit_s"],
                source_document=source["document"],
                source_section=source.get("section") or source["file"],
                source_url=source.get("url", ""),
            )
            for number in range(1, revision + 1):
                content = varied_content(rng, sample, samples)
                versions.append(
                    {
                        "question_id": question_id,
                        "number": number,
                        "type": content["type"],
                        "content": content,
                        "level": details.level,
                        "points": details.points,
                        "time_limit_s": details.time_limit_s,
                        "source_document": details.source_document,
                        "source_section": details.source_section,
                        "source_url": details.source_url,
                        "search_text": search_text(content, details),
                        "created_at": created if number == 1 else updated,
                    }
                )
            names = {themes[name] for name in sample["themes"] if name in themes}
            if rng.random() < 0.1:
                names.add(rng.choice(list(themes.values())))
            links += [{"question_id": question_id, "theme_id": theme_id} for theme_id in names]
            chosen = set(sample["tags"]) | set(rng.sample(EXTRA_TAGS, rng.randint(0, 2)))
            labels += [{"question_id": question_id, "tag_id": tags[name]} for name in chosen]
        db.session.execute(insert(QuestionVersion), versions)
        db.session.execute(insert(question_theme), links)
        db.session.execute(insert(question_tag), labels)
        db.session.commit()
        totals["questions"] += len(ids)
        totals["versions"] += len(versions)
    if db.engine.dialect.name == "postgresql":
        # Autovacuum visits freshly loaded tables within a minute or so: it gathers statistics
        # and moves the GIN index's pending entries into the index. Time what it leaves.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    totals["seconds"] = time.perf_counter() - started
    return totals


# ---- timing -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank: the smallest value with at least `share` of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run_case(case: Case, repeats: int) -> dict:
    def once():
        started = time.perf_counter()
        page = search_page(case.filters, case.page, PER_PAGE)
        elapsed = (time.perf_counter() - started) * 1000
        db.session.remove()  # each request has its own session and identity map
        return elapsed, page

    for _ in range(WARMUP):
        once()
    timings, page = [], None
    for _ in range(repeats):
        elapsed, page = once()
        timings.append(elapsed)
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "max": max(timings),
        "total": page.total,
        "shown": len(page.items),
        "page": page.page,
    }


def bench(url: str, label: str, args) -> bool:
    """Build a bank in the database at `url`, time every case; True when every p95 is on target."""
    from flask_migrate import upgrade

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        upgrade()
        version = db.session.scalar(
            text("SELECT sqlite_version()" if url.startswith("sqlite") else "SHOW server_version")
        )
        bank = build_bank(args.questions, args.seed)
        print(
            f"\n== {label} {version}: {bank['questions']:,} questions, {bank['versions']:,} "
            f"versions, built in {bank['seconds']:.1f} s"
        )
        indexes = [
            index["name"]
            for table in ("question", "question_version")
            for index in inspect(db.engine).get_indexes(table)
        ]
        print("indexes:", ", ".join(sorted(indexes)))
        theme_id = db.session.scalar(select(Theme.id).where(Theme.short_name.like("Kết luận%")))
        print(f"{'case':<38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>7}  page")
        on_target = True
        for case in cases(theme_id):
            result = run_case(case, args.repeats)
            on_target &= result["p95"] < TARGET_MS
            print(
                f"{case.name:<38} {result['p50']:8.1f} {result['p95']:8.1f} {result['max']:8.1f}"
                f" {result['total']:7,}  {result['page']} ({result['shown']} shown)"
            )
        print(f"p95 under {TARGET_MS:.0f} ms in every case: {'yes' if on_target else 'NO'}")
        load = os.getloadavg()[0]
        print(f"load after timing: {load:.2f} (1-minute average; the bench itself adds about 1)")
        db.engine.dispose()
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


def bench_sqlite(args) -> bool:
    with tempfile.TemporaryDirectory(prefix="hoithi_bench_") as folder:
        return bench(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite", args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--seed", type=int, default=2026, help="the bank is the same for a seed")
    args = parser.parse_args(argv)

    print("command:", shlex.join(getattr(sys, "orig_argv", sys.argv)))
    print("date:   ", datetime.now().astimezone().isoformat(timespec="seconds"))
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}, SQLite library {sqlite3.sqlite_version}"
    )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load:    {load} (1, 5, 15 min averages, before the run)")
    print(
        f"timing:  {args.repeats} runs per case after {WARMUP} warm-up runs; p95 is nearest-rank;"
        f" {PER_PAGE} per page"
    )
    results = []
    if args.backend in ("sqlite", "both"):
        results.append(bench_sqlite(args))
    if args.backend in ("postgresql", "both"):
        results.append(bench_postgresql(args.pg_url, args))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
