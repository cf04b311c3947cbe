"""Importing a question file: read it, show what it holds, then write it all or nothing.

An import is a folder under IMPORT_FOLDER named by a random token:

- `upload` — the file's bytes; `meta.json` — who uploaded it, its name, format and language;
- `state.json` — the phase and progress, rewritten atomically, so any process on the host (a
  second gunicorn worker, the CLI) can show it;
- `result.json` — what the reader understood: every question with its issues and duplicates.

Small files are read within the request. Big ones (IMPORT_BACKGROUND_KB and over) are read and
committed by a worker process (`flask questions import-worker`), so a 10,000-question file
neither blocks the server's other users (CPU-bound work would stall gevent's event loop) nor
holds a request open. The commit is one database transaction: on any problem nothing is written.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert, select

from contest.database import utcnow
from contest.extensions import db
from contest.text import clean_line, fold
from contest.themes.models import Theme
from questions import content as question_content
from questions import duplicates
from questions.formats import FormatError, QuestionRecord, detect, read
from questions.models import Question, QuestionVersion, Status, Tag, question_tag, question_theme
from questions.service import Details, search_text

PHASES = ("queued", "reading", "checking", "ready", "committing", "done", "failed")
IMPORT_STATUSES = (Status.DRAFT.value, Status.IN_REVIEW.value, Status.APPROVED.value)
EXPIRY_SECONDS = 24 * 3600
PROGRESS_EVERY = 500
POINTS_RANGE, TIME_RANGE = (0, 1000), (5, 3600)
DEFAULTS = Details()
_TOKEN_LENGTH = 22
RECORD_FIELDS = [item.name for item in fields(QuestionRecord)]


class ImportNotFound(LookupError):
    """No import with that token for this user (or it expired)."""


class ImportRefused(ValueError):
    """The import cannot be committed; `message` says why, for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class CommitOptions:
    theme_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    status: str = Status.DRAFT.value
    skip_bank_duplicates: bool = False


# ---- the folder -------------------------------------------------------------------------------


def _root() -> Path:
    return Path(current_app.config["IMPORT_FOLDER"])


def _folder(token: str) -> Path:
    if len(token) != _TOKEN_LENGTH or not all(c.isalnum() or c in "-_" for c in token):
        raise ImportNotFound(token)
    folder = _root() / token
    if not (folder / "meta.json").exists():
        raise ImportNotFound(token)
    return folder


def _write_json(path: Path, data) -> None:
    # Readers in other processes must never see half a file: write aside, then rename.
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def meta(token: str) -> dict:
    return _read_json(_folder(token) / "meta.json")


def state(token: str) -> dict:
    """{"phase", "done", "total", "message"}: where the import is."""
    return _read_json(_folder(token) / "state.json")


def _set_state(token: str, phase: str, done: int = 0, total: int = 0, message: str = "") -> None:
    state_file = _folder(token) / "state.json"
    _write_json(state_file, {"phase": phase, "done": done, "total": total, "message": message})


def result(token: str) -> dict:
    """{"format", "position", "items": [{"record", "issues", "duplicates"}], "issues": [...]}."""
    return _read_json(_folder(token) / "result.json")


def owned_by(token: str, user) -> dict:
    """The import's meta when `user` started it; ImportNotFound otherwise (no peeking by token)."""
    data = meta(token)
    if data["user_id"] != user.id:
        raise ImportNotFound(token)
    return data


def purge_expired(now: float | None = None) -> int:
    """Remove imports older than a day (uploads left waiting); returns how many."""
    now = now or time.time()
    removed = 0
    root = _root()
    if not root.exists():
        return 0
    for folder in root.iterdir():
        meta_file = folder / "meta.json"
        expired = meta_file.exists() and now - meta_file.stat().st_mtime > EXPIRY_SECONDS
        if folder.is_dir() and expired:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def discard(token: str) -> None:
    shutil.rmtree(_folder(token), ignore_errors=True)


# ---- starting ---------------------------------------------------------------------------------


