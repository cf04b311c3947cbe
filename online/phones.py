"""Vietnamese mobile numbers: one stored form ("0912345678"), and a masked form for lists.

A phone number is how a participant is found again (and the unique key of a registration), so
"0912 345 678", "+84 912 345 678" and "(+84) 912.345.678" must all become the same text.
Only mobile numbers are accepted: a landline (02x, 11 digits) cannot receive an SMS.
"""

from __future__ import annotations

import re
import unicodedata

# Since the 2018 renumbering every mobile number is 0 + 9 digits, the first of them 3, 5, 7, 8
# or 9. Operators' blocks inside those ranges change over time; checking the ranges only keeps a
# newly allocated block from being refused.
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_SEPARATORS = re.compile(r"[\s.\-()]+")
_ALLOWED = re.compile(r"[0-9\s.\-()+]+")


def normalise(text: object) -> str | None:
    """The "0912345678" form of a mobile number, or None when it is not one.

    Accepted: spaces, dots, hyphens and brackets anywhere; the country code as +84, 84 or 0084,
    with or without the trunk 0 after it ("+84 0912 …" is a common way to write it); and nine
    digits without the leading 0, which is what a spreadsheet leaves of a number typed as one.
    """
    if not isinstance(text, str):
        return None
    # NFKC turns full-width digits and no-break spaces into their plain forms.
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or not _ALLOWED.fullmatch(text):
        return None
    compact = _SEPARATORS.sub("", text)
    international = compact.startswith("+")
    if international:
        compact = compact[1:]
    if not compact.isdigit():  # another "+" inside
        return None
    if compact.startswith("0084"):
        international, compact = True, compact[2:]
    if international and not compact.startswith("84"):
        return None  # a foreign number
    # Without "+", "84" is the country code only when the length says so: 84 + 9 digits, or
    # 84 + 0 + 9 digits. "0849 123 456" is a number of the 084 block.
    if international or (len(compact) in (11, 12) and compact.startswith("84")):
        national = compact[2:]
        national = national[1:] if national.startswith("0") else national
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        national = compact
    number = "0" + national
    return number if _MOBILE.fullmatch(number) else None


def mask(phone: str) -> str:
    """ "0912345678" -> "09xx xxx 678": enough for a person to recognise their own number.

    Raises ValueError("phone") for anything that is not a mobile number; the value itself is
    left out of the exception so that it cannot end up in a log.
    """
    number = normalise(phone)
    if number is None:
        raise ValueError("phone")
    return f"{number[:2]}xx xxx {number[-3:]}"
