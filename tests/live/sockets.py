"""Socket.IO test clients for the stage: each with its own browser (cookies), bound to a seat."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from contest.extensions import socketio
from live import devices
from live.events import COOKIE_PREFIX, NAMESPACE


@contextmanager
def socket_clients(app) -> Iterator[Callable]:
    """`open_client(contest, kind, seat=None, browser=None)`; all disconnected at the end.

    `kind` is the auth's "as" (host, device, scoreboard); a `seat` (live.devices.Seat) binds a
    new device token in the client's cookie first, as joining with a code does.
    """
    clients = []

    def open_client(contest, kind, seat=None, browser=None):
        browser = browser or app.test_client()
        if seat is not None:
            token = devices.bind_device(seat)
            browser.set_cookie(f"{COOKIE_PREFIX}{contest.id}", token)
        sio = socketio.test_client(
            app,
            namespace=NAMESPACE,
            auth={"contest": contest.id, "as": kind},
            flask_test_client=browser,
        )
        clients.append(sio)
        return sio

    try:
        yield open_client
    finally:
        for sio in clients:
            if sio.is_connected(NAMESPACE):
                sio.disconnect(namespace=NAMESPACE)
