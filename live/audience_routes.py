"""The audience's side of the show: the phone page, the QR code the projector shows, poll words.

A phone in the hall scans the projector's QR code, lands on /stage/join with the audience code
filled in, taps Join and is bound as an audience device (one device, one vote); it then sees the
open poll and the public standings here. The QR code is public: it is on the wall anyway.
"""

from __future__ import annotations

import io

import segno
from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contest.extensions import db
from live import devices
from live.blueprints import screens as bp
from live.models import DeviceRole, StageContest
from live.presenting import short_stem
from live.screen_routes import SCREEN_FOR, _private, cookie_name
from live.screen_routes import labels as screen_labels


def _contest(contest_id: int) -> StageContest:
    contest = db.session.get(StageContest, contest_id)
    if contest is None:
        abort(404)
    return contest


def join_url(contest: StageContest) -> str:
    """The address the QR code holds: the join page with the audience code filled in."""
    return url_for("live.join", code=devices.audience_code(contest), _external=True)


@bp.get("/<int:contest_id>/audience-qr.svg")
def audience_qr(contest_id: int):
    """The QR code of the audience's join link, for the projector's poll scene."""
    buffer = io.BytesIO()
    segno.make(join_url(_contest(contest_id)), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/<int:contest_id>/audience")
def audience(contest_id: int):
    """An audience phone: the open poll to vote in, then the public standings."""
    seat = devices.device_seat(contest_id, request.cookies.get(cookie_name(contest_id)))
    if seat is None:
        return redirect(url_for("live.join"))
    if seat.role is not DeviceRole.AUDIENCE:
        return redirect(url_for(SCREEN_FOR[seat.role], contest_id=contest_id))
    contest = _contest(contest_id)
    page = render_template(
        "live/screens/audience.html",
        contest=contest,
        labels={**screen_labels(), **poll_labels()},
        colours={str(team.id): team.colour for team in contest.teams},
    )
    return _private(page)


def poll_labels() -> dict[str, str]:
    """The polls' words on the phone, the projector and the console; {n} is filled by scripts."""
    return {
        "favourite_title": _("Vote for your favourite team"),
        "question_title": _("Audience question"),
        "voted": _("Voted — you can change your mind until the poll closes"),
        "no_poll": _("No poll is open. Wait for the MC to open one."),
        "poll_closed": _("The poll is closed"),
        "poll_open": _("The poll is open"),
        "votes_n": _("%(n)s votes", n="{n}"),
        "total_n": _("%(n)s votes in all", n="{n}"),
        "join_how": _("Scan the QR code or open"),
        "audience_n": _("%(n)s audience phones connected", n="{n}"),
        "result": _("Result"),
        "choice": _("Choice"),
        "votes": _("Votes"),
    }


@bp.app_template_global()
def poll_screen_data(contest: StageContest) -> dict:
    """What the projector's poll scene needs beyond the view: words, team colours, the join link."""
    url = join_url(contest)
    return {
        "labels": poll_labels(),
        "colours": {str(team.id): team.colour for team in contest.teams},
        "join_url": url,
        "join_text": url.split("://", 1)[-1],
        "qr": url_for("live.audience_qr", contest_id=contest.id),
    }


@bp.app_template_global()
def poll_console_data(contest: StageContest) -> dict:
    """The console's poll controls: words and the show's single-choice questions."""
    questions = []
    for part in contest.parts:
        for number, question in enumerate(part.questions, start=1):
            if question.content.get("type") == "single":
                stem = short_stem(question.content, 70)
                questions.append({"id": question.id, "label": f"{part.title} · {number}. {stem}"})
    return {
        "labels": poll_labels(),
        "colours": {str(team.id): team.colour for team in contest.teams},
        "questions": questions,
    }
