"""Taking an online round under load: K participants start, save 20 answers and submit at once.

    .venv/bin/python bench/online_round.py [--backend sqlite|postgresql|both]
        [--participants 200,1000] [--rates max,330] [--prerecord-uses] [--keep DIR]
        [--workers 1] [--server-env NAME=VALUE ...] [--pg-url URL] [--seed 2026]

Each backend gets a fresh, migrated database (a temporary SQLite file; a throwaway PostgreSQL
database `hoithi_bench_<random>`, dropped at the end) with the demo themes and the sample bank.
Each run adds an online contest, an open round drawing 20 approved questions (rows by theme and
level) and K participants, then starts a real server the way the Procfile does — gunicorn, one
gevent worker — and a load generator in a separate gevent process (this file with --client:
http.client, one keep-alive connection per participant). Participants go through the JSON API
in three phases, each waiting for every participant to finish the one before:

1. start: `POST /api/online/attempts`, all K at once (the round opening);
2. saves: 20 × `PUT /api/online/attempts/<token>/answers/<position>`, a random valid response for
   each question's type. Rate "max": each participant saves again as soon as the last save
   returns (saturation; latency is then mostly queueing). A number: saves are paced at that
   many per second in total (each participant on its own schedule, open loop);
3. submit: `POST /api/online/attempts/<token>/submit`, all K at once.

Each phase prints its latencies and the CPU the server's worker, the load generator and the
machine used (from /proc), so a saturated worker shows as such.

--workers N serves with N gevent worker processes instead of one: Socket.IO needs a single
process, but the JSON API keeps nothing in memory, so it can be served on its own by several.
--server-env NAME=VALUE sets an environment variable for the server (e.g. DATABASE_PRE_PING=false).

--prerecord-uses writes the round's `question_use` rows before the run, as the round's first
starts would: on PostgreSQL, simultaneous starts otherwise wait on each other's uncommitted
`question_use` inserts (and deadlock), which hides what saves cost behind failed starts.

Afterwards the database is checked: every save answered 2xx is present with the response sent
(mapped to stored indices), and every attempt is submitted. Target (issue: online contests): at
least 300 saves per second on PostgreSQL with p99 under 150 ms, zero errors, zero lost answers.
The default paced rate, 330/s, is 10% above the target so "at least 300" is measured, not assumed.
"""

from __future__ import annotations

import sys

if __name__ == "__main__" and "--client" in sys.argv:  # the load generator: patch first
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
import shlex  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "bench-only-secret"
TARGET_RATE, TARGET_P99_MS = 300.0, 150.0
# 6 + 5 + 5 + 4 = 20 questions; the sample bank has 16-21 approved questions in each.
DRAW = [
    ("Chỉ thị 05-CT/TW", "recall", 6),
    ("Chỉ thị 05-CT/TW", "understanding", 5),
    ("Kết luận 01-KL/TW", "recall", 5),
    ("Kết luận 01-KL/TW", "understanding", 4),
]
# Starts are limited to 60 a minute per address (ONLINE_START_LIMIT_PER_ADDRESS), so the clients
# come from several loopback addresses, as people would come from several networks: 50
# participants per address.
PER_ADDRESS = 50
IDLE_S = 60.0  # the server (as the Procfile runs it) closes a connection idle for 75 s
GUNICORN = [
    "--worker-class",
    "gevent",
    "--worker-connections",
    "10000",
    "--keep-alive",
    "75",
    "--log-level",
    "warning",
    "wsgi:app",
]


# ---- the load generator (a separate process, gevent) --------------------------------------------


def _cpu_sample(worker_pids: list[int]) -> dict:
    """CPU seconds so far: this process, the server's workers, and the machine (busy, total)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ticks = os.sysconf("SC_CLK_TCK")
    each = []
    for pid in worker_pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        each.append((int(fields[11]) + int(fields[12])) / ticks)
    server = sum(each) * ticks
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]
    return {
        "client": usage.ru_utime + usage.ru_stime,
        "server": server / ticks,
        "workers": each,
        "postgres": _postgres_ticks() / ticks,
        "busy": (sum(cpu) - idle) / ticks,
        "total": sum(cpu) / ticks,
    }


def _postgres_ticks() -> int:
    """CPU of every PostgreSQL process on the machine, ended backends included: the postmaster
    collects its children's time when they exit (cutime, cstime). 0 where none is readable."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                head, rest = f.read().rsplit(")", 1)
        except OSError:
            continue
        if not head.endswith("(postgres"):
            continue
        fields = rest.split()
        total += int(fields[11]) + int(fields[12])
        if fields[1] == "1":  # the postmaster (its parent is init): add its reaped children
            total += int(fields[13]) + int(fields[14])
    return total


