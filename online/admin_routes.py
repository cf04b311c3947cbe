"""Organisers' pages for online contests: the contests, their settings, their rounds.

Contests are run by the organising committee: in HoiThi's roles that is the host (who runs
contests) and the administrator (who passes every check). Editors and reviewers look after the
bank; judges and secretaries work on stage.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.database import utcnow
from contest.extensions import db
from contest.forms import ConfirmForm
from contest.themes.models import Theme
from online import contests
from online.blueprints import admin as bp
from online.forms import (
    COUNTED_LABELS,
    FIELD_LABELS,
    SETTING_LABELS,
    STANDINGS_LABELS,
    ContestForm,
    RoundForm,
)
from online.models import (
    PREDICTION_LABELS,
    REVIEW_LABELS,
    Attempt,
    OnlineContest,
    Participant,
    Prediction,
    Round,
)

ORGANISER_ROLES = (Role.HOST,)  # admin passes every role check too


def _contest_form(contest: OnlineContest | None) -> ContestForm:
    form = ContestForm()
    themes = db.session.scalars(select(Theme).order_by(Theme.short_name)).all()
    kept = {theme.id for theme in contest.themes} if contest else set()
    form.themes.choices = [
        SelectChoice(t.id, t.short_name) for t in themes if t.active or t.id in kept
    ]
    return form


def _show_refusal(form, exc: contests.ContestError) -> None:
    """Put the service's message beside the field it is about."""
    db.session.rollback()
    names = {"custom": "custom", "draw": "rows"}
    name = names.get(exc.field, exc.field)
    if name not in form:
        name = "title"
    form[name].errors = [*form[name].errors, str(exc)]


def _participant_counts(contest_ids) -> dict[int, tuple[int, int]]:
    """Participants and attempts per contest, for the list."""
    people = dict(
        db.session.execute(
            select(Participant.contest_id, func.count())
            .where(Participant.contest_id.in_(contest_ids))
            .group_by(Participant.contest_id)
        ).all()
    )
    return {cid: people.get(cid, 0) for cid in contest_ids}


@bp.get("/online")
@roles_required(*ORGANISER_ROLES)
def contest_list():
    """Every online contest with its rounds and whether they are open."""
    all_contests = db.session.scalars(
        select(OnlineContest).order_by(OnlineContest.created_at.desc(), OnlineContest.id.desc())
    ).all()
    people = _participant_counts([c.id for c in all_contests])
    return render_template(
        "online/admin/contest_list.html",
        contests=all_contests,
        people=people,
        now=utcnow(),
        round_state=contests.round_state,
        state_labels=contests.STATE_LABELS,
    )


@bp.route("/online/new", methods=["GET", "POST"])
@roles_required(*ORGANISER_ROLES)
def contest_new():
    """Create a contest: title, rules, themes, registration fields."""
    form = _contest_form(None)
    if form.validate_on_submit():
        try:
            contest = contests.create_contest(current_user, form.values())
        except contests.ContestError as exc:
            _show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Contest “%(title)s” created.", title=contest.title), "success")
            return redirect(url_for("online_admin.contest_detail", contest_id=contest.id))
    return _contest_page(form, None)


