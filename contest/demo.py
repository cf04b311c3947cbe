"""`flask --app contest demo`: sample accounts, units, themes and questions, loaded idempotently."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import func, select

from contest.accounts import service as accounts
from contest.accounts.models import User
from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.demo import load_demo_themes
from contest.units import service as units
from contest.units.demo import DEMO_UNITS
from contest.units.models import Unit
from contest.units.rules import CREATE, UnitRow
from contest.units.transfer import ParsedFile
from questions.samples import load_sample_bank

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


def demo_logins_still_valid() -> list[tuple[Role, str, str]]:
    """Demo accounts whose public password has not been changed (so `make run` can show them)."""
    valid = []
    for username, _, role, password in DEMO_USERS:
        user = accounts.find_user(username)
        if user is not None and user.active and user.check_password(password):
            valid.append((role, username, password))
    return valid


def load_demo_units() -> int:
    """Create the missing demo units through the import rules; edited units stay as they are."""
    existing = set(db.session.scalars(select(Unit.code)))
    rows = [
        UnitRow(number, code, name, parent or "", kind, headcount)
        for number, (code, name, parent, kind, headcount) in enumerate(DEMO_UNITS, start=2)
        if code not in existing
    ]
    if not rows:
        return 0
    return units.apply_import(ParsedFile(rows=rows)).count(CREATE)


def load_online_demo() -> int:
    from online.demo import load_online_demo as load

    return load()


def load_stage_demo() -> int:
    from live.demo import load_show_demo, load_stage_demo

    return load_stage_demo() + load_show_demo()


def load_demo() -> dict:
    """Load every part of the demo; safe to run again."""
    summary = {
        "users": load_demo_users(),
        "units created": load_demo_units(),
        "themes created": load_demo_themes(),
    }
    db.session.flush()  # the sample questions look their themes up by name
    summary["sample questions created"] = load_sample_bank()
    db.session.flush()  # the online contest draws from the sample bank
    summary["online contests created"] = load_online_demo()
    summary["stage contests created"] = load_stage_demo()
    db.session.commit()
    return summary


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def demo_command(if_empty: bool) -> None:
    """Load demo accounts, units and themes (idempotent)."""
    if current_app.config["HOITHI_ENV"] == "production":
        raise click.ClickException("The demo is not loaded in production.")
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        still_valid = demo_logins_still_valid()
        click.echo("Database already has accounts; demo not loaded.")
        if still_valid:
            click.echo("Demo logins that still work:")
            for role, username, password in still_valid:
                click.echo(f"  {role.value:<10} {username:<9} {password}")
        echo_stage_demo()
        return
    summary = load_demo()
    click.echo("Demo loaded. Sign in at http://127.0.0.1:5000/login with:")
    for username, password, role, created in summary["users"]:
        note = "" if created else "  (already existed: password unchanged)"
        click.echo(f"  {role.value:<10} {username:<9} {password}{note}")
    for key, value in summary.items():
        if key != "users":
            click.echo(f"  {key}: {value}")
    echo_stage_demo()


def echo_stage_demo() -> None:
    """Where to try the demo's stage contest: its setup page and the projector's join code."""
    from live.demo import demo_contest

    contest = demo_contest()
    if contest is not None:
        click.echo(f"Stage contest: http://127.0.0.1:5000/live/{contest.id} (sign in as dan)")
        click.echo(f"  projector join code: {contest.projector_code} at /stage/join")