class Connection:
    """One participant's HTTP connection: kept alive between requests, renewed when idle."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.http: http.client.HTTPConnection | None = None
        self.last = 0.0

    def close(self) -> None:
        if self.http is not None:
            self.http.close()
        self.http = None

    def call(self, method: str, path: str, body: dict) -> tuple[int, bytes]:
        if self.http is None or time.perf_counter() - self.last > IDLE_S:
            self.close()
            self.http = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=600, source_address=(self.source, 0)
            )
        try:
            self.http.request(method, path, json.dumps(body), {"Content-Type": "application/json"})
            response = self.http.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        self.last = time.perf_counter()
        if response.will_close:
            self.close()
        return response.status, data


def random_response(question: dict, rng: random.Random):
    """A valid response in shown indices for the question as the API shows it."""
    kind = question["type"]
    if kind == "single":
        return rng.randrange(len(question["options"]))
    if kind == "multiple":
        count = len(question["options"])
        return sorted(rng.sample(range(count), rng.randint(1, count)))
    if kind == "ordering":
        items = list(range(len(question["items"])))
        rng.shuffle(items)
        return items
    if kind == "true_false":
        return rng.random() < 0.5
    if kind == "numeric":
        return rng.randint(0, 3000)
    words = ("học tập", "làm theo", "tư tưởng", "đạo đức", "phong cách", "Hồ Chí Minh", "05")
    return " ".join(rng.sample(words, 3 if kind == "short_text" else 6))


def client(config_path: str, out_path: str) -> None:
    """Run every participant through start, saves and submit; write what happened as JSON."""
    import gevent

    config = json.loads(Path(config_path).read_text())
    port, round_id, rate = config["port"], config["round_id"], config["rate"]
    tokens = config["participants"]
    count = len(tokens)
    rngs = [random.Random(config["seed"] * 100_003 + n) for n in range(count)]
    connections = [
        Connection(port, f"127.1.{n // PER_ADDRESS}.1") for n in range(count)
    ]  # 127.0.0.0/8 is all loopback on Linux
    attempts: list[dict | None] = [None] * count
    out = {"starts": [], "saves": [], "submits": [], "errors": [], "cpu": {}, "phases": {}}

    def timed(n: int, phase: str, method: str, path: str, body: dict):
        began = time.perf_counter()
        try:
            status, data = connections[n].call(method, path, body)
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none retried
            status, data = 0, repr(exc).encode()
        ended = time.perf_counter()
        if not 200 <= status < 300:
            out["errors"].append([phase, n, status, data[:300].decode(errors="replace")])
        return status, data, began, ended

    def start(n: int) -> None:
        body = {"participant": tokens[n], "round": round_id}
        status, data, began, ended = timed(n, "start", "POST", "/api/online/attempts", body)
        out["starts"].append([status, (ended - began) * 1000])
        if 200 <= status < 300:
            attempts[n] = json.loads(data)

    def answer(n: int, due: list[float] | None) -> None:
        attempt = attempts[n]
        if attempt is None:
            return
        rng = rngs[n]
        for j, question in enumerate(attempt["questions"]):
            lag = 0.0
            if due is not None:
                wait = due[j] - time.perf_counter()
                if wait > 0:
                    gevent.sleep(wait)
                lag = max(time.perf_counter() - due[j], 0.0)
            response = random_response(question, rng)
            path = f"/api/online/attempts/{attempt['attempt']}/answers/{question['position']}"
            status, _, began, ended = timed(n, "save", "PUT", path, {"response": response})
            out["saves"].append(
                [n, question["position"], status, began, ended, lag * 1000, response]
            )

    def submit(n: int) -> None:
        if attempts[n] is None:
            return
        path = f"/api/online/attempts/{attempts[n]['attempt']}/submit"
        status, _, began, ended = timed(n, "submit", "POST", path, {})
        out["submits"].append([status, (ended - began) * 1000])

    def phase(name: str, jobs) -> None:
        out["cpu"][name + "_before"] = _cpu_sample(config["worker_pids"])
        began = time.perf_counter()
        gevent.joinall(jobs, raise_error=True)
        out["phases"][name] = time.perf_counter() - began
        out["cpu"][name + "_after"] = _cpu_sample(config["worker_pids"])

    phase("start", [gevent.spawn(start, n) for n in range(count)])
    schedule: list[list[float] | None] = [None] * count
    if rate:
        # Participant in place r saves its j-th answer at t0 + (j·K + r) / rate: rate saves/s.
        t0 = time.perf_counter() + 0.2
        places = list(range(count))
        random.Random(config["seed"]).shuffle(places)
        questions = max((len(a["questions"]) for a in attempts if a), default=0)
        for n, r in enumerate(places):
            schedule[n] = [t0 + (j * count + r) / rate for j in range(questions)]
    phase("saves", [gevent.spawn(answer, n, schedule[n]) for n in range(count)])
    phase("submit", [gevent.spawn(submit, n) for n in range(count)])
    for connection in connections:
        connection.close()
    out["attempts"] = [a["attempt"] if a else None for a in attempts]
    out["cpu_pids"] = config["worker_pids"]
    Path(out_path).write_text(json.dumps(out))


# ---- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_of(master: int) -> list[int]:
    """The gunicorn workers' process ids (the master's children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
    return found


