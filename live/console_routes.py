"""The host console: the run of show, the current question with its answer, every control.

The page holds what does not change during the show — the parts and their questions, the teams,
the judges, the join codes — and the script (static/js/live/console.js) fills in the rest from
the host's view over Socket.IO. A secretary may watch: the controls are disabled for them, and
the server refuses their actions anyway.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from live.blueprints import admin as bp
from live.models import StageContest
from live.rules import part_rules
from live.screen_routes import labels as screen_labels


def run_of_show(contest: StageContest) -> list[dict]:
    """Parts in order with their questions' ids and short stems: the console's left column."""
    parts = []
    for part in contest.parts:
        rules = part_rules(part.format, part.settings)
        parts.append(
            {
                "id": part.id,
                "title": part.title,
                "format": part.format,
                "format_label": str(part.part_format.label),
                "criteria": rules.get("criteria", []) if part.format == "judged" else [],
                "questions": [
                    {"id": q.id, "number": n, "stem": _short(q.content.get("stem", ""))}
                    for n, q in enumerate(part.questions, start=1)
                ],
            }
        )
    return parts


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def console_labels() -> dict[str, str]:
    """The console's words on top of the screens' ones; {…} are filled in by the script."""
    return {
        **screen_labels(),
        "no_question": _("No question on stage"),
        "notes": _("Notes for the MC"),
        "phase": _("Phase"),
        "phases": {
            "shown": _("shown"),
            "answering": _("answering"),
            "closed": _("answers closed"),
            "buzzers_open": _("buzzers open"),
            "buzzed": _("buzzed"),
            "marked": _("marked"),
            "revealed": _("revealed"),
        },
        "sheet_status": {
            "open": _("being scored"),
            "closed": _("scoring closed"),
            "published": _("published"),
        },
        "projector": _("Projector"),
        "connected": _("connected"),
        "disconnected": _("not connected"),
        "no_devices": _("No device has joined yet"),
        "undo_confirm": _("Take back the last action?"),
        "finish_confirm": _("Finish the contest and show the final results?"),
        "reason_required": _("Give a reason for the correction."),
        "pick_two": _("Tap two or more teams, best first."),
        "ms": _("%(ms)s ms", ms="{ms}"),
        "mean": _("Mean"),
    }


@bp.get("/<int:contest_id>/console")
@roles_required(Role.HOST, Role.SECRETARY)
def console(contest_id: int):
    """Run the show: every control, the answer and notes, answers, buzzes, marks, devices."""
    contest = db.session.get(StageContest, contest_id)
    if contest is None:
        abort(404)
    can_act = current_user.has_role(Role.HOST)
    return render_template(
        "live/screens/console.html",
        contest=contest,
        can_act=can_act,
        parts=run_of_show(contest),
        labels=console_labels(),
        judges=[{"id": j.id, "name": j.name} for j in contest.judges],
    )
