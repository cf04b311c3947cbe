"""Rung chuông vàng's players, and what the console needs for the final's formats.

A player joins on /stage/join with the contest's player code and the number on their seat; the
phone is then bound to that seat like a pad to its team, and lands on its own page here. The
console's controls for packages, elimination and the ceremony are rendered from
`final_console_data`; the player code's QR card is for the host's eyes only.
"""

from __future__ import annotations

import io

import segno
from flask import Response, url_for
from flask_babel import gettext as _

from contest.accounts.access import roles_required
from contest.accounts.roles import Role
from contest.extensions import db
from live import codes, devices
from live.blueprints import admin as admin_bp
from live.blueprints import screens as bp
from live.models import DeviceRole, StageContest
from live.presenting import short_stem
from live.rules import part_rules
from live.screen_routes import _seat_page


def player_seat(code_field, seat_field) -> devices.Seat | None:
    """The seat a player code and a seat number open; an error beside the seat field if not.

    Returns None without an error when the code is no player code (the caller says so).
    """
    code = codes.normalise_code(code_field.data or "")
    contest = db.session.scalar(db.select(StageContest).where(StageContest.player_code == code))
    if contest is None:
        return None
    typed = (seat_field.data or "").strip()
    limit = devices.max_seats(contest)
    if not typed:
        seat_field.errors.append(_("Type the number on your seat."))
        return None
    if not typed.isdigit() or not 1 <= int(typed) <= limit:
        seat_field.errors.append(_("Seat numbers go from 1 to %(n)s.", n=limit))
        return None
    return devices.seat_for_player(code, int(typed))


@bp.get("/<int:contest_id>/player")
def player(contest_id: int):
    """A player's phone: their seat, the question with big buttons, in or out."""
    return _seat_page(contest_id, DeviceRole.PLAYER, "live/screens/player.html")


@admin_bp.get("/<int:contest_id>/player-qr.svg")
@roles_required(Role.HOST, Role.SECRETARY)
def player_qr(contest_id: int):
    """The QR code of the players' join link (the player code filled in), for the seat cards."""
    contest = db.get_or_404(StageContest, contest_id)
    buffer = io.BytesIO()
    segno.make(_player_url(contest), error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _player_url(contest: StageContest) -> str:
    return url_for("live.join", code=devices.player_code(contest), _external=True)


@bp.app_template_global()
def final_console_data(contest: StageContest) -> dict:
    """The console's final controls: each packages part's values and questions, the seats."""
    packages, elimination = {}, {}
    for part in contest.parts:
        rules = part_rules(part.format, part.settings)
        if part.format == "packages":
            packages[str(part.id)] = {
                "values": rules["values"],
                "per_turn": rules["questions_per_turn"],
                "questions": [
                    {"id": q.id, "number": n, "points": q.points, "stem": short_stem(q.content, 70)}
                    for n, q in enumerate(part.questions, start=1)
                ],
            }
        elif part.format == "elimination":
            elimination[str(part.id)] = {"seats": rules["seats"]}
    data = {"packages": packages, "elimination": elimination, "player": None}
    if elimination:
        data["player"] = {
            "code": devices.player_code(contest),
            "url": _player_url(contest),
            "qr": url_for("live_admin.player_qr", contest_id=contest.id),
            "seated": len(devices.player_seats(contest.id)),
        }
    return data
