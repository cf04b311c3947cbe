"""National ID numbers and ages: kept as little as possible, compared without being stored.

A contest needs a national ID only to find one person registered twice. So the number is
normalised, keyed-hashed and masked here, and the plain number is never put into an exception
(exceptions end up in logs): a ValueError carries the name of the field, not its value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

# CCCD (căn cước công dân) and the 12-digit CMND share one form; the old CMND has 9 digits.
CCCD_LENGTH, CMND_LENGTH = 12, 9
VISIBLE_DIGITS = 4
_SEPARATORS = re.compile(r"[\s.\-]+")


def normalise_national_id(text: object) -> str | None:
    """The digits of a CCCD (12) or an old CMND (9), or None.

    Spaces, dots and hyphens between digits are dropped. Only text is accepted: a number from a
    spreadsheet has already lost the leading zeros every CCCD starts with ("001…" for Hà Nội).
    """
    if not isinstance(text, str):
        return None
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not (digits.isascii() and digits.isdigit()):
        return None
    return digits if len(digits) in (CCCD_LENGTH, CMND_LENGTH) else None


def hash_national_id(value: str, secret: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ID, keyed with the app's secret.

    A plain hash of a 12-digit number is reversed by trying every number; the key prevents that
    as long as it stays secret. Equal IDs give equal hashes only under the same key: changing
    the key makes every stored hash useless for finding duplicates.
    """
    number = normalise_national_id(value)
    if number is None:
        raise ValueError("national_id")
    if not secret:
        raise ValueError("secret")
    return hmac.new(secret.encode("utf-8"), number.encode("ascii"), hashlib.sha256).hexdigest()


def mask_national_id(value: str) -> str:
    """ "001234567890" -> "********7890": the last four digits only, as on a receipt."""
    number = normalise_national_id(value)
    if number is None:
        raise ValueError("national_id")
    hidden = len(number) - VISIBLE_DIGITS
    return "*" * hidden + number[hidden:]


def age_on(date_of_birth: date, day: date) -> int:
    """Full years of age on `day`.

    Someone born on 29 February has their birthday on 1 March in a common year: for a minimum
    age that is the cautious reading, never admitting anyone a day early.
    """
    if date_of_birth > day:
        raise ValueError("date_of_birth")
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def eligible(date_of_birth: date, day: date, minimum_age: int) -> bool:
    """Whether someone is `minimum_age` full years old or more on `day` (e.g. a round's start)."""
    return date_of_birth <= day and age_on(date_of_birth, day) >= minimum_age
