"""The show's device screens: joining with a code, team pads, judges' pads, the projector.

A device has no account. It joins once with its seat's code and keeps the device token in a
cookie for that contest; every screen here checks the token, and the Socket.IO side checks the
same cookie at connect (live/events.py). A device on the wrong screen is sent to its own.
The public scoreboard needs nothing.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from contest.extensions import db, limiter
from contest.forms import Form
from live import devices
from live.blueprints import screens as bp
from live.final_words import final_labels
from live.messages import message
from live.models import DeviceRole, StageContest

COOKIE_AGE_S = 3 * 24 * 3600  # a show and its rehearsal; a new code is typed after that
SCREEN_FOR = {
    DeviceRole.TEAM: "live.pad",
    DeviceRole.JUDGE: "live.judge",
    DeviceRole.PROJECTOR: "live.screen",
    DeviceRole.AUDIENCE: "live.audience",  # live/audience_routes.py
    DeviceRole.PLAYER: "live.player",  # Rung chuông vàng's phones: live/player_routes.py
}


def cookie_name(contest_id: int) -> str:
    """One cookie per contest: a device may hold seats in two shows (a rehearsal and the final)."""
    return f"hoithi_stage_{contest_id}"


def _join_limit() -> str:
    # Per client address; a hall's pads usually share one address, so it is generous.
    return current_app.config.get("STAGE_JOIN_LIMIT") or "20 per minute"


class JoinForm(Form):
    code = StringField(_l("Join code"), validators=[DataRequired(), Length(max=20)])
    # Rung chuông vàng: a player types the contest's player code and the number on their seat.
    seat = StringField(_l("Seat number"), validators=[Length(max=6)])
    submit = SubmitField(_l("Join"))


def _private(body, status: int = 200):
    """A device's page: never cached on the way, its address never sent elsewhere."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
def join():
    """Type (or scan) a seat's code; the device is bound to that seat and sent to its screen."""
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:20]  # from a QR code: the person only taps Join
        form.seat.data = request.args.get("seat", "")[:6]
    if form.validate_on_submit():
        seat = devices.seat_for_code(form.code.data)
        if seat is None:  # a player code with a seat number? (live/player_routes.py)
            from live.player_routes import player_seat

            seat = player_seat(form.code, form.seat)
        if seat is None and not form.seat.errors:  # else the seat field says what is wrong
            form.code.errors.append(_("This code opens no seat. Check it with the organisers."))
        elif seat is not None:
            token = devices.bind_device(seat)
            response = redirect(url_for(SCREEN_FOR[seat.role], contest_id=seat.contest_id))
            response.set_cookie(
                cookie_name(seat.contest_id),
                token,
                max_age=COOKIE_AGE_S,
                httponly=True,
                samesite="Lax",
                secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                path="/",  # the Socket.IO handshake (/socket.io/) must carry it too
            )
            return response
    return _private(render_template("live/screens/join.html", form=form))


def _seat_page(contest_id: int, role: DeviceRole, template: str):
    """The device's own screen, or a redirect: to /stage/join without a seat, or to its screen."""
    seat = devices.device_seat(contest_id, request.cookies.get(cookie_name(contest_id)))
    if seat is None:
        return redirect(url_for("live.join"))
    if seat.role is not role:
        return redirect(url_for(SCREEN_FOR[seat.role], contest_id=contest_id))
    contest = db.session.get(StageContest, contest_id)
    judges = [{"id": j.id, "name": j.name} for j in contest.judges]
    page = render_template(template, contest=contest, seat=seat, labels=labels(), judges=judges)
    return _private(page)


@bp.get("/<int:contest_id>/pad")
def pad(contest_id: int):
    """A team's pad: answer, buzz, see the team's points."""
    return _seat_page(contest_id, DeviceRole.TEAM, "live/screens/pad.html")


@bp.get("/<int:contest_id>/judge")
def judge(contest_id: int):
    """A judge's pad: the rubric of the team on stage."""
    return _seat_page(contest_id, DeviceRole.JUDGE, "live/screens/judge.html")


@bp.get("/<int:contest_id>/screen")
def screen(contest_id: int):
    """The projector: scenes chosen by the host."""
    return _seat_page(contest_id, DeviceRole.PROJECTOR, "live/screens/screen.html")


@bp.get("/<int:contest_id>/scoreboard")
def scoreboard(contest_id: int):
    """Public standings, read-only: for the audience's phones and a second screen."""
    contest = db.session.get(StageContest, contest_id)
    if contest is None:
        abort(404)
    return render_template("live/screens/scoreboard.html", contest=contest, labels=labels())


def labels() -> dict[str, str]:
    """The screens' words, translated here; {name}, {n}, {ms} … are filled in by the scripts."""
    return {
        "connecting": _("Connecting…"),
        "online": _("Connected"),
        "offline": _("Connection lost — reconnecting"),
        "refused": _("This screen was refused. Join again with the code."),
        "not_sent": _("Not sent: no connection. Try again in a moment."),
        "no_reply": _("No reply from the server. Try again."),
        "question_n": _("Question %(n)s", n="{n}"),
        "points_n": _("%(n)s points", n="{n}"),
        "waiting": _("Waiting for the question"),
        "send": _("Send"),
        "sent": _("Sent: %(answer)s", answer="{answer}"),
        "sending": _("Sending…"),
        "locked": _("Answers are closed"),
        "locked_out": _("Your team is out of this question"),
        "buzz_wait": _("Your team can't buzz at the moment"),
        "buzz": _("BUZZ"),
        "buzz_early": _("The buzzers are not open — pressing early puts you out of this question"),
        "buzz_open": _("Buzzers open!"),
        "won": _("Your team has the right to answer!"),
        "right": _("Right"),
        "wrong": _("Wrong"),
        "question_over": _("The question is over"),
        "your_answer": _("Your team's answer"),
        "correct_answer": _("Correct answer"),
        "earned": _("+%(n)s points", n="{n}"),
        "true": _("True"),
        "false": _("False"),
        "order_hint": _("Tap the items in the right order."),
        "clear": _("Start again"),
        "type_answer": _("Type your answer"),
        "on_stage": _("On stage"),
        "nobody_on_stage": _("No team on stage yet"),
        "submit_marks": _("Send the marks"),
        "marks_sent": _("Marks sent"),
        "bad_marks": message("bad_marks"),
        "amend": _("You can change your marks until the host closes the scoring."),
        "scoring_closed": _("Scoring is closed"),
        "published": _("Published"),
        "judge_n": _("Judge %(n)s", n="{n}"),
        "score": _("Score"),
        "no_judged_part": _("No judged part is running"),
        "penalty": _("Penalty −%(n)s", n="{n}"),
        "answered_n": _("%(n)s of %(total)s teams answered", n="{n}", total="{total}"),
        "buzz_order": _("Buzz order"),
        "early": _("early"),
        "results": _("Final results"),
        "standings": _("Standings"),
        "no_answer": _("no answer"),
        # The big countdown at zero, and the banner every screen shows during a rehearsal.
        "time_up": _("TIME'S UP"),
        "rehearsal": _("REHEARSAL — results are not recorded"),
        **final_labels(),  # packages, Rung chuông vàng, the podium: live/final_words.py
    }
