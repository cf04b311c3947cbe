"""Starting real server processes for tests: a free port, and waiting until the app answers."""

from __future__ import annotations

import socket
import subprocess
import time

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, deadline_s: float = 60) -> None:
    """Poll the health check until it answers; give up when the process dies or time is up."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"server exited with {process.returncode}: {output}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            # Not listening yet, or listening but still importing the app (a cold start on a
            # fresh clone compiles every module first): both mean "not ready", until the deadline.
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"server did not answer {url} within {deadline_s} s")
