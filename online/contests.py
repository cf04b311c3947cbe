"""Organisers' rules for online contests and their rounds: settings, times, draws the bank can fill.

Times are typed and read in the display zone (Vietnam time by default, `BABEL_DEFAULT_TIMEZONE`)
and stored in UTC. A round's draw is checked at save time against the approved questions, so an
organiser learns on the form, not on the first participant's start, that the bank is short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from contest.database import utcnow
from contest.extensions import db
from contest.text import clean_line, fold
from contest.themes.models import Theme
from online.models import Counted, OnlineContest, Prediction, Review, Round, Standings
from questions.models import LEVEL_LABELS, Level, Question, QuestionVersion, question_theme
from questions.service import drawable_versions

# Registration fields an organiser switches off, makes optional or requires. Full name is always
# required; a phone is required unless the organiser says otherwise (it is how people come back).
FIELD_NAMES = ("date_of_birth", "gender", "phone", "email", "national_id", "unit")
OFF, OPTIONAL, REQUIRED = "off", "optional", "required"
SETTINGS = (OFF, OPTIONAL, REQUIRED)
DEFAULT_FIELDS = {
    "date_of_birth": REQUIRED,
    "gender": OPTIONAL,
    "phone": REQUIRED,
    "email": OPTIONAL,
    "national_id": OFF,
    "unit": OPTIONAL,
}
CUSTOM_MAX = 5
CUSTOM_LABEL_MAX = 120
TITLE_MAX = 300
SLUG_MAX = 80
DRAW_ROWS_MAX = 6
DRAW_COUNT_MAX = 200
FIXED_MAX = 200
TIME_LIMIT_MAX_MIN = 600
ATTEMPTS_MAX = 10
GRACE_MAX_S = 300
AGE_MAX = 100
DEFAULT_PREDICTION_TEXT = {
    Prediction.ALL_CORRECT: _l(
        "In your opinion, how many people will answer every question correctly this week?"
    ),
    Prediction.ATTEMPTS: _l("In your opinion, how many entries will this week's round have?"),
}

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
STATE_LABELS = {UPCOMING: _l("Not open yet"), OPEN: _l("Open"), CLOSED: _l("Closed")}


class ContestError(ValueError):
    """A setting the rules refuse; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, text: str) -> None:
        self.field = field
        super().__init__(text)


# ---- times --------------------------------------------------------------------------------------


def display_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Ho_Chi_Minh")


def from_local(value: datetime) -> datetime:
    """A wall-clock time typed in the display zone, as an aware UTC time."""
    return value.replace(tzinfo=display_zone()).astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """A stored UTC time as a naive wall-clock time of the display zone (for form fields)."""
    return value.astimezone(display_zone()).replace(tzinfo=None)


def round_state(round_: Round, now: datetime | None = None) -> str:
    """Upcoming, open or closed: by the clock, or closed for good once the organiser closed it."""
    now = now or utcnow()
    if round_.closed_at is not None or now >= round_.closes_at:
        return CLOSED
    return OPEN if now >= round_.opens_at else UPCOMING


# ---- contests -----------------------------------------------------------------------------------


@dataclass
class ContestValues:
    title: str
    slug: str = ""
    description: str = ""
    rules: str = ""
    theme_ids: list[int] = field(default_factory=list)
    standings: str = Standings.SUM.value
    minimum_age: int | None = None
    fields: dict = field(default_factory=lambda: dict(DEFAULT_FIELDS))
    custom: list[dict] = field(default_factory=list)  # [{"label": str, "required": bool}]
    published: bool = False


