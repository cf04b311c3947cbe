"""The participants' JSON API for taking a round (/api/online), used by the taking page.

Participants have no account. Starting needs the personal link's token in the body; every other
call names the attempt by its token in the path (43 random URL-safe characters): knowing it is
the credential, checked on every call. Errors are JSON: {"error": code, "message": sentence}.
docs/online-api.md describes each call; online/api_schema.py lists them in the OpenAPI document.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from contest.database import utcnow
from contest.extensions import csrf, db, limiter
from online import finaliser, quick_save, taking
from online.attempt_view import question_view, to_shown
from online.blueprints import api as bp
from online.contests import DEFAULT_PREDICTION_TEXT
from online.models import Attempt, Participant, Prediction, Round

# The API authenticates with tokens sent in the body or the path, never with cookies, so a page
# on another site cannot make a browser act with credentials it does not know: there is nothing
# for CSRF to forge, and the taking page's fetch calls carry no CSRF token.
csrf.exempt(bp)

STATUS = {
    "unknown_participant": 404,
    "unknown_round": 404,
    "unknown_attempt": 404,
    "no_such_question": 404,
    "not_registered": 403,
    "not_open": 409,
    "no_attempts_left": 409,
    "submitted": 409,
    "not_submitted": 409,
    "past_deadline": 410,
    "bad_request": 422,
    "bad_response": 422,
    "no_prediction": 422,
    "draw_failed": 503,
}


def _limit(name: str):
    return lambda: current_app.config[name]  # contest/config.py: from the environment


@limiter.request_filter
def _not_limited() -> bool:
    """Only starting is rate-limited in this API: the other calls skip the limiter's bookkeeping.

    A save is the busiest request of a round; looking up limits it has none of cost it about 5%
    of its time (bench/RESULTS.md). Knowing the attempt's token is what lets a call in.
    """
    return request.blueprint == bp.name and request.endpoint != f"{bp.name}.attempt_start"


def _participant_key() -> str:
    body = request.get_json(silent=True)
    token = body.get("participant") if isinstance(body, dict) else None
    return "online-api-start:" + str(token or "")[:64]


def _error(code: str, message: str, status: int | None = None):
    return jsonify({"error": code, "message": message}), status or STATUS[code]


@bp.errorhandler(taking.Refused)
def refused(exc: taking.Refused):
    db.session.rollback()
    return _error(exc.code, str(exc))


@bp.errorhandler(429)
def too_many(_exc):
    return _error("too_many", _("Too many attempts in a short time. Wait a minute."), 429)


@bp.after_request
def private(response):
    """Tokens travel in these addresses: never cache them, never pass them on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.record_once
def _start_finaliser(state) -> None:
    app = state.app

    @app.before_request
    def start_finaliser_loop():  # once per serving process; cheap after the first call
        finaliser.start_loop(app)


# ---- helpers shared with the taking pages -------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    """An aware time as ISO 8601 in UTC with milliseconds: 2026-05-18T03:00:00.000Z."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def attempt_by_token(token: str) -> Attempt | None:
    """The attempt this token names (finalised first if its time is up), or None."""
    if not token or len(token) > 64:
        return None
    attempt = db.session.scalar(select(Attempt).where(Attempt.token == token))
    if attempt is not None:
        finaliser.finalise_if_overdue(attempt, utcnow())
    return attempt


def _attempt(token: str) -> Attempt:
    attempt = attempt_by_token(token)
    if attempt is None:
        raise taking.Refused("unknown_attempt", _("There is no attempt with this link."))
    return attempt


def image_url(attempt: Attempt):
    def url(item) -> str | None:
        if not item.version.image_path:
            return None
        return url_for("online.attempt_image", token=attempt.token, position=item.position)

    return url


def prediction_question(round_: Round) -> str | None:
    if round_.prediction == Prediction.NONE.value:
        return None
    return round_.prediction_text or str(DEFAULT_PREDICTION_TEXT[Prediction(round_.prediction)])


def attempt_json(attempt: Attempt, now: datetime) -> dict:
    """Everything the taking page needs to show (or resume) the attempt; no correct answer."""
    round_ = attempt.round
    items = {item.position: item for item in attempt.questions}
    answers = taking.saved_answers(attempt)
    question = prediction_question(round_)
    return {
        "attempt": attempt.token,
        "number": attempt.number,
        "contest": {"title": round_.contest.title},
        "round": {
            "id": round_.id,
            "number": round_.number,
            "title": round_.title,
            "one_per_screen": round_.one_per_screen,
            "time_limit_s": round_.time_limit_s,
            "grace_s": round_.grace_s,
        },
        "started_at": iso(attempt.started_at),
        "deadline": iso(attempt.deadline),
        "server_now": iso(now),
        "seconds_left": round(max((attempt.deadline - now).total_seconds(), 0.0), 3),
        "submitted": attempt.submitted_at is not None,
        "questions": [question_view(item, image_url(attempt)(item)) for item in items.values()],
        "answers": {
            str(position): {
                "response": to_shown(
                    items[position].version.content, items[position].shown_order, answer.response
                ),
                "saved_at": iso(answer.saved_at),
            }
            for position, answer in answers.items()
            if position in items
        },
        "prediction": None
        if question is None
        else {"question": question, "response": attempt.prediction},
        "links": {
            "page": url_for("online.take", token=attempt.token),
            "result": url_for("online.result", token=attempt.token),
        },
    }