class Server:
    """`gunicorn -k gevent -w 1 wsgi:app` on a free port, as the Procfile runs it (or -w N)."""

    def __init__(self, url: str, log: Path, workers: int = 1, extra_env=None) -> None:
        self.port = free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        bind = ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        self.command = [gunicorn, *bind, *GUNICORN]
        self.extra_env = dict(extra_env or {})
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            "SOCKETIO_ASYNC_MODE": "gevent",
            **self.extra_env,
        }
        env.pop("REDIS_URL", None)  # rate limits in memory, as without Redis
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                self.command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    break
            except OSError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log_end = log.read_text()[-3000:]
                    raise RuntimeError("gunicorn did not start:\n" + log_end) from exc
                time.sleep(0.2)
        self.workers = workers_of(self.process.pid)
        while len(self.workers) < workers:
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn started {len(self.workers)} of {workers} workers")
            time.sleep(0.2)
            self.workers = workers_of(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---- the data -----------------------------------------------------------------------------------


def make_round(participants: int, label: str, prerecord_uses: bool) -> tuple[int, list[str]]:
    """An online contest with one open round of 20 questions and `participants` people."""
    from sqlalchemy import and_, insert, or_, select

    from contest.database import utcnow
    from contest.extensions import db
    from contest.themes.models import Theme
    from online.models import OnlineContest, Participant, Prediction, Review, Round
    from questions.models import QuestionVersion, question_theme
    from questions.service import drawable_versions
    from questions.usage import record_use

    themes = {theme.short_name: theme.id for theme in db.session.scalars(select(Theme))}
    now = utcnow()
    contest = OnlineContest(slug=f"bench-{label}", title=f"Bench {label}", published=True)
    round_ = Round(
        contest=contest,
        number=1,
        title="Tuần 1",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=3),
        draw={
            "rows": [
                {"theme_id": themes[name], "level": level, "count": count}
                for name, level, count in DRAW
            ]
        },
        time_limit_s=3600,  # longer than any run: no attempt is cut short by its deadline
        attempts_allowed=1,
        review=Review.AFTER_CLOSE.value,
        prediction=Prediction.NONE.value,
    )
    db.session.add(round_)
    db.session.flush()
    if prerecord_uses:
        # What the round's first starts would write: then no start inserts into question_use.
        pool = drawable_versions().join(
            question_theme, question_theme.c.question_id == QuestionVersion.question_id
        )
        rows = or_(
            *(
                and_(question_theme.c.theme_id == themes[name], QuestionVersion.level == level)
                for name, level, _ in DRAW
            )
        )
        record_use(db.session.scalars(pool.where(rows)).unique(), f"round:{round_.id}", "")
    tokens = [secrets.token_urlsafe(32) for _ in range(participants)]
    db.session.execute(
        insert(Participant),
        [
            {
                "contest_id": contest.id,
                "token": token,
                "full_name": f"Người dự thi {n + 1}",
                "phone": f"09{n:08d}",
            }
            for n, token in enumerate(tokens)
        ],
    )
    db.session.commit()
    return round_.id, tokens