def start(user, filename: str, data: bytes, format: str | None = None, locale: str = "vi") -> str:
    """Keep the upload and read it (here when small, in a worker when big); returns the token.

    FormatError when the format cannot be told from the name or content.
    """
    purge_expired()
    format = format or detect(filename, data)
    token = secrets.token_urlsafe(16)
    folder = _root() / token
    folder.mkdir(parents=True)
    (folder / "upload").write_bytes(data)
    _write_json(
        folder / "meta.json",
        {
            "user_id": user.id,
            "filename": filename,
            "format": format,
            "locale": locale,
            "size": len(data),
            "created": datetime.now(UTC).isoformat(),
        },
    )
    _set_state(token, "queued")
    if len(data) >= current_app.config["IMPORT_BACKGROUND_KB"] * 1024:
        _spawn_worker(token, "read")
    else:
        read_import(token)
    return token


def _spawn_worker(token: str, action: str) -> None:
    """Run `flask questions import-worker` for this import, detached from the request."""
    config = current_app.config
    environment = dict(
        os.environ,
        DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY=config["SECRET_KEY"],
        IMPORT_FOLDER=config["IMPORT_FOLDER"],
        QUESTIONS_DUPLICATE_THRESHOLD=str(config["QUESTIONS_DUPLICATE_THRESHOLD"]),
    )
    log = (_folder(token) / "worker.log").open("ab")
    subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "contest", "questions", "import-worker"]
        # "--": a random token may begin with "-", and would then be read as an option.
        + ["--", token, action],
        env=environment,
        cwd=str(Path(current_app.root_path).parent),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# ---- reading ----------------------------------------------------------------------------------


def read_import(token: str) -> None:
    """Read the upload, check it against the bank, and keep the result for the preview."""
    info = meta(token)
    with force_locale(info["locale"]):
        try:
            _set_state(token, "reading")
            data = (_folder(token) / "upload").read_bytes()
            prepared = prepare(
                data,
                info["filename"],
                info["format"],
                on_checking=lambda total: _set_state(token, "checking", total=total),
            )
            _write_json(_folder(token) / "result.json", prepared)
            items = prepared["items"]
            _set_state(token, "ready", len(items), len(items))
        except FormatError as error:
            _set_state(token, "failed", message=error.message)
        except Exception:  # noqa: BLE001 - a reader bug must still end the import visibly
            current_app.logger.exception("import %s could not be read", token)
            _set_state(token, "failed", message=_("The file could not be read."))
            raise


def prepare(data: bytes, filename: str, format: str | None = None, on_checking=None) -> dict:
    """Read a file and check it against the bank: the preview's data (FormatError if unreadable).

    {"format", "position", "items": [{"record", "issues", "notes", "duplicates"}], "issues",
    "notes"}: top-level entries are those not tied to one question. Issues refuse the file;
    notes (warnings) say what will be left out.
    """
    parsed = read(data, filename, format)
    if on_checking:
        on_checking(len(parsed.records))
    items = [
        {"record": _as_dict(record), "issues": [], "notes": [], "duplicates": []}
        for record in parsed.records
    ]
    by_line: dict[int | None, int] = {}
    for index, record in enumerate(parsed.records):
        by_line.setdefault(record.line, index)
    loose, notes = [], []
    for issue in parsed.issues:
        entry = {"line": issue.line, "field": issue.field, "message": issue.message}
        if issue.line is not None and issue.line in by_line:
            items[by_line[issue.line]]["notes" if issue.warning else "issues"].append(entry)
        else:
            (notes if issue.warning else loose).append(entry)
    _check_against_bank(parsed.records, items)
    _flag_duplicates(parsed.records, items)
    return {
        "format": parsed.format,
        "position": parsed.position,
        "items": items,
        "issues": loose,
        "notes": notes,
    }


def _as_dict(record: QuestionRecord) -> dict:
    # dataclasses.asdict deep-copies every content dict: a quarter of reading 10,000 questions.
    return {name: getattr(record, name) for name in RECORD_FIELDS}


def _issue(record: QuestionRecord, field_name: str, message: str) -> dict:
    return {"line": record.line, "field": field_name, "message": message}


def _theme_names() -> dict[str, int]:
    """Folded short name or title -> theme id, for matching the names files give."""
    names = {}
    for theme in db.session.scalars(select(Theme)):
        names[fold(theme.title)] = theme.id
        names[fold(theme.short_name)] = theme.id
    return names


