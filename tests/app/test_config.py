"""Configuration from the environment: safe defaults, and refusals where defaults are unsafe."""

import pytest

from contest import create_app
from contest.config import load_config


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path), {"HOITHI_ENV": "production"})


def test_development_generates_a_secret_once_and_keeps_it(tmp_path):
    first = load_config(str(tmp_path), {})["SECRET_KEY"]
    second = load_config(str(tmp_path), {})["SECRET_KEY"]
    assert len(first) >= 64 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_defaults_are_an_sqlite_file_in_the_instance_folder_vietnamese_and_vietnam_time(tmp_path):
    config = load_config(str(tmp_path), {})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'hoithi.sqlite3'}"
    assert config["BABEL_DEFAULT_LOCALE"] == "vi"
    assert config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Ho_Chi_Minh"
    assert config["SOCKETIO_ASYNC_MODE"] == "threading"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SESSION_COOKIE_SECURE"] is False  # plain http on a hall laptop


@pytest.mark.parametrize("given", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgresql_urls_are_pointed_at_psycopg_3(tmp_path, given):
    config = load_config(str(tmp_path), {"DATABASE_URL": given})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_production_cookies_are_secure_and_redis_carries_the_rate_limits(tmp_path):
    config = load_config(
        str(tmp_path),
        {"HOITHI_ENV": "production", "SECRET_KEY": "s" * 64, "REDIS_URL": "redis://r:6379/1"},
    )
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://r:6379/1"


def test_the_async_mode_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCKETIO_ASYNC_MODE", "gevent")
    assert load_config(str(tmp_path))["SOCKETIO_ASYNC_MODE"] == "gevent"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    from sqlalchemy import text

    from contest.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


POOL_ENVIRONMENT = {
    "DATABASE_POOL_SIZE": "20",
    "DATABASE_MAX_OVERFLOW": "0",
    "DATABASE_POOL_TIMEOUT": "5",
    "DATABASE_POOL_RECYCLE": "1800",
    "DATABASE_PRE_PING": "false",
}


def test_connections_are_pinged_by_default_and_the_pool_is_sqlalchemys(tmp_path):
    config = load_config(str(tmp_path), {"DATABASE_URL": "postgresql://u@h/db"})
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True,
        "pool_recycle": -1,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 30.0,
    }


def test_a_postgresql_pool_takes_its_settings_from_the_environment(tmp_path, monkeypatch):
    from contest.extensions import db

    environment = {**POOL_ENVIRONMENT, "DATABASE_URL": "postgresql://u@h/db", "SECRET_KEY": "s"}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    with app.app_context():
        pool = db.engine.pool  # built without connecting: no server needed
        assert (pool.size(), pool.timeout()) == (20, 5.0)
        assert (pool._max_overflow, pool._recycle, pool._pre_ping) == (0, 1800, False)
        db.engine.dispose()


def test_sqlite_still_connects_when_pool_sizes_are_set_for_postgresql(tmp_path):
    from sqlalchemy import create_engine, text

    for url in ("sqlite://", f"sqlite:///{tmp_path / 'x.db'}"):
        config = load_config(str(tmp_path), {**POOL_ENVIRONMENT, "DATABASE_URL": url})
        engine = create_engine(url, **config["SQLALCHEMY_ENGINE_OPTIONS"])
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        assert engine.pool._recycle == 1800 and engine.pool._pre_ping is False
        engine.dispose()


def test_the_online_start_limits_come_from_the_environment(tmp_path):
    defaults = load_config(str(tmp_path), {})
    assert defaults["ONLINE_START_LIMIT_PER_PARTICIPANT"] == "10 per minute"
    assert defaults["ONLINE_START_LIMIT_PER_ADDRESS"] == "60 per minute"
    config = load_config(
        str(tmp_path),
        {
            "ONLINE_START_LIMIT_PER_PARTICIPANT": "5 per minute",
            "ONLINE_START_LIMIT_PER_ADDRESS": "2000 per minute",
        },
    )
    assert config["ONLINE_START_LIMIT_PER_PARTICIPANT"] == "5 per minute"
    assert config["ONLINE_START_LIMIT_PER_ADDRESS"] == "2000 per minute"


def test_behind_pgbouncer_psycopg_never_prepares_statements():
    from contest.config import engine_options

    url = "postgresql+psycopg://hoithi@127.0.0.1:6432/hoithi"
    assert "connect_args" not in engine_options(url, {})
    options = engine_options(url, {"DATABASE_PGBOUNCER": "true"})
    assert options["connect_args"] == {"prepare_threshold": None}


def test_the_socketio_message_queue_is_off_unless_configured(tmp_path):
    from contest.config import load_config

    assert load_config(str(tmp_path), {})["SOCKETIO_MESSAGE_QUEUE"] is None
    queue = load_config(str(tmp_path), {"SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/3"})
    assert queue["SOCKETIO_MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/3"
