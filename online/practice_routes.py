"""Practice pages ("Ôn tập"): choose themes and levels, answer, see the answer and why, at once."""

from __future__ import annotations

import random

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from contest.extensions import db, limiter
from contest.forms import ConfirmForm
from contest.themes.models import Theme
from online import practice
from online.blueprints import public as bp
from online.practice_forms import PracticeForm
from questions.models import QuestionVersion

SESSION_KEY = "practice"


def _run_or_start_again() -> practice.Run:
    run = practice.Run.from_session(session.get(SESSION_KEY))
    if run is None:
        abort(redirect(url_for("online.practice_start")))
    return run


def _form() -> PracticeForm:
    form = PracticeForm()
    themes = db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.short_name))
    form.themes.choices = [(theme.id, theme.short_name) for theme in themes]
    return form


@bp.route("/on-tap", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def practice_start():
    """Choose what to practise; questions are drawn from the approved bank."""
    form = _form()
    if form.validate_on_submit():
        run = practice.start(
            form.themes.data or [], form.levels.data or [], form.count.data, random.SystemRandom()
        )
        if run is None:
            form.themes.errors = [_("No approved question matches these themes and levels.")]
        else:
            session[SESSION_KEY] = run.to_session()
            return redirect(url_for("online.practice_question", number=1))
    return render_template("online/practice/start.html", form=form), 400 if form.errors else 200


def _question(run: practice.Run, number: int) -> QuestionVersion:
    if not 1 <= number <= len(run.version_ids):
        abort(404)
    version = db.session.get(QuestionVersion, run.version_ids[number - 1])
    if version is None:  # removed from the bank since: start again
        abort(redirect(url_for("online.practice_start")))
    return version


@bp.get("/on-tap/<int:number>")
def practice_question(number: int):
    """The question; once answered, its answer, explanation and source."""
    run = _run_or_start_again()
    version = _question(run, number)
    position = number - 1
    order = run.orders[position]
    entries = version.content.get("options") or version.content.get("items") or []
    shown = [(shown_index, entries[stored]) for shown_index, stored in enumerate(order or [])]
    return render_template(
        "online/practice/question.html",
        run=run,
        number=number,
        total=len(run.version_ids),
        version=version,
        shown=shown,
        answered=position in run.results,
        fraction=run.results.get(position),
        form=ConfirmForm(formdata=None),
    )


@bp.post("/on-tap/<int:number>")
@limiter.limit("120 per minute")
def practice_answer(number: int):
    run = _run_or_start_again()
    version = _question(run, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    values = request.form.getlist("answer")
    if version.type == "ordering":
        order = run.orders[number - 1] or []
        values = [request.form.get(f"place-{shown}", "") for shown in range(len(order))]
    practice.answer(run, number - 1, version.content, values)
    session[SESSION_KEY] = run.to_session()
    return redirect(url_for("online.practice_question", number=number))


@bp.get("/on-tap/ket-qua")
def practice_summary():
    run = _run_or_start_again()
    return render_template(
        "online/practice/summary.html",
        run=run,
        total=len(run.version_ids),
        answered=len(run.results),
        right=sum(1 for fraction in run.results.values() if fraction >= 1),
    )
