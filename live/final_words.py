"""The words of the final's screens (issue 7): packages, Rung chuông vàng, the podium, ties.

Merged into every screen's labels (`live.screen_routes.labels`), so the pads, the projector, the
players' phones and the console read them from the same `stage-labels` JSON. {…} are filled in
by the scripts.
"""

from __future__ import annotations

from flask_babel import gettext as _


def final_labels() -> dict[str, str]:
    return {
        # A team's pad in a packages part.
        "own_turn": _("Your team's turn — answer aloud"),
        "star_place": _("Place the star of hope"),
        "star_placed": _("The star of hope is on this question"),
        "steal": _("STEAL"),
        "steal_hint": _("Press to win the right to answer"),
        "other_turn": _("Another team's turn"),
        # The projector: a packages turn, the seats of Rung chuông vàng, the podium.
        "turn_of": _("%(name)s's package", name="{name}"),
        "star": _("Star of hope"),
        "steal_open": _("The other teams may steal the answer: %(n)s seconds", n="{n}"),
        "stealing": _("%(name)s steals the answer", name="{name}"),
        "left_n": _("%(left)s/%(total)s still in", left="{left}", total="{total}"),
        "place_n": _("Place %(n)s", n="{n}"),
        # A player's phone.
        "seat_n": _("Seat %(n)s", n="{n}"),
        "player_alive": _("Playing"),
        "player_out": _("Eliminated"),
        "player_rescued": _("Rescued"),
        "player_none": _("Not playing in this part"),
        "rescue_question": _(
            "Rescue question: only the eliminated answer; the fastest %(n)s right come back",
            n="{n}",
        ),
        "watch": _("Watch this question: it is not yours to answer"),
        "still_in": _("Right — you are still in"),
        "fell": _("You are out"),
        "back_in": _("You are back in the game!"),
        "my_answer": _("You answered"),
        # The console.
        "tied": _("Tied"),
        "award": _("Give the right to this team"),
        "rtt": _("latency %(ms)s ms", ms="{ms}"),
        "pick_values": _("Choose a value for every question of the package."),
        "bad_seat_list": _("Type seat numbers separated by commas."),
        "seated_n": _("%(n)s players seated", n="{n}"),
        "places_n": _("Places revealed: %(n)s of %(total)s", n="{n}", total="{total}"),
        "tie_break": _("Tie-break question"),
    }
