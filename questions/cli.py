"""`flask --app contest questions ...`: the bank from a terminal."""

import click
from flask.cli import AppGroup

from contest.extensions import db
from questions.markdown import plain_text
from questions.search import Filters, search

questions_cli = AppGroup("questions", help="Search and manage the question bank.")


@questions_cli.command("search")
@click.argument("text", default="")
def search_command(text: str) -> None:
    """One line per question matching TEXT (accents ignored); empty TEXT lists them all."""
    rows = db.session.execute(search(Filters(text=text, sort="id"))).all()
    for question, version in rows:
        stem = " ".join(plain_text(version.content.get("stem", "")).split())
        click.echo(f"{question.id}\t{question.status}\t{version.type}\t{stem[:80]}")
    click.echo(f"{len(rows)} question(s)", err=True)
