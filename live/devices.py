"""Seats and the devices bound to them: join codes, device tokens, who a device is.

A team may have several pads and a new one can take over at any moment, so binding never
unbinds. Players of an elimination part join with the contest's player code and their seat
number; the audience with the audience code, one device one vote. Only a token's hash is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from contest.extensions import db
from live import codes
from live.models import DeviceRole, StageContest, StageDevice, StageJudge, StageTeam


def unique_code() -> str:
    """A join code no seat of any contest has."""
    while True:
        code = codes.new_code()
        taken = (
            db.session.scalar(select(StageTeam.id).where(StageTeam.join_code == code))
            or db.session.scalar(select(StageJudge.id).where(StageJudge.join_code == code))
            or db.session.scalar(select(StageContest.id).where(StageContest.projector_code == code))
            or db.session.scalar(select(StageContest.id).where(StageContest.audience_code == code))
            or db.session.scalar(select(StageContest.id).where(StageContest.player_code == code))
        )
        if not taken:
            return code


@dataclass(frozen=True)
class Seat:
    contest_id: int
    role: DeviceRole
    subject_id: int | None  # the team's or judge's id, a player's seat; None otherwise
    name: str
    device_id: int | None = None  # once bound: the audience votes as this device


def seat_for_code(typed: str) -> Seat | None:
    """Whose seat a typed join code opens, if any."""
    code = codes.normalise_code(typed)
    if len(code) != codes.CODE_LENGTH:
        return None
    team = db.session.scalar(select(StageTeam).where(StageTeam.join_code == code))
    if team:
        return Seat(team.contest_id, DeviceRole.TEAM, team.id, team.name)
    judge = db.session.scalar(select(StageJudge).where(StageJudge.join_code == code))
    if judge:
        return Seat(judge.contest_id, DeviceRole.JUDGE, judge.id, judge.name)
    contest = db.session.scalar(select(StageContest).where(StageContest.projector_code == code))
    if contest:
        return Seat(contest.id, DeviceRole.PROJECTOR, None, contest.title)
    contest = db.session.scalar(select(StageContest).where(StageContest.audience_code == code))
    if contest:
        return Seat(contest.id, DeviceRole.AUDIENCE, None, contest.title)
    return None


def player_code(contest: StageContest) -> str:
    """The code elimination players join with, with their seat number; made on first use."""
    if contest.player_code is None:
        contest.player_code = unique_code()
        db.session.commit()
    return contest.player_code


def seat_for_player(typed: str, seat: int) -> Seat | None:
    """A player's seat, if the code is a contest's player code and the seat is in its range."""
    code = codes.normalise_code(typed)
    contest = db.session.scalar(select(StageContest).where(StageContest.player_code == code))
    if contest is None or not 1 <= seat <= max_seats(contest):
        return None
    return Seat(contest.id, DeviceRole.PLAYER, seat, str(seat))


def max_seats(contest: StageContest) -> int:
    from live.rules import part_rules

    parts = [p for p in contest.parts if p.format == "elimination"]
    return max((part_rules(p.format, p.settings)["seats"] for p in parts), default=0)


def player_seats(contest_id: int) -> list[int]:
    """The seats that have a phone bound to them: who plays when an elimination part starts."""
    rows = db.session.scalars(
        select(StageDevice.subject_id)
        .where(
            StageDevice.contest_id == contest_id,
            StageDevice.role == DeviceRole.PLAYER.value,
        )
        .distinct()
    )
    return sorted(seat for seat in rows if seat is not None)


def audience_code(contest: StageContest) -> str:
    """The code (and QR code) the hall's phones join with; made the first time it is asked for."""
    if contest.audience_code is None:
        contest.audience_code = unique_code()
        db.session.commit()
    return contest.audience_code


def bind_device(seat: Seat) -> str:
    """Bind a new device to the seat; the returned token is its proof from now on.

    A team may have several pads, and a new one can take over at any moment (a flat battery
    must not cost a team its points): binding never unbinds the others.
    """
    token = codes.new_token()
    db.session.add(
        StageDevice(
            contest_id=seat.contest_id,
            role=seat.role.value,
            subject_id=seat.subject_id,
            token_hash=codes.token_hash(token),
        )
    )
    db.session.commit()
    return token


def device_seat(contest_id: int, token: str | None) -> Seat | None:
    """The seat a device token is bound to in this contest, or None."""
    if not token:
        return None
    device = db.session.scalar(
        select(StageDevice).where(
            StageDevice.token_hash == codes.token_hash(token),
            StageDevice.contest_id == contest_id,
        )
    )
    if device is None:
        return None
    role = DeviceRole(device.role)
    if role is DeviceRole.PLAYER:
        return Seat(contest_id, role, device.subject_id, str(device.subject_id), device.id)
    if role is DeviceRole.TEAM:
        subject = db.session.get(StageTeam, device.subject_id)
    elif role is DeviceRole.JUDGE:
        subject = db.session.get(StageJudge, device.subject_id)
    else:
        subject = db.session.get(StageContest, contest_id)
    if subject is None:
        return None
    name = subject.name if role in (DeviceRole.TEAM, DeviceRole.JUDGE) else subject.title
    return Seat(contest_id, role, device.subject_id, name, device.id)
