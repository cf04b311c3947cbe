"""The organisation tree: units, their kinds and headcounts."""

from flask import Blueprint

bp = Blueprint("units", __name__)

from contest.units import routes  # noqa: E402,F401
