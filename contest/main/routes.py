"""Pages that belong to no one domain."""

from flask import current_app, redirect, render_template, session
from sqlalchemy import text
from wtforms import HiddenField

from contest.extensions import db
from contest.forms import Form
from contest.main import bp, readiness
from contest.web import safe_next


class LanguageForm(Form):
    lang = HiddenField()
    next = HiddenField()


@bp.get("/")
def home():
    """The start page: what HoiThi is, or the staff member's work by role."""
    return render_template("main/home.html")


@bp.post("/language")
def set_language():
    """Switch the interface language for this browser."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))


@bp.get("/healthz")
def health():
    """Liveness: the process answers and the database does too."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/readyz")
def ready():
    """Readiness for a load balancer: the schema is migrated to this code's head, Redis answers.

    A process started before `flask db upgrade` finished (or against the wrong database) says
    503 and gets no traffic, instead of failing requests on a missing column.
    """
    problems = readiness.problems(current_app)
    if problems:
        return {"status": "not ready", "problems": problems}, 503
    return {"status": "ok"}
