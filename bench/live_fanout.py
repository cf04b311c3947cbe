"""Live fan-out: N audience phones on one show; the time from the host's action to each phone.

    .venv/bin/python bench/live_fanout.py [--clients 500 2000 5000] [--rounds 20]
        [--backend sqlite|postgresql] [--bare-only | --hoithi-only] [--processes 2]
        [--as audience|scoreboard] [--keep DIR] [--pg-url URL]
        [--pythonpath DIR --hoithi-app MODULE:APP --bare-app MODULE:APP]

For each N, two servers are measured with the same clients, one after the other:

- HoiThi: the Procfile's web process (`gunicorn --worker-class gevent --workers 1 wsgi:app`,
  HOITHI_ENV=production) on a fresh migrated database (a temporary SQLite file, or a throwaway
  PostgreSQL database `hoithi_fanout_<random>` dropped at the end), with one contest per N: four
  teams, three judges, an all_answer part of `--rounds` questions. N audience devices are bound to
  it beforehand (the rows `live.devices.bind_device` writes, inserted in one transaction), and each
  client connects to /live as `device` with its cookie `hoithi_stage_<id>=<token>` (or, with
  `--as scoreboard`, as the anonymous public scoreboard: the same kind of shared room).
  gunicorn's `--worker-connections` (default 1,000: the gevent worker's pool, so by default no more
  than 1,000 sockets are served at once) is raised to N + 100.
- bare: `bench/fanout_bare_server.py` — python-socketio `Server(async_mode="gevent")` under the
  same gunicorn worker, that only emits to the clients' room the same views HoiThi sent them
  (computed beforehand with the app's own code on a twin contest, so the bytes match).

The host signs in (CSRF token from the login page) and acts through /live: `part.start`, then for
each round `question.show`, `answers.open` and the timed `reveal` of the next question. Each
action waits until every client has its `state` message before the next one goes. t0 is taken
just before the host's frame is written; each client takes its receipt time when the bytes are
read, with the same system-wide monotonic clock (CLOCK_MONOTONIC), so latency = receipt − t0
across processes. The headline figures pool the `reveal`s of all rounds (N × rounds samples);
the other actions are printed too.

The clients: `--processes` OS processes (this file with --client), each a gevent loop with a
raw WebSocket + Engine.IO v4 + Socket.IO v5 client written here (no library on the read path:
one recv, a frame header, a prefix test, a timestamp). They answer the server's pings and parse
nothing else. The CPU they use is printed, so a saturated load generator shows as such.

Memory: the server worker's VmRSS (/proc/<pid>/status) just before the clients connect and once
all N are connected, divided by N.

--hoithi-app / --bare-app with --pythonpath serve another gunicorn app, e.g. a module outside the
tree that imports `wsgi` and changes one thing, to try a change without editing the app.

Targets (issue 8), on this 2-core machine: 2,000 clients p99 < 100 ms; 5,000 clients p99 <
400 ms; p99 at most 1.3 × the bare server's.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import mmap
import os
import platform
import re
import resource
import shlex
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "bench-only-secret"
NAMESPACE = "/live"
HOST_USER, HOST_PASSWORD = "dan", "mat-khau-dan-1"
TEAMS, JUDGES = 4, 3
TARGETS = {2000: 100.0, 5000: 400.0}  # N: p99 must be under this many ms
TARGET_RATIO = 1.3
DELIVERY_TIMEOUT_S = 30.0  # an action not delivered to everyone by then: the rest count as lost
CONNECT_TIMEOUT_S = 180.0
SETTLE_S = 0.15  # pause between actions, after the last one reached everyone
SLOTS = 10  # int64 slots per load generator in the shared counters file
# slot 0 (orchestrator → generator): command (1 = stop); slot 1: target message count
# generator → orchestrator: 2 connected, 3 failed, 4 clients behind the target, 5 closed,
# 6 ready, 7 done, 8 the target that slot 4 was counted for


# ---- a raw WebSocket / Engine.IO v4 / Socket.IO v5 client ---------------------------------------


def _frame(text: str, opcode: int = 1) -> bytes:
    """A masked client frame (RFC 6455 §5.3)."""
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    masked = bytes(b ^ mask[i & 3] for i, b in enumerate(data))
    return head + mask + masked


PONG = _frame("3")  # Engine.IO pong


class Raw:
    """One Socket.IO connection over a WebSocket, on a socket module's socket (std or gevent)."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.buf = bytearray()
        self.pending: list[str] = []

    @classmethod
    def open(cls, sockmod, port: int, cookie: str, auth: dict, timeout: float) -> Raw:
        sock = sockmod.create_connection(("127.0.0.1", port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the upgrade")
            head += chunk
        head, rest = head.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        conn = cls(sock)
        conn.buf += rest
        opened = conn.next_text()  # Engine.IO open: 0{"sid":…,"pingInterval":…}
        if not opened.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opened[:80]}")
        sock.sendall(_frame(f"40{NAMESPACE}," + json.dumps(auth)))
        while True:
            text = conn.next_text()
            if text.startswith(f"40{NAMESPACE},"):
                return conn
            if text.startswith(f"44{NAMESPACE},"):
                raise ConnectionError(f"refused: {text[len(NAMESPACE) + 3 :][:120]}")

    def frames(self):
        """Complete frames in the buffer: (opcode, payload); consumes them."""
        buf, pos, out = self.buf, 0, []
        size = len(buf)
        while size - pos >= 2:
            b1 = buf[pos + 1]
            length, head = b1 & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if size - pos < head + length:
                break
            out.append((buf[pos] & 0x0F, bytes(buf[pos + head : pos + head + length])))
            pos += head + length
        if pos:
            del buf[:pos]
        return out

    def handle_control(self, opcode: int, payload: bytes) -> bool:
        """Answer pings (WebSocket and Engine.IO); True if the frame was control traffic."""
        if opcode == 9:
            self.sock.sendall(self._control(10, payload))
            return True
        if opcode == 8:
            raise ConnectionError("closed by the server")
        if opcode == 1 and payload[:1] == b"2":
            self.sock.sendall(PONG)
            return True
        return opcode != 1

    @staticmethod
    def _control(opcode: int, payload: bytes) -> bytes:
        mask = os.urandom(4)
        return (
            bytes([0x80 | opcode, 0x80 | len(payload)])
            + mask
            + bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        )

    def next_text(self) -> str:
        """The next data text frame (blocking), answering control traffic on the way."""
        while True:
            for opcode, payload in self.frames():
                if not self.handle_control(opcode, payload):
                    self.pending.append(payload.decode())
            if self.pending:
                return self.pending.pop(0)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.buf += chunk

    def send_event(self, event: str, data, ack: int | None = None) -> None:
        body = json.dumps([event, data])
        self.sock.sendall(_frame(f"42{NAMESPACE},{'' if ack is None else ack}{body}"))


# ---- the load generator (separate processes, gevent) --------------------------------------------


def client(config_path: str) -> None:
    import gevent
    import gevent.lock
    import gevent.socket

    config = json.loads(Path(config_path).read_text())
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    index = config["index"]
    fd = os.open(config["counters"], os.O_RDWR)
    counters = mmap.mmap(fd, 0)
    base = index * SLOTS * 8

    def put(slot: int, value: int) -> None:
        struct.pack_into("q", counters, base + slot * 8, value)

    def get(slot: int) -> int:
        return struct.unpack_from("q", counters, base + slot * 8)[0]

    prefix = f'42{NAMESPACE},["state",'.encode()
    cookies = config["cookies"]
    times: list[list[float]] = [[] for _ in cookies]
    sizes: list[int] = [0]
    alive = [False] * len(cookies)
    state = {"connected": 0, "failed": 0, "closed": 0}
    errors: dict[str, int] = {}
    monotonic = time.monotonic

    def run(i: int) -> None:
        try:
            with handshakes:  # at most `concurrency` handshakes at once
                conn = Raw.open(
                    gevent.socket, config["port"], cookies[i], config["auth"], CONNECT_TIMEOUT_S
                )
        except Exception as exc:  # noqa: BLE001 - counted and reported
            state["failed"] += 1
            key = f"{type(exc).__name__}: {exc}"[:120]
            errors[key] = errors.get(key, 0) + 1
            return
        conn.sock.settimeout(None)
        alive[i] = True
        state["connected"] += 1
        mine = times[i]
        sock = conn.sock
        try:
            while True:
                chunk = sock.recv(65536)
                now = monotonic()
                if not chunk:
                    break
                if not conn.buf and chunk[0] == 0x81 and len(chunk) > 1 and chunk[1] < 127:
                    # The usual case: the chunk is exactly one whole unmasked text frame.
                    length, head = chunk[1], 2
                    if length == 126:
                        length, head = int.from_bytes(chunk[2:4], "big"), 4
                    if len(chunk) == head + length and chunk.startswith(prefix, head):
                        mine.append(now)
                        if i == 0:
                            sizes.append(length)
                        continue
                conn.buf += chunk
                for opcode, payload in conn.frames():
                    if opcode == 1 and payload.startswith(prefix):
                        mine.append(now)
                        if i == 0:
                            sizes.append(len(payload))
                    else:
                        conn.handle_control(opcode, payload)
        except (ConnectionError, OSError) as exc:
            key = f"after connect: {type(exc).__name__}: {exc}"[:120]
            errors[key] = errors.get(key, 0) + 1
        finally:
            alive[i] = False
            state["closed"] += 1

    handshakes = gevent.lock.BoundedSemaphore(config["concurrency"])
    for i in range(len(cookies)):
        gevent.spawn(run, i)
    deadline = monotonic() + CONNECT_TIMEOUT_S
    while state["connected"] + state["failed"] < len(cookies) and monotonic() < deadline:
        put(2, state["connected"])
        put(3, state["failed"])
        gevent.sleep(0.05)
    put(6, 1)
    stop_at = monotonic() + config["max_seconds"]
    while get(0) != 1 and monotonic() < stop_at:
        target = get(1)
        put(2, state["connected"])
        put(3, state["failed"])
        put(5, state["closed"])
        put(4, sum(1 for i, t in enumerate(times) if alive[i] and len(t) < target))
        put(8, target)
        gevent.sleep(0.005)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(config["out"]).write_text(
        json.dumps(
            {
                "times": times,
                "sizes": sizes[1:],
                "connected": state["connected"],
                "failed": state["failed"],
                "closed": state["closed"],
                "errors": errors,
                "cpu": usage.ru_utime + usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
            }
        )
    )
    put(7, 1)
    os._exit(0)  # the sockets close with the process


class Generators:
    """The load-generator processes and their shared counters."""

    def __init__(self, folder: Path, port: int, auth: dict, cookies: list[str], processes: int):
        self.folder = folder
        self.count = len(cookies)
        self.processes = max(1, min(processes, len(cookies)))
        self.counters_path = folder / f"counters-{uuid.uuid4().hex[:6]}"
        self.counters_path.write_bytes(b"\0" * (8 * SLOTS * self.processes))
        fd = os.open(self.counters_path, os.O_RDWR)
        self.counters = mmap.mmap(fd, 0)
        os.close(fd)
        self.outs, self.procs = [], []
        for k in range(self.processes):
            share = cookies[k :: self.processes]
            out = folder / f"generator-{k}.json"
            config = {
                "index": k,
                "port": port,
                "auth": auth,
                "cookies": share,
                "counters": str(self.counters_path),
                "concurrency": 64,
                "out": str(out),
                "max_seconds": 1800,
            }
            path = folder / f"generator-{k}-config.json"
            path.write_text(json.dumps(config))
            self.outs.append(out)
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--client", str(path)], preexec_fn=_raise_nofile
                )
            )

    def _get(self, k: int, slot: int) -> int:
        return struct.unpack_from("q", self.counters, (k * SLOTS + slot) * 8)[0]

    def _put_all(self, slot: int, value: int) -> None:
        for k in range(self.processes):
            struct.pack_into("q", self.counters, (k * SLOTS + slot) * 8, value)

    def total(self, slot: int) -> int:
        return sum(self._get(k, slot) for k in range(self.processes))

    def wait_connected(self) -> tuple[int, int, float]:
        started = time.monotonic()
        deadline = started + CONNECT_TIMEOUT_S + 30
        while time.monotonic() < deadline:
            if self.total(6) == self.processes:
                break
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError("a load generator died while connecting")
            time.sleep(0.05)
        return self.total(2), self.total(3), time.monotonic() - started

    def set_target(self, messages: int) -> None:
        self._put_all(1, messages)

    def behind(self, target: int) -> int | None:
        """Clients still waiting for their `target`-th message; None until every count is fresh."""
        if any(self._get(k, 8) != target for k in range(self.processes)):
            return None
        return self.total(4)

    def cpu_seconds(self) -> float:
        return sum(_proc_cpu(p.pid) for p in self.procs)

    def finish(self) -> list[dict]:
        self._put_all(0, 1)
        results = []
        for proc, out in zip(self.procs, self.outs, strict=True):
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            results.append(json.loads(out.read_text()) if out.exists() else None)
        self.counters.close()
        return results


