"""Socket.IO: the staff namespace, open only to signed-in staff."""

from flask_login import current_user
from flask_socketio import ConnectionRefusedError

from contest.accounts.access import socket_roles_required
from contest.accounts.roles import Role
from contest.extensions import socketio

STAFF_NAMESPACE = "/staff"


@socketio.on("connect", namespace=STAFF_NAMESPACE)
def staff_connect(auth=None):
    """Refuse anyone who is not signed in."""
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("unauthorized")


@socketio.on("whoami", namespace=STAFF_NAMESPACE)
@socket_roles_required(*Role)
def whoami():
    """Tell a staff screen who it is connected as (and so which controls to show)."""
    return {
        "ok": True,
        "username": current_user.username,
        "roles": sorted(role.value for role in current_user.roles),
    }
