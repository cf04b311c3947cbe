"""Join codes for a stage contest's seats, and device tokens.

A code is short enough to type on a phone in a hall and read aloud, from an alphabet without the
characters people confuse (0/O, 1/I/L). Only a token's hash is stored, so a copy of the database
can't be used to take over a team's pad.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
