"""Login, logout, own password, and the administrator's user pages."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from contest.accounts import bp, service
from contest.accounts.access import roles_required
from contest.accounts.forms import (
    LoginForm,
    OwnPasswordForm,
    PasswordResetForm,
    UserCreateForm,
    UserForm,
)
from contest.accounts.models import User
from contest.accounts.roles import Role
from contest.extensions import db, limiter, login_manager
from contest.forms import ConfirmForm
from contest.web import safe_next


@login_manager.user_loader
def load_user(session_id: str):
    """Sessions carry `id:version`; a bumped version (password reset, deactivation) ends them."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _account_key() -> str:
    return "login-account:" + service.normalise_username(request.form.get("username", ""))


def _failed_login(response) -> bool:
    # A successful login redirects; only failures use up the allowance.
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_login,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed_login,
)
def login():
    """Sign a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.username.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong username or password."))
    status = 200 if request.method == "GET" or form.errors == {} else 401
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST with a CSRF token, so no link can sign someone out)."""
    if ConfirmForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def own_password():
    """Change one's own password."""
    form = OwnPasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            service.reset_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user)  # keep this session; others end
            flash(_("Your password is changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/own_password.html", form=form)


@bp.get("/users")
@roles_required(Role.ADMIN)
def user_list():
    """All staff accounts with their roles."""
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.username)).all()
    return render_template("accounts/user_list.html", users=users, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_create():
    """Create a staff account."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = service.create_user(
                form.username.data,
                form.full_name.data,
                form.password.data,
                roles=form.roles.data,
                email=form.email.data,
            )
        except service.AccountError as exc:
            form.username.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("accounts.user_list"))
    return render_template("accounts/user_create.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_id: int):
    """Edit a user's name, email and roles."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = sorted(r.value for r in user.roles)
    if form.validate_on_submit():
        try:
            service.update_user(user, form.full_name.data, form.email.data, form.roles.data)
        except service.AccountError as exc:
            db.session.rollback()
            form.roles.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("accounts.user_list"))
    return render_template(
        "accounts/user_edit.html",
        user=user,
        form=form,
        password_form=PasswordResetForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.post("/users/<int:user_id>/password")
@roles_required(Role.ADMIN)
def user_reset_password(user_id: int):
    """Give a user a new password; their open sessions end."""
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        service.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("The password of %(name)s is reset.", name=user.username), "success")
        return redirect(url_for("accounts.user_edit", user_id=user.id))
    return render_template(
        "accounts/user_edit.html",
        user=user,
        form=UserForm(obj=user, formdata=None),
        password_form=form,
        confirm_form=ConfirmForm(formdata=None),
    ), 400


@bp.post("/users/<int:user_id>/active")
@roles_required(Role.ADMIN)
def user_set_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    make_active = not user.active
    try:
        service.set_active(user, make_active)
    except service.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if make_active:
            flash(_("Account %(name)s is active again.", name=user.username), "success")
        else:
            flash(_("Account %(name)s is deactivated.", name=user.username), "success")
    return redirect(url_for("accounts.user_edit", user_id=user.id))
