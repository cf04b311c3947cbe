"""Leaderboards, prizes and statistics pages of online contests.

Public (no account): a round's ranking, the contest's standings, the unit table, the winners.
Phone numbers are masked and national IDs never shown; "find my rank" takes the personal link's
token, so those pages are private to the browser that asked. Organisers (the roles of the other
organiser pages): closing a round, the prize list, disqualifications, publishing, exports, charts.
"""

from __future__ import annotations

import re

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import BooleanField, FieldList, FormField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from contest.accounts.access import roles_required
from contest.database import utcnow
from contest.extensions import db
from contest.forms import ConfirmForm, Form
from online import (
    boards,
    closing,
    contests,
    prize_service,
    registration,
    standings,
    stats_service,
    units_table,
)
from online.admin_routes import ORGANISER_ROLES
from online.blueprints import admin, public
from online.forms import SubForm
from online.models import Attempt, OnlineContest, Prediction, Round

TIER_ROWS = 6
COLLECTIVE_ROWS = 4
ORGANISER_TOP = 50
_TOKEN_IN_LINK = re.compile(r"/ca-nhan/([A-Za-z0-9_\-]{8,64})")


# ---- shared -------------------------------------------------------------------------------------


def duration(ms: int | None) -> str:
    """Time taken as m:ss,SSS: ties are broken to the millisecond, so the page shows them."""
    if ms is None:
        return ""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{format_decimal(rest / 1000, '00.000')}"


def _lines(placed_list, people, me_id=None) -> list[dict]:
    return [
        {
            "rank": placed.rank,
            "person": people.get(placed.participant_id),
            "placed": placed,
            "me": placed.participant_id == me_id,
        }
        for placed in placed_list
    ]


def _private(page):
    """A page opened with a personal token: not cached, its address not sent elsewhere."""
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


# ---- public pages -------------------------------------------------------------------------------


def _published(slug: str) -> OnlineContest:
    contest = db.session.scalar(select(OnlineContest).where(OnlineContest.slug == slug))
    if contest is None or not contest.published:
        abort(404)
    return contest


def _round_of(contest: OnlineContest, number: int) -> Round:
    round_ = next((r for r in contest.rounds if r.number == number), None)
    if round_ is None:
        abort(404)
    return round_


def _visitor(contest: OnlineContest):
    """The participant named by ?t= (a token or a pasted personal link), and what was typed."""
    typed = (request.args.get("t") or "").strip()[:300]
    if not typed:
        return None, ""
    match = _TOKEN_IN_LINK.search(typed)
    token = match.group(1) if match else typed
    return registration.by_token(contest, token), token


def _unit_section(rows_at):
    """The unit table at the level the visitor picked; `rows_at(tree, depth)` gives its rows."""
    tree = standings.tree()
    depths = standings.depth_choices(tree)
    depth = standings.depth_from(request.args.get("cap"), depths)
    return {"rows": rows_at(tree, depth) if depths else [], "depth": depth, "depths": depths}


def _board(contest, shown, mine, total, top, me, token, **extra):
    people_ids = [placed.participant_id for placed in shown]
    if mine is not None:
        people_ids.append(mine.participant_id)
    people = standings.people(people_ids)
    page = render_template(
        extra.pop("template"),
        contest=contest,
        lines=_lines(shown, people, me.id if me else None),
        my_line=_lines([mine], people, me.id)[0] if mine is not None else None,
        my_outside=mine is not None and mine.participant_id not in people_ids[: len(shown)],
        me=me,
        token=token,
        total=total,
        top=top,
        duration=duration,
        **extra,
    )
    return _private(page) if token else page


