"""Every page but a few public ones needs a signed-in account; a view without a check fails.

Pages send an anonymous visitor to the login page; the JSON API (/api/...) answers 401 instead.
"""

import re

import pytest

PUBLIC = {"static", "main.home", "main.set_language", "main.health", "main.ready", "accounts.login"}
PUBLIC |= {"api_docs.openapi_json"}  # describes the API, holds no data


def concrete_url(rule) -> str:
    # Any value will do: the access check runs before the view looks anything up.
    return re.sub(r"<(?:int:)?[^>]+>", lambda m: "1" if "int:" in m.group(0) else "x", rule.rule)


def guarded_rules(app):
    from live.blueprints import PUBLIC_BLUEPRINTS as STAGE_SCREENS
    from online.blueprints import PUBLIC_BLUEPRINTS

    # Participants' pages and API are public by design; each checks its token (tests/online).
    # So are the stage's device screens; each checks its device token (tests/live).
    public_blueprints = PUBLIC_BLUEPRINTS + STAGE_SCREENS
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC and rule.endpoint.split(".")[0] not in public_blueprints
    ]


def test_there_are_guarded_pages_to_check(app):
    assert len(guarded_rules(app)) >= 20


def sent_to_sign_in(rule, response) -> bool:
    if rule.rule.startswith("/api/"):
        body = response.get_json(silent=True) or {}
        return response.status_code == 401 and body.get("error") == "unauthorized"
    return response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_every_non_public_page_sends_an_anonymous_visitor_to_sign_in(app, client, method):
    refused = []
    for rule in guarded_rules(app):
        if method not in rule.methods:
            continue
        url = concrete_url(rule)
        if method == "GET":
            response = client.get(url)
        else:  # with a valid CSRF token, so it is the access check that answers
            response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
        if not sent_to_sign_in(rule, response):
            refused.append((method, url, response.status_code))
    assert refused == []
