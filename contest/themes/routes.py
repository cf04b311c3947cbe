"""Theme pages: the list with filters, a theme's details, the editor's forms."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contest.accounts.access import roles_required, staff_required
from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes import bp, service
from contest.themes.forms import ThemeActiveForm, ThemeFilterForm, ThemeForm
from contest.themes.models import Theme


def _show_refusal(form: ThemeForm, exc: service.ThemeError) -> None:
    """Put the service's message beside the field it is about."""
    db.session.rollback()
    name = exc.field if exc.field in form else "title"
    form[name].errors = [*form[name].errors, str(exc)]


@bp.get("/themes")
@staff_required
def theme_list():
    """Themes in use (or retired, or all), filtered by kind, year and words."""
    form = ThemeFilterForm(formdata=request.args)
    form.validate()
    themes = service.list_themes(**form.filters())
    return render_template("themes/theme_list.html", form=form, themes=themes)


@bp.get("/themes/<int:theme_id>")
@staff_required
def theme_detail(theme_id: int):
    """One theme with its full official title."""
    theme = db.get_or_404(Theme, theme_id)
    return render_template(
        "themes/theme_detail.html", theme=theme, active_form=ThemeActiveForm(formdata=None)
    )


@bp.route("/themes/new", methods=["GET", "POST"])
@roles_required(Role.EDITOR)
def theme_create():
    """Add a theme: a document, the whole-term theme or an organisation's annual theme."""
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = service.create_theme(**form.theme_fields())
        except service.ThemeError as exc:
            _show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Theme %(name)s added.", name=theme.short_name), "success")
            return redirect(url_for("themes.theme_detail", theme_id=theme.id))
    return render_template("themes/theme_form.html", form=form, theme=None)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@roles_required(Role.EDITOR)
def theme_edit(theme_id: int):
    """Correct a theme's title, owner, years or notes."""
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        try:
            service.update_theme(theme, **form.theme_fields())
        except service.ThemeError as exc:
            _show_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Theme %(name)s saved.", name=theme.short_name), "success")
            return redirect(url_for("themes.theme_detail", theme_id=theme.id))
    return render_template("themes/theme_form.html", form=form, theme=theme)


@bp.post("/themes/<int:theme_id>/active")
@roles_required(Role.EDITOR)
def theme_set_active(theme_id: int):
    """Retire a theme (it stays on the questions and contests that use it) or reactivate it."""
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeActiveForm()
    if not form.validate_on_submit():
        abort(400)
    make_active = form.active.data == "1"
    service.set_active(theme, make_active)
    db.session.commit()
    if make_active:
        flash(_("Theme %(name)s is in use again.", name=theme.short_name), "success")
    else:
        flash(_("Theme %(name)s is retired.", name=theme.short_name), "success")
    return redirect(url_for("themes.theme_detail", theme_id=theme.id))