@public.get("/cuoc-thi/<slug>/vong/<int:number>/xep-hang")
def round_board(slug: str, number: int):
    """A round's ranking: top N with ties, "find my rank", and the unit table.

    Read from the round's snapshot (online/boards.py), so a round of a million entries costs a
    page of rows, not a ranking."""
    contest = _published(slug)
    round_ = _round_of(contest, number)
    now = utcnow()
    state = contests.round_state(round_, now)
    board = boards.current(round_, now)
    me, token = _visitor(contest)
    published = round_.prizes_published_at is not None
    winners = standings.published_winners([round_.id]) if published else set()
    units = _unit_section(lambda tree, depth: boards.unit_rows(round_.id, tree, winners, depth))
    top = standings.top_size(request.args.get("n"))
    mine = boards.find(round_.id, me.id) if me is not None else None
    return _board(
        contest,
        boards.top(round_.id, top),
        mine,
        board.entries,
        top,
        me,
        token,
        template="online/boards/round.html",
        round=round_,
        state=state,
        state_labels=contests.STATE_LABELS,
        result=board,
        pending=me is not None and mine is None and boards.entry_pending(round_.id, me.id),
        has_prediction=round_.prediction != Prediction.NONE.value,
        units=units,
        published=published,
    )


@public.get("/cuoc-thi/<slug>/xep-hang")
def overall_board(slug: str):
    """The contest's standings over the rounds so far (sum or best, as the contest says)."""
    contest = _published(slug)
    result = standings.contest_standings(contest, utcnow())
    me, token = _visitor(contest)
    round_ids = [round_.id for round_ in result.rounds]
    scores, winners = standings.scores_of(result), standings.published_winners(round_ids)
    units = _unit_section(
        lambda tree, depth: units_table.table(
            tree, standings.participant_rows(contest.id, round_ids, scores, winners), depth
        )
    )
    top = standings.top_size(request.args.get("n"))
    return _board(
        contest,
        result.standings[:top],
        result.find(me.id) if me is not None else None,
        len(result.standings),
        top,
        me,
        token,
        template="online/boards/overall.html",
        result=result,
        units=units,
    )


@public.get("/cuoc-thi/<slug>/vong/<int:number>/giai-thuong")
def round_winners(slug: str, number: int):
    """The published prizes of a round: people (phone masked) and units."""
    contest = _published(slug)
    round_ = _round_of(contest, number)
    individual, collective = prize_service.published(round_)
    people = standings.people(a.participant_id for a in individual if a.participant_id)
    return render_template(
        "online/boards/winners.html",
        contest=contest,
        round=round_,
        individual=individual,
        collective=collective,
        people=people,
    )


# ---- organisers: forms --------------------------------------------------------------------------


class TierForm(SubForm):
    name = StringField(_l("Prize"), validators=[Optional(), Length(max=prize_service.NAME_MAX)])
    count = IntegerField(
        _l("Number of prizes"),
        validators=[Optional(), NumberRange(min=0, max=prize_service.COUNT_MAX)],
    )


def _kind_choices():
    return [SelectChoice(kind, label) for kind, label in prize_service.COLLECTIVE_LABELS.items()]


class CollectiveForm(SubForm):
    # Checked by the service, and only on rows with a name: an empty row needs no kind.
    kind = SelectField(_l("For the units with"), choices=_kind_choices, validate_choice=False)
    name = StringField(_l("Prize"), validators=[Optional(), Length(max=prize_service.NAME_MAX)])
    count = IntegerField(
        _l("Number of prizes"),
        validators=[Optional(), NumberRange(min=0, max=prize_service.COUNT_MAX)],
    )
    depth = IntegerField(
        _l("Level of the unit tree"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=prize_service.DEPTH_MAX)],
    )


class PrizesForm(Form):
    tiers = FieldList(FormField(TierForm), min_entries=TIER_ROWS, max_entries=TIER_ROWS)
    collective = FieldList(
        FormField(CollectiveForm), min_entries=COLLECTIVE_ROWS, max_entries=COLLECTIVE_ROWS
    )

    def load(self, round_: Round) -> None:
        for row, tier in zip(self.tiers, prize_service.tiers(round_), strict=False):
            row.form.name.data, row.form.count.data = tier.name, tier.count
        for row, spec in zip(self.collective, prize_service.collective_specs(round_), strict=False):
            row.form.kind.data, row.form.name.data = spec["kind"], spec["name"]
            row.form.count.data, row.form.depth.data = spec["count"], spec["depth"]


