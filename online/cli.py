"""`flask --app contest online …`: commands for online contests."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from contest.database import utcnow

online_cli = AppGroup("online", help="Online contests.")


@online_cli.command("finalise")
def finalise_command() -> None:
    """Submit every attempt whose deadline plus grace has passed (safe to run any time)."""
    from online.finaliser import finalise_overdue

    count = finalise_overdue(utcnow())
    click.echo(f"{count} overdue attempt(s) finalised.")
