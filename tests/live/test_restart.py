"""Kill the server mid-question and start it again: the show carries on where it was.

A real gunicorn + gevent process (the Procfile's) on a database file. The host and a team pad
are Socket.IO clients that reconnect by themselves, as the browsers' socket.io-client does. After
the restart both see the same scene, the same question and the same deadline, the pad's answer is
accepted before that deadline, and the reveal scores it.
"""

from __future__ import annotations

import pytest

from tests.live.running import Screen, Server, host_cookie, prepare_show
from tests.servers import free_port

SECRET = "restart-test-secret"


@pytest.fixture
def show(tmp_path):
    """A migrated database file with a contest, a host account and a bound team pad."""
    url = f"sqlite:///{tmp_path / 'stage.sqlite3'}"
    ids, pad_cookie = prepare_show(url, SECRET)
    return url, ids, pad_cookie


def test_a_killed_server_restarts_from_the_log_and_every_screen_carries_on(show):
    url, ids, pad_cookie = show
    server = Server(url, free_port(), SECRET_KEY=SECRET)
    server.start()
    screens = []
    try:
        host = Screen(server.base, ids["contest"], "host", host_cookie(server.base))
        pad = Screen(server.base, ids["contest"], "device", pad_cookie)
        screens += [host, pad]
        host.act("part.start", part=ids["part"])
        host.act("question.show", question=ids["question"])
        host.act("answers.open")
        before = pad.wait_for(lambda v: v["status"] == "answer", "answers open")
        deadline = before["timer"]["deadline"]
        assert deadline is not None

        server.kill()
        server.start()
        host.wait_for_connects(2)
        pad.wait_for_connects(2)

        after = pad.views[-1]
        assert after["seq"] == before["seq"] == 3
        assert after["status"] == "answer" and after["question"]["id"] == ids["question"]
        assert after["timer"]["deadline"] == pytest.approx(deadline, abs=1e-3)
        assert host.views[-1]["scene"] == "options"

        pad.act("answer.submit", question=ids["question"], response=1)
        host.act("reveal")
        result = pad.wait_for(lambda v: v["status"] == "result", "the reveal")
        assert result["result"]["points"] == 10 and result["team"]["total"] == 10
    finally:
        for screen in screens:
            screen.sio.disconnect()
        server.stop()
