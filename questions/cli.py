"""`flask --app contest questions ...`: the bank from a terminal."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from contest.extensions import db
from contest.text import fold
from contest.themes.models import Theme
from questions import exports, imports
from questions.formats import FORMAT_MODULES, FormatError
from questions.markdown import plain_text
from questions.models import Level, QuestionType, Status
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


def _theme_ids(names: tuple[str, ...]) -> list[int]:
    themes = {}
    for theme in db.session.scalars(db.select(Theme)):
        themes[fold(theme.short_name)] = themes[fold(theme.title)] = theme.id
    missing = [name for name in names if fold(name) not in themes]
    if missing:
        raise click.UsageError(f"no such theme: {', '.join(missing)}")
    return [themes[fold(name)] for name in names]


@questions_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Read and check only; write nothing.")
@click.option("--theme", "themes", multiple=True, help="A theme (short name) for every question.")
@click.option("--tag", "tags", multiple=True, help="A tag for every question.")
@click.option(
    "--status",
    type=click.Choice(imports.IMPORT_STATUSES),
    default="draft",
    show_default=True,
)
@click.option("--format", "format_name", type=click.Choice(list(FORMAT_MODULES)))
def import_command(path, dry_run, themes, tags, status, format_name) -> None:
    """Import questions from PATH, all or nothing; every problem is printed with its line."""
    options = imports.CommitOptions(theme_ids=_theme_ids(themes), tags=list(tags), status=status)
    try:
        prepared = imports.prepare(path.read_bytes(), path.name, format_name)
    except FormatError as error:
        click.echo(f"{path}: {error.message}", err=True)
        sys.exit(1)
    problems = [(issue, None) for issue in prepared["issues"]]
    problems += [(issue, item) for item in prepared["items"] for issue in item["issues"]]
    word = {"row": "row", "paragraph": "paragraph"}.get(prepared["position"], "line")
    for issue, _item in sorted(problems, key=lambda pair: pair[0]["line"] or 0):
        where = f"{word} {issue['line']}" if issue["line"] else "file"
        field = f" [{issue['field']}]" if issue["field"] else ""
        click.echo(f"{path}:{where}{field}: {issue['message']}", err=True)
    for note in prepared["notes"] + [n for item in prepared["items"] for n in item["notes"]]:
        where = f"{word} {note['line']}" if note["line"] else "file"
        click.echo(f"{path}:{where}: left out: {note['message']}", err=True)
    count = len(prepared["items"])
    if problems:
        click.echo(f"{len(problems)} problem(s); nothing was written.", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"{count} questions (dry run: nothing was written)")
        return
    imports.write(prepared["items"], None, options)
    db.session.commit()
    click.echo(f"{count} questions")


@questions_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(list(FORMAT_MODULES)), required=True)
@click.option("--text", default="", help="Words to search for (accents ignored).")
@click.option("--theme", default=None, help="A theme's short name.")
@click.option("--tag", default="")
@click.option("--type", "kind", type=click.Choice([kind.value for kind in QuestionType]))
@click.option("--level", type=click.Choice([level.value for level in Level]))
@click.option("--status", type=click.Choice([status.value for status in Status]))
def export_command(path, format_name, text, theme, tag, kind, level, status) -> None:
    """Write the questions matching the filters to PATH in FORMAT."""
    filters = Filters(
        text=text,
        theme_id=_theme_ids((theme,))[0] if theme else None,
        tag=tag,
        type=kind or "",
        level=level or "",
        status=status or "",
        sort="id",
    )
    exported = exports.export(filters, format_name)
    path.write_bytes(exported.data)
    for skipped in exported.skipped:
        click.echo(f"left out: {skipped.stem[:60]!r}: {skipped.reason}", err=True)
    written = len(exports.records_for(filters)) - len(exported.skipped)
    click.echo(f"{written} questions written to {path}")


@questions_cli.command("import-worker", hidden=True)
@click.argument("token")
@click.argument("action", type=click.Choice(["read", "commit"]))
def import_worker_command(token: str, action: str) -> None:
    """Read or commit an import started on the web (runs detached, reports through its folder)."""
    imports.run_worker(token, action)