@bp.route("/online/<int:contest_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANISER_ROLES)
def contest_edit(contest_id: int):
    """Change a contest's settings, publish it or take it back to draft."""
    contest = db.get_or_404(OnlineContest, contest_id)
    form = _contest_form(contest)
    if not form.is_submitted():
        form.load(contests.values_of(contest))
    elif form.validate():
        try:
            contests.update_contest(contest, form.values())
        except contests.ContestError as exc:
            _show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Contest “%(title)s” saved.", title=contest.title), "success")
            return redirect(url_for("online_admin.contest_detail", contest_id=contest.id))
    return _contest_page(form, contest)


def _contest_page(form: ContestForm, contest: OnlineContest | None):
    status = 400 if form.errors else 200
    return render_template(
        "online/admin/contest_form.html", form=form, contest=contest, field_labels=FIELD_LABELS
    ), status


@bp.get("/online/<int:contest_id>")
@roles_required(*ORGANISER_ROLES)
def contest_detail(contest_id: int):
    """A contest's settings and rounds, with the public link."""
    contest = db.get_or_404(OnlineContest, contest_id)
    participants = db.session.scalar(
        select(func.count()).where(Participant.contest_id == contest.id)
    )
    attempts = dict(
        db.session.execute(
            select(Attempt.round_id, func.count())
            .join(Round, Round.id == Attempt.round_id)
            .where(Round.contest_id == contest.id)
            .group_by(Attempt.round_id)
        ).all()
    )
    return render_template(
        "online/admin/contest_detail.html",
        contest=contest,
        participants=participants,
        attempts=attempts,
        now=utcnow(),
        round_state=contests.round_state,
        state_labels=contests.STATE_LABELS,
        draw_summary=contests.draw_summary,
        field_labels=FIELD_LABELS,
        setting_labels=SETTING_LABELS,
        standings_labels=STANDINGS_LABELS,
        counted_labels=COUNTED_LABELS,
        review_labels=REVIEW_LABELS,
        prediction_labels=PREDICTION_LABELS,
        duplicate_form=ConfirmForm(formdata=None),
    )


def _round_form(selected_theme_ids=()) -> RoundForm:
    form = RoundForm()
    themes = db.session.scalars(select(Theme).order_by(Theme.short_name)).all()
    keep = set(selected_theme_ids)
    form.set_theme_choices([t for t in themes if t.active or t.id in keep])
    return form


def _round_page(form: RoundForm, contest: OnlineContest, round_: Round | None):
    status = 400 if form.errors else 200
    return render_template(
        "online/admin/round_form.html",
        form=form,
        contest=contest,
        round=round_,
        default_prediction=contests.DEFAULT_PREDICTION_TEXT,
        timezone=contests.display_zone().key,
    ), status


@bp.route("/online/<int:contest_id>/rounds/new", methods=["GET", "POST"])
@roles_required(*ORGANISER_ROLES)
def round_new(contest_id: int):
    """Add a round ("Tuần 1"): its times, its draw, its time limit and rules."""
    contest = db.get_or_404(OnlineContest, contest_id)
    form = _round_form()
    if not form.is_submitted():
        number = contests.next_number(contest)
        form.number.data = number
        form.title.data = _("Week %(n)d", n=number)
        form.prediction_text.data = str(contests.DEFAULT_PREDICTION_TEXT[Prediction.ALL_CORRECT])
    elif form.validate():
        try:
            round_ = contests.create_round(contest, form.values())
        except contests.ContestError as exc:
            _show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Round “%(title)s” saved.", title=round_.title), "success")
            return redirect(url_for("online_admin.contest_detail", contest_id=contest.id))
    return _round_page(form, contest, None)


@bp.route("/online/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANISER_ROLES)
def round_edit(round_id: int):
    """Change a round; attempts already made keep the questions they drew."""
    round_ = db.get_or_404(Round, round_id)
    values = contests.round_values(round_)
    form = _round_form(row.theme_id for row in values.rows)
    if not form.is_submitted():
        form.load(values)
    elif form.validate():
        try:
            contests.update_round(round_, form.values())
        except contests.ContestError as exc:
            _show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Round “%(title)s” saved.", title=round_.title), "success")
            return redirect(url_for("online_admin.contest_detail", contest_id=round_.contest_id))
    return _round_page(form, round_.contest, round_)


@bp.post("/online/rounds/<int:round_id>/duplicate")
@roles_required(*ORGANISER_ROLES)
def round_duplicate(round_id: int):
    """The next week's round: same settings, next number, a week later."""
    round_ = db.get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        copy = contests.duplicate_round(round_)
    except contests.ContestError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("online_admin.contest_detail", contest_id=round_.contest_id))
    db.session.commit()
    flash(_("Round “%(title)s” added; check its times.", title=copy.title), "success")
    return redirect(url_for("online_admin.round_edit", round_id=copy.id))
