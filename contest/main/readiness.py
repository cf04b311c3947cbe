"""What a process needs before it takes traffic: the database at the migrations' head, Redis."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from contest.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@cache
def code_head() -> str:
    """The newest migration this code ships (read once: the files don't change while serving)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _redis_urls(app: Flask) -> set[str]:
    urls = {app.config.get("REDIS_URL"), app.config.get("SOCKETIO_MESSAGE_QUEUE")}
    return {url for url in urls if url and url.startswith(("redis://", "rediss://"))}


def problems(app: Flask) -> list[str]:
    """Why this process should not take traffic yet; empty when it is ready."""
    found = []
    try:
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        db.session.rollback()
        return [f"database: {exc.__class__.__name__}"]
    if version != code_head():
        found.append(f"database schema at {version}, code expects {code_head()}")
    for url in _redis_urls(app):
        import redis

        try:
            redis.Redis.from_url(url, socket_timeout=2).ping()
        except redis.RedisError as exc:
            found.append(f"redis: {exc.__class__.__name__}")
    return found
