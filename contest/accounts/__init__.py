"""Staff accounts, roles and login."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from contest.accounts import cli, events, routes  # noqa: E402,F401