class DisqualifyForm(Form):
    reason = StringField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Write the reason for the disqualification.")),
            Length(max=prize_service.REASON_MAX),
        ],
    )


class PublishForm(Form):
    confirm = BooleanField(
        _l("I have checked the list: publish it"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


# ---- organisers: results ------------------------------------------------------------------------


def _round_or_404(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


def _results_page(round_: Round, prize_form: PrizesForm, publish_form: PublishForm, status=200):
    now = utcnow()
    plan = prize_service.proposal(round_)
    top = standings.top_size(request.args.get("n") or str(ORGANISER_TOP))
    shown = plan.ranking.ranked[:top]
    out = prize_service.disqualified(round_)
    individual, collective = prize_service.published(round_)
    ids = [p.participant_id for p in shown] + [a.participant_id for a in plan.awards]
    ids += [a.participant_id for a in out] + [a.participant_id for a in individual]
    people = standings.people(ids)
    running = db.session.scalar(
        select(func.count()).where(Attempt.round_id == round_.id, Attempt.submitted_at.is_(None))
    )
    return render_template(
        "online/boards/results.html",
        round=round_,
        contest=round_.contest,
        state=contests.round_state(round_, now),
        state_labels=contests.STATE_LABELS,
        can_close=round_.closed_at is None and now >= round_.closes_at,
        running=running,
        plan=plan,
        lines=_lines(shown, people),
        total=len(plan.ranking.ranked),
        top=top,
        people=people,
        disqualified=out,
        individual=individual,
        collective=collective,
        kind_labels=prize_service.COLLECTIVE_LABELS,
        figure_of=prize_service.collective_figure,
        prize_form=prize_form,
        publish_form=publish_form,
        confirm_form=ConfirmForm(formdata=None),
        duration=duration,
        has_prediction=round_.prediction != Prediction.NONE.value,
    ), status


@admin.get("/online/rounds/<int:round_id>/results")
@roles_required(*ORGANISER_ROLES)
def round_results(round_id: int):
    """Close the round, review the proposed prizes, disqualify, publish, export."""
    round_ = _round_or_404(round_id)
    form = PrizesForm(formdata=None)
    form.load(round_)
    return _results_page(round_, form, PublishForm(formdata=None))


def _back(round_: Round, anchor: str = ""):
    return redirect(url_for("online_admin.round_results", round_id=round_.id) + anchor)


@admin.post("/online/rounds/<int:round_id>/close")
@roles_required(*ORGANISER_ROLES)
def round_close(round_id: int):
    """Close the round: fix the real figure, write the questions' figures to the bank."""
    round_ = _round_or_404(round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        closed = closing.close_round(round_, utcnow())
    except closing.CloseRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(round_)
    db.session.commit()
    if not closed.already:
        boards.build(round_, utcnow())  # the final ranking, before the first visitor asks
        flash(_("The round is closed."), "success")
    return _back(round_)


@admin.post("/online/rounds/<int:round_id>/prizes")
@roles_required(*ORGANISER_ROLES)
def round_prizes(round_id: int):
    """Save the prize tiers and the collective prizes."""
    round_ = _round_or_404(round_id)
    form = PrizesForm()
    if form.validate_on_submit():
        tiers = [(row.form.name.data, row.form.count.data or 0) for row in form.tiers]
        collective = [
            {
                "kind": row.form.kind.data,
                "name": row.form.name.data,
                "count": row.form.count.data or 0,
                "depth": row.form.depth.data or 1,
            }
            for row in form.collective
        ]
        try:
            prize_service.set_prizes(round_, tiers, collective)
        except prize_service.PrizeRefused as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Prizes saved."), "success")
            return _back(round_, "#prizes")
    return _results_page(round_, form, PublishForm(formdata=None), 400)


def _attempt_of(round_: Round, attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.round_id != round_.id:
        abort(404)
    return attempt


@admin.post("/online/rounds/<int:round_id>/attempts/<int:attempt_id>/disqualify")
@roles_required(*ORGANISER_ROLES)
def attempt_disqualify(round_id: int, attempt_id: int):
    """Disqualify an entry, with the reason (required)."""
    round_ = _round_or_404(round_id)
    attempt = _attempt_of(round_, attempt_id)
    form = DisqualifyForm()
    if not form.validate_on_submit():
        flash(" ".join(map(str, form.errors.get("reason", []))) or _("Write the reason."), "error")
        return _back(round_)
    try:
        prize_service.disqualify(attempt, form.reason.data, current_user)
    except prize_service.PrizeRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(round_)
    db.session.commit()
    flash(_("The entry is disqualified."), "success")
    return _back(round_, "#disqualified")


@admin.post("/online/rounds/<int:round_id>/attempts/<int:attempt_id>/reinstate")
@roles_required(*ORGANISER_ROLES)
def attempt_reinstate(round_id: int, attempt_id: int):
    """Take a disqualification back."""
    round_ = _round_or_404(round_id)
    attempt = _attempt_of(round_, attempt_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        prize_service.reinstate(attempt, current_user)
    except prize_service.PrizeRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(round_)
    db.session.commit()
    flash(_("The entry counts again."), "success")
    return _back(round_)


@admin.post("/online/rounds/<int:round_id>/publish")
@roles_required(*ORGANISER_ROLES)
def round_publish(round_id: int):
    """Publish the prize list (once): the winners page shows it from then on."""
    round_ = _round_or_404(round_id)
    form = PublishForm()
    if not form.validate_on_submit():
        prize_form = PrizesForm(formdata=None)
        prize_form.load(round_)
        return _results_page(round_, prize_form, form, 400)
    try:
        prize_service.publish(round_, utcnow())
    except prize_service.PrizeRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(round_)
    db.session.commit()
    flash(_("The prizes are published."), "success")
    return _back(round_)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.get("/online/rounds/<int:round_id>/results.xlsx")
@roles_required(*ORGANISER_ROLES)
def round_export(round_id: int):
    """The workbook: entries, winners, units (phone numbers in full: organisers only)."""
    round_ = _round_or_404(round_id)
    name = f"{round_.contest.slug}-vong-{round_.number}-ket-qua.xlsx"
    return _download(prize_service.export(round_), name, XLSX)


# ---- organisers: statistics ---------------------------------------------------------------------


@admin.get("/online/rounds/<int:round_id>/stats")
@roles_required(*ORGANISER_ROLES)
def round_stats(round_id: int):
    """Charts and tables: entries over time, scores, questions, units' participation."""
    round_ = _round_or_404(round_id)
    stats = stats_service.statistics(round_, utcnow(), request.args.get("cap"))
    return render_template(
        "online/boards/stats.html",
        round=round_,
        contest=round_.contest,
        stats=stats,
        chart=stats_service.chart_data(stats),
        table_names=stats_service.table_names(),
        tables=stats_service.TABLES,
        stem=stats_service.stem,
    )


@admin.get("/online/rounds/<int:round_id>/stats/<name>.csv")
@roles_required(*ORGANISER_ROLES)
def round_stats_csv(round_id: int, name: str):
    """One statistics table as CSV (UTF-8, opens in Excel)."""
    round_ = _round_or_404(round_id)
    if name not in stats_service.TABLES:
        abort(404)
    stats = stats_service.statistics(round_, utcnow(), request.args.get("cap"))
    header, rows = stats_service.table(stats, name)
    filename = f"{round_.contest.slug}-vong-{round_.number}-{name}.csv"
    return _download(stats_service.csv_bytes(header, rows), filename, "text/csv")


@admin.get("/online/rounds/<int:round_id>/stats.xlsx")
@roles_required(*ORGANISER_ROLES)
def round_stats_xlsx(round_id: int):
    """Every statistics table in one workbook."""
    round_ = _round_or_404(round_id)
    stats = stats_service.statistics(round_, utcnow(), request.args.get("cap"))
    filename = f"{round_.contest.slug}-vong-{round_.number}-thong-ke.xlsx"
    return _download(stats_service.stats_workbook(stats), filename, XLSX)
