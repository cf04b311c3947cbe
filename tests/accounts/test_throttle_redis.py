"""With REDIS_URL set, login throttling lives in Redis and so holds across processes."""

import os
import uuid

import pytest
import redis

from contest import create_app
from contest.accounts.roles import Role
from contest.extensions import db
from tests.conftest import PASSWORD, Client, require_service, settings_for


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(url), "set REDIS_URL")
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        require_service("Redis", False, f"{url}: {exc}")
    return url


def test_a_throttled_account_stays_throttled_for_another_process(app, make_user, redis_url):
    # A name of its own, so counters left by another run cannot interfere.
    username = f"bientap{uuid.uuid4().hex[:8]}"
    make_user(username, Role.EDITOR)
    config = settings_for(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI=redis_url)
    server = redis.Redis.from_url(redis_url)

    def fresh_client():
        # A new app binds the limiter anew: only Redis can carry the count across.
        other = create_app(config)
        other.test_client_class = Client
        return other, other.test_client()

    first, client = fresh_client()
    with first.app_context():
        for _ in range(5):
            response = client.post_form("/login", {"username": username, "password": "x"})
            assert response.status_code == 401
        db.engine.dispose()

    second, client = fresh_client()
    with second.app_context():
        response = client.post_form("/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 429
        keys = server.keys(f"*login-account:{username}*")
        assert keys, "the limiter should keep its counters in Redis"
        server.delete(*keys)
        db.engine.dispose()