def _check_against_bank(records: list[QuestionRecord], items: list[dict]) -> None:
    """What only the bank can tell: themes that exist, keys already taken, numbers in range."""
    themes = _theme_names()
    keys = [record.key for record in records if record.key]
    taken = set(db.session.scalars(select(Question.key).where(Question.key.in_(keys))))
    first_with_key: dict[str, int] = {}
    for record, item in zip(records, items, strict=True):
        issues = item["issues"]
        for name in record.themes:
            if fold(name) not in themes:
                issues.append(
                    _issue(
                        record,
                        "themes",
                        _(
                            "There is no theme “%(name)s” in the bank: add it on the Themes page "
                            "or remove it from the file.",
                            name=name,
                        ),
                    )
                )
        if record.key:
            if record.key in taken:
                issues.append(
                    _issue(
                        record,
                        "key",
                        _("The code “%(key)s” is already used in the bank.", key=record.key),
                    )
                )
            elif record.key in first_with_key:
                issues.append(
                    _issue(
                        record,
                        "key",
                        _(
                            "The code “%(key)s” is given to two questions of this file.",
                            key=record.key,
                        ),
                    )
                )
            else:
                first_with_key[record.key] = record.line
        for name, value, (low, high) in (
            ("points", record.points, POINTS_RANGE),
            ("time_limit_s", record.time_limit_s, TIME_RANGE),
        ):
            if value is not None and not (isinstance(value, int) and low <= value <= high):
                issues.append(
                    _issue(
                        record,
                        name,
                        _(
                            "“%(value)s” is out of range: from %(low)d to %(high)d.",
                            value=value,
                            low=low,
                            high=high,
                        ),
                    )
                )


def _flag_duplicates(records: list[QuestionRecord], items: list[dict]) -> None:
    """Near-identical stems, against the bank and within the file (the bank's own measure)."""
    threshold = current_app.config["QUESTIONS_DUPLICATE_THRESHOLD"]
    stems: dict[tuple[int, int], str] = {
        (0, question_id): stem for question_id, stem in duplicates.current_stems().items()
    }
    for index, record in enumerate(records):
        stems[(1, index)] = duplicates.normalised_stem(str(record.content.get("stem") or ""))
    for group in duplicates.clusters(stems, threshold):
        bank = [key for side, key in group if side == 0]
        in_file = [key for side, key in group if side == 1]
        for index in in_file:
            item = items[index]
            item["duplicates"] += [{"question_id": question_id} for question_id in bank]
            item["duplicates"] += [
                {"line": records[other].line} for other in in_file if other != index
            ]


def has_errors(data: dict) -> bool:
    return bool(data["issues"]) or any(item["issues"] for item in data["items"])


# ---- committing -------------------------------------------------------------------------------


def check_options(user, options: CommitOptions) -> None:
    """Refuse options the user may not choose (ImportRefused)."""
    from contest.accounts.roles import Role

    if options.status not in IMPORT_STATUSES:
        raise ImportRefused(_("Choose draft, in review or approved."))
    if options.status == Status.APPROVED.value and not user.has_role(Role.REVIEWER):
        raise ImportRefused(_("Only a reviewer may import questions as approved."))
    known = set(db.session.scalars(select(Theme.id).where(Theme.id.in_(options.theme_ids))))
    if known != set(options.theme_ids):
        raise ImportRefused(_("A chosen theme no longer exists."))


def begin_commit(token: str, user, options: CommitOptions) -> None:
    """Commit now (small imports) or hand it to a worker (big ones)."""
    check_options(user, options)
    data = result(token)
    if has_errors(data):
        raise ImportRefused(_("The file has problems: correct them and upload it again."))
    if state(token)["phase"] != "ready":
        raise ImportRefused(_("This import is not waiting for a commit."))
    _write_json(_folder(token) / "options.json", asdict(options))
    _set_state(token, "committing", 0, len(data["items"]))
    if meta(token)["size"] >= current_app.config["IMPORT_BACKGROUND_KB"] * 1024:
        _spawn_worker(token, "commit")
    else:
        commit_import(token)


def commit_import(token: str) -> int:
    """Write every question in one transaction; returns how many. Called by begin_commit or a
    worker, after the checks; a failure leaves the bank as it was and the import 'failed'."""
    info = meta(token)
    options = CommitOptions(**_read_json(_folder(token) / "options.json"))
    data = result(token)
    items = data["items"]
    if options.skip_bank_duplicates:
        items = [
            item
            for item in items
            if not any("question_id" in duplicate for duplicate in item["duplicates"])
        ]
    with force_locale(info["locale"]):
        try:
            created = write(
                items,
                info["user_id"],
                options,
                progress=lambda done, total: _set_state(token, "committing", done, total),
            )
            db.session.commit()
        except Exception:  # noqa: BLE001 - whatever failed, nothing stays half-written
            db.session.rollback()
            current_app.logger.exception("import %s could not be committed", token)
            _set_state(token, "failed", message=_("Nothing was written: the import failed."))
            raise
        _set_state(token, "done", created, created)
    (_folder(token) / "upload").unlink(missing_ok=True)
    return created


