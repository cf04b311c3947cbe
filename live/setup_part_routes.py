"""Organisers' pages for a stage contest's parts and each part's questions.

Same roles as `setup_routes`: the host manages, the secretary reads. Questions come from the
bank (picked or drawn at random among approved ones, then copied) or are typed for this contest.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from contest.accounts.access import roles_required
from contest.extensions import db
from contest.forms import ConfirmForm
from contest.themes.models import Theme
from live import setup_questions as questions
from live import setup_service as setup
from live.blueprints import admin as bp
from live.models import PartFormat, StageContest, StagePart, StageQuestion
from live.part_forms import (
    SCORING_LABELS,
    DrawForm,
    PartForm,
    PickForm,
    StageQuestionForm,
    TypedQuestionForm,
    level_choices,
)
from live.rules import DEFAULTS, part_rules
from live.setup_routes import MANAGE, VIEW, run_button, show_refusal, step
from questions.models import Level

# ---- parts ---------------------------------------------------------------------------------------


def _form_page(form: PartForm, contest: StageContest, part: StagePart | None):
    return render_template(
        "live/setup/part_form.html", form=form, contest=contest, part=part
    ), 400 if form.errors else 200


@bp.route("/<int:contest_id>/parts/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def part_new(contest_id: int):
    """Add a part: its title, its format and the format's rules."""
    contest = db.get_or_404(StageContest, contest_id)
    form = PartForm()
    if not form.is_submitted():
        form.load(PartFormat.ALL_ANSWER.value, DEFAULTS[PartFormat.ALL_ANSWER])
    elif form.validate():
        try:
            part = setup.add_part(contest, form.title.data, form.format.data, form.settings())
        except setup.SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Part “%(title)s” added.", title=part.title), "success")
            if part.format == PartFormat.JUDGED:
                return redirect(url_for("live_admin.contest_detail", contest_id=contest.id))
            return redirect(url_for("live_admin.part_detail", part_id=part.id))
    return _form_page(form, contest, None)


