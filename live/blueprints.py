"""The stage contests' blueprints: staff pages (setup, host console, results) and device screens.

Team pads, judges' pads and the projector have no account: they join with a seat's code and are
then bound by a device token kept in a cookie, checked by every screen and Socket.IO event
(tests/live). The public scoreboard shows only what is public. Staff pages need a role.
"""

from flask import Blueprint

admin = Blueprint("live_admin", __name__, url_prefix="/live")
screens = Blueprint("live", __name__, url_prefix="/stage")

# Blueprints whose views are open to visitors without an account (tests/app/test_access.py).
PUBLIC_BLUEPRINTS = ("live",)
