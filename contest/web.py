"""Small helpers for views shared by every domain package."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """A redirect target on this site only; anything else goes home (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("main.home")
