"""The host console: the run of show, the current question with its answer, every control.

The page holds what does not change during the show — the parts and their questions, the teams,
the judges, the join codes — and the script (static/js/live/console.js) fills in the rest from
the host's view over Socket.IO. A secretary may watch: the controls are disabled for them, and
the server refuses their actions anyway.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from contest.forms import ConfirmForm
from live import rehearsal
from live.blueprints import admin as bp
from live.models import PartFormat, StageContest
from live.presenting import short_stem
from live.rules import part_rules
from live.screen_routes import labels as screen_labels
from questions.markdown import render


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
                    {"id": q.id, "number": n, "stem": short_stem(q.content)}
                    for n, q in enumerate(part.questions, start=1)
                ],
            }
        )
    return parts


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
        has_judged=any(part.format == PartFormat.JUDGED for part in contest.parts),
        rehearsing=rehearsal.is_rehearsal(contest.current_run),
    )


# ---- the MC's script -----------------------------------------------------------------------------


def script_parts(contest: StageContest) -> list[dict]:
    """Every part with its questions' stems and the MC's notes: what comes next, for the script."""
    return [
        {
            "id": part.id,
            "title": part.title,
            "questions": [
                {
                    "id": q.id,
                    "number": n,
                    "stem_html": str(render(q.content.get("stem", ""))),
                    "notes": q.notes or "",
                }
                for n, q in enumerate(part.questions, start=1)
            ],
        }
        for part in contest.parts
    ]


@bp.get("/<int:contest_id>/script")
@roles_required(Role.HOST, Role.SECRETARY)
def script(contest_id: int):
    """The MC's script on a tablet: now, its answer and notes, and what comes next. Read-only."""
    contest = db.get_or_404(StageContest, contest_id)
    labels = {
        **console_labels(),
        "now": _("Now"),
        "next": _("Coming next"),
        "next_part": _("Next part"),
        "end": _("End of the show: the results"),
        "explanation": _("Explanation"),
        "not_started": _("The show has not started yet"),
    }
    return render_template(
        "live/screens/script.html", contest=contest, parts=script_parts(contest), labels=labels
    )


# ---- rehearsal -----------------------------------------------------------------------------------


def _console_redirect(contest_id: int):
    return redirect(url_for("live_admin.console", contest_id=contest_id))


@bp.post("/<int:contest_id>/rehearsal/start")
@roles_required(Role.HOST)
def rehearsal_start(contest_id: int):
    """Run the show into a new rehearsal log; the live run waits untouched."""
    contest = db.get_or_404(StageContest, contest_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rehearsal.start(contest)
    flash(_("Rehearsal started: nothing done now counts in the results."), "info")
    return _console_redirect(contest.id)


@bp.post("/<int:contest_id>/rehearsal/stop")
@roles_required(Role.HOST)
def rehearsal_stop(contest_id: int):
    """Back to the live run, exactly where it was before the rehearsal."""
    contest = db.get_or_404(StageContest, contest_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rehearsal.stop(contest)
    flash(_("Rehearsal ended: the show is back on its live run."), "success")
    return _console_redirect(contest.id)
