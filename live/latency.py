"""Each pad's round trip to the server, measured by the server, for the fair buzzer.

The server sends a `probe` and times the pad's acknowledgement; the median of the last few is
the pad's round trip. It is the server's own measure, not the pad's word, so a pad cannot claim
a longer latency than it has — only delay its acknowledgements, which also slows its buzzes.
"""

from __future__ import annotations

import statistics
import time
from collections import deque

from contest.extensions import socketio

SAMPLES = 5
_round_trips: dict[str, deque[float]] = {}


def probe(sid: str, namespace: str) -> None:
    """Ask the pad to answer at once; its answer's delay is one round trip."""
    sent = time.monotonic()

    def answered(*_args) -> None:
        _round_trips.setdefault(sid, deque(maxlen=SAMPLES)).append(time.monotonic() - sent)

    socketio.emit("probe", {}, to=sid, namespace=namespace, callback=answered)


def round_trip(sid: str) -> float | None:
    """The pad's median round trip in seconds, or None before any probe came back."""
    samples = _round_trips.get(sid)
    return statistics.median(samples) if samples else None


def forget(sid: str) -> None:
    _round_trips.pop(sid, None)


def stamped(sid: str, kind: str, payload: dict) -> dict:
    """A buzz with the server's measure of the pad's round trip (never the pad's own claim)."""
    if kind != "buzz":
        return payload
    clean = {key: value for key, value in payload.items() if key != "rtt"}
    measured = round_trip(sid)
    if measured is not None:
        clean["rtt"] = round(measured, 4)
    return clean
