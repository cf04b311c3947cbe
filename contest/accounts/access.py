"""Role checks for views and Socket.IO events."""

from __future__ import annotations

import functools

from flask import abort
from flask_login import current_user, login_required

from contest.accounts.roles import Role


def roles_required(*roles: Role):
    """Let the view run only for a logged-in user holding one of `roles` (admin always passes)."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def staff_required(view):
    """Any logged-in staff member, whatever their roles."""
    return login_required(view)


def socket_roles_required(*roles: Role):
    """The same check for a Socket.IO event; a caller without the role gets an error ack."""

    def decorate(handler):
        @functools.wraps(handler)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                return {"ok": False, "error": "forbidden"}
            return handler(*args, **kwargs)

        return wrapped

    return decorate