def slugify(text: str) -> str:
    """'Tìm hiểu Chỉ thị 05 – 2025' -> 'tim-hieu-chi-thi-05-2025' (accent-free, URL-safe)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def free_slug(base: str, contest_id: int | None = None) -> str:
    """`base`, or `base-2`, `base-3`… when another contest has it."""
    base = base or "cuoc-thi"
    taken = set(
        db.session.scalars(
            select(OnlineContest.slug).where(
                OnlineContest.slug.like(f"{base}%"), OnlineContest.id != (contest_id or -1)
            )
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)] + suffix
    return slug


def contest_fields(values: ContestValues) -> dict:
    """The stored registration settings, checked."""
    fields = {}
    for name in FIELD_NAMES:
        setting = values.fields.get(name, DEFAULT_FIELDS[name])
        if setting not in SETTINGS:
            raise ContestError(f"field_{name}", _("Choose one of the options."))
        fields[name] = setting
    custom = []
    for index, row in enumerate(values.custom):
        label = clean_line(row.get("label"))
        if not label:
            continue
        if len(label) > CUSTOM_LABEL_MAX:
            raise ContestError("custom", _("A question's label is too long."))
        # The key follows the row, not the count: emptying row 1 leaves row 2's answers
        # under row 2's question.
        key = row.get("key") or f"c{index + 1}"
        custom.append({"key": key, "label": label, "required": bool(row.get("required"))})
    if len(custom) > CUSTOM_MAX:
        raise ContestError("custom", _("At most %(n)d extra questions.", n=CUSTOM_MAX))
    fields["custom"] = custom
    return fields


def _fill_contest(contest: OnlineContest, values: ContestValues) -> None:
    title = clean_line(values.title)
    if not title:
        raise ContestError("title", _("This field is required."))
    if len(title) > TITLE_MAX:
        raise ContestError("title", _("At most %(max)d characters.", max=TITLE_MAX))
    wanted = slugify(values.slug) if clean_line(values.slug) else ""
    if clean_line(values.slug) and not wanted:
        raise ContestError("slug", _("Use letters and digits in the web address."))
    if wanted:
        clash = db.session.scalar(
            select(OnlineContest.id).where(
                OnlineContest.slug == wanted, OnlineContest.id != (contest.id or -1)
            )
        )
        if clash is not None:
            raise ContestError("slug", _("Another contest uses this web address."))
        slug = wanted
    else:
        slug = contest.slug or free_slug(slugify(title), contest.id)
    if values.standings not in {s.value for s in Standings}:
        raise ContestError("standings", _("Choose one of the options."))
    fields = contest_fields(values)
    if values.minimum_age is not None:
        if not 0 < values.minimum_age <= AGE_MAX:
            raise ContestError("minimum_age", _("Enter an age from 1 to %(max)d.", max=AGE_MAX))
        if fields["date_of_birth"] != REQUIRED:
            raise ContestError(
                "minimum_age",
                _("A minimum age needs the date of birth to be required."),
            )
    themes = []
    if values.theme_ids:
        themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(values.theme_ids))))
        if len(themes) != len(set(values.theme_ids)):
            raise ContestError("themes", _("A chosen theme no longer exists."))
    contest.title, contest.slug = title, slug
    contest.description, contest.rules = values.description or "", values.rules or ""
    contest.standings, contest.minimum_age = values.standings, values.minimum_age
    contest.fields, contest.published = fields, bool(values.published)
    contest.themes = sorted(themes, key=lambda t: fold(t.short_name))


def create_contest(user, values: ContestValues) -> OnlineContest:
    """Add a contest (a draft unless published); the caller commits."""
    contest = OnlineContest(created_by_id=getattr(user, "id", None))
    _fill_contest(contest, values)
    db.session.add(contest)
    _flush("slug")
    return contest


def update_contest(contest: OnlineContest, values: ContestValues) -> None:
    """Change a contest's settings; the caller commits."""
    _fill_contest(contest, values)
    _flush("slug")


def values_of(contest: OnlineContest) -> ContestValues:
    fields = contest.fields or {}
    return ContestValues(
        title=contest.title,
        slug=contest.slug,
        description=contest.description,
        rules=contest.rules,
        theme_ids=[theme.id for theme in contest.themes],
        standings=contest.standings,
        minimum_age=contest.minimum_age,
        fields={name: fields.get(name, DEFAULT_FIELDS[name]) for name in FIELD_NAMES},
        custom=list(fields.get("custom", [])),
        published=contest.published,
    )


def field_setting(contest: OnlineContest, name: str) -> str:
    return (contest.fields or {}).get(name, DEFAULT_FIELDS[name])


def custom_fields(contest: OnlineContest) -> list[dict]:
    return list((contest.fields or {}).get("custom", []))


