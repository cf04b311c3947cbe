"""The near-duplicate report: groups of questions that say almost the same thing, for clean-up.

Added to the bank's blueprint; `contest/__init__.py` imports this module before registering it.
"""

from __future__ import annotations

import math

from flask import render_template, request

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from questions import duplicates
from questions.routes import bp

# Low thresholds cost the server dearly: on a 20,000-question bank ~3 s at 90 but ~50 s at 80,
# because far more pairs must be scored exactly; below 85 a staff page could hang.
LOWEST_THRESHOLD = 85.0


def _threshold() -> float:
    asked = request.args.get("threshold", type=float)
    if asked is None or not math.isfinite(asked) or not LOWEST_THRESHOLD <= asked <= 100:
        return duplicates.threshold_setting()
    return asked


@bp.get("/questions/duplicates")
@roles_required(Role.EDITOR, Role.REVIEWER)
def duplicate_report():
    """Groups of near-identical questions, each scored against its first, at a chosen threshold."""
    threshold = _threshold()
    groups = [
        duplicates.scored_against_first(group) for group in duplicates.duplicate_clusters(threshold)
    ]
    return render_template(
        "questions/duplicates.html",
        groups=groups,
        threshold=threshold,
        lowest=LOWEST_THRESHOLD,
    )
