#!/usr/bin/env python3
"""The spec tool: keeps specs/ and architecture.md in step with one command each.

Run it from anywhere in the repository:

    python tools/spec.py --help

Standard library only, Python 3.10+.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tempfile
from pathlib import Path

DATE_PLACEHOLDER = "[YYYY-MM-DD]"
DATE_FORMAT = "%Y-%m-%d"

# "**Key**: value", the metadata line of architecture.md and of every spec.
FIELD_LINE = re.compile(r"^\*\*(?P<key>[^*\n]+)\*\*:[ \t]*(?P<value>.*)$", re.MULTILINE)
# An entry that asks to be dated: "**Date**: [YYYY-MM-DD]" or "- **[YYYY-MM-DD]**: ...".
DATE_PLACEHOLDER_ENTRY = re.compile(
    r"^(?P<prefix>\*\*[^*\n]+\*\*:[ \t]*|[ \t]*- \*\*)" + re.escape(DATE_PLACEHOLDER),
    re.MULTILINE,
)


def today(date: str | None = None) -> str:
    """The date to stamp: --date if given, else SOURCE_DATE_EPOCH if set, else the local date."""
    if date is not None:
        return parse_date(date).strftime(DATE_FORMAT)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).strftime(DATE_FORMAT)
    return dt.date.today().strftime(DATE_FORMAT)


def parse_date(value: str) -> dt.date:
    """A real calendar date written YYYY-MM-DD; ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    return dt.datetime.strptime(value, DATE_FORMAT).date()


def header_end(text: str) -> int:
    """Where the metadata block ends: at the first "## " section heading."""
    match = re.search(r"^## ", text, re.MULTILINE)
    return match.start() if match else len(text)


def stamp_dates(text: str, date: str) -> str:
    """Stamp a document with date.

    Last Updated in the metadata block gets the date whatever it held; every entry still
    dated [YYYY-MM-DD] (a "**Date**:" field, a "- **[YYYY-MM-DD]**:" history line) gets it
    too. Everything else, the template footer's own Last Updated included, is left alone.
    """
    end = header_end(text)
    header = FIELD_LINE.sub(
        lambda m: f"**Last Updated**: {date}" if m["key"] == "Last Updated" else m[0],
        text[:end],
        count=0,
    )
    stamped = header + text[end:]
    return DATE_PLACEHOLDER_ENTRY.sub(lambda m: m["prefix"] + date, stamped)


def write_atomic(path: Path, text: str) -> None:
    """Write text with LF line endings so that an interrupted run never leaves half a file.

    The text goes to a temporary file in the same folder first, then replaces path in one rename.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temporary, file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def file_mode(path: Path) -> int:
    """The permissions path has, or those a new file gets (mkstemp's own are owner-only)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def stamp_file(path: Path, date: str) -> bool:
    """Stamp the document at path with date (see stamp_dates); True if it changed."""
    text = path.read_text(encoding="utf-8")
    stamped = stamp_dates(text, date)
    if stamped == text:
        return False
    write_atomic(path, stamped)
    return True
