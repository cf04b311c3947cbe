"""The look of a show on the projector: three colours and the organiser's logo.

Colours live in `StageContest.settings["look"]` as #rrggbb. The logo is kept under the upload
folder's `stage/` subfolder with a random name, and is accepted only as PNG, JPEG or WebP, told
by its first bytes (not its name or its declared type). SVG is refused: it can carry script,
and the logo is served to devices that have no account.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from questions.images import image_kind, upload_folder

LOGO_KINDS = ("png", "jpg", "webp")
LOGO_MAX_KB = 1024
LOGO_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.(png|jpg|webp)$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# The projector as it looked before a contest chose anything.
DEFAULT_LOOK = {"primary": "#1e3354", "accent": "#f2c230", "background": "#0f1b2d"}


class LogoRefused(ValueError):
    """An upload that is not a small PNG, JPEG or WebP; the message goes beside the field."""


def colours(contest) -> dict[str, str]:
    """The contest's three colours, each falling back to the default look."""
    chosen = (contest.settings or {}).get("look") or {}
    return {key: chosen.get(key) or value for key, value in DEFAULT_LOOK.items()}


def clean_colours(values: dict[str, str]) -> dict[str, str]:
    """The three colours, lower-cased, and the type colour readable on each.

    ValueError(name) for the first that is not #rrggbb.
    """
    cleaned = {}
    for key in DEFAULT_LOOK:
        value = (values.get(key) or "").strip()
        if not COLOUR.match(value):
            raise ValueError(key)
        cleaned[key] = value.lower()
    for key in DEFAULT_LOOK:
        cleaned[f"{key}_ink"] = ink_on(cleaned[key])
    return cleaned


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ink_on(colour: str) -> str:
    """White or near-black type, whichever contrasts more with `colour` (read from far away)."""
    light, dark = _luminance(colour), _luminance("#111111")
    return "#ffffff" if 1.05 / (light + 0.05) >= (light + 0.05) / (dark + 0.05) else "#111111"


def logo_folder() -> Path:
    folder = upload_folder() / "stage"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def logo_limit_kb() -> int:
    return int(current_app.config.get("STAGE_LOGO_MAX_KB") or LOGO_MAX_KB)


def store_logo(data: bytes) -> str:
    """Keep an uploaded logo and return its stored name; LogoRefused with the reason."""
    limit_kb = logo_limit_kb()
    if len(data) > limit_kb * 1024:
        raise LogoRefused(_("The logo is larger than %(max_kb)d KB.", max_kb=limit_kb))
    kind = image_kind(data)
    if kind not in LOGO_KINDS:
        raise LogoRefused(_("The logo must be a PNG, JPEG or WebP image (SVG is not accepted)."))
    name = f"{secrets.token_urlsafe(24)}.{kind}"
    (logo_folder() / name).write_bytes(data)
    return name


def is_logo_name(name: str | None) -> bool:
    """Only names this module made are ever served: no paths, no other files."""
    return bool(name and LOGO_NAME.match(name))


def discard_logo(name: str | None) -> None:
    """Remove a stored logo that is no longer used."""
    if is_logo_name(name):
        (logo_folder() / name).unlink(missing_ok=True)


def logo_version(contest) -> str:
    """A short part of the stored name, for the logo's address (a new logo, a new address)."""
    return (contest.logo_path or "")[:8]
