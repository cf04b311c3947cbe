"""Registering for an online contest and coming back to it, without a password.

Everything a person typed is checked before anything is written, and every problem is reported
beside its field at once. The phone number is unique per contest (a database constraint, so two
registrations racing with one number cannot both win). A national ID is kept only as an HMAC under
the app's secret plus its last four digits. Coming back takes the phone number and the date of
birth; a wrong date and an unknown number get the same answer, so nobody can probe who registered.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contest.database import utcnow
from contest.extensions import db
from contest.text import clean_line, fold
from contest.units import service as units
from contest.units.models import Unit
from online import boards, contests, identity, phones
from online.contests import OFF, REQUIRED
from online.models import OnlineContest, Participant

GENDERS = ("male", "female", "other")
UNIT_CHOICES_SHOWN = 5
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

SAME_ANSWER_FOR_EVERY_MISS = _l(
    "We found no registration with this phone number and date of birth. Check both, or register."
)


class RegistrationInvalid(ValueError):
    """What is wrong, by field name (`full_name`, `phone`, `unit`, `custom_c1`…)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class UnitMatch:
    id: int
    path: str


def new_token() -> str:
    """The personal link's secret: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def today_local() -> date:
    """Today's date in the display zone (Vietnam): a birthday starts at local midnight."""
    return contests.to_local(utcnow()).date()


# ---- units --------------------------------------------------------------------------------------


def unit_matches(query: str, limit: int = 20) -> list[UnitMatch]:
    """Units whose code or name hold every word typed (accents ignored), with their paths."""
    found = units.search_units(query, limit=limit)
    # Only the ancestors of what was found, a level of the tree per query: this runs as people
    # type, and the tree may hold thousands of units.
    known: dict[int, tuple[int | None, str]] = {u.id: (u.parent_id, u.name) for u in found}

    def missing() -> set[int]:
        return {parent for parent, _name in known.values() if parent and parent not in known}

    while wanted := missing():
        rows = db.session.execute(
            select(Unit.id, Unit.parent_id, Unit.name).where(Unit.id.in_(wanted))
        ).all()
        if not rows:
            break
        known.update({uid: (parent, name) for uid, parent, name in rows})
    return [UnitMatch(u.id, _path(known, u.id)) for u in found]


def _path(known: dict[int, tuple[int | None, str]], unit_id: int) -> str:
    names, seen, current = [], set(), unit_id
    while current in known and current not in seen:
        seen.add(current)
        parent, name = known[current]
        names.append(name)
        current = parent
    return " › ".join(reversed(names))


def unit_path(unit: Unit | None) -> str:
    if unit is None:
        return ""
    names = []
    while unit is not None:
        names.append(unit.name)
        unit = unit.parent
    return " › ".join(reversed(names))


def _pick_unit(unit_id: str, query: str) -> tuple[int | None, str | None]:
    """The chosen unit: the id the search list set, else the one unit the typed words name."""
    if unit_id and unit_id.isdigit():
        unit = db.session.get(Unit, int(unit_id))
        # The id comes with the words it was picked by; typing over them cancels the pick.
        if unit is not None and fold(unit_path(unit)) == fold(query):
            return unit.id, None
    if not clean_line(query):
        return None, None
    matches = unit_matches(query, limit=50)
    exact = [
        m
        for m in matches
        if fold(m.path) == fold(query) or fold(m.path.split(" › ")[-1]) == fold(query)
    ]
    if len(matches) == 1:
        return matches[0].id, None
    if len(exact) == 1:
        return exact[0].id, None
    if not matches:
        return None, _("No unit matches “%(query)s”. Type part of its name.", query=query)
    shown = "; ".join(m.path for m in matches[:UNIT_CHOICES_SHOWN])
    return None, _("Several units match; pick one from the list, e.g. %(units)s.", units=shown)


# ---- registering --------------------------------------------------------------------------------


def _required(setting: str, value) -> bool:
    return setting == REQUIRED and (value is None or value == "")


def register(contest: OnlineContest, data: dict, *, staff: bool = False) -> Participant:
    """Register a person for a contest, or raise RegistrationInvalid; the caller commits."""
    participant = Participant(contest_id=contest.id, token=new_token(), **checked(contest, data))
    participant.is_staff = bool(staff)
    db.session.add(participant)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        # Another registration with this phone number committed between the check and now.
        raise RegistrationInvalid({"phone": phone_taken_message()}) from exc
    boards.mark_contest_stale(contest.id)  # the unit tables count people registered
    return participant