def write(items: list[dict], user_id: int | None, options: CommitOptions, progress=None) -> int:
    """Insert the items' questions inside the caller's transaction (the caller commits).

    Bulk inserts, a batch at a time: ten thousand questions in seconds where one ORM object
    at a time took minutes. `progress(done, total)` is called after each batch.
    """
    now = utcnow()
    themes = _theme_names()
    approved = options.status == Status.APPROVED.value
    total = len(items)
    for start in range(0, total, PROGRESS_EVERY):
        batch = [QuestionRecord(**item["record"]) for item in items[start : start + PROGRESS_EVERY]]
        question_rows = [
            {
                "key": record.key or None,
                "status": options.status,
                "revision": 1,
                "approved_revision": 1 if approved else None,
                "author_id": user_id,
                "reviewed_by_id": user_id if approved else None,
                "reviewed_at": now if approved else None,
                "created_at": now,
                "updated_at": now,
            }
            for record in batch
        ]
        ids = list(
            db.session.scalars(
                insert(Question).returning(Question.id, sort_by_parameter_order=True),
                question_rows,
            )
        )
        version_rows, theme_rows, tag_names = [], set(), {}
        for question_id, record in zip(ids, batch, strict=True):
            # Validated when the file was read; the commit refuses files with any issue.
            content = question_content.normalised(record.content, validated=True)
            details = _details(record)
            version_rows.append(
                {
                    "question_id": question_id,
                    "number": 1,
                    "type": content["type"],
                    "content": content,
                    "search_text": search_text(content, details),
                    "created_by_id": user_id,
                    "created_at": now,
                    **asdict(details),
                }
            )
            chosen = set(options.theme_ids)
            chosen |= {themes[fold(name)] for name in record.themes if fold(name) in themes}
            tags = list(record.tags) + list(options.tags)
            for category in record.categories:
                if fold(category) in themes:
                    chosen.add(themes[fold(category)])
                else:
                    tags.append(category)
            theme_rows |= {(question_id, theme_id) for theme_id in chosen}
            for name in tags:
                if cleaned := clean_line(name).lower()[:80]:
                    tag_names.setdefault(cleaned, set()).add(question_id)
        # Core, not ORM, bulk insert: no per-row ORM bookkeeping for rows nobody loads here.
        db.session.execute(insert(QuestionVersion.__table__), version_rows)
        if theme_rows:
            db.session.execute(
                insert(question_theme),
                [{"question_id": q, "theme_id": t} for q, t in sorted(theme_rows)],
            )
        _insert_tags(tag_names)
        if progress:
            progress(min(start + len(batch), total), total)
    return total


def _details(record: QuestionRecord) -> Details:
    return Details(
        level=record.level or DEFAULTS.level,
        points=DEFAULTS.points if record.points is None else record.points,
        time_limit_s=DEFAULTS.time_limit_s if record.time_limit_s is None else record.time_limit_s,
        source_document=clean_line(record.source_document)[:300],
        source_section=clean_line(record.source_section)[:300],
        source_url=clean_line(record.source_url)[:500],
    )


def _insert_tags(tag_names: dict[str, set[int]]) -> None:
    if not tag_names:
        return
    existing = dict(
        db.session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(list(tag_names)))).all()
    )
    missing = [{"name": name} for name in tag_names if name not in existing]
    if missing:
        db.session.execute(insert(Tag), missing)
        existing = dict(
            db.session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(list(tag_names)))).all()
        )
    db.session.execute(
        insert(question_tag),
        [
            {"question_id": question_id, "tag_id": existing[name]}
            for name, question_ids in tag_names.items()
            for question_id in sorted(question_ids)
        ],
    )


def run_worker(token: str, action: str) -> None:
    """The worker process's entry point (`flask questions import-worker TOKEN read|commit`)."""
    if action == "read":
        read_import(token)
    elif action == "commit":
        commit_import(token)
    else:
        raise ValueError(action)
