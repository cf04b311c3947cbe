"""Organisers' setup of stage contests: the contest, its teams and judges, their join codes.

The host (and the administrator, who passes every check) sets a show up; the secretary, who keeps
the score sheet on the night, may read the list and a contest's page. Parts and questions have
their own pages in `setup_part_routes`.
"""

from __future__ import annotations

from collections.abc import Callable

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from contest.forms import ConfirmForm
from live import look
from live import setup_seats as seats
from live import setup_service as setup
from live.blueprints import admin as bp
from live.models import StageContest
from live.rules import part_rules
from live.setup_forms import TIEBREAK_LABELS, StageContestForm

MANAGE = (Role.HOST,)  # admin passes every role check too
VIEW = (Role.HOST, Role.SECRETARY)


def show_refusal(form, exc: setup.SetupError) -> None:
    """Put the service's message beside its field, or at the top of the page."""
    db.session.rollback()
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
    else:
        flash(str(exc), "error")


def confirmed() -> None:
    """A button that changes something must carry the page's CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def run_button(action: Callable[[], str | None], then):
    """Run a button's action (a service call that returns a message or None), then go `then`."""
    confirmed()
    try:
        message = action()
    except setup.SetupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if message:
            flash(message, "success")
    return then


def step() -> int:
    """A move button's direction: -1 up (earlier), +1 down (later)."""
    return -1 if request.form.get("direction") == "up" else 1


def join_url(code: str) -> str:
    """The address a seat's device opens to join (what its QR code holds)."""
    return url_for("live.join", code=code, _external=True)


def qr_svg(url: str) -> Markup:
    return Markup(segno.make(url).svg_inline(scale=4))


def contest_page_redirect(contest_id: int):
    return redirect(url_for("live_admin.contest_detail", contest_id=contest_id))


@bp.get("/")
@roles_required(*VIEW)
def contest_list():
    """Every stage contest, the newest first."""
    contests = db.session.scalars(
        select(StageContest).order_by(StageContest.created_at.desc(), StageContest.id.desc())
    ).all()
    return render_template("live/setup/contest_list.html", contests=contests)


def _contest_page(form: StageContestForm, contest: StageContest | None):
    return render_template(
        "live/setup/contest_form.html",
        form=form,
        contest=contest,
        logo_version=look.logo_version,
    ), 400 if form.errors else 200


def _contest_values(form: StageContestForm) -> setup.ContestValues:
    return setup.ContestValues(
        title=form.title.data or "",
        description=form.description.data or "",
        tiebreak=form.tiebreak.data or "none",
        tiebreak_part_id=form.tiebreak_part.data or None,
        look=form.look(),
    )


def _uploaded_logo(form: StageContestForm) -> str | None:
    """Store the logo sent with the form; None when none was sent or it was refused (and said)."""
    upload = form.logo.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return look.store_logo(upload.read(look.logo_limit_kb() * 1024 + 1))
    except look.LogoRefused as exc:
        form.logo.errors = [*form.logo.errors, str(exc)]
        return None