def checked(contest: OnlineContest, data: dict) -> dict:
    """The participant's columns from what was typed, or RegistrationInvalid with every problem.

    Writes nothing, so a form that failed its own checks can still show these messages too.
    """
    errors: dict[str, str] = {}
    setting = {name: contests.field_setting(contest, name) for name in contests.FIELD_NAMES}
    missing = _("This field is required.")

    full_name = clean_line(data.get("full_name"))
    if not full_name:
        errors["full_name"] = missing
    elif len(full_name) > 200:
        errors["full_name"] = _("At most %(max)d characters.", max=200)

    dob = data.get("date_of_birth") if setting["date_of_birth"] != OFF else None
    if _required(setting["date_of_birth"], dob):
        errors["date_of_birth"] = missing
    elif dob is not None:
        today = today_local()
        if dob > today or dob.year < 1900:
            errors["date_of_birth"] = _("Check the date of birth.")
        elif contest.minimum_age and not identity.eligible(dob, today, contest.minimum_age):
            errors["date_of_birth"] = _(
                "This contest is for people aged %(age)d or over; you are %(years)d.",
                age=contest.minimum_age,
                years=identity.age_on(dob, today),
            )
    if contest.minimum_age and dob is None and "date_of_birth" not in errors:
        errors["date_of_birth"] = _(
            "This contest is for people aged %(age)d or over: enter your date of birth.",
            age=contest.minimum_age,
        )

    gender = (data.get("gender") or "") if setting["gender"] != OFF else ""
    if _required(setting["gender"], gender):
        errors["gender"] = missing
    elif gender and gender not in GENDERS:
        errors["gender"] = _("Choose one of the options.")

    phone = None
    phone_text = clean_line(data.get("phone")) if setting["phone"] != OFF else ""
    if _required(setting["phone"], phone_text):
        errors["phone"] = missing
    elif phone_text:
        phone = phones.normalise(phone_text)
        if phone is None:
            errors["phone"] = _(
                "This is not a Vietnamese mobile number. "
                "Write it as 0912 345 678 or +84 912 345 678."
            )
        elif _phone_taken(contest, phone):
            errors["phone"] = phone_taken_message()

    email = clean_line(data.get("email")) if setting["email"] != OFF else ""
    if _required(setting["email"], email):
        errors["email"] = missing
    elif email and (len(email) > 200 or not _EMAIL.fullmatch(email)):
        errors["email"] = _("Check the email address, e.g. ten@example.com.")

    national_hash, last4 = None, ""
    national = clean_line(data.get("national_id")) if setting["national_id"] != OFF else ""
    if _required(setting["national_id"], national):
        errors["national_id"] = missing
    elif national:
        number = identity.normalise_national_id(national)
        if number is None:
            errors["national_id"] = _("A national ID has 12 digits (an old ID card: 9 digits).")
        else:
            national_hash = identity.hash_national_id(number, current_app.config["SECRET_KEY"])
            last4 = number[-4:]
            if _national_id_taken(contest, national_hash):
                errors["national_id"] = _(
                    "Someone has already registered with this national ID. If it was you, "
                    "use “I have registered” to open your page."
                )

    unit_id = None
    if setting["unit"] != OFF:
        query = clean_line(data.get("unit_query"))
        unit_id, problem = _pick_unit(str(data.get("unit_id") or ""), query)
        if problem:
            errors["unit"] = problem
        elif unit_id is None and setting["unit"] == REQUIRED:
            errors["unit"] = missing

    custom = {}
    given = data.get("custom") or {}
    for spec in contests.custom_fields(contest):
        value = clean_line(given.get(spec["key"]))
        if spec["required"] and not value:
            errors[f"custom_{spec['key']}"] = missing
        elif len(value) > 300:
            errors[f"custom_{spec['key']}"] = _("At most %(max)d characters.", max=300)
        elif value:
            custom[spec["key"]] = value

    if errors:
        raise RegistrationInvalid(errors)
    return {
        "full_name": full_name,
        "date_of_birth": dob,
        "gender": gender,
        "phone": phone,
        "email": email,
        "national_id_hash": national_hash,
        "national_id_last4": last4,
        "unit_id": unit_id,
        "custom": custom,
    }


def phone_taken_message() -> str:
    return _(
        "This phone number is already registered for this contest. "
        "Use “I have registered” to open your page."
    )


def _phone_taken(contest: OnlineContest, phone: str) -> bool:
    statement = select(Participant.id).where(
        Participant.contest_id == contest.id, Participant.phone == phone
    )
    return db.session.scalar(statement) is not None


def _national_id_taken(contest: OnlineContest, national_hash: str) -> bool:
    statement = select(Participant.id).where(
        Participant.contest_id == contest.id, Participant.national_id_hash == national_hash
    )
    return db.session.scalar(statement.limit(1)) is not None


# ---- coming back --------------------------------------------------------------------------------


def find_returning(contest: OnlineContest, phone_text: str, date_of_birth: date | None):
    """The participant with this phone number and date of birth, or None (for any mismatch)."""
    phone = phones.normalise(phone_text or "")
    if phone is None or date_of_birth is None:
        return None
    participant = db.session.scalar(
        select(Participant).where(Participant.contest_id == contest.id, Participant.phone == phone)
    )
    if participant is None or participant.date_of_birth != date_of_birth:
        return None
    return participant


def by_token(contest: OnlineContest, token: str) -> Participant | None:
    """The participant whose personal link this is, in this contest only."""
    if not token or len(token) > 64:
        return None
    participant = db.session.scalar(select(Participant).where(Participant.token == token))
    if participant is None or participant.contest_id != contest.id:
        return None
    return participant


def masked_phone(participant: Participant) -> str:
    return phones.mask(participant.phone) if participant.phone else ""


def masked_national_id(participant: Participant) -> str:
    """Only the last four digits are kept, so that is all that can be shown."""
    if not participant.national_id_hash:
        return ""
    return "*" * (identity.CCCD_LENGTH - identity.VISIBLE_DIGITS) + participant.national_id_last4
