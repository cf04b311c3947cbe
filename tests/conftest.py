"""Fixtures: the app on SQLite and (with TEST_DATABASE_URL) PostgreSQL, clients, users by role."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from contest import create_app
from contest.accounts import service as accounts
from contest.config import normalise_database_url
from contest.extensions import db, limiter

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
PASSWORD = "mat-khau-dung-1"


def require_service(name: str, available: bool, how: str) -> None:
    """Skip a test whose service is missing; in CI a missing service fails the test instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI but unavailable: {how}")
    pytest.skip(f"{name} unavailable: {how}")


def pytest_sessionfinish(session, exitstatus):
    # Belt and braces: in CI no test may skip, whatever the reason.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("CI=true and some tests were skipped: failing the run.", red=True)
        session.exitstatus = 1


def settings_for(database_url: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "tests-only-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "ONLINE_BOARD_REFRESH_S": 0,
    }
    config.update(extra)
    return config


def _upgrade(database_url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(settings_for(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """A migrated, empty database for the whole run: one SQLite file, one PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        _upgrade(url)
        yield url
        return

    base = os.environ.get("TEST_DATABASE_URL", "")
    require_service("PostgreSQL", bool(base), "set TEST_DATABASE_URL")
    base = normalise_database_url(base)
    name = f"hoithi_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - report any connection failure as a missing service
        server.dispose()
        require_service("PostgreSQL", False, f"{base}: {exc}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    _upgrade(url)
    yield url
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


class Client(FlaskClient):
    """A test client that posts forms the way a browser does: with the page's CSRF token.

    Each request runs in its own app context, as in production. Otherwise Flask reuses the
    test's context, and `g` (the CSRF token) and the DB session leak between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's own session reads what the request wrote
        return response

    def csrf_token(self) -> str:
        html = self.get("/").get_data(as_text=True)
        match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
        assert match, "the layout must carry the CSRF token"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


@pytest.fixture
def app_config():
    """Extra config for one test: override this fixture in a test module."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    """The application on a clean database; the test runs inside its app context."""
    application = create_app(settings_for(database_url, **app_config))
    application.test_client_class = Client
    with application.app_context():
        yield application
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()
        limiter.reset()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a staff account through the same service the admin pages use."""

    def make(username: str, *roles, password: str = PASSWORD, full_name: str | None = None):
        user = accounts.create_user(username, full_name or username.title(), password, roles=roles)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client, make_user):
    """Sign the test client in as a new user holding `roles` (none: a staff member with no role)."""

    def login(*roles, username: str | None = None):
        username = username or ("-".join(sorted(r.value for r in roles)) or "staff")
        user = make_user(username, *roles)
        response = client.post_form("/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login
