"""The pages a participant answers on (/thi/<token>) and sees the result on (/thi/<token>/ket-qua).

The attempt's token in the address is the credential, checked on every view. The taking page is
a shell: static/js/take-round.js reads the attempt from the JSON API (online/api.py), so a reload
or another device with the same link resumes the same questions, answers and deadline. No
correct answer is in either page before the round's review policy allows it.
"""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _

from contest.database import utcnow
from contest.extensions import db
from online import taking
from online.api import attempt_by_token, image_url, prediction_question
from online.blueprints import public as bp
from online.models import AttemptQuestion
from questions import images


def _attempt(token: str):
    attempt = attempt_by_token(token)
    if attempt is None:
        abort(404)
    return attempt


def _private(body, status: int = 200):
    """The token is in the address: no caching on the way, no referrer to other sites."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _labels() -> dict[str, str]:
    """The taking page's words, translated here; {n} and {total} are filled in by the script."""
    return {
        "loading": _("Loading the questions…"),
        "load_failed": _("Could not load the questions. Check the connection; trying again…"),
        "question_of": _("Question %(n)s of %(total)s", n="{n}", total="{total}"),
        "points": _("%(n)s points", n="{n}"),
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "retrying": _("Not saved yet — trying again"),
        "rejected": _("Not saved: this answer does not fit the question"),
        "unanswered": _("Not answered"),
        "choose_one": _("Choose one answer."),
        "choose_many": _("Choose one or more answers."),
        "true": _("True"),
        "false": _("False"),
        "order_hint": _("Put the items in the right order with the buttons, then save."),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "keep_order": _("Save this order"),
        "your_answer": _("Your answer"),
        "number_hint": _("Type a number."),
        "open_hint": _("Write your answer; it will be scored by the organisers."),
        "prediction": _("Prediction question"),
        "prediction_hint": _("A whole number, 0 or more."),
        "prediction_bad": _("Type a whole number, 0 or more."),
        "map_prediction": _("Prediction"),
        "map_item": _("Question %(n)s", n="{n}"),
        "map_answered": _("answered"),
        "time_left": _("Time left"),
        "one_minute": _("One minute left."),
        "time_up": _("Time is up. Submitting your answers…"),
        "submitting": _("Submitting…"),
        "submit_retrying": _("Could not submit yet — trying again…"),
        "answered_of": _(
            "You have answered %(n)s of %(total)s questions.", n="{n}", total="{total}"
        ),
        "unsaved": _("Some answers are not saved yet; they are saved before submitting."),
        "offline": _("No connection. Your answers will be saved when it is back."),
        "finished": _("This attempt has been submitted."),
    }


@bp.get("/thi/<token>")
def take(token: str):
    """The taking page: questions, countdown and saving run in take-round.js over the API."""
    attempt = _attempt(token)
    if attempt.submitted_at is not None:
        return redirect(url_for("online.result", token=token))
    round_ = attempt.round
    page = render_template(
        "online/take.html",
        attempt=attempt,
        round=round_,
        contest=round_.contest,
        labels=_labels(),
    )
    return _private(page)


def duration(ms: int) -> str:
    """Time taken as people say it: '3 min 05 s'."""
    minutes, seconds = divmod(max(ms, 0) // 1000, 60)
    return _("%(minutes)d min %(seconds)02d s", minutes=minutes, seconds=seconds)


@bp.get("/thi/<token>/ket-qua")
def result(token: str):
    """The result: score, time taken; the answers only when the round's policy allows it."""
    attempt = _attempt(token)
    if attempt.submitted_at is None:
        return redirect(url_for("online.take", token=token))
    outcome = taking.result(attempt, utcnow(), image_url(attempt))
    page = render_template(
        "online/result.html",
        attempt=attempt,
        round=attempt.round,
        contest=attempt.round.contest,
        result=outcome,
        time_taken=duration(outcome.time_taken_ms),
        prediction_question=prediction_question(attempt.round),
    )
    return _private(page)


@bp.get("/thi/<token>/anh/<int:position>")
def attempt_image(token: str, position: int):
    """The image of a question drawn into this attempt (the bank's images are staff-only)."""
    attempt = _attempt(token)
    item = db.session.get(AttemptQuestion, (attempt.id, position))
    name = item.version.image_path if item is not None else None
    if not name or not images.is_stored_name(name):
        abort(404)
    response = send_from_directory(images.upload_folder(), name, max_age=3600)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