def _raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---- the host -----------------------------------------------------------------------------------


class Host:
    """The host's Socket.IO connection (blocking, in this process): acts and waits for the ack."""

    def __init__(self, port: int, cookie: str, auth: dict) -> None:
        self.conn = Raw.open(socket, port, cookie, auth, 30)
        self.conn.sock.settimeout(30)
        self.acks = 0

    def act(self, kind: str, payload: dict) -> tuple[float, dict]:
        """Send `act`; returns t0 (just before the frame is written) and the ack."""
        self.acks += 1
        ack_id = self.acks
        frame = _frame(
            f"42{NAMESPACE},{ack_id}" + json.dumps(["act", {"type": kind, "payload": payload}])
        )
        t0 = time.monotonic()
        self.conn.sock.sendall(frame)
        marker = f"43{NAMESPACE},{ack_id}["
        while True:
            text = self.conn.next_text()
            if text.startswith(marker):
                reply = json.loads(text[len(marker) - 1 :])[0]
                return t0, reply

    def drain(self, seconds: float) -> None:
        """Read whatever the server sent (answering its pings) for up to `seconds`."""
        self.conn.sock.settimeout(max(seconds, 0.001))
        try:
            chunk = self.conn.sock.recv(65536)
            if chunk:
                self.conn.buf += chunk
                for opcode, payload in self.conn.frames():
                    self.conn.handle_control(opcode, payload)
        except TimeoutError:
            pass
        finally:
            self.conn.sock.settimeout(30)

    def close(self) -> None:
        self.conn.sock.close()


