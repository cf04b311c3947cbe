"""Setting up a stage contest before the show: the contest, its teams, judges and parts.

Every change drops this process's folded state (`service.forget`), so the host console reads the
new setup on its next action. Once the show has started — the contest's log has events — nothing
the log may name can be deleted: a team, judge, part or question removed then would leave events
pointing at nothing, and the replayed scores would change.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from contest.extensions import db
from contest.text import clean_line
from live import devices, look, service
from live.models import (
    PartFormat,
    StageContest,
    StageEvent,
    StageJudge,
    StagePart,
    StageQuestion,
    StageTeam,
)
from questions.content import clean_block
from questions.models import QuestionVersion
from questions.usage import record_use

TITLE_MAX, NAME_MAX = 300, 200
TIEBREAKS = ("none", "part", "sudden_death")


class SetupError(ValueError):
    """A change the rules refuse; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def changed(contest_id: int) -> None:
    """The setup changed: running screens must fold from the new setup."""
    service.forget(contest_id)


def has_events(contest_id: int) -> bool:
    """Whether the show has started: anything in its log."""
    found = db.session.scalar(select(StageEvent.id).where(StageEvent.contest_id == contest_id))
    return found is not None


def refuse_once_started(contest_id: int, message: str) -> None:
    if has_events(contest_id):
        raise SetupError("", message)


# ---- the contest ---------------------------------------------------------------------------------


@dataclass
class ContestValues:
    title: str
    description: str = ""
    tiebreak: str = "none"
    tiebreak_part_id: int | None = None
    look: dict | None = None  # the projector's colours (live/look.py); None keeps them


def _fill_contest(contest: StageContest, values: ContestValues) -> None:
    title = clean_line(values.title)
    if not title:
        raise SetupError("title", _("Give the contest a title."))
    if values.tiebreak not in TIEBREAKS:
        raise SetupError("tiebreak", _("Choose one of the options."))
    part_id = values.tiebreak_part_id if values.tiebreak == "part" else None
    if values.tiebreak == "part" and part_id not in {part.id for part in contest.parts}:
        raise SetupError("tiebreak_part", _("Choose the part whose points break a tie."))
    contest.title = title[:TITLE_MAX]
    contest.description = clean_block(values.description)
    # Other keys (the look, the audience's bonus) are kept: this form doesn't hold them all.
    settings = dict(contest.settings or {})
    settings.update(tiebreak=values.tiebreak, tiebreak_part_id=part_id)
    if values.look:
        try:
            settings["look"] = look.clean_colours({**look.colours(contest), **values.look})
        except ValueError as exc:
            message = _("Write the colour as # and six hex digits, e.g. #c62828.")
            raise SetupError(f"look_{exc}", message) from None
    contest.settings = settings


def create_contest(user, values: ContestValues) -> StageContest:
    """A new contest with its projector's join code; the caller commits."""
    contest = StageContest(projector_code=devices.unique_code(), created_by_id=user.id)
    _fill_contest(contest, values)
    db.session.add(contest)
    db.session.flush()
    return contest


def update_contest(contest: StageContest, values: ContestValues) -> None:
    """Change the title, description and tie-break; the caller commits."""
    _fill_contest(contest, values)
    changed(contest.id)


# ---- parts ---------------------------------------------------------------------------------------


def _fill_part(part: StagePart, title: str, part_format: str, settings: dict) -> None:
    title = clean_line(title)
    if not title:
        raise SetupError("title", _("Give the part a title."))
    if part_format not in {f.value for f in PartFormat}:
        raise SetupError("format", _("Choose one of the options."))
    if part_format == PartFormat.JUDGED and not settings.get("criteria"):
        raise SetupError("jd_criteria", _("A judged part needs at least one criterion."))
    part.title, part.format, part.settings = title[:NAME_MAX], part_format, dict(settings)


