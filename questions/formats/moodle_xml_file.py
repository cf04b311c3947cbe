"""Opening a Moodle XML file safely: its size, its encoding, and lxml with entities off.

The file comes from anyone, so nothing in it is expanded or fetched, and a DOCTYPE (where entity
attacks are declared, and which Moodle never writes) refuses it outright.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from lxml import etree

from questions.formats.base import FormatError, decode_text

MAX_BYTES = 20 * 1024 * 1024  # a Moodle export with pictures inside is big, but not this big

_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_UNICODE = (b"utf-8", b"utf8", b"utf-16", b"utf16", b"utf-16le", b"utf-16be")


def _as_utf8(data: bytes) -> bytes:
    """UTF-8 bytes for lxml, refusing legacy text the way every text format does.

    A file that names another encoding in its XML declaration is left to libxml2: nothing is
    guessed then. Otherwise the text goes through `decode_text`, and the declaration's encoding
    is dropped because the bytes handed on are UTF-8 whatever it said.
    """
    declared = _ENCODING.match(data)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in _UNICODE:
        return data
    text = decode_text(data)
    text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']", r"\1", text, count=1)
    return text.encode("utf-8")


_DOCTYPE = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL)


def _doctype_message() -> str:
    return _("The file declares a DOCTYPE, which Moodle XML files never do: it was refused.")


def parse(data: bytes) -> etree._Element:
    """The <quiz> root of a Moodle XML file; FormatError when it is too big, broken or not one."""
    if len(data) > MAX_BYTES:
        raise FormatError(
            _("The file is larger than %(limit)d MB.", limit=MAX_BYTES // (1024 * 1024))
        )
    # No entity is ever expanded and nothing is fetched: a file cannot read the server's files
    # (XXE) or blow up in memory (billion laughs). A parser per call: lxml parsers are not
    # thread-safe.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_pis=True,
    )
    data = _as_utf8(data)
    if _DOCTYPE.match(data):
        # Moodle never writes one, and a DOCTYPE is where entity attacks are declared.
        raise FormatError(_doctype_message(), line=1)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        detail = re.sub(r", line \d+, column \d+$", "", getattr(error, "msg", None) or str(error))
        raise FormatError(
            _("Line %(line)d: the XML is broken (%(detail)s).", line=line, detail=detail),
            line=line,
        ) from error
    if root.getroottree().docinfo.doctype:  # one the prolog check above did not see
        raise FormatError(_doctype_message(), line=1)
    if root.tag != "quiz":
        raise FormatError(
            _(
                "This is not a Moodle XML question file: it starts with <%(tag)s>, not <quiz>.",
                tag=str(root.tag),
            ),
            line=root.sourceline,
        )
    return root