def result_json(attempt: Attempt, now: datetime) -> dict:
    """Score and time; per question review only when the round's policy allows it now."""
    result = taking.result(attempt, now, image_url(attempt))
    return {
        "attempt": attempt.token,
        "submitted_at": iso(result.submitted_at),
        "finalised_by": result.finalised_by,
        "score": result.score,
        "max_score": result.max_score,
        "full_marks": result.correct_count,
        "question_count": result.question_count,
        "time_taken_ms": result.time_taken_ms,
        "prediction": result.prediction,
        "review_policy": result.review_policy,
        "review_from": iso(result.review_from),
        "review": result.review,
    }


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise taking.Refused("bad_request", _("Send a JSON object."))
    return body


# ---- endpoints ----------------------------------------------------------------------------------


@bp.post("/attempts")
@limiter.limit(_limit("ONLINE_START_LIMIT_PER_ADDRESS"), key_func=get_remote_address)
@limiter.limit(_limit("ONLINE_START_LIMIT_PER_PARTICIPANT"), key_func=_participant_key)
def attempt_start():
    """Start an attempt at a round, or resume the unfinished one (201 new, 200 resumed)."""
    body = _body()
    token, round_id = body.get("participant"), body.get("round")
    participant = None
    if isinstance(token, str) and 0 < len(token) <= 64:
        participant = db.session.scalar(select(Participant).where(Participant.token == token))
    if participant is None:
        raise taking.Refused("unknown_participant", _("This personal link is not valid."))
    round_ = db.session.get(Round, round_id) if isinstance(round_id, int) else None
    if (
        round_ is None
        or round_.contest_id != participant.contest_id
        or not round_.contest.published
    ):
        raise taking.Refused("unknown_round", _("There is no such round in your contest."))
    now = utcnow()
    attempt = taking.start_attempt(round_, participant, now)
    db.session.commit()
    created = attempt.started_at == now
    body = attempt_json(attempt, utcnow())
    quick_save.remember(attempt)
    return jsonify(body), 201 if created else 200


@bp.get("/attempts/<token>")
def attempt_get(token: str):
    """The attempt: deadline and server time, questions in the order shown, saved answers."""
    return jsonify(attempt_json(_attempt(token), utcnow()))


@bp.put("/attempts/<token>/answers/<int:position>")
def answer_put(token: str, position: int):
    """Save the answer to one question (shown indices); saving again replaces it."""
    now = utcnow()
    body = request.get_json(silent=True)
    if isinstance(body, dict) and "response" in body:
        if taking.save_by_token(token, position, body["response"], now):
            db.session.commit()
            return jsonify({"saved": True, "position": position, "saved_at": iso(now)})
        db.session.rollback()  # unknown, late or submitted: the full path says which
    attempt = _attempt(token)
    body = _body()
    if "response" not in body:
        raise taking.Refused("bad_response", _("This answer does not fit the question."))
    answer = taking.save_answer(attempt, position, body["response"], now)
    db.session.commit()
    return jsonify({"saved": True, "position": position, "saved_at": iso(answer.saved_at)})


@bp.put("/attempts/<token>/prediction")
def prediction_put(token: str):
    """Save the answer to the prediction question: a whole number, 0 or more."""
    attempt = _attempt(token)
    now = utcnow()
    taking.save_prediction(attempt, _body().get("prediction"), now)
    db.session.commit()
    return jsonify({"saved": True, "prediction": attempt.prediction, "saved_at": iso(now)})


@bp.post("/attempts/<token>/submit")
def attempt_submit(token: str):
    """Submit and score the attempt; submitting again returns the same result."""
    attempt = _attempt(token)
    now = utcnow()
    taking.submit(attempt, now)
    db.session.commit()
    return jsonify(result_json(attempt, now))


@bp.get("/attempts/<token>/result")
def attempt_result(token: str):
    """The result of a submitted attempt (409 before it is submitted)."""
    return jsonify(result_json(_attempt(token), utcnow()))


# The endpoints' OpenAPI description lives beside this module; importing it registers them.
from online import api_schema  # noqa: E402,F401