# ---- the servers --------------------------------------------------------------------------------


class Server:
    def __init__(self, kind: str, env: dict, clients: int, log: Path, args) -> None:
        self.kind = kind
        self.port = _free_port()
        self.extra_env = env
        paths = [str(REPO / "bench")] if kind == "bare" else []
        paths += args.pythonpath
        app = [f"--pythonpath={','.join(paths)}"] if paths else []
        app.append(args.hoithi_app if kind == "hoithi" else args.bare_app)
        self.command = [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--worker-class",
            "gevent",
            "--workers",
            "1",
            "--worker-connections",
            str(clients + 100),
            "--log-level",
            "warning",
            *app,
        ]
        full_env = dict(os.environ, **env)
        for name in ("REDIS_URL", "SOCKETIO_MESSAGE_QUEUE"):
            full_env.pop(name, None)
        self.log = log
        self.process = subprocess.Popen(
            self.command,
            env=full_env,
            cwd=REPO,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            preexec_fn=_raise_nofile,
        )
        path = "/healthz" if kind == "hoithi" else "/socket.io/?EIO=4&transport=polling"
        self._wait_ready(f"http://127.0.0.1:{self.port}{path}")
        self.worker = self._worker_pid()

    def _wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server not ready in 60 s")

    def _worker_pid(self) -> int:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        children = path.read_text().split()
        if len(children) != 1:
            raise RuntimeError(f"expected one gunicorn worker, found {children}")
        return int(children[0])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown: open sockets are dropped
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_cookie(port: int) -> str:
    import requests

    session = requests.Session()
    base = f"http://127.0.0.1:{port}"
    page = session.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": HOST_USER, "password": HOST_PASSWORD}
    response = session.post(base + "/login", data=form, allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"host sign-in failed: {response.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


# ---- the database -------------------------------------------------------------------------------


def make_show(rounds: int, devices_count: int):
    """A contest (4 teams, 3 judges, an all_answer part of `rounds` questions), N device tokens."""
    from contest.extensions import db
    from live import codes
    from live import devices as device_seats
    from live.models import (
        DeviceRole,
        StageContest,
        StageDevice,
        StageJudge,
        StagePart,
        StageQuestion,
        StageTeam,
    )
    from tests.live.show import MULTIPLE, SINGLE

    contest = StageContest(
        title="Hội thi đo tải", projector_code=device_seats.unique_code(), settings={}
    )
    db.session.add(contest)
    db.session.flush()
    for i in range(TEAMS):
        contest.teams.append(
            StageTeam(position=i, name=f"Đội {chr(65 + i)}", join_code=device_seats.unique_code())
        )
        db.session.flush()
    for i in range(JUDGES):
        contest.judges.append(
            StageJudge(position=i, name=f"Giám khảo {i + 1}", join_code=device_seats.unique_code())
        )
        db.session.flush()
    part = StagePart(position=0, title="Kiến thức", format="all_answer", settings={})
    part.questions = [
        StageQuestion(position=i, content=SINGLE if i % 2 == 0 else MULTIPLE) for i in range(rounds)
    ]
    contest.parts.append(part)
    db.session.flush()
    tokens = [codes.new_token() for _ in range(devices_count)]
    # What live.devices.bind_device writes for each audience phone, in one transaction.
    db.session.add_all(
        StageDevice(
            contest_id=contest.id,
            role=DeviceRole.AUDIENCE.value,
            subject_id=None,
            token_hash=codes.token_hash(token),
        )
        for token in tokens
    )
    db.session.commit()
    return contest.id, part.id, [q.id for q in part.questions], tokens


def script(part_id: int, question_ids: list[int]) -> list[tuple[str, dict, bool]]:
    """The host's actions: (type, payload, measured)."""
    actions = [("part.start", {"part": part_id}, False)]
    for question in question_ids:
        actions += [
            ("question.show", {"question": question}, False),
            ("answers.open", {}, False),
            ("reveal", {}, True),
        ]
    return actions


def views_for(actions, rounds: int, role: str) -> list[dict]:
    """The view HoiThi sends the measured room after each action, computed on a twin contest."""
    from contest.accounts.service import find_user
    from live import events, service

    cid, part_id, questions, _ = make_show(rounds, 0)
    twin = script(part_id, questions)
    host = find_user(HOST_USER)
    viewer = events.Connection(cid, role, None, "", False)
    out = []
    for kind, payload, _measured in twin:
        stage = service.perform(cid, f"host:{host.id}", kind, payload)
        out.append(events.view_for(stage, viewer))
    assert len(out) == len(actions)
    return out


# ---- figures ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank: the smallest value with at least `share` of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def summary(values: list[float]) -> dict:
    return {
        "samples": len(values),
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": max(values, default=float("nan")),
    }


def spread(s: dict) -> str:
    return (
        f"p50 {s['p50']:7.1f}  p95 {s['p95']:7.1f}  p99 {s['p99']:7.1f}  max {s['max']:7.1f} ms"
        f"  ({s['samples']:,} samples)"
    )


# ---- a run --------------------------------------------------------------------------------------


def measure(kind: str, server_env: dict, n: int, args, show: dict, folder: Path) -> dict:
    """Start the server, connect N clients, play the host's script, collect the receipts."""
    tag = f"{kind}-{n}"
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    server = Server(kind, server_env, n, folder / f"server-{tag}.log", args)
    settings = [f"{k}={v}" for k, v in server_env.items() if k != "SECRET_KEY"]
    print(f"\n== {kind}, N = {n:,} ({args.role} clients)")
    print(f"load:    {load} (1, 5, 15 min, before the run)")
    print("server:  " + shlex.join([*settings, Path(server.command[0]).name, *server.command[1:]]))
    generators = None
    host = None
    try:
        if kind == "hoithi":
            host_cookie_header = host_cookie(server.port)
            auth = {"contest": show["contest"], "as": "device"}
            cookies = [f"hoithi_stage_{show['contest']}={t}" for t in show["tokens"][:n]]
            if args.role == "scoreboard":
                auth = {"contest": show["contest"], "as": "scoreboard"}
                cookies = [""] * n
        else:
            host_cookie_header = ""
            auth = {"as": "client"}
            cookies = [""] * n
        time.sleep(0.5)
        rss_before = _rss_kb(server.worker)
        cpu_before = _proc_cpu(server.worker)
        generators = Generators(folder, server.port, auth, cookies, args.processes)
        connected, failed, took = generators.wait_connected()
        if not connected:
            raise RuntimeError(f"no client connected ({failed} failed): see {folder}")
        time.sleep(1.0)  # let the connect handlers' background work finish
        rss_after = _rss_kb(server.worker)
        cpu_connect = _proc_cpu(server.worker) - cpu_before
        print(
            f"connect: {connected:,} connected, {failed:,} failed in {took:.1f} s; server "
            f"CPU {cpu_connect / max(connected, 1) * 1000:.2f} ms per connect"
        )
        print(
            f"memory:  worker RSS {rss_before / 1024:.1f} MiB before, {rss_after / 1024:.1f} MiB "
            f"with {connected:,} clients: {(rss_after - rss_before) / max(connected, 1):.1f} KiB "
            "per client"
        )
        host = Host(server.port, host_cookie_header, {"contest": show["contest"], "as": "host"})
        host.drain(0.2)
        t0s, acks, delivered, undelivered = [], [], [], 0
        server_cpu0, gen_cpu0, wall0 = _proc_cpu(server.worker), generators.cpu_seconds(), 0.0
        wall0 = time.monotonic()
        for number, (action, payload, _measured) in enumerate(show["actions"], start=1):
            generators.set_target(number)
            t0, reply = host.act(action, payload)
            ack_at = time.monotonic()
            if not reply.get("ok"):
                raise RuntimeError(f"{action} refused: {reply}")
            t0s.append(t0)
            acks.append((ack_at - t0) * 1000)
            deadline = time.monotonic() + DELIVERY_TIMEOUT_S
            while generators.behind(number) != 0 and time.monotonic() < deadline:
                host.drain(0.002)
            delivered.append(time.monotonic() - t0)
            undelivered += generators.behind(number) or 0
            host.drain(SETTLE_S)
        wall = time.monotonic() - wall0
        server_cpu = _proc_cpu(server.worker) - server_cpu0
        gen_cpu = generators.cpu_seconds() - gen_cpu0
    finally:
        results = generators.finish() if generators else []
        if host:
            host.close()
        server.stop()
    # The i-th state message a client received answers the i-th action (one per action, in order).
    measured = [i for i, (_k, _p, m) in enumerate(show["actions"]) if m]
    others = [i for i, (_k, _p, m) in enumerate(show["actions"]) if not m]
    reveal, other, lost, extra = [], [], 0, 0
    errors: dict[str, int] = {}
    sizes = []
    for result in results:
        if result is None:
            raise RuntimeError("a load generator left no result")
        for key, count in result["errors"].items():
            errors[key] = errors.get(key, 0) + count
        sizes += result["sizes"]
        for times in result["times"]:
            extra += max(0, len(times) - len(t0s))
            for i in measured:
                if i < len(times):
                    reveal.append((times[i] - t0s[i]) * 1000)
                else:
                    lost += 1
            for i in others:
                if i < len(times):
                    other.append((times[i] - t0s[i]) * 1000)
    closed = sum(r["closed"] for r in results)
    s = summary(reveal)
    o = summary(other)
    actions = len(t0s)
    print(f"reveal:  {spread(s)}")
    print(f"others:  {spread(o)} (part.start, question.show, answers.open)")
    print(
        f"         host's ack p50 {percentile(acks, 0.5):.1f} ms, max {max(acks):.1f} ms; last "
        f"client reached p50 {percentile(delivered, 0.5) * 1000:.1f} ms after t0; message "
        f"{percentile(sizes, 0.5):.0f} B (max {max(sizes, default=0)} B)"
    )
    print(
        f"cpu:     server worker {server_cpu / actions * 1000:.1f} ms per action "
        f"({server_cpu / actions / max(connected, 1) * 1e6:.1f} µs per client), "
        f"{server_cpu / wall:.0%} of a core over the {wall:.1f} s of actions; load generators "
        f"{gen_cpu / wall:.0%} of a core ({gen_cpu / actions / max(connected, 1) * 1e6:.1f} µs "
        "per client message)"
    )
    print(
        f"lost:    {lost} reveal receipts missing, {undelivered} waits timed out, {closed} sockets "
        f"closed during the run, {extra} unexpected messages"
        + "".join(f"\n         {count} × {key}" for key, count in errors.items())
    )
    return {
        "kind": kind,
        "n": n,
        "connected": connected,
        "failed": failed,
        "load": load,
        "kib_per_client": (rss_after - rss_before) / max(connected, 1),
        "rss_before_mib": rss_before / 1024,
        "rss_after_mib": rss_after / 1024,
        "reveal": s,
        "others": o,
        "lost": lost,
        "bytes": percentile(sizes, 0.5),
        "server_ms_per_action": server_cpu / actions * 1000,
        "generator_share": gen_cpu / wall,
    }


def prepare(url: str, args, folder: Path) -> dict:
    """Migrate, add the host, one contest per N with its tokens, and the views to replay."""
    from flask_migrate import upgrade

    from contest import create_app
    from contest.accounts import service as accounts
    from contest.accounts.roles import Role
    from contest.extensions import db

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    shows = {}
    with app.app_context(), app.test_request_context():
        started = time.monotonic()
        upgrade()
        accounts.create_user(HOST_USER, "Người dẫn", HOST_PASSWORD, roles=[Role.HOST])
        db.session.commit()
        for n in args.clients:
            tokens = n if not args.bare_only and args.role == "audience" else 0
            cid, part_id, questions, bound = make_show(args.rounds, tokens)
            shows[n] = {
                "contest": cid,
                "tokens": bound,
                "actions": script(part_id, questions),
            }
        role = "audience" if args.role == "audience" else "scoreboard"
        views = views_for(next(iter(shows.values()))["actions"], args.rounds, role)
        db.engine.dispose()
        bound = sum(len(s["tokens"]) for s in shows.values())
        print(
            f"prepare: migrated, {len(shows)} contests, {bound:,} device tokens in "
            f"{time.monotonic() - started:.1f} s"
        )
    payloads = folder / "payloads.json"
    payloads.write_text(json.dumps(views, ensure_ascii=False))
    return {"shows": shows, "payloads": payloads}


def bench(url: str, label: str, args, folder: Path) -> list[dict]:
    prepared = prepare(url, args, folder)
    hoithi_env = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "HOITHI_ENV": "production",
        "SESSION_COOKIE_SECURE": "false",
    }
    bare_env = {"FANOUT_PAYLOADS": str(prepared["payloads"])}
    outcomes = []
    for n in args.clients:
        show = prepared["shows"][n]
        pair = {}
        if not args.bare_only:
            pair["hoithi"] = measure("hoithi", hoithi_env, n, args, show, folder)
        if not args.hoithi_only:
            pair["bare"] = measure("bare", bare_env, n, args, show, folder)
        outcomes.append({"n": n, "label": label, **pair})
    return outcomes


