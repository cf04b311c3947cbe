"""Every page but a few public ones needs a signed-in account; a view without a check fails."""

import re

import pytest

PUBLIC = {"static", "main.home", "main.set_language", "main.health", "accounts.login"}


def concrete_url(rule) -> str:
    # Any value will do: the access check runs before the view looks anything up.
    return re.sub(r"<(?:int:)?[^>]+>", lambda m: "1" if "int:" in m.group(0) else "x", rule.rule)


def guarded_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in PUBLIC]


def test_there_are_guarded_pages_to_check(app):
    assert len(guarded_rules(app)) >= 20


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_non_public_page_sends_an_anonymous_visitor_to_sign_in(app, client, method):
    refused = []
    for rule in guarded_rules(app):
        if method not in rule.methods:
            continue
        url = concrete_url(rule)
        response = client.get(url) if method == "GET" else client.post_form(url, {})
        if response.status_code != 302 or not response.location.startswith("/login"):
            refused.append((method, url, response.status_code))
    assert refused == []
