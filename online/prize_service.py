"""A round's prizes: the proposed list, disqualifications, publishing, the XLSX export.

The proposal is `online.prizes.allocate` over the round's final ranking: disqualified entries are
not in the ranking at all (their reason stays on the attempt), and staff keep their place but are
stepped over. Collective prizes come from the unit table at the level each prize names.
Publishing writes the Award rows once: a conditional update on the round decides which request
publishes, and the unique (round, participant) pair stops a second list being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from contest.database import utcnow
from contest.extensions import db
from contest.text import clean_line
from contest.units.models import Unit
from online import boards, prizes, standings, stats_service, units_table
from online.models import Attempt, Award, Participant, Round

INDIVIDUAL, COLLECTIVE = "individual", "collective"
NAME_MAX = 100
COUNT_MAX = 1000
REASON_MAX = 500
DEPTH_MAX = 10

DEFAULT_TIERS = (
    (_l("First prize"), 1),
    (_l("Second prize"), 2),
    (_l("Third prize"), 5),
    (_l("Consolation prize"), 8),
)
COLLECTIVE_LABELS = {
    prizes.PARTICIPANTS: _l("Most participants"),
    prizes.ATTEMPTS: _l("Most entries"),
    prizes.RATE: _l("Highest participation rate"),
    prizes.WINNERS: _l("Most prize winners"),
}


class PrizeRefused(Exception):
    """The rules refuse a change to the prizes; `code` for tests, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def _refuse_if_published(round_: Round) -> None:
    if round_.prizes_published_at is not None:
        raise PrizeRefused(
            "published", _("The prizes of this round are published; the list can't change.")
        )


# ---- settings -----------------------------------------------------------------------------------


def tiers(round_: Round) -> list[prizes.Tier]:
    """The round's prize tiers; the usual 1 / 2 / 5 / 8 until the organiser sets others."""
    stored = round_.prize_tiers or [{"name": str(n), "count": c} for n, c in DEFAULT_TIERS]
    return [prizes.Tier(str(tier["name"]), int(tier["count"])) for tier in stored]


def collective_specs(round_: Round) -> list[dict]:
    """[{"kind", "name", "count", "depth"}]; a prize without a level is for the top units."""
    return [
        {
            "kind": spec["kind"],
            "name": str(spec["name"]),
            "count": int(spec["count"]),
            "depth": int(spec.get("depth") or 1),
        }
        for spec in round_.collective_prizes or []
        if spec.get("kind") in prizes.COLLECTIVE_KINDS
    ]


def set_prizes(round_: Round, tier_rows: list[tuple[str, int]], collective_rows: list[dict]):
    """Replace the tiers and the collective prizes; rows without a name are left out."""
    _refuse_if_published(round_)
    kept_tiers = []
    for name, count in tier_rows:
        name = clean_line(name or "")[:NAME_MAX]
        if name:
            kept_tiers.append({"name": name, "count": _count(count)})
    kept_collective = []
    for row in collective_rows:
        name = clean_line(row.get("name") or "")[:NAME_MAX]
        if not name:
            continue
        if row.get("kind") not in prizes.COLLECTIVE_KINDS:
            raise PrizeRefused("kind", _("Choose what the collective prize rewards."))
        depth = int(row.get("depth") or 1)
        if not 1 <= depth <= DEPTH_MAX:
            raise PrizeRefused("depth", _("Choose a level of the unit tree."))
        kept_collective.append(
            {"kind": row["kind"], "name": name, "count": _count(row.get("count")), "depth": depth}
        )
    round_.prize_tiers = kept_tiers
    round_.collective_prizes = kept_collective
    db.session.flush()


