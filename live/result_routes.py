"""The result sheet (printable), its XLSX, and the whole event log for audit."""

from __future__ import annotations

from flask import Response, render_template

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from live import rehearsal, results, service
from live.blueprints import admin
from live.models import StageContest

RESULT_ROLES = (Role.HOST, Role.SECRETARY)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes | str, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@admin.get("/<int:contest_id>/results")
@roles_required(*RESULT_ROLES)
def result_sheet(contest_id: int):
    """The result sheet: standings, each part per team, each judge's marks, corrections."""
    contest = db.get_or_404(StageContest, contest_id)
    sheet = results.result_sheet(contest.id)
    return render_template(
        "live/results.html",
        contest=contest,
        sheet=sheet,
        rehearsals=rehearsal.rehearsal_runs(contest.id),
        rehearsing=rehearsal.is_rehearsal(contest.current_run),
    )


@admin.get("/<int:contest_id>/results.xlsx")
@roles_required(*RESULT_ROLES)
def result_workbook(contest_id: int):
    """The same in one workbook, with the event log as its last sheet."""
    contest = db.get_or_404(StageContest, contest_id)
    return _download(results.workbook_bytes(contest.id), f"hoi-thi-{contest.id}-ket-qua.xlsx", XLSX)


@admin.get("/<int:contest_id>/events.json")
@roles_required(*RESULT_ROLES, Role.ADMIN)
def event_log(contest_id: int):
    """Every event as recorded, in order: what happened, who did it, at what server time."""
    contest = db.get_or_404(StageContest, contest_id)
    rows = [
        {
            "run": row.run,
            "seq": row.seq,
            "type": row.type,
            "payload": row.payload,
            "actor": row.actor,
            "at": row.at.isoformat(),
        }
        for row in service.event_rows(contest.id)
    ]
    body = service.payload_text({"contest": contest.id, "title": contest.title, "events": rows})
    return _download(body, f"hoi-thi-{contest.id}-nhat-ky.json", "application/json")
