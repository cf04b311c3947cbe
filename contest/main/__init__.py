"""Home page, language switch, error pages and health checks."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from contest.main import routes  # noqa: E402,F401