def check_database(round_id: int, result: dict) -> dict:
    """Each save answered 2xx is in the database with the response sent; each attempt submitted."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from contest.extensions import db
    from online.attempt_view import to_stored
    from online.models import Answer, Attempt

    db.session.expire_all()
    attempts = {
        a.token: a
        for a in db.session.scalars(
            select(Attempt)
            .where(Attempt.round_id == round_id)
            .options(selectinload(Attempt.questions))
        )
    }
    stored = {
        (answer.attempt_id, answer.position): answer.response
        for answer in db.session.scalars(
            select(Answer).join(Attempt).where(Attempt.round_id == round_id)
        )
    }
    expected = {}
    for n, position, status, *_, response in result["saves"]:
        if 200 <= status < 300:
            attempt = attempts.get(result["attempts"][n])
            if attempt is None:
                expected[(None, n, position)] = response
                continue
            item = next(q for q in attempt.questions if q.position == position)
            expected[(attempt.id, position)] = to_stored(
                item.version.content, item.shown_order, response
            )
    canonical = lambda value: json.dumps(value, sort_keys=True)  # noqa: E731
    lost = sum(1 for key in expected if key not in stored)
    wrong = sum(
        1
        for key, value in expected.items()
        if key in stored and canonical(stored[key]) != canonical(value)
    )
    started = [t for t in result["attempts"] if t]
    return {
        "saved": len(expected),
        "rows": len(stored),
        "lost": lost,
        "wrong": wrong,
        "unexpected": sum(1 for key in stored if key not in expected),
        "attempts": len(attempts),
        "started": len(started),
        "submitted": sum(1 for a in attempts.values() if a.submitted_at is not None),
        "by_participant": sum(1 for a in attempts.values() if a.finalised_by == "participant"),
        "scored": sum(1 for a in attempts.values() if a.score is not None),
    }


# ---- figures ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank: the smallest value with at least `share` of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def spread(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5):.1f}  p95 {percentile(values, 0.95):.1f}  "
        f"p99 {percentile(values, 0.99):.1f}  max {max(values, default=float('nan')):.1f} ms"
    )


def server_errors(log: str) -> dict[str, int]:
    """The exceptions the server logged (last line of each traceback), counted."""
    found: dict[str, int] = {}
    for line in log.splitlines():
        exception = line[:1].isalpha() and ": " in line and ("Error" in line or "Exception" in line)
        if exception and not line.startswith(("Traceback", "During handling")):
            found[line[:160]] = found.get(line[:160], 0) + 1
    return found


def cpu_share(result: dict, phase: str, requests: int) -> str:
    """CPU used during a phase: the server's worker, the load generator, the whole machine."""
    before, after = result["cpu"][phase + "_before"], result["cpu"][phase + "_after"]
    wall = result["phases"][phase]
    share = {key: (after[key] - before[key]) for key in before if key != "workers"}
    split = [
        b - a for a, b in zip(before.get("workers", []), after.get("workers", []), strict=False)
    ]
    if wall < 0.1 or share["total"] <= 0 or not requests:
        return "too short to measure"
    postgres = ""
    if share.get("postgres"):
        postgres = (
            f"PostgreSQL {share['postgres'] / wall:.0%} of a core "
            f"({share['postgres'] / requests * 1000:.1f} ms per request), "
        )
    each = f"[{' + '.join(f'{one / wall:.0%}' for one in split)}] " if len(split) > 1 else ""
    return (
        f"server worker{'s' if len(result['cpu_pids']) > 1 else ''} "
        f"{share['server'] / wall:.0%} of a core {each}"
        f"({share['server'] / requests * 1000:.1f} ms per request), {postgres}load generator "
        f"{share['client'] / wall:.0%} of a core, machine {share['busy'] / share['total']:.0%}"
        f" busy ({os.cpu_count()} cores)"
    )