def _count(value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if not 0 <= count <= COUNT_MAX:
        raise PrizeRefused("count", _("A prize is given 0 to %(max)d times.", max=COUNT_MAX))
    return count


# ---- the proposal -------------------------------------------------------------------------------


@dataclass
class Proposal:
    ranking: standings.RoundRanking
    awards: list[prizes.Award]
    collective: list[tuple[dict, list[units_table.TableRow]]]
    staff: set[int]  # ranked participants who may not win

    @property
    def winners(self) -> set[int]:
        return {award.participant_id for award in self.awards}


def staff_ids(round_: Round) -> set[int]:
    return set(
        db.session.scalars(
            select(Participant.id).where(
                Participant.contest_id == round_.contest_id, Participant.is_staff.is_(True)
            )
        )
    )


def proposal(round_: Round) -> Proposal:
    """Who would win what if the organiser published now."""
    ranking = standings.round_ranking(round_)
    staff = staff_ids(round_)
    awards = prizes.allocate(ranking.ranked, tiers(round_), excluded=staff)
    winners = {award.participant_id for award in awards}
    rows = standings.participant_rows(
        round_.contest_id, [round_.id], standings.scores_of(ranking), winners
    )
    tree = standings.tree()
    collective = [
        (
            spec,
            prizes.collective(
                units_table.table(tree, rows, spec["depth"]), spec["kind"], spec["count"]
            ),
        )
        for spec in collective_specs(round_)
    ]
    ranked_staff = {placed.participant_id for placed in ranking.ranked} & staff
    return Proposal(ranking, awards, collective, ranked_staff)


def collective_figure(row: units_table.TableRow, kind: str) -> float | None:
    totals = row.subtree
    return {
        prizes.PARTICIPANTS: totals.participants,
        prizes.ATTEMPTS: totals.attempts,
        prizes.RATE: totals.rate,
        prizes.WINNERS: totals.winners,
    }[kind]


# ---- disqualifying ------------------------------------------------------------------------------


def disqualify(attempt: Attempt, reason: str, by_user) -> int:
    """Take a person's entry out of the round's ranking and prizes, keeping the reason.

    Every attempt of that person in the round is marked, so an earlier attempt does not slide
    into the counted place. Returns how many attempts were marked. The caller commits.
    """
    _refuse_if_published(attempt.round)
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if not reason:
        raise PrizeRefused("no_reason", _("Write the reason for the disqualification."))
    marked = db.session.execute(
        update(Attempt)
        .where(
            Attempt.round_id == attempt.round_id,
            Attempt.participant_id == attempt.participant_id,
            Attempt.disqualified.is_(None),
        )
        .values(
            disqualified=reason,
            disqualified_by_id=getattr(by_user, "id", None),
            disqualified_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    boards.mark_stale(attempt.round_id)
    db.session.refresh(attempt)
    current_app.logger.info(
        "online round %s: participant %s disqualified by %s",
        attempt.round_id,
        attempt.participant_id,
        getattr(by_user, "username", by_user),
    )
    return marked


def reinstate(attempt: Attempt, by_user) -> int:
    """Undo a disqualification: the person's attempts in the round count again."""
    _refuse_if_published(attempt.round)
    cleared = db.session.execute(
        update(Attempt)
        .where(
            Attempt.round_id == attempt.round_id,
            Attempt.participant_id == attempt.participant_id,
            Attempt.disqualified.is_not(None),
        )
        .values(disqualified=None, disqualified_by_id=None, disqualified_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    boards.mark_stale(attempt.round_id)
    db.session.refresh(attempt)
    current_app.logger.info(
        "online round %s: participant %s reinstated by %s",
        attempt.round_id,
        attempt.participant_id,
        getattr(by_user, "username", by_user),
    )
    return cleared


def disqualified(round_: Round) -> list[Attempt]:
    """One attempt per disqualified person (their latest), with the reason on it."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.round_id == round_.id, Attempt.disqualified.is_not(None))
        .order_by(Attempt.participant_id, Attempt.number.desc())
    ).all()
    seen, result = set(), []
    for attempt in attempts:
        if attempt.participant_id not in seen:
            seen.add(attempt.participant_id)
            result.append(attempt)
    return result


# ---- publishing ---------------------------------------------------------------------------------


def publish(round_: Round, now: datetime) -> int:
    """Write the proposed list as the round's Award rows, once; returns how many were written."""
    if round_.closed_at is None:
        raise PrizeRefused("not_closed", _("Close the round before publishing its prizes."))
    _refuse_if_published(round_)
    plan = proposal(round_)
    claimed = db.session.execute(
        update(Round)
        .where(Round.id == round_.id, Round.prizes_published_at.is_(None))
        .values(prizes_published_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(round_)
    if claimed.rowcount != 1:
        _refuse_if_published(round_)
    unit_of = dict(
        db.session.execute(
            select(Participant.id, Participant.unit_id).where(
                Participant.id.in_(list(plan.winners) or [-1])
            )
        ).all()
    )
    awards = [
        Award(
            round_id=round_.id,
            participant_id=award.participant_id,
            unit_id=unit_of.get(award.participant_id),
            kind=INDIVIDUAL,
            tier=award.tier,
            rank=award.rank,
            score=award.placed.entry.score,
            published_at=now,
        )
        for award in plan.awards
    ]
    for spec, rows in plan.collective:
        awards.extend(
            Award(
                round_id=round_.id,
                unit_id=row.unit.id,
                kind=COLLECTIVE,
                tier=spec["name"],
                rank=position,
                score=collective_figure(row, spec["kind"]),
                published_at=now,
            )
            for position, row in enumerate(rows, start=1)
        )
    try:
        with db.session.begin_nested():
            db.session.add_all(awards)
    except IntegrityError as exc:
        raise PrizeRefused(
            "published", _("The prizes of this round are published; the list can't change.")
        ) from exc
    return len(awards)


def published(round_: Round) -> tuple[list[Award], list[Award]]:
    """The published individual awards (by rank) and collective ones (by prize, then place)."""
    awards = db.session.scalars(
        select(Award).where(Award.round_id == round_.id).order_by(Award.rank, Award.id)
    ).all()
    individual = [award for award in awards if award.kind == INDIVIDUAL]
    collective = sorted((award for award in awards if award.kind == COLLECTIVE), key=lambda a: a.id)
    return individual, collective


# ---- the export ---------------------------------------------------------------------------------


def _unit_paths() -> dict[int, str]:
    rows = db.session.execute(select(Unit.id, Unit.parent_id, Unit.name)).all()
    parent = {uid: pid for uid, pid, _name in rows}
    name = {uid: unit_name for uid, _pid, unit_name in rows}
    paths: dict[int, str] = {}
    for uid in name:
        chain, current, seen = [], uid, set()
        while current is not None and current in name and current not in seen:
            seen.add(current)
            chain.append(name[current])
            current = parent[current]
        paths[uid] = " › ".join(reversed(chain))
    return paths


def export(round_: Round) -> bytes:
    """The organiser's workbook: every entry, the winners, the unit table at every level.

    For the organising committee only: phone numbers and emails in full (to reach the winners);
    national IDs are not stored, so they can't be in it.
    """
    plan = proposal(round_)
    paths = _unit_paths()
    people = {
        row.id: row
        for row in db.session.execute(
            select(
                Participant.id,
                Participant.full_name,
                Participant.phone,
                Participant.email,
                Participant.unit_id,
                Participant.is_staff,
            ).where(Participant.contest_id == round_.contest_id)
        )
    }
    attempts = {
        row.id: row
        for row in db.session.execute(
            select(Attempt.id, Attempt.correct, Attempt.max_score, Attempt.disqualified).where(
                Attempt.round_id == round_.id, Attempt.submitted_at.is_not(None)
            )
        )
    }
    entry_header = [
        _("Rank"),
        _("Full name"),
        _("Unit"),
        _("Phone number"),
        _("Email"),
        _("Score"),
        _("Maximum"),
        _("Correct answers"),
        _("Time (seconds)"),
        _("Prediction"),
        _("Prediction error"),
        _("Submitted at"),
        _("Staff"),
        _("Disqualified: reason"),
    ]

    def person_cells(participant_id):
        person = people[participant_id]
        return [
            person.full_name,
            paths.get(person.unit_id, ""),
            person.phone or "",
            person.email or "",
        ]

    entry_rows = []
    for placed in plan.ranking.ranked:
        entry, attempt = placed.entry, attempts[plan.ranking.attempt_of[placed.participant_id]]
        entry_rows.append(
            [
                placed.rank,
                *person_cells(placed.participant_id),
                entry.score,
                attempt.max_score,
                attempt.correct,
                round(entry.time_taken_ms / 1000, 3),
                entry.prediction,
                placed.prediction_error,
                entry.submitted_at,
                _("Yes") if people[placed.participant_id].is_staff else "",
                "",
            ]
        )
    for full in disqualified(round_):
        entry_rows.append(
            [
                None,
                *person_cells(full.participant_id),
                full.score,
                full.max_score,
                full.correct,
                None if full.time_taken_ms is None else round(full.time_taken_ms / 1000, 3),
                full.prediction,
                None,
                full.submitted_at,
                _("Yes") if people[full.participant_id].is_staff else "",
                full.disqualified,
            ]
        )

    winner_header = [_("Prize"), _("Rank"), _("Full name"), _("Unit"), _("Phone number")]
    winner_header += [_("Email"), _("Score"), _("Status")]
    individual, collective = published(round_)
    status = _("Published") if round_.prizes_published_at else _("Proposed")
    if round_.prizes_published_at:
        winner_rows = [
            [a.tier, a.rank, *person_cells(a.participant_id), a.score, status]
            for a in individual
            if a.participant_id in people
        ]
        winner_rows += [
            [a.tier, a.rank, "", paths.get(a.unit_id, ""), "", "", a.score, status]
            for a in collective
        ]
    else:
        winner_rows = [
            [a.tier, a.rank, *person_cells(a.participant_id), a.placed.entry.score, status]
            for a in plan.awards
        ]
        for spec, rows in plan.collective:
            winner_rows += [
                [
                    spec["name"],
                    position,
                    "",
                    paths.get(row.unit.id, ""),
                    "",
                    "",
                    collective_figure(row, spec["kind"]),
                    status,
                ]
                for position, row in enumerate(rows, start=1)
            ]

    rows = standings.participant_rows(
        round_.contest_id, [round_.id], standings.scores_of(plan.ranking), plan.winners
    )
    unit_rows = [
        [paths.get(row.unit.id, row.unit.name), *stats_service.units_line(row)[1:]]
        for row in units_table.all_rows(standings.tree(), rows)
    ]
    return stats_service.workbook(
        [
            (sheet_names()["entries"], entry_header, entry_rows),
            (sheet_names()["winners"], winner_header, winner_rows),
            (sheet_names()["units"], stats_service.units_header(), unit_rows),
        ]
    )


def sheet_names() -> dict[str, str]:
    return {"entries": _("Entries"), "winners": _("Winners"), "units": _("Units")}