@bp.route("/parts/<int:part_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def part_edit(part_id: int):
    """Change a part's title and rules."""
    part = db.get_or_404(StagePart, part_id)
    form = PartForm()
    if not form.is_submitted():
        form.title.data = part.title
        form.load(part.format, part_rules(part.format, part.settings))
    elif form.validate():
        try:
            setup.update_part(part, form.title.data, form.format.data, form.settings())
        except setup.SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Part “%(title)s” saved.", title=part.title), "success")
            return redirect(url_for("live_admin.contest_detail", contest_id=part.contest_id))
    return _form_page(form, part.contest, part)


def _back_to_contest(contest_id: int, action):
    """Run a part's button, then show the contest's page."""
    return run_button(action, redirect(url_for("live_admin.contest_detail", contest_id=contest_id)))


@bp.post("/parts/<int:part_id>/delete")
@roles_required(*MANAGE)
def part_delete(part_id: int):
    """Remove a part and its questions (refused once the show has started)."""
    part = db.get_or_404(StagePart, part_id)
    title = part.title

    def delete() -> str:
        setup.delete_part(part)
        return _("Part “%(title)s” deleted.", title=title)

    return _back_to_contest(part.contest_id, delete)


@bp.post("/parts/<int:part_id>/move")
@roles_required(*MANAGE)
def part_move(part_id: int):
    """Move a part one place earlier or later in the show."""
    part = db.get_or_404(StagePart, part_id)
    return _back_to_contest(part.contest_id, lambda: setup.move(part.contest.parts, part, step()))


# ---- a part's questions --------------------------------------------------------------------------


def _finding() -> questions.Finding:
    """The search typed on the part's page (query string), cleaned."""
    theme = request.args.get("theme", "")
    level = request.args.get("level", "")
    return questions.Finding(
        text=request.args.get("q", "")[:200],
        theme_id=int(theme) if theme.isdigit() else None,
        level=level if level in {lv.value for lv in Level} else "",
    )


def _part_page(part: StagePart, draw_form: DrawForm | None = None, status: int = 200):
    """The part's questions, and the ways to add more."""
    themes = db.session.scalars(select(Theme).order_by(Theme.short_name)).all()
    draw_form = draw_form or DrawForm(formdata=None)
    draw_form.set_themes(themes)
    finding = _finding()
    searched = any(key in request.args for key in ("q", "theme", "level"))
    return render_template(
        "live/setup/part_detail.html",
        part=part,
        contest=part.contest,
        rules=part_rules(part.format, part.settings),
        scoring_labels=SCORING_LABELS,
        can_manage=current_user.has_role(*MANAGE),
        themes=themes,
        levels=level_choices(),
        finding=finding,
        found=questions.find_versions(finding, part) if searched else None,
        in_contest=questions.used_question_ids(part.contest),
        draw_form=draw_form,
        pick_form=PickForm(formdata=None),
        button=ConfirmForm(formdata=None),
    ), status


@bp.get("/parts/<int:part_id>")
@roles_required(*VIEW)
def part_detail(part_id: int):
    """A part's questions in order; the host adds, edits, reorders and removes them here."""
    return _part_page(db.get_or_404(StagePart, part_id))


def _to_part(part: StagePart):
    return redirect(url_for("live_admin.part_detail", part_id=part.id))


def _added(count: int) -> None:
    if count:
        flash(ngettext("%(num)d question added.", "%(num)d questions added.", count), "success")
    else:
        flash(_("No question added: those chosen are already in the contest."), "error")


@bp.post("/parts/<int:part_id>/questions/pick")
@roles_required(*MANAGE)
def question_pick(part_id: int):
    """Copy the ticked approved bank questions into the part."""
    part = db.get_or_404(StagePart, part_id)
    form = PickForm()
    if not form.validate_on_submit():
        abort(400)  # no valid CSRF token
    try:
        count = questions.pick(part, form.question_ids.data or [])
    except setup.SetupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _to_part(part)
    db.session.commit()
    _added(count)
    return _to_part(part)


@bp.post("/parts/<int:part_id>/questions/draw")
@roles_required(*MANAGE)
def question_draw(part_id: int):
    """Draw so many approved questions of a theme and a level at random into the part."""
    part = db.get_or_404(StagePart, part_id)
    form = DrawForm()
    if not form.validate_on_submit():
        return _part_page(part, form, 400)
    finding = questions.Finding(theme_id=form.theme.data or None, level=form.level.data or "")
    try:
        count = questions.draw(part, finding, form.count.data)
    except setup.SetupError as exc:
        show_refusal(form, exc)
        return _part_page(part, form, 400)
    db.session.commit()
    _added(count)
    return _to_part(part)


@bp.route("/parts/<int:part_id>/questions/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def question_new(part_id: int):
    """Type a single-choice question for this contest only (it does not go into the bank)."""
    part = db.get_or_404(StagePart, part_id)
    form = TypedQuestionForm()
    if form.validate_on_submit():
        options = [entry.data or "" for entry in form.options.entries]
        try:
            content = questions.typed_content(
                form.stem.data, options, form.correct_index(), form.explanation.data
            )
            questions.add_typed(part, content, form.notes.data or "")
        except questions.TypedQuestionError as exc:
            for name, messages in exc.errors.items():
                target = form[name] if name in form else form.stem  # noqa: SIM401 - no get()
                target.errors = [*target.errors, *messages]
        except setup.SetupError as exc:
            show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Question added to “%(title)s”.", title=part.title), "success")
            return _to_part(part)
    return render_template(
        "live/setup/typed_form.html", form=form, part=part, contest=part.contest
    ), 400 if form.errors else 200


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def question_edit(question_id: int):
    """A question's own points and time, and the host's notes (pronunciation, cues)."""
    question = db.get_or_404(StageQuestion, question_id)
    part = question.part
    form = StageQuestionForm()
    if not form.is_submitted():
        form.points.data, form.time_limit_s.data = question.points, question.time_limit_s
        form.notes.data = question.notes
    elif form.validate():
        questions.update_question(
            question, form.points.data, form.time_limit_s.data, form.notes.data or ""
        )
        db.session.commit()
        flash(_("Question saved."), "success")
        return _to_part(part)
    return render_template(
        "live/setup/question_form.html",
        form=form,
        question=question,
        part=part,
        contest=part.contest,
        rules=part_rules(part.format, part.settings),
    ), 400 if form.errors else 200


def _question_action(question: StageQuestion, action):
    """Run a question's button, then show its part."""
    return run_button(action, _to_part(question.part))


@bp.post("/questions/<int:question_id>/delete")
@roles_required(*MANAGE)
def question_delete(question_id: int):
    """Take a question out of its part (refused once the show has started)."""
    question = db.get_or_404(StageQuestion, question_id)

    def delete() -> str:
        questions.delete_question(question)
        return _("Question removed from the part.")

    return _question_action(question, delete)


@bp.post("/questions/<int:question_id>/move")
@roles_required(*MANAGE)
def question_move(question_id: int):
    """Move a question one place earlier or later in its part."""
    question = db.get_or_404(StageQuestion, question_id)
    return _question_action(question, lambda: setup.move(question.part.questions, question, step()))