def report(label: str, rate, result: dict, checked: dict, log: str) -> dict:
    starts, submits = result["starts"], result["submits"]
    saves = result["saves"]
    ok = [s for s in saves if 200 <= s[2] < 300]
    latencies = [(s[4] - s[3]) * 1000 for s in saves]
    span = (max(s[4] for s in saves) - min(s[3] for s in saves)) if saves else float("nan")
    per_second = len(ok) / span if saves else 0.0
    count = len(result["attempts"])
    print(
        f"start:   {count:,} at once, {result['phases']['start']:.1f} s; "
        + spread([s[1] for s in starts])
    )
    print(f"         cpu: {cpu_share(result, 'start', len(starts))}")
    pace = "as fast as answered (max)" if not rate else f"paced at {rate:g}/s offered"
    print(
        f"saves:   {len(saves):,} {pace}: {len(ok):,} saved in {span:.1f} s = "
        f"{per_second:.1f} saves/s"
    )
    print(f"         latency {spread(latencies)}")
    if rate:
        print(f"         sent behind schedule: {spread([s[5] for s in saves])}")
    print(f"         cpu: {cpu_share(result, 'saves', len(saves))}")
    print(
        f"submit:  {len(submits):,} at once, {result['phases']['submit']:.1f} s; "
        + spread([s[1] for s in submits])
    )
    print(f"         cpu: {cpu_share(result, 'submit', len(submits))}")
    errors = result["errors"]
    kinds: dict[str, int] = {}
    for phase, _, status, _ in errors:
        kinds[f"{phase} {status}"] = kinds.get(f"{phase} {status}", 0) + 1
    print(f"errors:  {len(errors)}", *(f"{k}: {v}" for k, v in sorted(kinds.items())))
    for line, times in server_errors(log).items():
        print(f"         server log, {times} ×: {line}")
    print(
        f"database: {checked['saved']:,} saves answered 2xx, {checked['rows']:,} answer rows: "
        f"lost {checked['lost']}, wrong response {checked['wrong']}, unexpected "
        f"{checked['unexpected']}; attempts {checked['attempts']:,} of {checked['started']:,} "
        f"started, {checked['submitted']:,} submitted ({checked['by_participant']:,} by the "
        f"participant), {checked['scored']:,} scored"
    )
    sound = (
        not errors
        and checked["lost"] == 0
        and checked["wrong"] == 0
        and checked["unexpected"] == 0
        and checked["submitted"] == checked["attempts"] == count
    )
    return {
        "label": label,
        "rate": rate,
        "per_second": per_second,
        "p99": percentile(latencies, 0.99),
        "sound": sound,
    }


# ---- a run --------------------------------------------------------------------------------------


def run(url: str, label: str, participants: int, rate, args, folder: Path) -> dict:
    from contest.extensions import db

    tag = f"{participants}-{rate or 'max'}-{uuid.uuid4().hex[:6]}"
    round_id, tokens = make_round(participants, tag, args.prerecord_uses)
    db.session.remove()
    server = Server(url, folder / f"gunicorn-{tag}.log", args.workers, args.server_env)
    config = {
        "port": server.port,
        "round_id": round_id,
        "participants": tokens,
        "rate": rate,
        "seed": args.seed,
        "worker_pids": server.workers,
    }
    config_path, out_path = folder / f"client-{tag}.json", folder / f"result-{tag}.json"
    config_path.write_text(json.dumps(config))
    print(f"\n== {label}, K = {participants:,}, saves {'max' if not rate else f'at {rate:g}/s'}")
    settings = [f"{name}={value}" for name, value in server.extra_env.items()]
    print("server:  " + shlex.join([*settings, Path(server.command[0]).name, *server.command[1:]]))
    counters = _pg_counters(url)
    try:
        subprocess.run(
            [sys.executable, __file__, "--client", str(config_path), str(out_path)], check=True
        )
    finally:
        server.stop()
    if counters:
        time.sleep(1.0)  # backends report their statistics at most once a second
        after = _pg_counters(url)
        delta = {key: after[key] - counters[key] for key in counters}
        print(
            f"postgres: {delta['sessions']:,} sessions opened, {delta['xact_commit']:,} commits, "
            f"{delta['wal_records']:,} WAL records, {delta['wal_bytes'] / 1e6:.1f} MB of WAL "
            f"({delta['wal_fpi']:,} full pages), {delta['wal_sync']:,} WAL syncs over the run"
        )
    result = json.loads(out_path.read_text())
    checked = check_database(round_id, result)
    outcome = report(label, rate, result, checked, server.log.read_text())
    db.session.remove()
    return outcome


