"""Themes: directives, conclusions, whole-term and annual themes."""

from flask import Blueprint

bp = Blueprint("themes", __name__)

from contest.themes import routes  # noqa: E402,F401
