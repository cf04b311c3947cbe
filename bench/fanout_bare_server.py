"""The practical floor for bench/live_fanout.py: python-socketio under gevent, and nothing else.

    FANOUT_PAYLOADS=payloads.json gunicorn --worker-class gevent --workers 1 \
        --worker-connections 6000 --pythonpath bench fanout_bare_server:app

The same stack as HoiThi's web process (gunicorn's gevent worker, python-engineio with
simple-websocket, python-socketio's in-memory manager) without Flask, Flask-SocketIO, the
database or any view. Clients connect to the namespace /live and join one room. A client that
connects with `auth={"as": "host"}` joins another room and may send `act`: each act emits the
next view of FANOUT_PAYLOADS (a JSON list of the views HoiThi sends the measured room, so the
bytes on the wire are the same size) to the clients' room as `state {view, server_time}`, once
per room as HoiThi's broadcast does, and acknowledges `{ok, seq}`.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

import socketio  # noqa: E402

NAMESPACE = "/live"
ROOM = "clients"

with open(os.environ["FANOUT_PAYLOADS"], encoding="utf-8") as f:
    PAYLOADS = json.load(f)

sio = socketio.Server(async_mode="gevent")
app = socketio.WSGIApp(sio)
sent = [0]


@sio.on("connect", namespace=NAMESPACE)
def connect(sid, _environ, auth=None):
    host = isinstance(auth, dict) and auth.get("as") == "host"
    sio.enter_room(sid, "host" if host else ROOM, namespace=NAMESPACE)


@sio.on("act", namespace=NAMESPACE)
def act(_sid, _data=None):
    view = PAYLOADS[sent[0] % len(PAYLOADS)]
    sent[0] += 1
    sio.emit("state", {"view": view, "server_time": time.time()}, to=ROOM, namespace=NAMESPACE)
    return {"ok": True, "seq": sent[0]}
