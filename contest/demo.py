"""`flask --app contest demo`: sample accounts, units and themes, loaded idempotently."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import func, select

from contest.accounts import service as accounts
from contest.accounts.models import User
from contest.accounts.roles import Role
from contest.extensions import db

# (username, full name, role, password): public demo passwords; change them for a real contest.
DEMO_USERS = [
    ("admin", "Quản trị viên", Role.ADMIN, "hoithi-admin"),
    ("bientap", "Nguyễn Văn Biên", Role.EDITOR, "hoithi-editor"),
    ("duyet", "Trần Thị Duyệt", Role.REVIEWER, "hoithi-reviewer"),
    ("dan", "Lê Minh Dẫn", Role.HOST, "hoithi-host"),
    ("giamkhao", "Phạm Thu Khảo", Role.JUDGE, "hoithi-judge"),
    ("thuky", "Hoàng Văn Ký", Role.SECRETARY, "hoithi-secretary"),
]


def load_demo_users() -> list[tuple[str, str, Role, bool]]:
    """Create the demo accounts that are missing; existing accounts keep their passwords."""
    result = []
    for username, full_name, role, password in DEMO_USERS:
        existing = accounts.find_user(username)
        if existing is None:
            accounts.create_user(username, full_name, password, roles=[role])
        result.append((username, password, role, existing is None))
    return result


def load_demo() -> dict:
    """Load every part of the demo; safe to run again."""
    summary = {"users": load_demo_users()}
    db.session.commit()
    return summary


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def demo_command(if_empty: bool) -> None:
    """Load demo accounts, units and themes (idempotent)."""
    if current_app.config["HOITHI_ENV"] == "production":
        raise click.ClickException("The demo is not loaded in production.")
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Database already has accounts; demo not loaded.")
        return
    summary = load_demo()
    click.echo("Demo loaded. Sign in at http://127.0.0.1:5000/login with:")
    for username, password, role, created in summary["users"]:
        note = "" if created else "  (already existed: password unchanged)"
        click.echo(f"  {role.value:<10} {username:<9} {password}{note}")
    for key, value in summary.items():
        if key != "users":
            click.echo(f"  {key}: {value}")
