"""A round's leaderboard at national size: first page, "find my rank" and the unit roll-up.

    .venv/bin/python bench/leaderboard.py [--entries 100000 1000000] [--repeats 200]
        [--units 63x8x10] [--pg-url URL] [--keep] [--compare-python]

For each size, a throwaway PostgreSQL database (`hoithi_bench_lb_<random>`, dropped at the end
unless --keep) is migrated and filled in SQL (generate_series): a unit tree (63 provinces × 8
districts × 10 communes by default), one participant per entry spread over the communes, one
submitted attempt each and a second one for every tenth person, scores in steps of 10 so that
many people tie. Then:

- `build`: online/boards.py ranks the round in one SQL statement and stores the snapshot;
- `first page`: boards.top(round, 100), what the public page reads (and `page`: the whole
  public page through Flask's test client: snapshot, names, unit table, template);
- `my rank`: boards.find(round, participant) for random people;
- `unit roll-up`: the unit table at the top level from the snapshot's tallies (tree included);
- with --compare-python, the ranking the board used before the snapshot
  (standings.round_ranking: every entry loaded and ranked in Python), timed once.

Each read runs in a new session, as a request would. Targets (issue: scale-out): first page
under 50 ms, my rank under 20 ms, unit roll-up under 500 ms, at 100,000 and 1,000,000 entries.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shlex
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("SECRET_KEY", "bench-only-secret")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from contest import create_app  # noqa: E402
from contest.config import normalise_database_url  # noqa: E402
from contest.extensions import db  # noqa: E402
from online import boards, standings  # noqa: E402
from online.models import Round  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def figures(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms   "
        f"p99 {percentile(values, 0.99):7.1f} ms   max {max(values):7.1f} ms"
    )


def timed(work, repeats: int) -> list[float]:
    values = []
    for index in range(repeats):
        db.session.remove()  # a new session each time, as a request has
        started = time.perf_counter()
        work(index)
        values.append((time.perf_counter() - started) * 1000)
    db.session.remove()
    return values


# ---- the data ------------------------------------------------------------------------------------

SEED_SQL = """
INSERT INTO unit (code, name, kind, parent_id, headcount, search_text, created_at, updated_at)
SELECT 'P' || p, 'Tỉnh ' || p, 'Tỉnh', NULL, NULL, '', now(), now()
FROM generate_series(1, :provinces) p;

INSERT INTO unit (code, name, kind, parent_id, headcount, search_text, created_at, updated_at)
SELECT 'P' || p || 'D' || d, 'Huyện ' || d || ' tỉnh ' || p, 'Huyện',
       (SELECT id FROM unit WHERE code = 'P' || p), NULL, '', now(), now()
FROM generate_series(1, :provinces) p, generate_series(1, :districts) d;

INSERT INTO unit (code, name, kind, parent_id, headcount, search_text, created_at, updated_at)
SELECT u.code || 'C' || c, 'Xã ' || c || ' ' || u.name, 'Xã', u.id, 200 + (u.id * 7 + c) % 300,
       '', now(), now()
FROM unit u, generate_series(1, :communes) c
WHERE u.kind = 'Huyện';

INSERT INTO online_participant (contest_id, token, full_name, gender, phone, email,
    national_id_last4, unit_id, custom, is_staff, created_at)
SELECT :contest, 'bench-p' || i, 'Người dự thi ' || i, '', '09' || lpad(i::text, 8, '0'), '',
       '', communes.ids[1 + i % array_length(communes.ids, 1)], '{}', i % 500 = 3, now()
FROM generate_series(1, :entries) i,
     (SELECT array_agg(id ORDER BY id) AS ids FROM unit WHERE kind = 'Xã') communes;

INSERT INTO online_attempt (round_id, participant_id, number, token, seed, started_at, deadline,
    submitted_at, finalised_by, score, max_score, correct, prediction, time_taken_ms)
SELECT :round, p.id, n, 'bench-a' || p.id || '-' || n, 0,
       :opens + make_interval(secs => (p.id::bigint * 37 + n * 11) % 500000),
       :opens + make_interval(secs => (p.id::bigint * 37 + n * 11) % 500000 + 600),
       :opens + make_interval(secs => (p.id::bigint * 37 + n * 11) % 500000)
              + make_interval(secs => ((p.id::bigint * 7919 + n) % 600000) / 1000.0),
       'participant',
       10 * ((p.id::bigint * 31 + n * 17) % 11), 100, (p.id::bigint * 31 + n * 17) % 11,
       CASE WHEN p.id % 9 = 0 THEN NULL ELSE 40000 + (p.id::bigint * 104729) % 40000 END,
       (p.id::bigint * 7919 + n) % 600000
