"""Account rules: creating staff, roles, passwords, deactivation."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.accounts.roles import Role
from contest.database import utcnow
from contest.extensions import db

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request the rules refuse; the message is for the person who made it."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )


def create_user(username, full_name, password, roles=(), email=None) -> User:
    """Add a staff account; the caller commits."""
    username = normalise_username(username)
    if find_user(username) is not None:
        raise AccountError(_("The username %(name)s is taken.", name=username))
    check_password_rules(password)
    user = User(username=username, full_name=full_name.strip(), email=(email or None))
    user.set_password(password)
    user.set_roles(roles)
    db.session.add(user)
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def active_admin_count() -> int:
    from contest.accounts.models import UserRole

    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(User.active.is_(True), UserRole.role == Role.ADMIN.value)
    )


def _guard_last_admin(user: User, losing_admin: bool) -> None:
    if losing_admin and Role.ADMIN in user.roles and user.active and active_admin_count() <= 1:
        raise AccountError(_("At least one active administrator must remain."))


def update_user(user: User, full_name: str, email: str | None, roles) -> None:
    roles = {Role(r) for r in roles}
    _guard_last_admin(user, losing_admin=Role.ADMIN not in roles)
    user.full_name = full_name.strip()
    user.email = email or None
    user.set_roles(roles)


def reset_password(user: User, new_password: str) -> None:
    """Set a new password and end the user's open sessions."""
    check_password_rules(new_password)
    user.set_password(new_password)
    user.session_version += 1


def set_active(user: User, active: bool) -> None:
    if not active:
        _guard_last_admin(user, losing_admin=True)
        user.session_version += 1
    user.active = active
