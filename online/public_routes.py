"""Participants' pages: a contest, registering, the personal page, coming back, starting a round.

No account and no password: a person proves who they are with their personal link's token, which
every view here checks against the contest in the address. Only published contests exist for
visitors; anything else is a 404. Registering and coming back are rate-limited per address.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from contest.database import utcnow
from contest.extensions import db, limiter
from contest.forms import ConfirmForm
from online import contests, registration
from online.blueprints import public as bp
from online.contests import OFF
from online.forms import FIELD_LABELS, GENDER_LABELS, ComeBackForm, registration_form
from online.models import Attempt, OnlineContest, Round

# Per client address; a computer room registering together may need more (set in the config).
DEFAULT_LIMITS = {
    "ONLINE_REGISTER_LIMIT": "5 per minute;30 per hour",
    "ONLINE_COMEBACK_LIMIT": "10 per minute;60 per hour",
    "ONLINE_START_LIMIT": "10 per minute",
}


def _limit(name: str):
    return lambda: current_app.config.get(name) or DEFAULT_LIMITS[name]


def _personal_key() -> str:
    # Starting is limited per personal link, so people behind one address don't share a quota.
    return "online-start:" + str((request.view_args or {}).get("token", ""))


def _published(slug: str) -> OnlineContest:
    contest = db.session.scalar(select(OnlineContest).where(OnlineContest.slug == slug))
    if contest is None or not contest.published:
        abort(404)
    return contest


def _participant(contest: OnlineContest, token: str):
    participant = registration.by_token(contest, token)
    if participant is None:
        abort(404)
    return participant


def _private(response):
    """A personal page: not cached on the way, and its address not sent to other sites."""
    response = make_response(response)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.get("/cuoc-thi")
def contest_index():
    """Published contests, newest first."""
    published = db.session.scalars(
        select(OnlineContest)
        .where(OnlineContest.published)
        .order_by(OnlineContest.created_at.desc(), OnlineContest.id.desc())
    ).all()
    return render_template(
        "online/public/index.html",
        contests=published,
        now=utcnow(),
        round_state=contests.round_state,
        state_labels=contests.STATE_LABELS,
    )


@bp.get("/cuoc-thi/<slug>")
def contest_page(slug: str):
    """A contest: what it is about, its rules, its rounds; register or come back."""
    contest = _published(slug)
    return render_template(
        "online/public/contest.html",
        contest=contest,
        now=utcnow(),
        round_state=contests.round_state,
        state_labels=contests.STATE_LABELS,
        can_come_back=_can_come_back(contest),
    )


def _can_come_back(contest: OnlineContest) -> bool:
    return OFF not in (
        contests.field_setting(contest, "phone"),
        contests.field_setting(contest, "date_of_birth"),
    )


@bp.route("/cuoc-thi/<slug>/dang-ky", methods=["GET", "POST"])
@limiter.limit(_limit("ONLINE_REGISTER_LIMIT"), methods=["POST"])
def register(slug: str):
    """Register: the fields this contest asks for; then the personal page."""
    contest = _published(slug)
    form = registration_form(contest)
    staff = current_user.is_authenticated
    if form.is_submitted():
        form_ok = form.validate()  # the CSRF token is checked app-wide before the view runs
        try:
            if form_ok:
                participant = registration.register(contest, form.values(), staff=staff)
            else:
                registration.checked(contest, form.values())  # report every problem at once
        except registration.RegistrationInvalid as exc:
            db.session.rollback()
            _show_problems(form, exc.errors)
        else:
            if form_ok:
                db.session.commit()
                flash(_("You are registered. Keep the link of this page."), "success")
                return redirect(
                    url_for("online.personal", slug=contest.slug, token=participant.token)
                )
    status = 400 if form.errors else 200
    return render_template(
        "online/public/register.html",
        contest=contest,
        form=form,
        staff=staff,
        can_come_back=_can_come_back(contest),
    ), status


def _show_problems(form, errors: dict[str, str]) -> None:
    """The service's messages beside their fields, unless the form already said something."""
    for name, message in errors.items():
        target = "unit_query" if name == "unit" else name
        target = target if target in form else "full_name"
        if not form[target].errors:
            form[target].errors = [message]


@bp.get("/cuoc-thi/<slug>/don-vi")
def unit_search(slug: str):
    """Units matching the words typed (accents optional), for the registration form's list."""
    contest = _published(slug)
    if contests.field_setting(contest, "unit") == OFF:
        abort(404)
    query = request.args.get("q", "")[:100]
    matches = registration.unit_matches(query) if len(query.strip()) >= 2 else []
    return jsonify({"units": [{"id": m.id, "path": m.path} for m in matches]})


