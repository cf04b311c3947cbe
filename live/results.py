"""The result sheet of a stage contest: standings, each part per team, every judge's marks.

Everything is read from the folded state, the same one the screens showed, so the printed sheet
and the XLSX can't disagree with the scoreboard. The workbook writer is the online contests'
(texts stay texts: a team called "=1+1" is not a formula).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _

from live import service
from live.engine import PartSpec, sheet_score
from live.models import LIVE_RUN
from live.standings import Row, part_scores, standings
from online.stats_service import workbook


@dataclass(frozen=True)
class JudgedTeam:
    team_id: int
    name: str
    status: str  # open, closed, published
    marks: dict[int, list[float]]  # judge id → one mark per criterion
    score: float | None
    elapsed_s: float | None
    penalty: float


@dataclass(frozen=True)
class JudgedPart:
    part: PartSpec
    teams: list[JudgedTeam]


@dataclass(frozen=True)
class Correction:
    seq: int
    team: str
    points: float
    reason: str
    at: datetime
    undone: bool


@dataclass(frozen=True)
class ResultSheet:
    title: str
    parts: tuple[PartSpec, ...]
    judges: dict[int, str]
    rows: list[Row]
    judged: list[JudgedPart]
    corrections: list[Correction]
    finished: bool
    tiebreak: str
    tiebreak_part: str | None
    events: int


def result_sheet(contest_id: int) -> ResultSheet:
    """The sheet as it stands now (final once the host finished the contest)."""
    current = service.stage(contest_id, LIVE_RUN)
    setup, state = current.setup, current.state
    judged = []
    for part in setup.parts:
        if part.format != "judged":
            continue
        teams = []
        for team in setup.teams:
            sheet = state.sheets.get((part.id, team.id))
            performance = state.performances.get((part.id, team.id))
            if sheet is None and performance is None:
                continue
            teams.append(
                JudgedTeam(
                    team_id=team.id,
                    name=team.name,
                    status=sheet.status if sheet else "open",
                    marks=dict(sheet.marks) if sheet else {},
                    score=sheet_score(part, sheet) if sheet else None,
                    elapsed_s=performance.elapsed_s if performance else None,
                    penalty=performance.penalty if performance else 0.0,
                )
            )
        judged.append(JudgedPart(part, teams))
    names = {team.id: team.name for team in setup.teams}
    corrections = [
        Correction(
            seq=event.seq,
            team=names.get(event.payload.get("team"), "?"),
            points=event.payload.get("points"),
            reason=event.payload.get("reason", ""),
            at=datetime.fromtimestamp(event.at, UTC),
            undone=event.seq in state.undone,
        )
        for event in current.events
        if event.type == "score.adjust" and event.seq not in state.ignored
    ]
    tiebreak_part = setup.part(setup.tiebreak_part_id)
    return ResultSheet(
        title=current.title,
        parts=setup.parts,
        judges={judge.id: judge.name for judge in setup.judges},
        rows=standings(setup, state),
        judged=judged,
        corrections=corrections,
        finished=state.finished,
        tiebreak=setup.tiebreak,
        tiebreak_part=tiebreak_part.title if tiebreak_part else None,
        events=len(current.events),
    )


def workbook_bytes(contest_id: int) -> bytes:
    """Standings with each part's points, every judge's marks, and the whole log: one XLSX."""
    sheet = result_sheet(contest_id)
    current = service.stage(contest_id, LIVE_RUN)
    scores = part_scores(current.setup, current.state)
    header = [_("Rank"), _("Team"), *[part.title for part in sheet.parts], _("Total")]
    rows = [
        [row.rank, row.name, *[scores[row.team_id].get(p.id, 0.0) for p in sheet.parts], row.total]
        for row in sheet.rows
    ]
    marks_header = [_("Part"), _("Team"), _("Judge"), _("Criterion"), _("Mark")]
    marks_rows = []
    for judged in sheet.judged:
        criteria = judged.part.rules["criteria"]
        for team in judged.teams:
            for judge_id, marks in team.marks.items():
                for criterion, mark in zip(criteria, marks, strict=True):
                    judge = sheet.judges.get(judge_id, "?")
                    marks_rows.append(
                        [judged.part.title, team.name, judge, criterion["name"], mark]
                    )
    log_header = [_("No."), _("Time"), _("Action"), _("By"), _("Details"), _("Undone")]
    log_rows = [
        [
            event.seq,
            datetime.fromtimestamp(event.at, UTC),
            event.type,
            event.actor,
            service.payload_text(event.payload),
            _("Yes") if event.seq in current.state.undone else "",
        ]
        for event in current.events
    ]
    return workbook(
        [
            (_("Results"), header, rows),
            (_("Judges' marks"), marks_header, marks_rows),
            (_("Event log"), log_header, log_rows),
        ]
    )