def _flush(field_name: str) -> None:
    """Flush inside a savepoint: a unique constraint that another request won becomes a message."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        text = {
            "slug": _l("Another contest uses this web address."),
            "number": _l("This contest already has a round with this number."),
        }[field_name]
        raise ContestError(field_name, str(text)) from exc


# ---- rounds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawRowValues:
    theme_id: int
    level: str
    count: int


@dataclass
class RoundValues:
    number: int
    title: str
    opens_at: datetime  # aware UTC
    closes_at: datetime  # aware UTC
    rows: list[DrawRowValues] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)
    fixed: bool = False
    time_limit_min: int = 10
    attempts_allowed: int = 1
    counted: str = Counted.BEST.value
    shuffle_questions: bool = True
    shuffle_options: bool = True
    one_per_screen: bool = True
    review: str = Review.AFTER_CLOSE.value
    prediction: str = Prediction.ALL_CORRECT.value
    prediction_text: str = ""
    grace_s: int = 15


def next_number(contest: OnlineContest) -> int:
    current = db.session.scalar(
        select(func.max(Round.number)).where(Round.contest_id == contest.id)
    )
    return (current or 0) + 1


def available(theme_id: int, level: str) -> int:
    """How many approved, not retired questions of this theme and level the bank holds."""
    versions = drawable_versions().subquery()
    statement = (
        select(func.count())
        .select_from(versions)
        .join(question_theme, question_theme.c.question_id == versions.c.question_id)
        .where(question_theme.c.theme_id == theme_id, versions.c.level == level)
    )
    return db.session.scalar(statement) or 0


def checked_rows(rows: list[DrawRowValues]) -> list[DrawRowValues]:
    """The draw's rows merged per (theme, level), each one the bank can fill."""
    merged: dict[tuple[int, str], int] = {}
    for row in rows:
        if not row.theme_id or not row.level or not row.count:
            raise ContestError(
                "draw", _("Choose the theme, the level and the number of questions of each row.")
            )
        if row.level not in {level.value for level in Level}:
            raise ContestError("draw", _("Choose one of the options."))
        if not 0 < row.count <= DRAW_COUNT_MAX:
            raise ContestError(
                "draw", _("Each row draws from 1 to %(max)d questions.", max=DRAW_COUNT_MAX)
            )
        merged[(row.theme_id, row.level)] = merged.get((row.theme_id, row.level), 0) + row.count
    if not merged:
        raise ContestError("draw", _("Say how many questions to draw, from which theme."))
    if len(merged) > DRAW_ROWS_MAX:
        raise ContestError("draw", _("At most %(n)d rows.", n=DRAW_ROWS_MAX))
    themes = {
        theme.id: theme
        for theme in db.session.scalars(select(Theme).where(Theme.id.in_({t for t, _ in merged})))
    }
    for (theme_id, level), count in merged.items():
        theme = themes.get(theme_id)
        if theme is None:
            raise ContestError("draw", _("A chosen theme no longer exists."))
        have = available(theme_id, level)
        if have < count:
            raise ContestError(
                "draw",
                _(
                    "The bank has only %(have)d approved questions of the theme "
                    "“%(theme)s” at the level “%(level)s”; this round wants %(want)d.",
                    have=have,
                    theme=theme.short_name,
                    level=LEVEL_LABELS[Level(level)],
                    want=count,
                ),
            )
    return [DrawRowValues(theme_id, level, count) for (theme_id, level), count in merged.items()]


def checked_question_ids(question_ids: list[int]) -> list[int]:
    """A fixed list: each question named once, each with an approved version to draw."""
    ids = list(dict.fromkeys(question_ids))
    if not ids:
        raise ContestError("question_ids", _("List the numbers of the questions."))
    if len(ids) > FIXED_MAX:
        raise ContestError("question_ids", _("At most %(n)d questions.", n=FIXED_MAX))
    drawable = set(
        db.session.scalars(
            drawable_versions()
            .with_only_columns(QuestionVersion.question_id)
            .where(Question.id.in_(ids))
        )
    )
    missing = [str(qid) for qid in ids if qid not in drawable]
    if missing:
        raise ContestError(
            "question_ids",
            _(
                "These questions do not exist or have no approved version: %(ids)s.",
                ids=", ".join(missing),
            ),
        )
    return ids