FROM online_participant p, generate_series(1, 2) n
WHERE p.contest_id = :contest AND (n = 1 OR p.id % 10 = 0);
"""


def seed(entries: int, shape: tuple[int, int, int]) -> int:
    """The contest, its round and every row; returns the round's id."""
    contest_id = db.session.execute(
        text(
            "INSERT INTO online_contest (slug, title, description, rules, standings, fields,"
            " published, created_at) VALUES ('toan-quoc', 'Cuộc thi toàn quốc', '', '', 'sum',"
            " '{}', true, now()) RETURNING id"
        )
    ).scalar_one()
    round_ = Round(
        contest_id=contest_id,
        number=1,
        title="Tuần 1",
        opens_at=NOW - timedelta(days=7),
        closes_at=NOW + timedelta(days=1),
        draw={"question_ids": []},
        prediction="attempts",
        counted="best",
    )
    db.session.add(round_)
    db.session.flush()
    provinces, districts, communes = shape
    for statement in SEED_SQL.split(";\n"):
        if statement.strip():
            db.session.execute(
                text(statement),
                {
                    "provinces": provinces,
                    "districts": districts,
                    "communes": communes,
                    "contest": contest_id,
                    "round": round_.id,
                    "entries": entries,
                    "opens": round_.opens_at,
                },
            )
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return round_.id


# ---- one size ------------------------------------------------------------------------------------


def run_size(base_url: str, entries: int, args) -> None:
    name = f"hoithi_bench_lb_{uuid.uuid4().hex[:10]}"
    server = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
            "ONLINE_BOARD_REFRESH_S": 30,
            "ONLINE_FINALISER": False,
        }
    )
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            started = time.perf_counter()
            round_id = seed(entries, args.shape)
            print(f"\n== {entries:,} entries: seeded in {time.perf_counter() - started:.1f} s")
            attempts = db.session.scalar(text("SELECT count(*) FROM online_attempt"))
            units = db.session.scalar(text("SELECT count(*) FROM unit"))
            print(f"   {attempts:,} submitted attempts, {units:,} units")

            builds = []
            for _ in range(args.builds):
                round_ = db.session.get(Round, round_id)
                started = time.perf_counter()
                assert boards.build(round_, NOW + timedelta(seconds=len(builds)))
                builds.append((time.perf_counter() - started) * 1000)
                db.session.remove()
            print(f"   build (rank in SQL, store snapshot): {figures(builds)}")

            first = timed(lambda _i: boards.top(round_id, 100), args.repeats)
            print(f"   first page (100 lines):              {figures(first)}")

            rng = random.Random(7)
            people = db.session.scalars(
                text("SELECT id FROM online_participant ORDER BY random() LIMIT :n"),
                {"n": args.repeats},
            ).all()
            mine = timed(lambda i: boards.find(round_id, people[i % len(people)]), args.repeats)
            print(f"   my rank:                             {figures(mine)}")

            def rollup(_i):
                tree = standings.tree()
                return boards.unit_rows(round_id, tree, set(), 1)

            units_ms = timed(rollup, max(20, args.repeats // 5))
            print(f"   unit roll-up (depth 1, tree loaded): {figures(units_ms)}")

            client = app.test_client()
            person = db.session.scalar(
                text("SELECT token FROM online_participant WHERE id = :id"),
                {"id": rng.choice(people)},
            )
            address = f"/cuoc-thi/toan-quoc/vong/1/xep-hang?t={person}"

            def page(_i):
                response = client.get(address)
                assert response.status_code == 200, response.status_code

            pages = timed(page, max(20, args.repeats // 5))
            print(f"   whole public page (find my rank):    {figures(pages)}")

            if args.compare_python:
                round_ = db.session.get(Round, round_id)
                started = time.perf_counter()
                result = standings.round_ranking(round_)
                took = (time.perf_counter() - started) * 1000
                print(
                    f"   before: standings.round_ranking (all {len(result.ranked):,} entries"
                    f" in Python): {took:,.0f} ms"
                )
            size = db.session.scalar(text("SELECT pg_total_relation_size('online_round_rank')"))
            print(f"   snapshot table on disk: {size / 1024 / 1024:.0f} MiB")
            db.session.remove()
            db.engine.dispose()
    finally:
        if args.keep:
            print(f"   kept database {name}")
        else:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--units", default="63x8x10", help="provinces x districts x communes")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--compare-python", action="store_true")
    args = parser.parse_args()
    args.shape = tuple(int(part) for part in args.units.split("x"))
    base = normalise_database_url(args.pg_url)
    print("command: .venv/bin/python " + shlex.join(["bench/leaderboard.py", *sys.argv[1:]]))
    print(
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores, "
        f"{platform.platform()}, Python {platform.python_version()}; PostgreSQL on the same machine"
    )
    with create_engine(base).connect() as conn:
        print("server:", conn.execute(text("SHOW server_version")).scalar_one())
    for entries in args.entries:
        run_size(base, entries, args)


if __name__ == "__main__":
    main()
