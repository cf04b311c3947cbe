"""Configuration from environment variables, with safe development defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever spelling the host platform gives."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret(instance_path: Path) -> str:
    """Generate the key once and keep it, so sessions survive a restart of `make run`."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def engine_options(database_url: str, environ: Mapping[str, str]) -> dict:
    """Connection pool settings. The sizes are left out for SQLite: its pools may refuse them."""
    options = {
        # A ping before every checkout survives a database restart, at a round trip per request.
        "pool_pre_ping": _flag(environ.get("DATABASE_PRE_PING"), True),
        "pool_recycle": int(environ.get("DATABASE_POOL_RECYCLE") or -1),
    }
    if database_url.startswith("sqlite"):
        return options
    options = {
        **options,
        "pool_size": int(environ.get("DATABASE_POOL_SIZE") or 5),
        "max_overflow": int(environ.get("DATABASE_MAX_OVERFLOW") or 10),
        "pool_timeout": float(environ.get("DATABASE_POOL_TIMEOUT") or 30),
    }
    if _flag(environ.get("DATABASE_PGBOUNCER"), False):
        # PgBouncer in transaction mode hands each transaction to any server connection, where
        # psycopg's automatically prepared statements would not exist: never prepare.
        options["connect_args"] = {"prepare_threshold": None}
    return options


def load_config(instance_path: str, environ: Mapping[str, str] = os.environ) -> dict:
    """Build the Flask config mapping for this process."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = environ.get("HOITHI_ENV", "development").strip().lower()
    production = env == "production"

    secret = environ.get("SECRET_KEY", "").strip()
    if not secret:
        if production:
            raise RuntimeError(
                "SECRET_KEY must be set when HOITHI_ENV=production; "
                "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        secret = _development_secret(instance)

    database_url = normalise_database_url(
        environ.get("DATABASE_URL") or f"sqlite:///{instance / 'hoithi.sqlite3'}"
    )
    redis_url = environ.get("REDIS_URL") or None

    return {
        "HOITHI_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url, environ),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_KEY_PREFIX": environ.get("RATELIMIT_KEY_PREFIX", "hoithi"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Wrong passwords: per client address and per account name.
        "LOGIN_LIMIT_PER_ADDRESS": environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 5 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 5 minutes"),
        # Starting an online attempt through the API: per personal link, and per client address
        # (higher: a school's computer room or an office shares one address).
        "ONLINE_START_LIMIT_PER_PARTICIPANT": environ.get(
            "ONLINE_START_LIMIT_PER_PARTICIPANT", "10 per minute"
        ),
        "ONLINE_START_LIMIT_PER_ADDRESS": environ.get(
            "ONLINE_START_LIMIT_PER_ADDRESS", "60 per minute"
        ),
        # A round's public leaderboard is a snapshot rebuilt at most this often while entries
        # arrive (online/boards.py); 0 rebuilds it on the next page view after any change.
        "ONLINE_BOARD_REFRESH_S": int(environ.get("ONLINE_BOARD_REFRESH_S", "30")),
        "SOCKETIO_ASYNC_MODE": environ.get("SOCKETIO_ASYNC_MODE", "threading"),
        # Several server processes share Socket.IO rooms through this queue (Redis); unset: one
        # process. The channel keeps two deployments on one Redis apart.
        "SOCKETIO_MESSAGE_QUEUE": environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "SOCKETIO_CHANNEL": environ.get("SOCKETIO_CHANNEL", "hoithi-socketio"),
        "BABEL_DEFAULT_LOCALE": environ.get("DEFAULT_LOCALE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": environ.get("DISPLAY_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LANGUAGES": ("vi", "en"),
        # One-person teams may let an editor approve their own questions.
        "QUESTIONS_ALLOW_SELF_APPROVAL": _flag(environ.get("QUESTIONS_ALLOW_SELF_APPROVAL"), False),
        # Near-identical stems (rapidfuzz score 0-100) are flagged as duplicates.
        "QUESTIONS_DUPLICATE_THRESHOLD": float(environ.get("QUESTIONS_DUPLICATE_THRESHOLD", "90")),
        "QUESTIONS_IMAGE_MAX_KB": int(environ.get("QUESTIONS_IMAGE_MAX_KB", "2048")),
        "UPLOAD_FOLDER": environ.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        # Question imports wait here between upload, preview and commit (a day at most).
        "IMPORT_FOLDER": environ.get("IMPORT_FOLDER") or str(instance / "imports"),
        # Files this big or bigger are read and committed by a worker process, with progress.
        "IMPORT_BACKGROUND_KB": int(environ.get("IMPORT_BACKGROUND_KB", "256")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), production),
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # CSRF tokens live as long as the session: a long contest day must not expire forms.
        "WTF_CSRF_TIME_LIMIT": None,
    }