def _fill_round(round_: Round, values: RoundValues) -> None:
    title = clean_line(values.title)
    if not title:
        raise ContestError("title", _("This field is required."))
    if len(title) > 200:
        raise ContestError("title", _("At most %(max)d characters.", max=200))
    if not 0 < values.number <= 1000:
        raise ContestError("number", _("Enter a number from 1 to 1000."))
    if values.closes_at <= values.opens_at:
        raise ContestError("closes_at", _("The round must close after it opens."))
    if not 0 < values.time_limit_min <= TIME_LIMIT_MAX_MIN:
        raise ContestError(
            "time_limit_min",
            _("Enter from 1 to %(max)d minutes.", max=TIME_LIMIT_MAX_MIN),
        )
    if not 0 < values.attempts_allowed <= ATTEMPTS_MAX:
        raise ContestError(
            "attempts_allowed", _("Enter from 1 to %(max)d attempts.", max=ATTEMPTS_MAX)
        )
    if not 0 <= values.grace_s <= GRACE_MAX_S:
        raise ContestError("grace_s", _("Enter from 0 to %(max)d seconds.", max=GRACE_MAX_S))
    for name, enum in (("counted", Counted), ("review", Review), ("prediction", Prediction)):
        if getattr(values, name) not in {member.value for member in enum}:
            raise ContestError(name, _("Choose one of the options."))
    prediction_text = (values.prediction_text or "").strip()
    if values.prediction != Prediction.NONE.value and not prediction_text:
        prediction_text = str(DEFAULT_PREDICTION_TEXT[Prediction(values.prediction)])
    if values.fixed:
        draw = {"question_ids": checked_question_ids(values.question_ids)}
    else:
        rows = checked_rows(values.rows)
        draw = {
            "rows": [{"theme_id": r.theme_id, "level": r.level, "count": r.count} for r in rows]
        }
    round_.number, round_.title = values.number, title
    round_.opens_at, round_.closes_at = values.opens_at, values.closes_at
    round_.draw = draw
    round_.time_limit_s = values.time_limit_min * 60
    round_.attempts_allowed = values.attempts_allowed
    round_.counted = values.counted
    round_.shuffle_questions = values.shuffle_questions
    round_.shuffle_options = values.shuffle_options
    round_.one_per_screen = values.one_per_screen
    round_.review, round_.prediction = values.review, values.prediction
    round_.prediction_text = prediction_text if values.prediction != Prediction.NONE.value else ""
    round_.grace_s = values.grace_s


def _number_free(contest_id: int, number: int, round_id: int | None) -> None:
    clash = db.session.scalar(
        select(Round.id).where(
            Round.contest_id == contest_id, Round.number == number, Round.id != (round_id or -1)
        )
    )
    if clash is not None:
        raise ContestError("number", _("This contest already has a round with this number."))


def create_round(contest: OnlineContest, values: RoundValues) -> Round:
    """Add a round to a contest; the caller commits."""
    _number_free(contest.id, values.number, None)
    round_ = Round(contest_id=contest.id)
    _fill_round(round_, values)
    db.session.add(round_)
    _flush("number")
    return round_


def update_round(round_: Round, values: RoundValues) -> None:
    """Change a round's settings; attempts already made keep the questions they drew."""
    _number_free(round_.contest_id, values.number, round_.id)
    _fill_round(round_, values)
    _flush("number")


def round_values(round_: Round) -> RoundValues:
    draw = round_.draw or {}
    return RoundValues(
        number=round_.number,
        title=round_.title,
        opens_at=round_.opens_at,
        closes_at=round_.closes_at,
        rows=[DrawRowValues(r["theme_id"], r["level"], r["count"]) for r in draw.get("rows", [])],
        question_ids=list(draw.get("question_ids", [])),
        fixed="question_ids" in draw,
        time_limit_min=max(1, round_.time_limit_s // 60),
        attempts_allowed=round_.attempts_allowed,
        counted=round_.counted,
        shuffle_questions=round_.shuffle_questions,
        shuffle_options=round_.shuffle_options,
        one_per_screen=round_.one_per_screen,
        review=round_.review,
        prediction=round_.prediction,
        prediction_text=round_.prediction_text,
        grace_s=round_.grace_s,
    )


def next_title(title: str, number: int) -> str:
    """'Tuần 3' -> 'Tuần 4': a trailing number is the round's; other titles are kept."""
    match = re.fullmatch(r"(.*?)(\d+)\s*", title)
    return f"{match.group(1)}{number}" if match else title


def duplicate_round(round_: Round) -> Round:
    """The next round: the same settings, the next number, its times a week later."""
    contest = round_.contest
    values = round_values(round_)
    values.number = next_number(contest)
    values.title = next_title(round_.title, values.number)
    # The latest round is the one a weekly contest continues from, whichever was duplicated.
    latest = max(contest.rounds, key=lambda r: r.opens_at)
    values.opens_at = latest.opens_at + timedelta(weeks=1)
    values.closes_at = latest.closes_at + timedelta(weeks=1)
    return create_round(contest, values)


def draw_summary(round_: Round) -> tuple[int, list[str]]:
    """How many questions an attempt gets, and one line per row for the organisers' pages."""
    draw = round_.draw or {}
    if "question_ids" in draw:
        ids = draw["question_ids"]
        return len(ids), [", ".join(f"#{qid}" for qid in ids)]
    rows = draw.get("rows", [])
    names = {
        theme.id: theme.short_name
        for theme in db.session.scalars(
            select(Theme).where(Theme.id.in_({row["theme_id"] for row in rows}))
        )
    }
    lines = [
        f"{row['count']} × {names.get(row['theme_id'], '?')} · {LEVEL_LABELS[Level(row['level'])]}"
        for row in rows
    ]
    return sum(row["count"] for row in rows), lines
