"""Signing in and out: passwords, throttling, CSRF, redirects."""

import pytest

from contest.accounts.roles import Role
from tests.conftest import PASSWORD


def sign_in(client, username, password=PASSWORD, **query):
    url = "/login" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post_form(url, {"username": username, "password": password})


def test_the_right_password_signs_in_and_shows_the_name(client, make_user):
    make_user("bientap", Role.EDITOR, full_name="Nguyễn Văn Biên")
    response = sign_in(client, "BienTap ")  # usernames ignore case and stray spaces
    assert response.status_code == 302
    assert "Nguyễn Văn Biên" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_and_nobody_is_signed_in(client, make_user):
    make_user("bientap", Role.EDITOR)
    response = sign_in(client, "bientap", "not-the-password")
    assert response.status_code == 401
    assert client.get("/users").status_code == 302  # still anonymous: sent to the login page


def test_a_deactivated_account_cannot_sign_in(app, client, make_user):
    from contest.extensions import db

    user = make_user("cu", Role.JUDGE)
    user.active = False
    db.session.commit()
    assert sign_in(client, "cu").status_code == 401


def test_wrong_passwords_for_one_account_are_throttled(client, make_user):
    make_user("bientap", Role.EDITOR)
    for _ in range(5):
        assert sign_in(client, "bientap", "guess").status_code == 401
    # Even the right password waits now: the account is under attack.
    assert sign_in(client, "bientap").status_code == 429


def test_throttling_one_account_leaves_other_accounts_alone(client, make_user):
    make_user("bientap", Role.EDITOR)
    make_user("duyet", Role.REVIEWER)
    for _ in range(5):
        sign_in(client, "bientap", "guess")
    assert sign_in(client, "duyet").status_code == 302


def test_successful_sign_ins_do_not_use_up_the_allowance(client, make_user):
    make_user("thuky", Role.SECRETARY)
    for _ in range(8):
        assert sign_in(client, "thuky").status_code == 302
        client.post_form("/logout")


def test_a_login_form_without_its_csrf_token_is_refused(client, make_user):
    make_user("bientap", Role.EDITOR)
    response = client.post("/login", data={"username": "bientap", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/users").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_after_sign_in_the_next_parameter_never_leaves_the_site(client, make_user, target):
    make_user("bientap", Role.EDITOR)
    response = sign_in(client, "bientap", next=target)
    assert response.location == "/"


def test_after_sign_in_the_user_returns_to_the_page_they_asked_for(client, make_user):
    make_user("quantri", Role.ADMIN)
    assert sign_in(client, "quantri", next="/users").location == "/users"


def test_signing_out_needs_a_post_with_csrf(client, login_as):
    login_as(Role.EDITOR)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.post_form("/logout").status_code == 302
    assert client.get("/users").status_code == 302