def add_part(contest: StageContest, title: str, part_format: str, settings: dict) -> StagePart:
    """A new part at the end of the show; the caller commits."""
    part = StagePart(position=next_position(contest.parts))
    _fill_part(part, title, part_format, settings)
    contest.parts.append(part)
    db.session.flush()
    changed(contest.id)
    return part


def update_part(part: StagePart, title: str, part_format: str, settings: dict) -> None:
    """Change a part's title and rules; its format only before the show starts."""
    if part_format != part.format and has_events(part.contest_id):
        raise SetupError("format", _("The contest has started: a part's format can't change now."))
    _fill_part(part, title, part_format, settings)
    changed(part.contest_id)


def delete_part(part: StagePart) -> None:
    """Remove a part and its questions, unless the show has started."""
    refuse_once_started(
        part.contest_id,
        _("The contest has started and its log refers to this part: it can't be deleted now."),
    )
    contest = part.contest
    if (contest.settings or {}).get("tiebreak_part_id") == part.id:
        contest.settings = {**contest.settings, "tiebreak": "none", "tiebreak_part_id": None}
    contest.parts.remove(part)
    renumber(contest.parts)
    changed(contest.id)


# ---- order ---------------------------------------------------------------------------------------


def next_position(items) -> int:
    return max((item.position for item in items), default=-1) + 1


def renumber(items) -> None:
    for position, item in enumerate(items):
        item.position = position


def move(items: list, item, step: int) -> None:
    """Move `item` one place up (-1) or down (+1) among `items` (already in order)."""
    ordered = list(items)
    index = ordered.index(item)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    renumber(ordered)
    db.session.flush()


# ---- duplicate -----------------------------------------------------------------------------------


def duplicate_contest(contest: StageContest, user) -> StageContest:
    """A copy to run again: settings, teams, judges, parts and questions; new codes, no log."""
    copy_ = StageContest(
        title=_("%(title)s (copy)", title=contest.title)[:TITLE_MAX],
        description=contest.description,
        settings={},
        projector_code=devices.unique_code(),
        created_by_id=user.id,
    )
    db.session.add(copy_)
    for team in contest.teams:
        copy_.teams.append(
            StageTeam(
                position=team.position,
                name=team.name,
                unit_id=team.unit_id,
                members=team.members,
                colour=team.colour,
                join_code=devices.unique_code(),
            )
        )
        db.session.flush()  # unique_code() must see the codes handed out so far
    for judge in contest.judges:
        copy_.judges.append(
            StageJudge(position=judge.position, name=judge.name, join_code=devices.unique_code())
        )
        db.session.flush()
    part_ids = {}
    for part in contest.parts:
        new_part = StagePart(
            position=part.position,
            title=part.title,
            format=part.format,
            settings=copy.deepcopy(part.settings),
        )
        copy_.parts.append(new_part)
        for question in part.questions:
            new_part.questions.append(
                StageQuestion(
                    position=question.position,
                    version_id=question.version_id,
                    content=copy.deepcopy(question.content),
                    points=question.points,
                    time_limit_s=question.time_limit_s,
                    notes=question.notes,
                )
            )
        db.session.flush()
        part_ids[part.id] = new_part.id
    settings = contest.settings or {}
    copy_.settings = {
        "tiebreak": settings.get("tiebreak", "none"),
        "tiebreak_part_id": part_ids.get(settings.get("tiebreak_part_id")),
    }
    if settings.get("look"):
        copy_.settings["look"] = dict(settings["look"])  # colours only: a logo is uploaded again
    version_ids = {q.version_id for p in contest.parts for q in p.questions if q.version_id}
    if version_ids:
        versions = db.session.scalars(
            select(QuestionVersion).where(QuestionVersion.id.in_(version_ids))
        ).all()
        record_use(versions, f"stage:{copy_.id}", copy_.title)
    db.session.flush()
    return copy_


def event_count(contest_id: int) -> int:
    """How many events the contest's log holds (0: not started)."""
    return db.session.scalar(
        select(func.count()).select_from(StageEvent).where(StageEvent.contest_id == contest_id)
    )
