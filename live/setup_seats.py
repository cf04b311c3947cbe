"""A stage contest's seats: its teams and judges, and the join codes their devices use.

A code that leaked is replaced by a new one; devices that joined with the old code stay bound
(their token, not the code, is their proof), so a team never loses its pad mid-show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from contest.extensions import db
from contest.text import clean_line
from contest.units import service as units
from contest.units.models import Unit
from live import devices
from live.models import StageContest, StageJudge, StageTeam
from live.setup_service import (
    NAME_MAX,
    SetupError,
    changed,
    next_position,
    refuse_once_started,
    renumber,
)

MAX_TEAMS = 20  # 3–12 is usual; more would not fit a projector's scoreboard
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# A team's colour by default, distinct on a projector and for colour-blind viewers in this order.
TEAM_COLOURS = ("#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457")


@dataclass
class TeamValues:
    name: str
    unit: str = ""  # a unit's code, or words of its name
    members: str = ""
    colour: str = ""


def find_unit(typed: str) -> Unit | None:
    """The unit a code or name names; None for nothing typed; SetupError if none or several."""
    typed = clean_line(typed)
    if not typed:
        return None
    exact = db.session.scalar(select(Unit).where(Unit.code == typed))
    if exact is not None:
        return exact
    found = units.search_units(typed, limit=6)
    if len(found) == 1:
        return found[0]
    if not found:
        raise SetupError("unit", _("No unit has this code or name."))
    shown = ", ".join(f"{unit.name} ({unit.code})" for unit in found[:5])
    raise SetupError("unit", _("Several units match; type the code, e.g. %(units)s.", units=shown))


def _fill_team(team: StageTeam, values: TeamValues) -> None:
    name = clean_line(values.name)
    if not name:
        raise SetupError("name", _("Give the team a name."))
    colour = (values.colour or "").strip().lower()
    if not COLOUR.match(colour):
        raise SetupError("colour", _("Write the colour as # and six hex digits, e.g. #c62828."))
    unit = find_unit(values.unit)
    team.name, team.colour = name[:NAME_MAX], colour
    team.unit_id = unit.id if unit else None
    lines = (clean_line(line) for line in (values.members or "").splitlines())
    team.members = "\n".join(line for line in lines if line)


def next_colour(contest: StageContest) -> str:
    """A colour no team of the contest has yet, if one is left."""
    taken = {team.colour for team in contest.teams}
    free = [colour for colour in TEAM_COLOURS if colour not in taken]
    return (free or TEAM_COLOURS)[0]


def add_team(contest: StageContest, values: TeamValues) -> StageTeam:
    """A new team at the end of the list, with its own join code; the caller commits."""
    if len(contest.teams) >= MAX_TEAMS:
        raise SetupError("name", _("A contest has at most %(max)d teams.", max=MAX_TEAMS))
    team = StageTeam(position=next_position(contest.teams), join_code=devices.unique_code())
    _fill_team(team, values)
    contest.teams.append(team)
    db.session.flush()
    changed(contest.id)
    return team


def update_team(team: StageTeam, values: TeamValues) -> None:
    """Change a team's name, unit, members or colour; its code stays."""
    _fill_team(team, values)
    changed(team.contest_id)


def delete_team(team: StageTeam) -> None:
    """Remove a team, unless the show has started."""
    refuse_once_started(
        team.contest_id,
        _("The contest has started and its log refers to this team: it can't be deleted now."),
    )
    contest = team.contest
    contest.teams.remove(team)
    renumber(contest.teams)
    changed(contest.id)


def add_judge(contest: StageContest, name: str) -> StageJudge:
    """A new judge at the end of the list, with their own join code; the caller commits."""
    judge = StageJudge(position=next_position(contest.judges), join_code=devices.unique_code())
    update_judge(judge, name, contest_id=contest.id)
    contest.judges.append(judge)
    db.session.flush()
    return judge


def update_judge(judge: StageJudge, name: str, contest_id: int | None = None) -> None:
    """Change a judge's name."""
    name = clean_line(name)
    if not name:
        raise SetupError("name", _("Give the judge's name."))
    judge.name = name[:NAME_MAX]
    changed(contest_id or judge.contest_id)


def delete_judge(judge: StageJudge) -> None:
    """Remove a judge, unless the show has started."""
    refuse_once_started(
        judge.contest_id,
        _("The contest has started and its log refers to this judge: they can't be deleted now."),
    )
    contest = judge.contest
    contest.judges.remove(judge)
    renumber(contest.judges)
    changed(contest.id)


def new_code(seat: StageTeam | StageJudge | StageContest) -> str:
    """A fresh join code for a seat whose code leaked; pads already joined stay joined."""
    code = devices.unique_code()
    if isinstance(seat, StageContest):
        seat.projector_code = code
        changed(seat.id)
    else:
        seat.join_code = code
        changed(seat.contest_id)
    return code