def _save_look(form: StageContestForm, contest: StageContest, stored: str | None) -> str | None:
    """Point the contest at its new logo (or none); returns the file that is no longer used."""
    if stored:
        old, contest.logo_path = contest.logo_path, stored
        return old
    if form.remove_logo.data and contest.logo_path:
        old, contest.logo_path = contest.logo_path, None
        return old
    return None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def contest_new():
    """Create a stage contest: title, description, tie-break, the projector's look."""
    form = StageContestForm()
    form.set_parts([])
    if not form.is_submitted():
        form.show_look(look.DEFAULT_LOOK)
    valid = form.validate_on_submit()
    stored = _uploaded_logo(form) if valid else None
    if valid and not form.logo.errors:
        try:
            contest = setup.create_contest(current_user, _contest_values(form))
        except setup.SetupError as exc:
            show_refusal(form, exc)
            look.discard_logo(stored)
        else:
            _save_look(form, contest, stored)
            db.session.commit()
            message = _(
                "Contest “%(title)s” created. Add its teams, judges and parts.",
                title=contest.title,
            )
            flash(message, "success")
            return contest_page_redirect(contest.id)
    return _contest_page(form, None)


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def contest_edit(contest_id: int):
    """Change a contest's title, description, tie-break and the projector's look."""
    contest = db.get_or_404(StageContest, contest_id)
    form = StageContestForm()
    form.set_parts(contest.parts)
    if not form.is_submitted():
        settings = contest.settings or {}
        form.title.data, form.description.data = contest.title, contest.description
        form.tiebreak.data = settings.get("tiebreak", "none")
        form.tiebreak_part.data = settings.get("tiebreak_part_id") or 0
        form.show_look(look.colours(contest))
    elif form.validate():
        stored = _uploaded_logo(form)
        if not form.logo.errors:  # a refused logo: its message is beside the field, no save
            try:
                setup.update_contest(contest, _contest_values(form))
            except setup.SetupError as exc:
                show_refusal(form, exc)
                look.discard_logo(stored)
            else:
                unused = _save_look(form, contest, stored)
                db.session.commit()
                look.discard_logo(unused)
                flash(_("Contest “%(title)s” saved.", title=contest.title), "success")
                return contest_page_redirect(contest.id)
    return _contest_page(form, contest)


@bp.get("/<int:contest_id>")
@roles_required(*VIEW)
def contest_detail(contest_id: int):
    """A contest's teams, judges and parts in order, with join codes and the show's screens."""
    contest = db.get_or_404(StageContest, contest_id)
    return render_template(
        "live/setup/contest_detail.html",
        contest=contest,
        events=setup.event_count(contest.id),
        can_manage=current_user.has_role(*MANAGE),
        tiebreak_labels=TIEBREAK_LABELS,
        part_rules=part_rules,
        join_url=join_url,
        button=ConfirmForm(formdata=None),
    )


@bp.get("/<int:contest_id>/codes")
@roles_required(*VIEW)
def join_codes(contest_id: int):
    """A printable sheet: each seat's join code and QR code, to put on the tables."""
    contest = db.get_or_404(StageContest, contest_id)
    seats = [(_("Projector"), contest.title, contest.projector_code)]
    seats += [(_("Team"), team.name, team.join_code) for team in contest.teams]
    seats += [(_("Judge"), judge.name, judge.join_code) for judge in contest.judges]
    cards = [
        (kind, name, code, join_url(code), qr_svg(join_url(code))) for kind, name, code in seats
    ]
    local = request.host.split(":")[0] in {"127.0.0.1", "localhost", "::1", "[::1]"}
    return render_template("live/setup/codes.html", contest=contest, cards=cards, local=local)


@bp.post("/<int:contest_id>/duplicate")
@roles_required(*MANAGE)
def contest_duplicate(contest_id: int):
    """A copy of the whole setup with new join codes and an empty log, to run the show again."""
    contest = db.get_or_404(StageContest, contest_id)
    confirmed()
    copy = setup.duplicate_contest(contest, current_user)
    db.session.commit()
    flash(_("Contest copied as “%(title)s”, with new join codes.", title=copy.title), "success")
    return contest_page_redirect(copy.id)


@bp.post("/<int:contest_id>/projector-code")
@roles_required(*MANAGE)
def projector_code(contest_id: int):
    """A new join code for the projector (the old one stops working for new devices)."""
    contest = db.get_or_404(StageContest, contest_id)
    confirmed()
    code = seats.new_code(contest)
    db.session.commit()
    flash(_("The projector's new join code is %(code)s.", code=code), "success")
    return contest_page_redirect(contest.id)


# The other setup pages, on the same blueprint.
import live.look_routes  # noqa: E402, F401
import live.setup_part_routes  # noqa: E402, F401
import live.setup_seat_routes  # noqa: E402, F401
