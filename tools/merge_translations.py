"""Refresh the Vietnamese catalog: extract, update, fill from fragment files, list what is left.

    .venv/bin/python tools/merge_translations.py [FRAGMENT.po ...]

Fragments are PO files of `msgid`/`msgstr` pairs written beside new code (by default every file
in translations/fragments/). Entries already translated in the catalog are kept; empty ones are
filled from the fragments. Prints each message still untranslated; exit status 1 if any.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
POT = ROOT / "translations" / "messages.pot"
BABEL = [sys.executable, "-m", "babel.messages.frontend"]


def main(paths: list[str]) -> int:
    subprocess.run(
        BABEL
        + ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(POT)]
        + ["--no-location", "--sort-output", "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        BABEL
        + ["update", "-i", str(POT), "-d", "translations", "--no-fuzzy-matching"]
        + ["--ignore-obsolete"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    fragments = [Path(p) for p in paths] or sorted((ROOT / "translations/fragments").glob("*.po"))
    known: dict = {}  # msgid (a tuple for plural forms) -> translation (a tuple for plurals)
    for fragment in fragments:
        with fragment.open("rb") as f:
            for message in read_po(f, locale="vi"):
                if message.id and message.string and all(message.string):
                    known[message.id] = message.string
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="vi")
    left = []
    for message in catalog:
        if not message.id:
            continue
        empty = not message.string or (
            isinstance(message.string, tuple) and not all(message.string)
        )
        if empty and message.id in known:
            message.string = known[message.id]
            message.flags.discard("fuzzy")
            empty = False
        if empty:
            left.append(message.id)
    with CATALOG.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True, omit_header=False)
    subprocess.run(BABEL + ["compile", "-d", "translations"], cwd=ROOT, check=True)
    for message_id in left:
        print("untranslated:", message_id)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
