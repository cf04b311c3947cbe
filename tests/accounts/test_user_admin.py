"""The administrator's account pages: create, roles, password reset, deactivation."""

import pytest
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.accounts.roles import Role
from contest.extensions import db
from tests.conftest import PASSWORD, Client


def new_account(client, **overrides):
    data = {
        "username": "giamkhao1",
        "full_name": "Phạm Thu Khảo",
        "email": "",
        "password": "mot-mat-khau",
        "confirm": "mot-mat-khau",
        "roles": ["judge", "secretary"],
    }
    data.update(overrides)
    return client.post_form("/users/new", data)


def user_count():
    return db.session.scalar(select(func.count()).select_from(User))


def test_an_admin_creates_an_account_that_can_then_sign_in(app, client, login_as):
    login_as(Role.ADMIN)
    response = new_account(client)
    assert response.status_code == 302
    listing = client.get("/users").get_data(as_text=True)
    assert "giamkhao1" in listing and "Phạm Thu Khảo" in listing
    user = db.session.scalar(select(User).where(User.username == "giamkhao1"))
    assert user.roles == {Role.JUDGE, Role.SECRETARY}

    other = app.test_client()
    form = {"username": "giamkhao1", "password": "mot-mat-khau"}
    assert other.post_form("/login", form).status_code == 302


def test_a_taken_username_is_refused_beside_the_field_and_nothing_is_written(client, login_as):
    login_as(Role.ADMIN, username="quantri")
    before = user_count()
    response = new_account(client, username="QuanTri")
    assert response.status_code == 200
    assert 'id="username-error"' in response.get_data(as_text=True)
    assert user_count() == before


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"password": "short", "confirm": "short"}, "password"),
        ({"confirm": "something-else"}, "confirm"),
        ({"username": "có dấu"}, "username"),
        ({"roles": ["emperor"]}, "roles"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_bad_account_details_are_refused_with_the_error_beside_the_field(
    client, login_as, overrides, field
):
    login_as(Role.ADMIN)
    before = user_count()
    response = new_account(client, **overrides)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert user_count() == before


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_staff_without_the_admin_role_cannot_open_or_post_the_account_pages(
    client, login_as, make_user, role
):
    target = make_user("someone", Role.JUDGE)
    login_as(role)
    assert client.get("/users").status_code == 403
    assert client.get("/users/new").status_code == 403
    assert new_account(client).status_code == 403
    assert client.post_form(f"/users/{target.id}/active").status_code == 403
    assert db.session.get(User, target.id).active


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/users")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_an_admin_changes_roles(client, login_as, make_user):
    login_as(Role.ADMIN)
    target = make_user("dan", Role.HOST)
    response = client.post_form(
        f"/users/{target.id}",
        {"full_name": "Lê Minh Dẫn", "email": "dan@example.org", "roles": ["host", "judge"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, target.id).roles == {Role.HOST, Role.JUDGE}


def test_the_last_active_admin_cannot_lose_the_admin_role_or_be_deactivated(client, login_as):
    me = login_as(Role.ADMIN)
    response = client.post_form(f"/users/{me.id}", {"full_name": "Me", "roles": ["editor"]})
    assert response.status_code == 200
    assert 'id="roles-error"' in response.get_data(as_text=True)
    client.post_form(f"/users/{me.id}/active")
    db.session.expire_all()
    user = db.session.get(User, me.id)
    assert user.active and Role.ADMIN in user.roles


def test_a_password_reset_ends_the_users_open_sessions(app, client, login_as, make_user):
    target = make_user("bientap", Role.EDITOR)
    theirs: Client = app.test_client()
    theirs.post_form("/login", {"username": "bientap", "password": PASSWORD})
    assert "Bientap" in theirs.get("/").get_data(as_text=True)

    login_as(Role.ADMIN)
    data = {"password": "mat-khau-moi-2", "confirm": "mat-khau-moi-2"}
    assert client.post_form(f"/users/{target.id}/password", data).status_code == 302

    assert theirs.get("/account/password").status_code == 302  # signed out
    assert (
        theirs.post_form("/login", {"username": "bientap", "password": PASSWORD}).status_code == 401
    )
    new_login = {"username": "bientap", "password": "mat-khau-moi-2"}
    assert theirs.post_form("/login", new_login).status_code == 302


def test_deactivation_ends_sessions_and_reactivation_restores_access(
    app, client, login_as, make_user
):
    make_user("thuky", Role.SECRETARY)
    theirs = app.test_client()
    theirs.post_form("/login", {"username": "thuky", "password": PASSWORD})

    login_as(Role.ADMIN)
    target = db.session.scalar(select(User).where(User.username == "thuky"))
    client.post_form(f"/users/{target.id}/active")
    assert theirs.get("/account/password").status_code == 302
    assert (
        theirs.post_form("/login", {"username": "thuky", "password": PASSWORD}).status_code == 401
    )

    client.post_form(f"/users/{target.id}/active")
    assert (
        theirs.post_form("/login", {"username": "thuky", "password": PASSWORD}).status_code == 302
    )


def test_staff_change_their_own_password_only_with_the_current_one(client, login_as):
    login_as(Role.JUDGE, username="giamkhao")
    wrong = {"current": "wrong", "password": "moi-moi-moi", "confirm": "moi-moi-moi"}
    response = client.post_form("/account/password", wrong)
    assert 'id="current-error"' in response.get_data(as_text=True)
    right = dict(wrong, current=PASSWORD)
    assert client.post_form("/account/password", right).status_code == 302
    client.post_form("/logout")
    login = {"username": "giamkhao", "password": "moi-moi-moi"}
    assert client.post_form("/login", login).status_code == 302


def test_the_cli_creates_an_administrator(runner):
    result = runner.invoke(
        args=["users", "create-admin", "--username", "bantochuc", "--password", "rat-bi-mat-1"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "bantochuc"))
    assert user.roles == {Role.ADMIN} and user.check_password("rat-bi-mat-1")


def test_the_cli_refuses_a_short_password(runner):
    result = runner.invoke(args=["users", "create-admin", "--username", "x1", "--password", "ngan"])
    assert result.exit_code != 0
    assert user_count() == 0