@bp.route("/cuoc-thi/<slug>/quay-lai", methods=["GET", "POST"])
@limiter.limit(_limit("ONLINE_COMEBACK_LIMIT"), methods=["POST"])
def come_back(slug: str):
    """Already registered: phone number and date of birth open the personal page again."""
    contest = _published(slug)
    form = ComeBackForm()
    if _can_come_back(contest) and form.validate_on_submit():
        participant = registration.find_returning(contest, form.phone.data, form.date_of_birth.data)
        if participant is not None:
            return redirect(url_for("online.personal", slug=contest.slug, token=participant.token))
        form.phone.errors = [*form.phone.errors, str(registration.SAME_ANSWER_FOR_EVERY_MISS)]
    status = 400 if form.errors else 200
    return render_template(
        "online/public/come_back.html",
        contest=contest,
        form=form,
        can_come_back=_can_come_back(contest),
    ), status


def duration(ms: int | None) -> str:
    """Time taken as people say it: '3 min 05 s' (the result page's words)."""
    minutes, seconds = divmod(max(ms or 0, 0) // 1000, 60)
    return _("%(minutes)d min %(seconds)02d s", minutes=minutes, seconds=seconds)


@bp.get("/cuoc-thi/<slug>/ca-nhan/<token>")
def personal(slug: str, token: str):
    """The personal page: one's details, the rounds with "Vào thi", one's attempts."""
    contest = _published(slug)
    participant = _participant(contest, token)
    now = utcnow()
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.participant_id == participant.id)
        .order_by(Attempt.round_id, Attempt.number)
    ).all()
    by_round: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_round.setdefault(attempt.round_id, []).append(attempt)
    rounds = []
    for round_ in contest.rounds:
        state = contests.round_state(round_, now)
        mine = by_round.get(round_.id, [])
        unfinished = [
            a
            for a in mine
            if a.submitted_at is None and now.timestamp() < a.deadline.timestamp() + round_.grace_s
        ]
        rounds.append(
            {
                "round": round_,
                "state": state,
                "attempts": mine,
                "resume": unfinished[0] if unfinished else None,
                "can_start": state == contests.OPEN
                and not unfinished
                and len(mine) < round_.attempts_allowed,
            }
        )
    details = _details(contest, participant)
    page = render_template(
        "online/public/personal.html",
        contest=contest,
        participant=participant,
        details=details,
        rounds=rounds,
        state_labels=contests.STATE_LABELS,
        start_form=ConfirmForm(formdata=None),
        personal_url=url_for(
            "online.personal", slug=contest.slug, token=participant.token, _external=True
        ),
        duration=duration,
    )
    return _private(page)


def _details(contest: OnlineContest, participant) -> list[tuple[str, str]]:
    """What the person registered with, phone and national ID masked."""
    rows = [(_("Full name"), participant.full_name)]
    if participant.date_of_birth:
        rows.append((FIELD_LABELS["date_of_birth"], participant.date_of_birth.strftime("%d/%m/%Y")))
    if participant.gender:
        rows.append((FIELD_LABELS["gender"], str(GENDER_LABELS.get(participant.gender, ""))))
    if participant.phone:
        rows.append((FIELD_LABELS["phone"], registration.masked_phone(participant)))
    if participant.email:
        rows.append((FIELD_LABELS["email"], participant.email))
    if participant.national_id_hash:
        rows.append((FIELD_LABELS["national_id"], registration.masked_national_id(participant)))
    if participant.unit is not None:
        rows.append((FIELD_LABELS["unit"], registration.unit_path(participant.unit)))
    for spec in contests.custom_fields(contest):
        if participant.custom.get(spec["key"]):
            rows.append((spec["label"], participant.custom[spec["key"]]))
    return rows


@bp.post("/cuoc-thi/<slug>/ca-nhan/<token>/vong/<int:round_id>/vao-thi")
@limiter.limit(_limit("ONLINE_START_LIMIT"), key_func=_personal_key)
def start(slug: str, token: str, round_id: int):
    """Start an attempt at an open round, then go to the taking page."""
    contest = _published(slug)
    participant = _participant(contest, token)
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.contest_id != contest.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    from online import taking  # written beside this module; imported when first used

    try:
        attempt = taking.start_attempt(round_, participant, utcnow())
    except taking.StartRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("online.personal", slug=contest.slug, token=participant.token))
    db.session.commit()
    return redirect(url_for("online.take", token=attempt.token))
