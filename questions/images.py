"""Question images: checked by their first bytes (not their name), stored with a random name."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app

# Formats every phone browser shows. SVG is left out on purpose: it can carry script.
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.(png|jpg|gif|webp)$")


class ImageRefused(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def image_kind(data: bytes) -> str | None:
    """'png', 'jpg', 'gif' or 'webp' from the file's signature; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def upload_folder() -> Path:
    folder = Path(
        current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_image(data: bytes) -> str:
    """Keep an uploaded image and return its stored name; refuse what is not a small image."""
    limit_kb = current_app.config.get("QUESTIONS_IMAGE_MAX_KB", 2048)
    if len(data) > limit_kb * 1024:
        raise ImageRefused("too_big", max_kb=limit_kb)
    kind = image_kind(data)
    if kind is None:
        raise ImageRefused("not_an_image")
    name = f"{secrets.token_urlsafe(24)}.{kind}"
    (upload_folder() / name).write_bytes(data)
    return name


def is_stored_name(name: str) -> bool:
    """Only names this module made are ever served: no paths, no other files."""
    return bool(NAME.match(name))


def discard(name: str | None) -> None:
    """Remove a stored image that ended up unused (its save was refused)."""
    if name and is_stored_name(name):
        (upload_folder() / name).unlink(missing_ok=True)
