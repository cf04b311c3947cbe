"""Vietnamese first: every interface string is translated, and no English leaks into the pages."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from contest.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
ENGLISH_WORDS = re.compile(
    r"\b(the|and|of|with|your|save|edit|delete|search|import|export|new|sign|units?|themes?|"
    r"accounts?|password|roles?|active|status|name|file|back|page|error)\b",
    re.IGNORECASE,
)


def extracted_messages(tmp_path: Path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
        + ["-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location", "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        return read_po(f)


def test_every_interface_string_has_a_checked_vietnamese_translation(tmp_path):
    template = extracted_messages(tmp_path)
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="vi")
    untranslated = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        strings = (
            (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ()
        )
        if entry is None or entry.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert untranslated == [], "run `make extract-messages` and translate these"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == [], "placeholders must match between English and Vietnamese"


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


@pytest.mark.parametrize("path", ["/", "/login"])
def test_public_pages_speak_only_vietnamese_by_default(client, path):
    text = visible_text(client.get(path).get_data(as_text=True))
    assert ENGLISH_WORDS.findall(text) == []


def test_staff_pages_speak_only_vietnamese_by_default(app, client, login_as):
    from contest.demo import load_demo

    load_demo()
    login_as(Role.ADMIN, username="quantri")
    pages = ["/", "/users", "/users/new", "/units", "/units/new", "/units/import", "/themes"]
    pages += ["/themes/new", "/account/password", "/no-such-page", "/questions", "/questions/new"]
    leaks = {}
    for path in pages:
        text = visible_text(client.get(path).get_data(as_text=True))
        found = ENGLISH_WORDS.findall(text)
        if found:
            leaks[path] = sorted(set(found))
    assert leaks == {}