def bench_postgresql(base: str, args, folder: Path) -> list[dict]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from contest.config import normalise_database_url

    base = normalise_database_url(base)
    name = f"hoithi_fanout_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        return bench(url, "PostgreSQL", args, folder)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--rounds", type=int, default=20, help="reveals per N (default 20)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--bare-only", action="store_true")
    only.add_argument("--hoithi-only", action="store_true")
    parser.add_argument(
        "--processes", type=int, default=2, help="load-generator processes (default 2)"
    )
    parser.add_argument(
        "--as",
        dest="role",
        choices=("audience", "scoreboard"),
        default="audience",
        help="how the clients join HoiThi: bound audience devices, or the public scoreboard",
    )
    parser.add_argument(
        "--hoithi-app",
        default="wsgi:app",
        help="gunicorn's app for HoiThi (default wsgi:app, the Procfile's); another module on"
        " --pythonpath can wrap it to try a change",
    )
    parser.add_argument("--bare-app", default="fanout_bare_server:app")
    parser.add_argument("--pythonpath", action="append", default=[], metavar="DIR")
    parser.add_argument("--keep", metavar="DIR", help="keep raw receipts and server logs in DIR")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--client", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        client(args.client)
        return 0

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("SECRET_KEY", SECRET)  # load_config would write instance/secret_key
    _raise_nofile()
    print("command:", shlex.join(getattr(sys, "orig_argv", sys.argv)))
    print("date:   ", datetime.now(UTC).isoformat(timespec="seconds"))
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}; server, database and clients on the same machine"
    )
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="hoithi_fanout_") as temporary:
        folder = Path(args.keep or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if args.backend == "sqlite":
            outcomes = bench(
                f"sqlite:///{Path(temporary) / 'fanout.sqlite3'}", "SQLite", args, folder
            )
        else:
            outcomes = bench_postgresql(args.pg_url, args, folder)
    print("\n== summary (reveal: host's act → each client's state message)")
    print("N      server  connected  p50 ms  p95 ms  p99 ms  max ms  KiB/client  load")
    met = True
    for o in outcomes:
        for kind in ("hoithi", "bare"):
            r = o.get(kind)
            if r:
                s = r["reveal"]
                print(
                    f"{o['n']:<6} {kind:<7} {r['connected']:>9,} {s['p50']:7.1f} {s['p95']:7.1f} "
                    f"{s['p99']:7.1f} {s['max']:7.1f} {r['kib_per_client']:11.1f}  {r['load']}"
                )
        h, b = o.get("hoithi"), o.get("bare")
        verdicts = []
        if h:
            complete = h["connected"] == o["n"] and h["lost"] == 0
            verdicts.append(f"all {o['n']:,} connected and served: {'yes' if complete else 'NO'}")
            met &= complete
            if o["n"] in TARGETS:
                ok = h["reveal"]["p99"] < TARGETS[o["n"]]
                met &= ok
                verdicts.append(f"p99 < {TARGETS[o['n']]:.0f} ms: {'met' if ok else 'NOT met'}")
        if h and b:
            ratio99 = h["reveal"]["p99"] / b["reveal"]["p99"]
            ratio50 = h["reveal"]["p50"] / b["reveal"]["p50"]
            ok = ratio99 <= TARGET_RATIO
            met &= ok
            verdicts.append(
                f"HoiThi/bare p99 {ratio99:.2f}, p50 {ratio50:.2f}: ≤ {TARGET_RATIO} "
                + ("met" if ok else "NOT met")
            )
        print("       " + "; ".join(verdicts))
    print(f"load:    {' '.join(f'{v:.2f}' for v in os.getloadavg())} (after the run)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
