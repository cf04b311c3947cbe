"""Organisers' pages for a stage contest's teams and judges, and their join codes.

Same roles as `setup_routes`: the host manages; the secretary reads the contest's page.
"""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from contest.accounts.access import roles_required
from contest.extensions import db
from contest.units.models import Unit
from live import setup_seats as seats
from live import setup_service as setup
from live.blueprints import admin as bp
from live.models import StageContest, StageJudge, StageTeam
from live.setup_forms import JudgeForm, TeamForm
from live.setup_routes import MANAGE, contest_page_redirect, run_button, show_refusal, step
from live.setup_service import SetupError

UNIT_LIST_MAX = 500  # a longer tree is searched by typing, not offered as a list


def run_button_for(contest_id: int, action):
    """Run a team's or judge's button, then show the contest's page."""
    return run_button(action, contest_page_redirect(contest_id))


# ---- teams ---------------------------------------------------------------------------------------


def _team_page(form: TeamForm, contest: StageContest, team: StageTeam | None):
    count = db.session.scalar(select(func.count()).select_from(Unit))
    units = []
    if count <= UNIT_LIST_MAX:
        units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
        form.unit.render_kw = {"list": "unit-codes", "autocomplete": "off"}
    return render_template(
        "live/setup/team_form.html", form=form, contest=contest, team=team, units=units
    ), 400 if form.errors else 200


def _team_values(form: TeamForm) -> seats.TeamValues:
    return seats.TeamValues(
        name=form.name.data or "",
        unit=form.unit.data or "",
        members=form.members.data or "",
        colour=form.colour.data or "",
    )


@bp.route("/<int:contest_id>/teams/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def team_new(contest_id: int):
    """Add a team: name, unit, members, colour; it gets its own join code."""
    contest = db.get_or_404(StageContest, contest_id)
    form = TeamForm()
    if not form.is_submitted():
        form.colour.data = seats.next_colour(contest)
    elif form.validate():
        try:
            team = seats.add_team(contest, _team_values(form))
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            message = _(
                "Team “%(name)s” added; its join code is %(code)s.",
                name=team.name,
                code=team.join_code,
            )
            flash(message, "success")
            return contest_page_redirect(contest.id)
    return _team_page(form, contest, None)


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def team_edit(team_id: int):
    """Change a team's name, unit, members or colour."""
    team = db.get_or_404(StageTeam, team_id)
    form = TeamForm()
    if not form.is_submitted():
        form.name.data, form.members.data, form.colour.data = team.name, team.members, team.colour
        form.unit.data = team.unit.code if team.unit else ""
    elif form.validate():
        try:
            seats.update_team(team, _team_values(form))
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Team “%(name)s” saved.", name=team.name), "success")
            return contest_page_redirect(team.contest_id)
    return _team_page(form, team.contest, team)


@bp.post("/teams/<int:team_id>/delete")
@roles_required(*MANAGE)
def team_delete(team_id: int):
    """Remove a team (refused once the show has started)."""
    team = db.get_or_404(StageTeam, team_id)
    name = team.name

    def delete() -> str:
        seats.delete_team(team)
        return _("Team “%(name)s” deleted.", name=name)

    return run_button_for(team.contest_id, delete)


@bp.post("/teams/<int:team_id>/move")
@roles_required(*MANAGE)
def team_move(team_id: int):
    """Move a team one place up or down the list (the order pads and screens show)."""
    team = db.get_or_404(StageTeam, team_id)
    return run_button_for(team.contest_id, lambda: setup.move(team.contest.teams, team, step()))


@bp.post("/teams/<int:team_id>/code")
@roles_required(*MANAGE)
def team_code(team_id: int):
    """A new join code for a team whose code leaked."""
    team = db.get_or_404(StageTeam, team_id)

    def renew() -> str:
        code = seats.new_code(team)
        return _("Team “%(name)s” has a new join code: %(code)s.", name=team.name, code=code)

    return run_button_for(team.contest_id, renew)


# ---- judges --------------------------------------------------------------------------------------


def _judge_page(form: JudgeForm, contest: StageContest, judge: StageJudge | None):
    return render_template(
        "live/setup/judge_form.html", form=form, contest=contest, judge=judge
    ), 400 if form.errors else 200


@bp.route("/<int:contest_id>/judges/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def judge_new(contest_id: int):
    """Add a judge; their pad joins with their own code."""
    contest = db.get_or_404(StageContest, contest_id)
    form = JudgeForm()
    if form.validate_on_submit():
        try:
            judge = seats.add_judge(contest, form.name.data)
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            message = _(
                "Judge “%(name)s” added; their join code is %(code)s.",
                name=judge.name,
                code=judge.join_code,
            )
            flash(message, "success")
            return contest_page_redirect(contest.id)
    return _judge_page(form, contest, None)


@bp.route("/judges/<int:judge_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def judge_edit(judge_id: int):
    """Change a judge's name."""
    judge = db.get_or_404(StageJudge, judge_id)
    form = JudgeForm()
    if not form.is_submitted():
        form.name.data = judge.name
    elif form.validate():
        try:
            seats.update_judge(judge, form.name.data)
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Judge “%(name)s” saved.", name=judge.name), "success")
            return contest_page_redirect(judge.contest_id)
    return _judge_page(form, judge.contest, judge)


@bp.post("/judges/<int:judge_id>/delete")
@roles_required(*MANAGE)
def judge_delete(judge_id: int):
    """Remove a judge (refused once the show has started)."""
    judge = db.get_or_404(StageJudge, judge_id)
    name = judge.name

    def delete() -> str:
        seats.delete_judge(judge)
        return _("Judge “%(name)s” deleted.", name=name)

    return run_button_for(judge.contest_id, delete)


@bp.post("/judges/<int:judge_id>/move")
@roles_required(*MANAGE)
def judge_move(judge_id: int):
    """Move a judge one place up or down the list."""
    judge = db.get_or_404(StageJudge, judge_id)
    return run_button_for(judge.contest_id, lambda: setup.move(judge.contest.judges, judge, step()))


@bp.post("/judges/<int:judge_id>/code")
@roles_required(*MANAGE)
def judge_code(judge_id: int):
    """A new join code for a judge whose code leaked."""
    judge = db.get_or_404(StageJudge, judge_id)

    def renew() -> str:
        code = seats.new_code(judge)
        return _("Judge “%(name)s” has a new join code: %(code)s.", name=judge.name, code=code)

    return run_button_for(judge.contest_id, renew)
