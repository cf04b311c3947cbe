"""`flask --app contest users ...` commands."""

import click
from flask.cli import AppGroup

from contest.accounts import service
from contest.accounts.roles import Role
from contest.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--full-name", default="Quản trị viên", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(username: str, full_name: str, password: str) -> None:
    """Create an administrator account."""
    try:
        user = service.create_user(username, full_name, password, roles=[Role.ADMIN])
    except service.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created administrator {user.username}.")
