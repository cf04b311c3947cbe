"""The online contests' blueprints: organisers' pages, participants' pages, participants' API.

Participants have no account: their pages are public, and each request proves who it is with the
personal link's token or the attempt's token (checked in every view, tested in tests/online).
Organisers' pages need a staff role like every other staff page.
"""

from flask import Blueprint

admin = Blueprint("online_admin", __name__)
public = Blueprint("online", __name__)
api = Blueprint("online_api", __name__, url_prefix="/api/online")

# Blueprints whose views are open to visitors without an account (tests/app/test_access.py).
PUBLIC_BLUEPRINTS = ("online", "online_api")
