"""The /staff Socket.IO namespace knows who is connected and checks roles."""

from contest.accounts.events import STAFF_NAMESPACE
from contest.accounts.roles import Role
from contest.extensions import socketio


def connect(app, client):
    return socketio.test_client(app, namespace=STAFF_NAMESPACE, flask_test_client=client)


def test_an_anonymous_browser_cannot_join_the_staff_namespace(app, client):
    sio = connect(app, client)
    assert not sio.is_connected(STAFF_NAMESPACE)


def test_a_signed_in_host_learns_their_roles_over_the_socket(app, client, login_as):
    login_as(Role.HOST, Role.JUDGE, username="dan")
    sio = connect(app, client)
    assert sio.is_connected(STAFF_NAMESPACE)
    reply = sio.emit("whoami", namespace=STAFF_NAMESPACE, callback=True)
    assert reply == {"ok": True, "username": "dan", "roles": ["host", "judge"]}
    sio.disconnect(namespace=STAFF_NAMESPACE)


def test_a_staff_member_without_roles_is_refused_by_role_checked_events(app, client, login_as):
    login_as()
    sio = connect(app, client)
    reply = sio.emit("whoami", namespace=STAFF_NAMESPACE, callback=True)
    assert reply == {"ok": False, "error": "forbidden"}
    sio.disconnect(namespace=STAFF_NAMESPACE)
