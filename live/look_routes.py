"""The organiser's logo, served to the projector and pads (they have no account)."""

from __future__ import annotations

from flask import abort, send_from_directory

from contest.extensions import db
from live import look
from live.blueprints import screens as bp
from live.models import StageContest

LOGO_MAX_AGE_S = 3600  # pages link it with ?v=<its stored name>: a new logo is a new address


@bp.get("/<int:contest_id>/logo")
def logo(contest_id: int):
    """That contest's logo, by its stored name only: no other file can be asked for."""
    contest = db.session.get(StageContest, contest_id)
    if contest is None or not look.is_logo_name(contest.logo_path):
        abort(404)
    response = send_from_directory(look.logo_folder(), contest.logo_path, max_age=LOGO_MAX_AGE_S)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