def _pg_counters(url: str) -> dict | None:
    """PostgreSQL's own counters for the run: sessions (a pool opening connections shows
    here), commits, and the WAL written and synced."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import text

    from contest.extensions import db

    row = db.session.execute(
        text(
            "SELECT d.sessions, d.xact_commit, w.wal_records, w.wal_bytes, w.wal_fpi, w.wal_sync"
            " FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()"
        )
    ).one()
    db.session.rollback()  # a new snapshot of the statistics next time
    return {key: int(value) for key, value in row._mapping.items()}


def bench(url: str, label: str, args, folder: Path) -> list[dict]:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from contest import create_app
    from contest.extensions import db
    from contest.themes.demo import load_demo_themes
    from questions.samples import load_sample_bank

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    outcomes = []
    with app.app_context(), app.test_request_context():
        upgrade()
        load_demo_themes()
        load_sample_bank()
        db.session.commit()
        version = db.session.scalar(
            text("SELECT sqlite_version()" if url.startswith("sqlite") else "SHOW server_version")
        )
        for participants in args.participants:
            for rate in args.rates:
                outcomes.append(run(url, f"{label} {version}", participants, rate, args, folder))
        db.engine.dispose()
    return outcomes


def bench_postgresql(base: str, args, folder: Path) -> list[dict]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from contest.config import normalise_database_url

    base = normalise_database_url(base)
    name = f"hoithi_bench_{uuid.uuid4().hex[:12]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        return bench(url, "PostgreSQL", args, folder)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--participants",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[200, 1000],
        help="comma-separated K values",
    )
    parser.add_argument(
        "--rates",
        type=lambda s: [None if x == "max" else float(x) for x in s.split(",")],
        default=[None, 330.0],
        help="'max' (no pause between saves) and/or saves per second offered in total",
    )
    parser.add_argument(
        "--prerecord-uses",
        action="store_true",
        help="record the round's question uses before the run (as its first starts would), so"
        " no start inserts into question_use: takes the start-phase lock waits out",
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="keep each run's raw figures and gunicorn log in DIR"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="gunicorn gevent worker processes (default 1)"
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        type=lambda s: tuple(s.split("=", 1)),
        help="an environment variable for the server, e.g. DATABASE_PRE_PING=false (repeatable)",
    )
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--client", nargs=2, metavar=("CONFIG", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        client(*args.client)
        return 0

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("SECRET_KEY", SECRET)  # load_config would write instance/secret_key
    print("command:", shlex.join(getattr(sys, "orig_argv", sys.argv)))
    print("date:   ", datetime.now().astimezone().isoformat(timespec="seconds"))
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}; server, database and load generator on the same machine"
    )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load:    {load} (1, 5, 15 min averages, before the run)")
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="hoithi_bench_") as temporary:
        folder = Path(args.keep or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{Path(temporary) / 'bench.sqlite3'}"
            outcomes += bench(url, "SQLite", args, folder)
        if args.backend in ("postgresql", "both"):
            outcomes += bench_postgresql(args.pg_url, args, folder)
    print("\n== summary")
    met = True
    for o in outcomes:
        pace = "max" if not o["rate"] else f"{o['rate']:g}/s"
        print(
            f"{o['label']:<48} saves {pace:>7}: {o['per_second']:7.1f}/s  p99 {o['p99']:7.1f} ms"
            f"  errors/lost: {'none' if o['sound'] else 'SOME'}"
        )
        met &= o["sound"]
    paced = [o for o in outcomes if o["label"].startswith("PostgreSQL") and o["rate"]]
    target = all(o["per_second"] >= TARGET_RATE and o["p99"] < TARGET_P99_MS for o in paced)
    met &= bool(paced) and target
    print(
        f"target on PostgreSQL (paced runs: ≥ {TARGET_RATE:.0f} saves/s, p99 < "
        f"{TARGET_P99_MS:.0f} ms; every run: no error, no lost answer): "
        + ("met" if met else "NOT met")
    )
    print(f"load:    {' '.join(f'{v:.2f}' for v in os.getloadavg())} (after the run)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
