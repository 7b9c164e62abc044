#!/usr/bin/env python3
"""The spec tool: keeps specs/ and architecture.md in step with one command each.

Run it from anywhere in the repository:

    python tools/spec.py --help

Commands: new, list, status, implement, supersede, renumber, log, index, check, touch, import-adrs.
Exit status: 0 done; 1 a document is in the way (malformed, failed check, existing file);
2 a wrong command line (unknown command, option, spec or status, a bad date).

Standard library only, Python 3.10+.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import os
import posixpath
import re
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

TYPE_CHECKING = False  # typing takes longer to import than the tool takes to check a hundred specs
if TYPE_CHECKING:
    from typing import Any, NoReturn, TextIO

# What follows needs 3.10; an older Python gets one line saying so rather than a traceback from somewhere in it.
if sys.version_info < (3, 10):  # noqa: UP036
    sys.exit(f"error: tools/spec.py needs Python 3.10 or newer; this is Python {sys.version.split()[0]}")

VERSION = "1.1.0"  # of the cookiecutter-living-architecture template this file came with; --version prints it
DATE_PLACEHOLDER = "[YYYY-MM-DD]"
DATE_FORMAT = "%Y-%m-%d"

ARCHITECTURE = "architecture.md"
FEATURES = "specs/features"
TEMPLATE = "specs/templates/feature.md"
SPECS_README = "specs/README.md"
ARCHITECTURE_PREFIX = "architecture-"

STATUSES = ("Draft", "Planned", "In Progress", "Implemented", "Superseded", "Rejected")
SETTABLE_STATUSES = tuple(s for s in STATUSES if s != "Superseded")  # that one comes from supersede
SPEC_FIELDS = ("Status", "Owner", "Created", "Last Updated", "Priority", "Supersedes", "Superseded by")
HISTORY = "Implementation History"
DECISIONS = "Key Architectural Decisions"
NO_SPECS = "No specs yet."
NONE_VALUES = ("", "none", "n/a", "-")


# ---- Errors --------------------------------------------------------------------------------------


class SpecError(Exception):
    """A problem the user can fix, printed by problem_text() as one line, never as a traceback: "path:line:
    message" for a line of a document, "path: message" for a whole file, "error: message" otherwise. Exit
    status 1 for a document in the way, 2 for a wrong command line."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None, exit_status: int = 1) -> None:
        where = "" if path is None else f"{shown(path)}:" if line is None else f"{shown(path)}:{line}:"
        super().__init__(f"{where} {message}" if where else message)
        self.located = path is not None
        self.line = line or 0
        self.exit_status = exit_status


def refusal(problems: list[SpecError]) -> SpecError:
    """Every problem that stops a command, each on its own path:line: message line."""
    error = SpecError("\n".join(str(problem) for problem in problems))
    error.located = True
    return error


def problem_text(error: SpecError) -> str:
    return str(error) if error.located else f"error: {error}"


# ---- Markdown reading ----------------------------------------------------------------------------


def prose(text: str) -> str:
    """text with fenced code, HTML comments and code spans turned into spaces, newlines kept."""
    has_backtick = "`" in text
    if (has_backtick and "```" in text) or "~~~" in text:
        text = blank_fenced_code(text)
    if has_backtick or "<!--" in text:
        text = blank_code_spans_and_comments(text)
    return text


def blank_code_spans_and_comments(text: str, code_spans: bool = True) -> str:
    """text with its HTML comments, and its code spans unless code_spans is False, turned into spaces."""
    pieces, at = [], 0
    for start, end, is_comment in code_spans_and_comments(text):
        if is_comment or code_spans:
            pieces += [text[at:start], blank_span(text[start:end])]
            at = end
    return "".join(pieces) + text[at:]


def blank_span(text: str) -> str:
    return "\n".join(" " * len(line) for line in text.split("\n"))


def blank(match: re.Match[str]) -> str:
    return blank_span(match[0])




def code_spans_and_comments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_comment) of the code spans and HTML comments of text, read left to right as
    CommonMark reads them.

    Whichever opens first wins; an opener after an odd number of backslashes (\\` or \\<!--) opens nothing.
    A code span ends at the next run of as many backticks on its line. A comment with only blanks before
    it on its line is an HTML block: it starts at the line and runs to the end of the line holding -->,
    or to the end of the text. One inside a line ends at the next --> in its paragraph, and without one
    it is plain text. Each search starts where the last one ended: linear in the text.
    """
    closers = Closers(text)
    spans: list[tuple[int, int, bool]] = []
    done = line_start = scanned = 0
    text_start = -1  # where the text of the line at line_start begins, after its blanks; -1 not known yet
    for opener_start, opener_end in openers(text):
        newline = text.rfind("\n", scanned, opener_start)
        scanned = opener_start
        if newline >= 0:
            line_start, text_start = newline + 1, -1
        if opener_start < done:
            continue
        escapes = 0
        while opener_start - escapes > line_start and text[opener_start - escapes - 1] == "\\":
            escapes += 1
        is_comment = text.startswith("<!--", opener_start)
        start, end = opener_start, None
        if is_comment:
            if text_start < 0:
                text_start = past_blanks(text, line_start)
            if text_start == opener_start:
                start, end = line_start, closers.block_comment_end(opener_end)
            elif not escapes % 2:
                end = closers.comment_end(opener_start)
        else:
            start += escapes % 2  # "\\`" escapes one backtick
            end = closers.code_span_end(start, opener_end)
        if end is not None:
            spans.append((start, end, is_comment))
            done = end
    return spans


BLANKS = re.compile(r"[ \t]*")


def past_blanks(text: str, start: int) -> int:
    """The offset of the first character from start on that is neither a space nor a tab."""
    blanks = BLANKS.match(text, start)
    return blanks.end() if blanks else start


# A pattern that starts with a literal character is scanned for many times faster than one that starts
# with a choice, a character class or ^, which the scan tries at every offset of the text.
BACKTICKS = re.compile(r"``*")


COMMENT_OPENER = re.compile(r"<!--")


def openers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of backticks and each <!-- in text, in order: where a code span or an HTML
    comment may open."""
    return sorted([run.span() for run in BACKTICKS.finditer(text)] + [m.span() for m in COMMENT_OPENER.finditer(text)])


BLANK_LINE = re.compile(r"\n[ \t]*(?=\n|\Z)")


class Closers:
    """Where the code spans and comments of a text end, for openers asked in order: each search goes on
    from where the last one stopped."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.runs: dict[tuple[int, int], list[int]] = {}  # (line, length) -> where such backtick runs start
        self.line, self.counted = 0, 0
        for run in BACKTICKS.finditer(text):
            self.runs.setdefault((self.line_at(run.start()), run.end() - run.start()), []).append(run.start())
        self.line, self.counted = 0, 0
        self.arrow = self.paragraph_end = -1

    def line_at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.counted, offset)
        self.counted = offset
        return self.line

    def code_span_end(self, start: int, end: int) -> int | None:
        """After the next run of as many backticks on the line as text[start:end]."""
        import bisect

        starts = self.runs.get((self.line_at(start), end - start), [])
        following = bisect.bisect_left(starts, end)
        return starts[following] + end - start if following < len(starts) else None

    def next_arrow(self, start: int) -> int:
        """The first --> at or after start; the text's length if there is none."""
        if self.arrow < start:
            found = self.text.find("-->", start)
            self.arrow = len(self.text) if found == -1 else found
        return self.arrow

    def block_comment_end(self, start: int) -> int:
        """The end of the line holding the first --> (which may close "<!-->"), or of the text."""
        arrow = self.next_arrow(start - 2)
        newline = self.text.find("\n", arrow)
        return len(self.text) if newline == -1 else newline

    def comment_end(self, start: int) -> int | None:
        """After the first --> in the paragraph of the comment at start; None if there is none."""
        arrow = self.next_arrow(start + 2)
        if self.paragraph_end < start:
            blank_line = BLANK_LINE.search(self.text, start)
            self.paragraph_end = blank_line.start() if blank_line else len(self.text)
        return arrow + 3 if arrow < self.paragraph_end else None


FENCE = re.compile(r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})")


def blank_fenced_code(text: str) -> str:
    """text with its fenced code blocks turned into spaces. A fence inside an HTML comment block is text
    of the comment, which blank_code_spans_and_comments() blanks whole."""
    lines = text.split("\n")
    fence, in_comment = "", False
    for number, line in enumerate(lines):
        if in_comment:
            in_comment = "-->" not in line
            continue
        match = FENCE.match(line)
        if not fence:
            if match:
                fence = match["fence"]
                lines[number] = " " * len(line)
            elif line.lstrip(" \t").startswith("<!--"):  # a comment block, to the line holding -->
                in_comment = "-->" not in line[line.index("<!--") + 2 :]  # "<!-->" closes itself
        else:
            closing = match is not None and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)
            if match is not None and closing and not line[match.end() :].strip():
                fence = ""
            lines[number] = " " * len(line)
    return "\n".join(lines)


# A backslash escape, or the decimal character reference the tool writes for trailing punctuation.
MARKDOWN_ESCAPE = re.compile(r"\\(?P<escaped>[!-/:-@\[-`{-~])|&#(?P<code>[0-9]{1,7});")


def plain_text(markdown: str) -> str:
    """Markdown text with its backslash escapes and decimal character references resolved, for the
    terminal and JSON."""
    return MARKDOWN_ESCAPE.sub(unescaped, markdown) if "\\" in markdown or "&#" in markdown else markdown


def unescaped(match: re.Match[str]) -> str:
    if match["escaped"] is not None:
        return match["escaped"]
    code = int(match["code"])
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else match[0]


# The name is what follows, its closing #s taken off by heading_text(): one pass, whatever the line holds.
SECTION_HEADING = re.compile(r"\n##[ \t]+(?P<name>.*)")  # after a newline: see BACKTICKS


def sections(document: Document) -> list[tuple[str, int]]:
    """The "## " headings outside code and comments: (name, offset of the heading line)."""
    text = "\n" + document.prose  # the newline before each heading stands where the heading is in prose
    return [(heading_text(m["name"]), m.start()) for m in SECTION_HEADING.finditer(text)]


def heading_text(text: str) -> str:
    """A heading's text without its closing sequence: trailing blanks, and #s after a blank ("Name ##" is
    "Name", "C#" stays "C#")."""
    if not text.endswith(("#", " ", "\t")):
        return text
    text = text.rstrip(" \t")
    bare = text.rstrip("#")
    return bare.rstrip(" \t") if bare != text and (not bare or bare[-1] in " \t") else text


def section_span(document: Document, name: str) -> tuple[int, int] | None:
    """The offsets of section name: from its heading line to the next "## " heading."""
    headings = sections(document)
    for number, (heading, start) in enumerate(headings):
        if heading == name:
            end = headings[number + 1][1] if number + 1 < len(headings) else len(document.text)
            return start, end
    return None


def required_section(document: Document, name: str) -> tuple[int, int]:
    span = section_span(document, name)
    if span is None:
        raise document.error(
            document.last_line(), f'no "## {name}" section; put it back, the tool writes there'
        )
    return span


# [text](target "title"), target possibly in <>; images too, since "![" contains "[". No part may run past
# the next bracket, < or parenthesis that could begin another link: each scan is short, so a line of
# 20,000 "[" costs 20,000 steps, not 200 million. The blanks before the destination are taken whole, (?![ \t]),
# so that the title's and the closing blanks never compete for them. The "[" comes before the look back at
# the backslash that would escape it: see BACKTICKS.
LINK = re.compile(
    r"\[(?<!\\\[)[^\[\]\\\n]*(?:\\.[^\[\]\\\n]*)*\]\([ \t]*(?![ \t])"
    r"(?:<(?P<angled>[^<>\n]*)>|(?P<bare>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
)

REFERENCE_DEFINITION = re.compile(
    r"^[ ]{0,3}\[(?P<label>(?:[^\]\\\n]|\\.)+)\]:[ \t]*(?:<(?P<angled>[^>\n]*)>|(?P<bare>\S+))",
    re.MULTILINE,
)


def links(document: Document, start: int = 0, end: int | None = None) -> list[tuple[str, int]]:
    """(target, offset) of every link and reference definition, outside code and comments."""
    text = document.prose
    end = len(text) if end is None else end
    matches = matches_on_lines(LINK, "](", text, start, end)
    matches += matches_on_lines(REFERENCE_DEFINITION, "]:", text, start, end)
    return [(match[target_group(match)], match.start()) for match in matches]


def matches_on_lines(pattern: re.Pattern[str], mark: str, text: str, start: int, end: int) -> list[re.Match[str]]:
    """The matches of pattern in text[start:end], whose every match lies on one line and holds mark, found on
    the lines that hold mark alone: str.find skips the rest many times faster than the pattern's scan."""
    found: list[re.Match[str]] = []
    at = text.find(mark, start, end)
    while at >= 0:
        line_start, line_end = max(start, text.rfind("\n", 0, at) + 1), text.find("\n", at, end)
        line_end = end if line_end < 0 else line_end
        found += pattern.finditer(text, line_start, line_end)
        at = text.find(mark, line_end, end)
    return found


def target_group(link: re.Match[str]) -> str:
    """The group of a LINK or REFERENCE_DEFINITION match that holds its target: <angled> or bare."""
    return "angled" if link["angled"] is not None else "bare"


URL_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:|//")  # from a run's start only

ANCHOR_OR_QUERY = re.compile(r"[#?]")


def local_path(target: str) -> str | None:
    """The file a link points to, when it points into the repository; None for URLs and anchors."""
    target = target.strip()
    if not target or target.startswith("#") or URL_SCHEME.match(target):
        return None
    path = ANCHOR_OR_QUERY.split(target, maxsplit=1)[0]
    if "%" in path:
        from urllib.parse import unquote

        path = unquote(path)
    return path or None


def linked_file(document: Document, root: Path, target: str) -> str | None:
    """The normalized file system path a link's target leads to, from the document's folder (from the root
    for a target starting with /); None for a URL or an anchor."""
    return file_of_link(document.folder, os.fspath(root), target)


def linked_files(document: Document, root: Path, start: int = 0, end: int | None = None) -> list[str]:
    """The linked_file of each link in document[start:end] that leads to a file."""
    files = (linked_file(document, root, target) for target, _ in links(document, start, end))
    return [file for file in files if file is not None]


@functools.lru_cache(maxsize=4096)  # the documents of a folder link the same few files
def file_of_link(folder: str, root: str, target: str) -> str | None:
    path = local_path(target)
    if path is None:
        return None
    return os.path.normcase(os.path.normpath(os.path.join(root if path.startswith("/") else folder, path.lstrip("/"))))


def links_to(document: Document, root: Path, target: Path, start: int = 0, end: int | None = None) -> bool:
    wanted = os.path.normcase(os.path.normpath(target))
    return any(linked_file(document, root, link) == wanted for link, _ in links(document, start, end))


# Bracketed text that is no link, no checkbox, no escaped bracket: what the team still has to fill in.
# A nested [bracket] reads escapes as the outer text does, so that no scan runs past an open bracket.
PLACEHOLDER = re.compile(r"\[(?<![\\!\]]\[)(?P<text>(?:[^\[\]\\\n]|\\.|\[(?:[^\[\]\\\n]|\\.)*\])+)\](?![(\[])")

CHECKBOX = re.compile(r"[ xX]")


def placeholders(document: Document) -> list[tuple[str, int]]:
    """Bracketed text still to be filled in: (text, line), links, checkboxes and code left out."""
    text = document.prose
    labels = {m["label"].lower() for m in matches_on_lines(REFERENCE_DEFINITION, "]:", text, 0, len(text))}
    found = []
    for match in PLACEHOLDER.finditer(text):
        inner = match["text"]
        at_line_start = match.start() == 0 or text[match.start() - 1] == "\n"
        if (
            CHECKBOX.fullmatch(inner)
            or inner[0] in "^!"
            or inner.lower() in labels
            or (at_line_start and text.startswith(":", match.end()))
        ):
            continue
        found.append((inner, document.line_of(match.start())))
    return found


# ---- Markdown writing ----------------------------------------------------------------------------


MARKDOWN_SPECIALS = re.compile(r"([\\*_`\[\]<|&])")


def markdown_text(value: str) -> str:
    """value escaped so Markdown shows it as typed: the same escaping as the template's answers
    (templates/markdown.jinja), a trailing # included, which would otherwise close a heading."""
    escaped = MARKDOWN_SPECIALS.sub(r"\\\1", value)
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped


HEADING_END_PUNCTUATION = ".,;:!\u3002\uff0c\uff1b\uff1a\uff01"  # what markdownlint's MD026 flags

NON_DESCRIPTIVE_LINK_TEXTS = ("click here", "here", "link", "more")  # markdownlint's MD059

# What GitHub and markdownlint (MD034) would turn into a link: an e-mail address, a URL, www. addresses.
AUTOLINK_MARK = re.compile(r"@|:(?=//)|(?<=[wW]{3})\.")


def markdown_value(value: str, heading: bool = False) -> str:
    """A title, owner or priority as the tool writes it: escaped like markdown_text(), with no bare URL or
    e-mail address (its @, :// or www. escaped), and, when it ends a heading, its trailing punctuation
    written as a character reference (markdownlint's MD026 flags a heading ending in . , ; : !)."""
    escaped = AUTOLINK_MARK.sub(r"\\\g<0>", markdown_text(value))
    if heading and escaped.endswith(tuple(HEADING_END_PUNCTUATION)):
        escaped = f"{escaped[:-1]}&#{ord(escaped[-1])};"
    return escaped


UNESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")


def inline_title(title: str) -> str:
    """A spec's title for a line of another document: every bracket escaped, so that a hand-written
    "[WIP] Fix" is neither a placeholder nor the end of a link's text."""
    return UNESCAPED_BRACKET.sub(r"\1\\\2", title) if "[" in title or "]" in title else title


WORD = re.compile(r"[^\W_]+")  # letters and digits


def link_text(title: str) -> str:
    """A spec's title as the text of a link to it; a title that reads "here", "more", "link" or
    "click here" gets its first letter as a character reference, which markdownlint's MD059 reads as
    descriptive and every renderer shows as the letter."""
    text = inline_title(title)
    words = " ".join(WORD.findall(plain_text(text))).lower()
    first = WORD.search(text)
    if words not in NON_DESCRIPTIVE_LINK_TEXTS or first is None:
        return text
    return f"{text[: first.start()]}&#{ord(text[first.start()])};{text[first.start() + 1 :]}"


UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def table_cell(markdown: str) -> str:
    """Markdown text safe inside a table cell: every | escaped."""
    return UNESCAPED_PIPE.sub(r"\1\\|", markdown) if "|" in markdown else markdown


PERCENT_ENCODED = re.compile(r"[%#?<>]")

ANGLED = re.compile(r"[\s()]")  # what a destination holds only in <>


def link_target(path: str) -> str:
    """A relative path as a Markdown link destination: %, #, ?, < and > percent-encoded (a # or ? would
    start an anchor or a query), in <> if it holds a blank or a parenthesis."""
    path = PERCENT_ENCODED.sub(lambda match: f"%{ord(match[0]):02X}", path)
    return f"<{path}>" if ANGLED.search(path) else path


SLUG_LENGTH, SLUG_BYTES = 60, 120  # with architecture-, .md and a temporary file's affixes, far below 255 bytes


# ---- Documents and files -------------------------------------------------------------------------


LOCK_SECONDS = 30

WINDOWS_LOCK_FILE = ".spec.lock"


@contextlib.contextmanager
def repository_lock(root: Path, exclusive: bool) -> Iterator[None]:
    """Hold the repository's lock while a command reads and writes its documents.

    Coding agents run commands in parallel: without the lock, two read-modify-writes of the same
    document would each write their own version and one update would be lost. Commands that only
    read share the lock, so that they never see half of another command's writes.
    """
    if sys.platform == "win32":
        if not exclusive:  # Windows locks are exclusive only; a reader goes ahead
            yield
            return
        import msvcrt

        descriptor = os.open(root / WINDOWS_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)

        def take() -> None:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)

    else:
        import fcntl

        descriptor = os.open(root, os.O_RDONLY)  # a folder can be locked even on a read-only checkout

        def take() -> None:
            fcntl.flock(descriptor, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)

    try:
        wait_for_lock(take, root)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def wait_for_lock(take: Callable[[], None], root: Path) -> None:
    import time

    deadline = time.monotonic() + LOCK_SECONDS
    while True:
        try:
            take()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SpecError(
                    f"another tools/spec.py command has been changing {shown(root)} for over {LOCK_SECONDS} s; "
                    "try again once it has finished"
                ) from None
            time.sleep(0.02)


def write_documents(documents: list[Document]) -> None:
    """Replace each document's file with its text, all or nothing.

    Every new text goes to a temporary file beside the file it replaces, with that file's mode and
    owner; only once all are written are they renamed over their files. Should a rename fail, the
    files already replaced get their old bytes back. A document that is a symbolic link is written
    through: the file it points to gets the new text and the link stays.
    A failure is an error about the document, whichever file the system named; no temporary file stays.
    """
    staged: list[tuple[Path, str]] = []
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for document in documents:
            target = document.path.resolve() if document.path.is_symlink() else document.path
            with failure_named(document.path):
                staged.append((target, write_temporary(target, document.text)))
        for document, (target, temporary) in zip(documents, staged, strict=True):
            with failure_named(document.path):
                before = target.read_bytes() if target.exists() else None
                (create_exclusively if document.new else os.replace)(temporary, target)
            replaced.append((target, before))
    except BaseException:
        for _, temporary in staged:
            discard(temporary)
        restore(replaced)
        raise


def create_exclusively(temporary: str, target: Path) -> None:
    """Move temporary to target, which must not exist: of two commands creating the same file at once,
    whatever makes them (the lock, for one, is advisory), one creates it and the other gets an error."""
    try:
        try:
            os.link(temporary, target)  # an exclusive create that comes with the whole text
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: reserve the name, then fill it
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)))
            os.replace(temporary, target)
            return
    except FileExistsError:
        raise SpecError("already exists, created meanwhile; edit it, or choose another title", target) from None
    os.unlink(temporary)


@contextlib.contextmanager
def failure_named(path: Path) -> Iterator[None]:
    """An OSError inside becomes an error about path, whichever file the system named."""
    try:
        yield
    except OSError as error:
        raise SpecError(f"cannot be written: {error.strerror or error}", path) from None


def write_temporary(target: Path, text: str) -> str:
    """A temporary file beside target holding text with LF line endings, target's mode and owner."""
    import tempfile  # only commands that write pay for the import

    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temporary, file_mode(target))
        keep_owner(temporary, target)
    except BaseException:
        discard(temporary)
        raise
    return temporary


def keep_owner(temporary: str, target: Path) -> None:
    """Run as root (sudo, a container), give the file the owner target has, or for a new file its
    folder's: a team's documents must not end up owned by root."""
    if sys.platform == "win32" or os.geteuid() != 0:
        return
    model = target if target.exists() else target.parent
    status = model.stat()
    os.chown(temporary, status.st_uid, status.st_gid)


def restore(replaced: list[tuple[Path, bytes | None]]) -> None:
    """Put back the old bytes of files a failed transaction already replaced (a new file goes)."""
    for target, before in reversed(replaced):
        try:
            if before is None:
                target.unlink()
            else:
                temporary = write_temporary(target, "")
                Path(temporary).write_bytes(before)
                os.replace(temporary, target)
        except OSError:
            pass


def write_atomic(path: Path, text: str) -> None:
    """Write one document atomically (see write_documents)."""
    write_documents([Document(path, text)])


def discard(temporary: str) -> None:
    """Delete a temporary file, quietly: a failure here must not hide the error that led here.

    It may be read-only, copied from the document's mode; Windows deletes no read-only file.
    """
    try:
        os.chmod(temporary, stat.S_IREAD | stat.S_IWRITE)
        os.unlink(temporary)
    except OSError:
        pass


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
    document = read_document(path)
    return write_if_changed(document, stamp_dates(document.text, date))


def shown(path: Path) -> str:
    """path as the user should see it: relative to the current folder, with forward slashes."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


class Document:
    """The text of a Markdown file, and the views of it the tool reads."""

    def __init__(self, path: Path, text: str, new: bool = False) -> None:
        self.path = path
        self.text = text
        self.new = new  # a file that must not exist yet: written by an exclusive create
        self._prose: str | None = None
        self._counted = (0, 1)  # (offset, its line): line_of counts on from there
        self._folder: str | None = None

    @property
    def folder(self) -> str:
        """The folder of the document, which its relative links start from."""
        if self._folder is None:
            self._folder = os.path.dirname(self.path)
        return self._folder

    @property
    def prose(self) -> str:
        """The text with code, HTML comments and code spans blanked: offsets stay the same."""
        if self._prose is None:
            self._prose = prose(self.text)
        return self._prose

    def line_of(self, offset: int) -> int:
        """The line offset is on; offsets asked for in order cost one pass over the text in all."""
        start, line = self._counted
        if start > offset:
            start, line = 0, 1
        line += self.text.count("\n", start, offset)
        self._counted = offset, line
        return line

    def last_line(self) -> int:
        return self.line_of(len(self.text.rstrip("\n")))

    def error(self, line: int, message: str) -> SpecError:
        return SpecError(message, self.path, line)


def read_document(path: Path) -> Document:
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        raise SpecError("no such file", path) from None
    except OSError as error:
        raise SpecError(f"cannot be read: {error.strerror or error}", path) from None
    text = decode(path, data)
    if not (path.name == "README.md" and path.parent.name == "specs"):  # index rewrites a conflicted index
        refuse_unmerged(path, text)
    return Document(path, text)


# A line git writes into a file whose changes it could not merge: "<<<<<<< HEAD", ">>>>>>> branch".
CONFLICT_MARKER = re.compile(r"^(?:<<<<<<<|>>>>>>>)(?: |$)", re.MULTILINE)


def refuse_unmerged(path: Path, text: str) -> None:
    """A document git left half-merged is no record to read or write (a marker in a code block is text)."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return
    marker = CONFLICT_MARKER.search(blank_fenced_code(text))
    if marker is not None:
        raise SpecError(
            "git left a merge conflict here; resolve it first, keeping the entries of both sides, then run "
            "python tools/spec.py renumber if two decisions share a number",
            path,
            text.count("\n", 0, marker.start()) + 1,
        )


READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)  # never wait on a FIFO


def read_regular_file(path: Path) -> bytes:
    """The bytes of path; a FIFO, a device or a folder is refused at once, never waited on."""
    descriptor = os.open(path, READ_FLAGS)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise SpecError("is not a regular file (a FIFO, a device or a folder); only files are read", path)
        chunks: list[bytes] = []
        while chunk := os.read(descriptor, status.st_size + 1 if not chunks else 1 << 16):  # on if it grew
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def decode(path: Path, data: bytes) -> str:
    """The text of a document: UTF-8 without a byte order mark, with LF line endings."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise SpecError("starts with a byte order mark (BOM); save the file as UTF-8 without BOM", path, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"is not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        raise SpecError(message, path, line) from None
    carriage_return = text.find("\r")
    if carriage_return >= 0:
        ending = (
            "Windows (CRLF) line endings"
            if text.startswith("\r\n", carriage_return)
            else "a carriage return (CR)"
        )
        line = text.count("\n", 0, carriage_return) + 1
        raise SpecError(f"has {ending}; save the file with LF line endings", path, line)
    return text


def save(root: Path, changed_specs: list[Document], other_documents: list[Document] | None = None) -> None:
    """Write the changed documents and specs and specs/README.md with its index refreshed, all or nothing.

    Every changed spec is parsed before the first write: a malformed one stops the command with all
    files as they were. Another spec that cannot be read is left out of the index (check reports it).
    """
    specs, _ = read_specs(root, {document.path: document for document in changed_specs})
    readme = read_document(root / SPECS_README)
    index = with_index(readme, specs)
    documents = [*(other_documents or []), *changed_specs]
    if index != readme.text:
        documents.append(Document(readme.path, index))
    write_documents(documents)


def write_if_changed(document: Document, text: str) -> bool:
    if text == document.text:
        return False
    write_atomic(document.path, text)
    return True


# ---- Metadata and dates --------------------------------------------------------------------------


def today(date: str | None = None) -> str:
    """The date to stamp: --date if given, else SOURCE_DATE_EPOCH if set, else the local date."""
    if date is not None:
        return parse_date(date).strftime(DATE_FORMAT)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise SpecError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970", exit_status=2
            ) from None
        return moment.strftime(DATE_FORMAT)
    return dt.date.today().strftime(DATE_FORMAT)


def latest_date(stamping: str | None = None) -> str:
    """The latest date that is not in the future: the date a clock shows now in UTC+14, the time zone
    furthest ahead, or stamping (SOURCE_DATE_EPOCH or --date set ahead) when that is later."""
    anywhere = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=14)).strftime(DATE_FORMAT)
    return max(anywhere, stamping) if stamping else anywhere


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str) -> dt.date:
    """A real calendar date written YYYY-MM-DD; ValueError otherwise."""
    if not ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    return dt.date.fromisoformat(value)


@functools.lru_cache(maxsize=1024)  # check asks about the same few dates of thousands of specs
def is_date(value: str) -> bool:
    try:
        parse_date(value)
    except ValueError:
        return False
    return True


def header_end(text: str) -> int:
    """Where the metadata block ends: at the first "## " section heading."""
    if text.startswith("## "):
        return 0
    found = text.find("\n## ")
    return found + 1 if found >= 0 else len(text)


# An entry that asks to be dated: "**Date**: [YYYY-MM-DD]" or "- **[YYYY-MM-DD]**: ...".
DATE_PLACEHOLDER_ENTRY = re.compile(
    r"^(?P<prefix>\*\*[^*\n]+(?:\*\*:|:\*\*)[ \t]*|[ \t]*- \*\*)" + re.escape(DATE_PLACEHOLDER),
    re.MULTILINE,
)


def stamp_dates(text: str, date: str) -> str:
    """Stamp a document with date.

    Last Updated in the metadata block gets the date whatever it held; every entry still
    dated [YYYY-MM-DD] (a "**Date**:" field, a "- **[YYYY-MM-DD]**:" history line) gets it
    too, unless it is inside code or a comment. Everything else, the template footer's own
    Last Updated included, is left alone.
    """
    stamped = set_field(text, "Last Updated", date)
    if DATE_PLACEHOLDER not in stamped:
        return stamped
    masked = prose(stamped)  # the same offsets, code and comments blanked
    pieces, done = [], 0
    for entry in DATE_PLACEHOLDER_ENTRY.finditer(masked):
        if stamped[entry.start() : entry.end()] != entry[0]:
            continue  # it begins where code or a comment was blanked
        pieces += [stamped[done : entry.end() - len(DATE_PLACEHOLDER)], date]
        done = entry.end()
    return "".join(pieces) + stamped[done:]


class Field:
    """One "**Key**: value" line of a metadata block, at offset in document."""

    def __init__(self, key: str, value: str, document: Document, offset: int) -> None:
        self.key, self.value = key, value
        self.document, self.offset = document, offset

    @property
    def line(self) -> int:  # counted only for a message: most fields are never reported
        return self.document.line_of(self.offset)


def metadata(document: Document) -> dict[str, list[Field]]:
    """The fields of the metadata block (the lines before the first "## " heading), by key."""
    fields: dict[str, list[Field]] = {}
    for match in field_lines(document.text, lambda: document.prose):
        key = match["key"]
        fields.setdefault(key, []).append(Field(key, match["value"].strip(), document, match.start()))
    return fields


def one_field(document: Document, fields: dict[str, list[Field]], key: str) -> Field:
    """The one field called key; missing or doubled is an error."""
    found = fields.get(key)
    if not found:
        after = max((f.line for same in fields.values() for f in same), default=0)
        raise document.error(
            after + 1,
            f'no **{key}** field in the metadata block; add a line "**{key}**: ..." '
            "before the first ## heading",
        )
    if len(found) > 1:
        raise document.error(
            found[1].line, f"**{key}** appears twice in the metadata block (also line {found[0].line})"
        )
    return found[0]


def set_field(text: str, key: str, value: str) -> str:
    """text with the value of the metadata field key replaced (every occurrence, usually one)."""
    pieces, done = [], 0
    for match in field_lines(text):
        if match["key"] == key:
            pieces += [text[done : match.start()], f"**{key}**: {value}"]
            done = match.end()
    return "".join(pieces) + text[done:]


# "**Key**: value", the metadata line of architecture.md and of every spec; "**Key:** value" reads the same.
FIELD_LINE = re.compile(r"^\*\*(?P<key>[^*\n]+?)(?:\*\*:|:\*\*)[ \t]*(?P<value>.*)$", re.MULTILINE)


def field_lines(text: str, masked: Callable[[], str] | None = None) -> list[re.Match[str]]:
    """The "**Key**: value" lines of the metadata block, matched in text; a line in code or a comment
    (an example of the format) is none. masked gives prose(text) if it is known already."""
    end = header_end(text)
    header = text[:end]
    if "`" not in header and "~~~" not in header and "<!--" not in header:
        return list(FIELD_LINE.finditer(text, 0, end))
    shown_text = masked() if masked is not None else prose(text)
    in_prose = FIELD_LINE.finditer(shown_text, 0, header_end(shown_text))
    found = (FIELD_LINE.match(text, match.start()) for match in in_prose)
    return [match for match in found if match is not None]


# ---- Specs ---------------------------------------------------------------------------------------


def slugify(title: str) -> str:
    """The file name a title gives: its words lowercase, joined by '-'. A word is letters, digits and the
    marks on them, in any script; accents on Latin letters are dropped. The title is read in NFC, so the
    same title typed composed or decomposed gives one name. At most SLUG_LENGTH characters and SLUG_BYTES
    bytes of UTF-8, cut after a whole word where there is one."""
    import unicodedata

    def unaccented(character: str) -> str:
        base = "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))
        return base.lower() if base.isascii() and base.isalnum() else character  # é -> e, but ド stays ド

    pieces = ["-"]
    for character in unicodedata.normalize("NFC", title).lower():
        if unicodedata.category(character)[0] == "M":  # a mark: part of its letter, unless that is Latin
            if not pieces[-1].isascii():
                pieces.append(character)
        elif character.isalnum():
            pieces.append(unaccented(character))
        elif pieces[-1] != "-":
            pieces.append("-")
    return shortened("".join(pieces).strip("-"))


def shortened(slug: str) -> str:
    """slug cut to the whole words that fit SLUG_LENGTH characters and SLUG_BYTES bytes; a first word
    longer than that is cut."""
    fits, size = 0, 0
    for character in slug[:SLUG_LENGTH]:
        size += len(character.encode("utf-8", "surrogatepass"))
        if size > SLUG_BYTES:
            break
        fits += 1
    if len(slug) <= fits:
        return slug
    cut = slug.rfind("-", 0, fits + 1)
    return slug[:cut] if cut > 0 else slug[:fits]


class Spec:
    """A spec in specs/features/: its document, metadata fields and title."""

    def __init__(self, document: Document, fields: dict[str, Field], title: str) -> None:
        self.document = document
        self.fields = fields
        self.title = title  # Markdown, as written after "# Spec: "
        self.slug = document.path.stem
        self.is_architecture = self.slug.lower().startswith(ARCHITECTURE_PREFIX)
        self.key = path_key(document.path)  # what links to the spec resolve to

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def name(self) -> str:
        """The spec's path under specs/features/ without .md: its slug, after its folder if it has one."""
        parts = self.path.parts
        if parts[-3:-1] == ("specs", "features"):  # most specs
            return self.path.name.removesuffix(".md")
        for end in range(len(parts) - 2, 0, -1):
            if parts[end - 1 : end + 1] == ("specs", "features"):
                return posixpath.join(*parts[end + 1 :]).removesuffix(".md")
        return self.slug

    @property
    def kind(self) -> str:
        return "Architecture" if self.is_architecture else "Feature"

    def value(self, key: str) -> str:
        return self.fields[key].value


TITLE_LINE = re.compile(r"^# (?P<title>.*)$", re.MULTILINE)


def parse_spec(document: Document) -> Spec:
    """The spec in document; an error if its title or one of its metadata fields is missing or doubled."""
    title = TITLE_LINE.search(document.text, 0, header_end(document.text))
    if title is None:
        raise document.error(1, 'no title line "# Spec: Title" before the first ## heading')
    text = title["title"].strip().removeprefix("Spec:").strip()
    if not text:
        raise document.error(document.line_of(title.start()), "the title is empty")
    fields = metadata(document)
    chosen = {key: one_field(document, fields, key) for key in SPEC_FIELDS}
    return Spec(document, chosen, text)


def spec_paths(root: Path) -> list[Path]:
    """Every Markdown file in specs/features/ and its folders, hidden ones left out, in the order of paths."""
    found, folders = [], [os.fspath(root / FEATURES)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:  # gone, or not to be read: as os.walk, go on without it
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                if not entry.is_symlink():
                    folders.append(entry.path)
            elif entry.name.endswith(".md") and entry.is_file():
                found.append(entry.path)
    found.sort(key=lambda path: os.path.normcase(path).split(os.sep))  # as Path objects sort, without making them
    return [Path(path) for path in found]


def read_specs(root: Path, changed: dict[Path, Document] | None = None) -> tuple[list[Spec], list[SpecError]]:
    """Every readable spec, changed documents in place of the files, and an error for each unreadable one.

    A changed document that does not parse is an error raised at once: it is about to be written.
    """
    changed = changed or {}
    specs, errors = [], []
    for path in sorted({*spec_paths(root), *changed}):
        if path in changed:
            specs.append(parse_spec(changed[path]))
            continue
        try:
            specs.append(parse_spec(read_document(path)))
        except SpecError as error:
            errors.append(error)
    return specs, errors


def find_spec(root: Path, name: str) -> Spec:
    """The spec a user means by name: a slug (architecture- may be left out), a file name or a path.

    A path, a file name or a slug names its own file first; a short name that could mean x.md as
    well as architecture-x.md is an error.
    """
    paths = spec_paths(root)
    is_path = bool(re.search(r"[/\\]", name))
    if is_path:
        return parse_spec(read_document(spec_at(root, name, paths)))
    by_name: dict[str, list[Path]] = {}
    for path in paths:  # file names are matched regardless of case, as Windows and macOS do
        by_name.setdefault(path.name.lower(), []).append(path)
    stem = name.removesuffix(".md")
    own = by_name.get(f"{stem}.md".lower(), [])
    twin = by_name.get(f"{ARCHITECTURE_PREFIX}{stem}.md".lower(), [])
    is_short_name = stem == name and not stem.lower().startswith(ARCHITECTURE_PREFIX)
    found = own + twin if is_short_name else own or twin
    if len(found) > 1:
        raise SpecError(ambiguous_spec_message(name, root, found), exit_status=2)
    if found:
        return parse_spec(read_document(found[0]))
    raise SpecError(unknown_spec_message(stem, [path.stem for path in paths]), exit_status=2)


def spec_at(root: Path, name: str, paths: list[Path]) -> Path:
    """The spec a path names, from here, from the root or from specs/features/ (.md and the architecture-
    of its file name may be left out)."""
    known = {path.resolve(): path for path in paths}
    folder, _, last = name.replace("\\", "/").rpartition("/")
    names = [name, f"{name}.md", f"{folder}/{ARCHITECTURE_PREFIX}{last}", f"{folder}/{ARCHITECTURE_PREFIX}{last}.md"]
    bases = (Path.cwd(), root, root / FEATURES)
    located = [base / given for base in bases for given in names if (base / given).is_file()]
    if located:
        spec = known.get(located[0].resolve())
        if spec is None:
            raise SpecError(f"{name} is not a spec: specs live in {FEATURES}/", exit_status=2)
        return spec
    stem = re.sub(r"\.md$", "", re.split(r"[/\\]", name)[-1])
    raise SpecError(unknown_spec_message(stem, [path.stem for path in paths]), exit_status=2)


def ambiguous_spec_message(name: str, root: Path, found: list[Path]) -> str:
    by_file_name = len({path.name.lower() for path in found}) == len(found)
    names = [path.name if by_file_name else path.relative_to(root).as_posix() for path in found]
    count = "two" if len(names) == 2 else str(len(names))
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f'"{name}" names {count} specs, {listed}; say which by its {"file name" if by_file_name else "path"}'


def twin_slug(slug: str) -> str | None:
    """The slug a short name shares with slug: x for architecture-x, architecture-x for x."""
    short = slug.removeprefix(ARCHITECTURE_PREFIX)
    if short.startswith(ARCHITECTURE_PREFIX):
        return None  # architecture-architecture-x: its short name is the full slug of the other
    return ARCHITECTURE_PREFIX + slug if short == slug else short


def unknown_spec_message(name: str, slugs: list[str]) -> str:
    import difflib

    bare = {slug.removeprefix(ARCHITECTURE_PREFIX): slug for slug in slugs}
    close = difflib.get_close_matches(name.lower(), slugs, n=5, cutoff=0.6)
    close += [bare[b] for b in difflib.get_close_matches(name.lower(), list(bare), n=5, cutoff=0.6)]
    close += [slug for slug in slugs if name and name.lower() in slug]
    close = list(dict.fromkeys(close))[:5]
    message = f'no spec "{name}" in {FEATURES}/'
    if close:
        return f"{message}; close matches: {', '.join(close)}"
    return f"{message}; 'python tools/spec.py list' shows them all"


def check_spec(
    spec: Spec, required: list[str], root: Path, latest: str, exists: dict[str, bool]
) -> list[SpecError]:
    """What is wrong with a well-formed spec: values, dates (none after latest), sections, links."""
    document = spec.document
    problems = []
    status = spec.fields["Status"]
    if status.value not in STATUSES:
        problems.append(
            document.error(status.line, f'Status "{status.value}" is not one of {", ".join(STATUSES)}')
        )
    created, last_updated = spec.fields["Created"], spec.fields["Last Updated"]
    for field in (created, last_updated):
        problems += check_date(document, field, latest)
    if is_date(created.value) and is_date(last_updated.value) and last_updated.value < created.value:
        problems.append(
            document.error(
                last_updated.line,
                f"Last Updated {last_updated.value} is earlier than Created {created.value} "
                f"(line {created.line})",
            )
        )
    superseded_by = spec.fields["Superseded by"]
    if status.value == "Superseded" and is_none(superseded_by.value):
        problems.append(
            document.error(
                superseded_by.line,
                "Status is Superseded but **Superseded by** names no spec; use the supersede command",
            )
        )
    problems += missing_sections(document, required)
    problems += unclosed_comment(document)
    problems += broken_links(document, root, exists)
    return problems


def check_date(document: Document, field: Field, latest: str) -> list[SpecError]:
    if not is_date(field.value):
        return [
            document.error(field.line, f'{field.key} "{field.value}" is not a real date written YYYY-MM-DD')
        ]
    if field.value > latest:
        return [document.error(field.line, f"{field.key} {field.value} {in_the_future(latest)}")]
    return []


def in_the_future(latest: str) -> str:
    return f"is in the future: the date is at most {latest} anywhere on Earth"


def missing_sections(document: Document, required: list[str]) -> list[SpecError]:
    present = dict(sections(document))
    if present.keys() >= set(required):
        return []
    problems = []
    for number, name in enumerate(required):
        if name in present:
            continue
        following = [present[later] for later in required[number + 1 :] if later in present]
        line = document.line_of(following[0]) if following else document.last_line()
        problems.append(
            document.error(line, f'missing section "## {name}" (every spec has the sections of {TEMPLATE})')
        )
    return problems


COMMENT_LINE = re.compile(r"\n[ \t]*<!--")  # after a newline: see BACKTICKS


def unclosed_comment(document: Document) -> list[SpecError]:
    """An error for an HTML comment that starts a line and is never closed: Markdown hides everything
    after it, from readers and from check alike."""
    if document.prose is document.text:  # no code, no comment: prose() had nothing to blank
        return []
    if "<!--" not in document.text:
        return []
    text = blank_fenced_code(document.text) if "```" in document.text or "~~~" in document.text else document.text
    last_arrow = text.rfind("-->")
    for opener in COMMENT_LINE.finditer("\n" + text):  # its newline stands where the line is in text
        if last_arrow < opener.end() - 3:
            return [
                document.error(
                    document.line_of(opener.start()),
                    "this HTML comment is never closed, so everything after it is hidden; close it with -->",
                )
            ]
    return []


BRACKETED = re.compile(r"\[[^\]]*\]")


def is_none(value: str) -> bool:
    return value.strip().lower() in NONE_VALUES or bool(BRACKETED.fullmatch(value.strip()))


def template_sections(root: Path) -> list[str]:
    return [name for name, _ in sections(read_document(root / TEMPLATE))]


# ---- The index: table and map --------------------------------------------------------------------


def index_body(specs: list[Spec]) -> str:
    """What goes between the index markers: a blank line, the table (or "No specs yet."), a blank line."""
    if not specs:
        return f"\n{NO_SPECS}\n\n"
    rows = ["| Spec | Type | Status | Owner | Last Updated |", "| --- | --- | --- | --- | --- |"]
    for spec in specs:
        name = spec.name
        target, folder = link_target(f"features/{name}.md"), name.rpartition("/")[0]
        cells = [
            f"[{link_text(spec.title)}]({target})" + (f" ({markdown_text(folder)}/)" if folder else ""),
            spec.kind,
            *map(spec.value, ("Status", "Owner", "Last Updated")),
        ]
        rows.append("| " + " | ".join(map(table_cell, cells)) + " |")
    return "\n" + spec_map(specs) + "\n".join(rows) + "\n\n"


# The map above the index: a Mermaid flowchart, one column (subgraph) per status, an arrow from each spec
# to the one it supersedes. Past MAP_LIMIT specs it shows only the open ones, and no map past MAP_LIMIT
# open specs: a column of more boxes is no longer read at a glance.
MAP_LIMIT = 50

OPEN_STATUSES = ("Draft", "Planned", "In Progress")

MAP_TITLE_LENGTH = 80  # longer titles are cut: 50 labels stay far below Mermaid's 50,000-character limit


def spec_map(specs: list[Spec]) -> str:
    """The Mermaid map of the specs and a blank line, with a line saying what it leaves out, if anything."""
    shown = specs if len(specs) <= MAP_LIMIT else [s for s in specs if s.value("Status") in OPEN_STATUSES]
    if not 0 < len(shown) <= MAP_LIMIT:
        return (
            f"No map: past {MAP_LIMIT} specs the map shows only the open ones (Draft, Planned, In Progress), "
            f"and {len(shown)} of the {len(specs)} specs are open. The table lists them all.\n\n"
        )
    note = (
        f"The map shows the {len(shown)} open specs (Draft, Planned, In Progress) of the {len(specs)}: "
        f"past {MAP_LIMIT} specs it leaves the others out. The table lists them all.\n\n"
        if len(shown) < len(specs)
        else ""
    )
    return "```mermaid\n" + "\n".join(map_lines(shown)) + "\n```\n\n" + note


def map_lines(specs: list[Spec]) -> list[str]:
    node = {spec.path: f"s{number}" for number, spec in enumerate(specs, 1)}
    statuses = list(dict.fromkeys([*STATUSES, *sorted(spec.value("Status") for spec in specs)]))
    lines = ["flowchart TB"]
    # Mermaid lays the last column out first: the statuses go in reverse, to read Draft to Rejected.
    for number, status in reversed(list(enumerate(statuses, 1))):
        column = [spec for spec in specs if spec.value("Status") == status]
        if column:
            lines.append(f'    subgraph status{number}["{mermaid_label(status)}"]')
            lines += [f'        {node[spec.path]}["{map_title(spec)}"]' for spec in column]
            if len(column) > 1:  # invisible links stack the column's boxes
                lines.append("        " + " ~~~ ".join(node[spec.path] for spec in column))
            lines.append("    end")
    lines += [f"    {node[newer]} -->|supersedes| {node[older]}" for newer, older in supersede_links(specs)]
    return lines


def map_title(spec: Spec) -> str:
    title = plain_text(spec.title)
    if len(title) > MAP_TITLE_LENGTH:
        title = title[: MAP_TITLE_LENGTH - 1].rstrip() + "\u2026"
    return mermaid_label(title)


MERMAID_UNSAFE = re.compile(r"[^\w .,:!?'/+=@-]")


def mermaid_label(text: str) -> str:
    """text safe inside a quoted Mermaid label: every character that could end or mean something there
    (quotes, brackets, #, <, backticks, Markdown) written as a Mermaid entity code, such as #35; for #."""
    return MERMAID_UNSAFE.sub(lambda match: f"#{ord(match[0])};", text)


def supersede_links(specs: list[Spec]) -> list[tuple[Path, Path]]:
    """(newer, older) for each supersede link between the specs, read from either spec's field, once each."""
    by_path = {os.path.normcase(os.path.normpath(spec.path)): spec.path for spec in specs}
    found: dict[tuple[Path, Path], None] = {}
    for spec in specs:
        for key in ("Supersedes", "Superseded by"):
            field = Document(spec.path, spec.value(key))
            for target, _ in links(field):
                path = local_path(target)
                if path is None or path.startswith("/"):
                    continue
                other = by_path.get(os.path.normcase(os.path.normpath(spec.path.parent / path)))
                if other is not None and other != spec.path:
                    found[(spec.path, other) if key == "Supersedes" else (other, spec.path)] = None
    return list(found)


INDEX_START = re.compile(r"^<!-- spec-index:start\b.*-->[ \t]*$", re.MULTILINE)

INDEX_END = re.compile(r"^<!-- spec-index:end\b.*-->[ \t]*$", re.MULTILINE)


def index_span(document: Document) -> tuple[int, int]:
    """Offsets of the text between the index marker lines (marker lines inside code do not count)."""
    text = (
        blank_fenced_code(document.text)
        if "```" in document.text or "~~~" in document.text
        else document.text
    )
    starts, ends = list(INDEX_START.finditer(text)), list(INDEX_END.finditer(text))
    for markers, name in ((starts, "start"), (ends, "end")):
        if not markers:
            raise document.error(
                document.last_line(), f"no <!-- spec-index:{name} --> marker line; put the index markers back"
            )
        if len(markers) > 1:
            raise document.error(
                document.line_of(markers[1].start()),
                f"a second <!-- spec-index:{name} --> marker "
                f"(the first is at line {document.line_of(markers[0].start())})",
            )
    start, end = starts[0].end() + 1, ends[0].start()
    if end < start:
        raise document.error(
            document.line_of(ends[0].start()), "<!-- spec-index:end --> comes before the start marker"
        )
    return start, end


def with_index(document: Document, specs: list[Spec]) -> str:
    start, end = index_span(document)
    return document.text[:start] + index_body(specs) + document.text[end:]


# ---- Close-out -----------------------------------------------------------------------------------


def close_out(architecture: Document, spec: Spec, root: Path, date: str) -> tuple[str, list[str]]:
    """architecture.md with the spec recorded, and what changed; nothing changes if it is already there."""
    target = f"{FEATURES}/{spec.name}.md"
    newest = newest_date(architecture, date)
    additions = [(HISTORY, add_history_entry)]
    if spec.is_architecture:
        additions.append((DECISIONS, add_decision))
    architecture, changes = changed_architecture(architecture, spec, root)
    for name, add in additions:
        span = required_section(architecture, name)
        if links_to(architecture, root, spec.path, *span):
            continue
        text, change = add(architecture, span, spec, target, date)
        added = Document(architecture.path, text)
        if not links_to(added, root, spec.path, *required_section(added, name)):
            raise unreadable_entry(architecture, span, name)
        architecture = added
        changes.append(change)
    if not changes:
        return architecture.text, changes
    return stamp_dates(architecture.text, newest), changes


def newest_date(architecture: Document, date: str) -> str:
    """The date to stamp architecture.md with: date, or its Last Updated if that is newer."""
    last_updated = one_field(architecture, metadata(architecture), "Last Updated").value
    return max(date, last_updated) if is_date(last_updated) else date


def unreadable_entry(architecture: Document, span: tuple[int, int], name: str, what: str = "the entry") -> SpecError:
    """What the tool cannot read back, it would add again next time: the refusal for an entry that would
    land where it cannot read it."""
    return architecture.error(
        architecture.line_of(span[0]),
        f'{what} would land inside a code block or comment in "## {name}"; close it first',
    )


def changed_architecture(architecture: Document, spec: Spec, root: Path) -> tuple[Document, list[str]]:
    """architecture.md with the spec's Architecture Changes applied, and what they changed; applied
    once, with the history entry: a spec already in the history has had them."""
    if links_to(architecture, root, spec.path, *required_section(architecture, HISTORY)):
        return architecture, []
    operations, problems = architecture_changes(spec, root)
    changed, changes, failed = apply_changes(architecture, operations, spec)
    if problems or failed:
        raise refusal(sorted([*problems, *failed], key=lambda problem: problem.line))
    return changed, changes


def is_recorded(architecture: Document, spec: Spec, root: Path) -> bool:
    """Whether architecture.md's history (and, for an architecture spec, its decisions) link to the spec."""
    names = [HISTORY, DECISIONS] if spec.is_architecture else [HISTORY]
    return all(links_to(architecture, root, spec.path, *required_section(architecture, name)) for name in names)


def add_history_entry(
    architecture: Document, span: tuple[int, int], spec: Spec, target: str, date: str
) -> tuple[str, str]:
    """Newest first: before the first entry not newer than date, else after the last one."""
    entry = f"- **{date}**: {inline_title(spec.title)}\n  - Spec: [{target}]({link_target(target)})\n"
    return insert_history_entry(architecture, span, entry, date), f"{HISTORY} entry added"


HISTORY_LEAD = re.compile(r"^\*\*Recent Architectural Updates:?\*\*", re.MULTILINE)

HISTORY_ENTRY = re.compile(r"^[-*+][ \t]+\*\*(?P<date>\d{4}-\d{2}-\d{2})\*\*:", re.MULTILINE)


def direct_update(date: str, summary: str) -> str:
    """An Implementation History entry for a change no spec made."""
    return f"- **{date}**: {summary}\n  - Spec: Direct update\n"


def insert_history_entry(architecture: Document, span: tuple[int, int], entry: str, date: str) -> str:
    """architecture.md with entry (dated date) in the Implementation History at span, newest first."""
    text = architecture.text
    entries = list(HISTORY_ENTRY.finditer(architecture.prose, *span))
    older = next((match for match in entries if match["date"] <= date), None)
    if older:
        text = text[: older.start()] + entry + text[older.start() :]
    elif entries:
        text = insert_at(text, end_of_list_item(text, entries[-1].start()), entry)
    else:
        lead = HISTORY_LEAD.search(architecture.prose, *span)
        text = insert_at(
            text, line_end(text, lead.start() if lead else span[0]), "\n" + entry, blank_after=True
        )
    return text


def line_end(text: str, offset: int) -> int:
    """The offset of the line after the one offset is in."""
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline + 1


def end_of_list_item(text: str, start: int) -> int:
    """The offset just after the list item that starts at start, with its indented lines, and the blank
    lines between them when the item is loose (an indented paragraph after a blank line)."""
    end = following = line_end(text, start)
    while following < len(text) and (text[following] in " \t\n"):
        blank = not text[following : line_end(text, following)].strip()
        following = line_end(text, following)
        if not blank:
            end = following
    return end


def insert_at(text: str, offset: int, block: str, blank_after: bool = False) -> str:
    """text with block (whole lines) inserted at offset, the start of a line."""
    before, after = text[:offset], text[offset:]
    if before and not before.endswith("\n"):
        before += "\n"
    if blank_after and after and not after.startswith("\n"):
        block += "\n"
    return before + block + after


# "### Decision N: Title", the rest of the line read in Python (a lazy pattern before trailing spaces
# would backtrack over every space of a long run).
DECISION_LINE = re.compile(r"^###[ \t]+Decision[ \t]+(?P<number>\d+)\b(?P<rest>[^\n]*)$", re.MULTILINE)


def decision_numbers(architecture: Document, span: tuple[int, int]) -> list[int]:
    """The numbers of the "### Decision N" headings in span, outside code and comments."""
    return [int(match["number"]) for match in DECISION_LINE.finditer(architecture.prose, *span)]


def add_decision(
    architecture: Document, span: tuple[int, int], spec: Spec, target: str, date: str
) -> tuple[str, str]:
    """A Key Architectural Decisions entry after the last one, before the section's closing comments."""
    numbers = decision_numbers(architecture, span)
    number = max(numbers, default=0) + 1
    record, problems = decision_record(spec, architecture.path.parent)
    if problems:
        raise refusal(problems)
    fields = [("Date", date), *record, ("Reference", f"[{target}]({link_target(target)})")]
    entry = decision_entry(number, spec.title, fields)
    return append_decisions(architecture, span, bool(numbers), entry), f"Decision {number} added to {DECISIONS}"


def decision_entry(number: int, title: str, fields: list[tuple[str, str]]) -> str:
    """A Key Architectural Decisions entry: its heading, each "**Key**: value" field (a value that starts
    with a line break begins on the next lines), a blank line between, and a closing --- line."""
    lines = [f"### Decision {number}: {inline_title(title)}"]
    lines += [f"**{key}**:{value}" if value.startswith("\n") else f"**{key}**: {value}" for key, value in fields]
    return "\n\n".join([*lines, "---"]) + "\n"


def append_decisions(architecture: Document, span: tuple[int, int], after_a_decision: bool, entries: str) -> str:
    """architecture.md with entries after the last decision in span, before the section's closing comments."""
    text = architecture.text
    lines = text[span[0] : span[1]].split("\n")
    last = last_content_line(lines)
    entry = ["", *entries.rstrip("\n").split("\n")]
    if after_a_decision and lines[last].strip() != "---":
        entry = ["", "---", *entry]
    if last + 1 < len(lines) and lines[last + 1].strip():
        entry.append("")
    lines[last + 1 : last + 1] = entry
    return text[: span[0]] + "\n".join(lines) + text[span[1] :]


def last_content_line(lines: list[str]) -> int:
    """The index of the last of lines that is neither blank nor only an HTML comment (code counts)."""
    unfenced = blank_fenced_code("\n".join(lines))
    visible = blank_code_spans_and_comments(unfenced, code_spans=False).split("\n")
    outside_code = unfenced.split("\n")
    number = len(lines) - 1
    while number > 0:
        is_comment = outside_code[number].strip() and not visible[number].strip()
        if lines[number].strip() and not is_comment:
            break
        number -= 1
    return number


def rebase_links(markdown: str, folder: str) -> str:
    """Markdown from a document in folder (relative to the root), its relative links and reference
    definitions fixed for the root."""

    def rebased(match: re.Match[str]) -> str:
        target = match[target_group(match)]
        path = local_path(target)
        if path is None or path.startswith("/"):
            return match[0]
        moved = posixpath.normpath(posixpath.join(folder, target))
        start, end = match.span(target_group(match))
        return match[0][: start - match.start()] + moved + match[0][end - match.start() :]

    rebased_links = LINK.sub(rebased, markdown)
    return REFERENCE_DEFINITION.sub(rebased, rebased_links) if "]:" in rebased_links else rebased_links


DECISION_RECORD = "Decision Record"

ARCHITECTURE_CHANGES = "Architecture Changes"

ACCEPTANCE_CRITERIA = "Acceptance Criteria"

DECISION_FIELDS = ("Context", "Decision", "Rationale", "Consequences")

OPERATIONS = ("Replace", "Add to", "Remove")

CLOSED_STATUSES = ("Implemented", "Rejected", "Superseded")


class Heading:
    """A heading of a document: level, text and line, and where its section ends (at the next heading
    of the same or a higher level)."""

    def __init__(self, level: int, text: str, start: int, line: int) -> None:
        self.level, self.text, self.start, self.line = level, text, start, line
        self.end = 0

    def __str__(self) -> str:
        return f"{'#' * self.level} {self.text}"


class Operation:
    """One "### Replace: <heading>", "### Add to: <heading>" or "### Remove: <heading>" of a spec."""

    def __init__(self, kind: str, target: str, content: str, line: int) -> None:
        self.kind, self.target, self.content, self.line = kind, target, content, line

    def __str__(self) -> str:
        return f"{self.kind}: {self.target}"


# A heading at any level; its closing #s are stripped in Python (heading_text), in linear time.
ANY_HEADING = re.compile(r"^(?P<hashes>#{1,6})(?:[ \t]+(?P<text>[^\n]*))?$", re.MULTILINE)


def headings(document: Document) -> list[Heading]:
    """Every heading outside code and comments, in order, each with the end of its section."""
    found = []
    for match in ANY_HEADING.finditer(document.prose):
        text = document.text[match.start("text") : match.end("text")] if match["text"] is not None else ""
        line = document.line_of(match.start())
        found.append(Heading(len(match["hashes"]), heading_text(text), match.start(), line))
    open_sections: list[Heading] = []
    for heading in found:
        while open_sections and open_sections[-1].level >= heading.level:
            open_sections.pop().end = heading.start
        open_sections.append(heading)
    for heading in open_sections:
        heading.end = len(document.text)
    return found


def heading_key(text: str) -> str:
    return " ".join(plain_text(text).split()).casefold()


NUMBERED = re.compile(r"(?P<number>\d{1,9})\.[ \t]+")


def unnumbered(text: str) -> str:
    number = NUMBERED.match(text)
    return text[number.end() :] if number else text


class Outline:
    """The headings of a document, looked up by the text an operation names them by: the whole text, or
    the text without its leading number ("4. "), in any case."""

    def __init__(self, document: Document) -> None:
        self.headings = headings(document)
        self.by_key: dict[str, list[Heading]] = {}
        for heading in self.headings:
            for key in dict.fromkeys((heading_key(heading.text), heading_key(unnumbered(heading.text)))):
                self.by_key.setdefault(key, []).append(heading)

    def matching(self, target: str) -> list[Heading]:
        return self.by_key.get(heading_key(target), [])


def section_body(document: Document, name: str) -> tuple[int, int] | None:
    """The offsets of a "## " section without its heading line."""
    span = section_span(document, name)
    return None if span is None else (line_end(document.text, span[0]), span[1])


def spec_folder(spec: Spec, root: Path) -> str:
    """The spec's folder relative to the root, to rebase its links for architecture.md."""
    try:
        return Path(os.path.relpath(spec.path.parent, root)).as_posix()
    except ValueError:  # another drive on Windows
        return FEATURES


BLOCK_START = re.compile(r"(?<![ \t])[ \t]*(?:[-*+>|#]|\d+[.)]|```|~~~)")


def decision_record(spec: Spec, root: Path) -> tuple[list[tuple[str, str]], list[SpecError]]:
    """The fields of the spec's Decision Record in their order, links rebased for architecture.md; and
    what is wrong: the section or a field missing, a field doubled, unknown or empty."""
    document = spec.document
    body = section_body(document, DECISION_RECORD)
    if body is None:
        return [], [document.error(document.last_line(), f'no "## {DECISION_RECORD}" section; copy it from {TEMPLATE}')]
    starts = list(FIELD_LINE.finditer(document.prose, *body))
    values: dict[str, tuple[str, int]] = {}
    problems = []
    for number, match in enumerate(starts):
        key, line = match["key"], document.line_of(match.start())
        end = starts[number + 1].start() if number + 1 < len(starts) else body[1]
        if key not in DECISION_FIELDS:
            allowed = ", ".join(DECISION_FIELDS)
            problems.append(document.error(line, f"**{key}** is not a {DECISION_RECORD} field; use {allowed}"))
        elif key in values:
            problems.append(
                document.error(line, f"**{key}** appears twice in the {DECISION_RECORD} (also line {values[key][1]})")
            )
        else:
            values[key] = (document.text[match.start("value") : end].strip(), line)
    fields = []
    for key in DECISION_FIELDS:
        if key not in values:
            message = f'no **{key}** in the {DECISION_RECORD}; add "**{key}**: ..."'
            problems.append(document.error(document.line_of(body[0]), message))
            continue
        value, line = values[key]
        if not prose(value).strip():
            problems.append(document.error(line, f"**{key}** in the {DECISION_RECORD} is empty; fill it in"))
        value = rebase_links(value, spec_folder(spec, root))
        fields.append((key, "\n\n" + value if BLOCK_START.match(value) else value))
    return fields, problems


OPERATION_HEADING = re.compile(r"^###(?:[ \t]+(?P<text>[^\n]*))?$", re.MULTILINE)


def architecture_changes(spec: Spec, root: Path) -> tuple[list[Operation], list[SpecError]]:
    """The operations of the spec's "## Architecture Changes" (none without the section or with "None"),
    links rebased for architecture.md; and what is wrong with the section: a ### heading that is no
    operation, other text before the first operation, an operation without content, a Remove with some."""
    document = spec.document
    body = section_body(document, ARCHITECTURE_CHANGES)
    if body is None:
        return [], []
    starts = list(OPERATION_HEADING.finditer(document.prose, *body))
    problems = preamble_problems(document, body[0], starts[0].start() if starts else body[1], bool(starts))
    operations = []
    for number, match in enumerate(starts):
        line = document.line_of(match.start())
        heading = heading_text(match["text"] or "")
        written, colon, target = heading.partition(":")
        kind = next((name for name in OPERATIONS if heading_key(name) == heading_key(written)), "")
        target = target.strip()
        if not (kind and colon and target):
            problems.append(
                document.error(
                    line,
                    f'"### {heading}" is no operation; write "### Replace: <heading>", '
                    '"### Add to: <heading>" or "### Remove: <heading>"',
                )
            )
            continue
        end = starts[number + 1].start() if number + 1 < len(starts) else body[1]
        lines = document.text[line_end(document.text, match.start()) : end].rstrip().split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        content = "\n".join(lines)
        has_content = bool(prose(content).strip())
        if prose(content + "\n.").endswith(" "):
            message = f'the content of "### {kind}: {target}" opens a code block or comment it does not close'
            problems.append(document.error(line, message))
        elif kind == "Remove" and has_content:
            message = f'"### Remove: {target}" takes no content; say why in the {DECISION_RECORD}'
            problems.append(document.error(line, message))
        elif kind != "Remove" and not has_content:
            problems.append(document.error(line, f'"### {kind}: {target}" has no content; write what it brings'))
        operations.append(Operation(kind, target, rebase_links(content, spec_folder(spec, root)), line))
    return operations, problems


def preamble_problems(document: Document, start: int, end: int, has_operations: bool) -> list[SpecError]:
    """What is wrong with the text of "## Architecture Changes" before its first operation: it may be
    empty, "None" (without operations) or the template's placeholder, which implement refuses."""
    text = document.prose[start:end].strip()
    if not text or PLACEHOLDER.fullmatch(text):
        return []
    line = document.line_of(start + document.prose[start:end].index(text[0]))
    if text.rstrip(".").lower() != "none":
        message = "starts with ### Replace:, ### Add to: or ### Remove:, or is None"
        return [document.error(line, f'text before the first operation; "## {ARCHITECTURE_CHANGES}" {message}')]
    if has_operations:
        return [document.error(line, f'"None" and operations in "## {ARCHITECTURE_CHANGES}"; keep one of them')]
    return []


def apply_changes(
    architecture: Document, operations: list[Operation], spec: Spec
) -> tuple[Document, list[str], list[SpecError]]:
    """architecture.md with the operations applied in order, each to the text the ones before it left;
    what each changed; and why any could not be applied."""
    changes, problems = [], []
    for operation in operations:
        try:
            target = target_heading(Outline(architecture), operation, spec, architecture)
            text = apply_operation(architecture, target, operation, spec)
        except SpecError as problem:
            problems.append(problem)
            continue
        architecture = Document(architecture.path, text)
        verb = {"Replace": "replaced", "Add to": "added to", "Remove": "removed"}[operation.kind]
        changes.append(f'{verb} "{plain_text(target.text)}"')
    return architecture, changes, problems


def target_heading(outline: Outline, operation: Operation, spec: Spec, architecture: Document) -> Heading:
    """The one heading of architecture.md an operation names, which must be one the tool does not own."""
    document, where = spec.document, shown(architecture.path)
    matches = outline.matching(operation.target)
    if not matches:
        import difflib

        close = difflib.get_close_matches(operation.target, [h.text for h in outline.headings], n=3, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else "; write the text of one of its headings"
        message = f'"### {operation}": no heading "{operation.target}" in {where}{hint}'
        raise document.error(operation.line, message)
    if len(matches) > 1:
        named = " and ".join(f'line {h.line} "{h}"' for h in matches[:3])
        message = f'"### {operation}": "{operation.target}" names {len(matches)} headings of {where}, {named}'
        raise document.error(operation.line, f"{message}; write the one meant in full, or rename one")
    target = matches[0]
    if target.level == 1:
        raise document.error(operation.line, f'"### {operation}": "{target.text}" is the title of {where}')
    owner = next((h for h in outline.headings if h.level == 2 and h.start <= target.start < h.end), None)
    if owner is not None and owner.text in (DECISIONS, HISTORY):
        message = f'"### {operation}": "{target.text}" is in "## {owner.text}", which implement writes itself'
        raise document.error(operation.line, message)
    return target


def apply_operation(architecture: Document, target: Heading, operation: Operation, spec: Spec) -> str:
    """architecture.md's text with one operation applied to its target heading."""
    text = architecture.text
    lines = text[target.start : target.end].split("\n")
    if operation.kind == "Remove":
        kept = lines[last_content_line(lines) + 1 :]
        while kept and not kept[0].strip() and len(kept) > 1:
            kept.pop(0)
        section = "\n".join(kept)
    else:
        content = relevel(operation.content, target.level + 1, spec, operation)
        if operation.kind == "Replace":
            section = "\n".join([lines[0], "", content, "", ""])
        else:
            children = [h.start for h in headings(architecture) if target.start < h.start < target.end]
            first_child = text.count("\n", target.start, children[0]) if children else len(lines)
            content = number_on(content, target, architecture, target.level + 1)
            section = "\n".join(added_to(lines, content, first_child))
    if target.end == len(text):
        section = section.rstrip("\n") + "\n" if section.strip() else ""
    return text[: target.start] + section + text[target.end :]


LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")


def added_to(lines: list[str], content: str, first_child: int) -> list[str]:
    """A section's lines with content after its last line that is not blank or a comment. A "---" that
    closes the section's own text stays last; after one that closes its last subsection, the content gets
    one too; a list item after a list item continues the list. first_child: the index of the line that
    starts the first subsection."""
    last = last_content_line(lines)
    block = content.split("\n")
    if last > 0 and lines[last].strip() == "---" and last < first_child:
        before = [""] if lines[last - 1].strip() else []
        return [*lines[:last], *before, *block, "", *lines[last:]]
    if last > 0 and lines[last].strip() == "---" and block[-1].strip() != "---":
        block += ["", "---"]
    if not (last > 0 and LIST_ITEM.match(lines[last]) and LIST_ITEM.match(block[0])):
        block.insert(0, "")
    if last + 1 < len(lines) and lines[last + 1].strip():
        block.append("")
    return [*lines[: last + 1], *block, *lines[last + 1 :]]


def relevel(content: str, level: int, spec: Spec, operation: Operation) -> str:
    """content with its headings moved so that the highest is at level, the others kept below it."""
    found = [(match.start(), len(match["hashes"])) for match in ANY_HEADING.finditer(prose(content))]
    if not found:
        return content
    shift = level - min(depth for _, depth in found)
    if max(depth for _, depth in found) + shift > 6:
        message = f'"### {operation}" holds headings too deep to sit under its target, which is at level {level - 1}'
        raise spec.document.error(operation.line, f"{message}; Markdown has six levels")
    pieces, done = [], 0
    for start, depth in found:
        pieces += [content[done:start], "#" * (depth + shift)]
        done = start + depth
    return "".join(pieces) + content[done:]


def number_on(content: str, target: Heading, architecture: Document, level: int) -> str:
    """content with its headings at level numbered on from the target's numbered subsections, if it has
    any ("#### 3. Database" is followed by "#### 4. ..."), whatever number the spec gave them: a number
    written in a spec before others were closed out would clash with theirs."""
    children = [h for h in headings(architecture) if target.start < h.start < target.end and h.level == level]
    numbers = [int(match["number"]) for h in children if (match := NUMBERED.match(h.text))]
    if not numbers:
        return content
    following = max(numbers) + 1
    pieces, done = [], 0
    for match in ANY_HEADING.finditer(prose(content)):
        if len(match["hashes"]) != level or match["text"] is None:
            continue
        numbered = NUMBERED.match(match["text"])
        pieces += [content[done : match.start("text")], f"{following}. "]
        done, following = match.start("text") + (numbered.end() if numbered else 0), following + 1
    return "".join(pieces) + content[done:]


ARCHITECTURE_ONLY = re.compile(r"^<!--[ \t]*architecture specs only[ \t]*-->[ \t]*$", re.MULTILINE)


def marked_sections(template: Document) -> list[tuple[str, int, int, int]]:
    """(name, start of the mark, start of the heading, end) of each section of the template marked by a
    "<!-- architecture specs only -->" line before its heading."""
    text = blank_fenced_code(template.text) if "```" in template.text or "~~~" in template.text else template.text
    found = sections(template)
    marks = [mark.start() for mark in ARCHITECTURE_ONLY.finditer(text)]
    marked = []
    for mark in marks:
        following = [number for number, (_, start) in enumerate(found) if start > mark]
        if following:
            name, start = found[following[0]]
            end = found[following[0] + 1][1] if following[0] + 1 < len(found) else len(template.text)
            end = min([end, *(other for other in marks if start < other < end)])  # the next mark is not this section's
            marked.append((name, mark, start, end))
    return marked


def architecture_only_sections(root: Path) -> set[str]:
    return {name for name, *_ in marked_sections(read_document(root / TEMPLATE))}


def for_kind(spec: Document, architecture: bool) -> str:
    """A new spec's text: the marked sections kept, without their marks, in an architecture spec, and
    left out of any other."""
    text = spec.text
    for _, mark, heading, end in reversed(marked_sections(spec)):
        text = text[:mark] + text[heading if architecture else end :]
    return text


def close_out_problems(spec: Spec, architecture: Document, root: Path) -> list[SpecError]:
    """Why the spec cannot be closed out yet: its status, an unchecked Acceptance Criteria box, a
    placeholder left in a section of the template, its Decision Record, its Architecture Changes."""
    document = spec.document
    problems = []
    status = spec.fields["Status"]
    if status.value not in ("Planned", "In Progress", "Implemented"):
        message = f"Status is {status.value}; a spec is implemented once it is Planned or In Progress"
        problems.append(document.error(status.line, message))
    required = template_sections(root)
    if not spec.is_architecture:
        required = [name for name in required if name not in architecture_only_sections(root)]
    elif DECISION_RECORD not in required:
        required.append(DECISION_RECORD)
    problems += missing_sections(document, required)
    problems += unchecked_criteria(document)
    operations, malformed = architecture_changes(spec, root)
    problems += placeholders_left(document, required, operations)
    if spec.is_architecture and section_span(document, DECISION_RECORD) is not None:
        problems += decision_record(spec, root)[1]
    problems += malformed
    if not links_to(architecture, root, spec.path, *required_section(architecture, HISTORY)):
        problems += apply_changes(architecture, operations, spec)[2]
    return sorted(problems, key=lambda problem: problem.line)


UNCHECKED_BOX = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[ \]", re.MULTILINE)

CHECKBOX_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]", re.MULTILINE)


def unchecked_criteria(document: Document) -> list[SpecError]:
    span = section_span(document, ACCEPTANCE_CRITERIA)
    if span is None:
        return []
    if CHECKBOX_ITEM.search(document.prose, *span) is None:
        return [
            document.error(
                document.line_of(span[0]),
                f"{ACCEPTANCE_CRITERIA} has no checkbox; list what proves the change works as \"- [x] ...\" items",
            )
        ]
    message = f"an unchecked box in {ACCEPTANCE_CRITERIA}; check it once the change meets it"
    boxes = UNCHECKED_BOX.finditer(document.prose, *span)
    return [document.error(document.line_of(box.start()), message) for box in boxes]


def placeholders_left(document: Document, required: list[str], operations: list[Operation]) -> list[SpecError]:
    """A problem for each placeholder in a required section; the content of an operation may hold
    architecture.md's own, so only the text before the first operation counts there."""
    starts = [(document.line_of(start), name) for name, start in sections(document)]
    first_operation = min((operation.line for operation in operations), default=None)
    problems = []
    for text, line in placeholders(document):
        name = next((name for start, name in reversed(starts) if start <= line), None)
        if name not in required:
            continue
        if name == ARCHITECTURE_CHANGES and first_operation is not None and line > first_operation:
            continue
        problems.append(document.error(line, f'placeholder [{text}] in "## {name}" still to fill in'))
    return problems


class Decision:
    """One "### Decision N: Title" entry of Key Architectural Decisions, up to the next heading."""

    def __init__(self, heading: re.Match[str], text: str, end: int, line: int) -> None:
        self.number = int(heading["number"])
        self.digits = heading.span("number")
        self.heading = closed_heading(text[heading.start() + 3 : heading.end()])  # the text after "###"
        self.start, self.end, self.line = heading.start(), end, line  # the block's offsets, its first line
        self.fields: dict[str, Field] = {}
        self.spans: dict[str, tuple[int, int]] = {}  # the offsets of each field's line
        self.references: list[str] = []  # path_keys of the files its Reference links
        self.spec: str | None = None  # the first of them in specs/features/, if any

    @property
    def anchor(self) -> str:
        return heading_anchor(self.heading)

    @property
    def superseded(self) -> bool:
        return "Status" in self.fields and self.fields["Status"].value.startswith("Superseded")


HEADING_UP_TO_3 = re.compile(r"^#{1,3}(?:[ \t]|$)", re.MULTILINE)


def decisions(architecture: Document, root: Path) -> list[Decision]:
    """The decisions of architecture.md in document order, each with its fields and the spec it records."""
    span = section_span(architecture, DECISIONS)
    if span is None:
        return []
    text, masked = architecture.text, architecture.prose
    features = path_key(root / FEATURES) + os.sep
    found = []
    for match in DECISION_LINE.finditer(masked, *span):
        following = HEADING_UP_TO_3.search(masked, match.end(), span[1])
        end = following.start() if following else span[1]
        record = Decision(match, text, end, architecture.line_of(match.start()))
        for field in FIELD_LINE.finditer(masked, match.end(), end):
            if field["key"] not in record.fields:
                value = text[field.start("value") : field.end("value")].strip()
                record.fields[field["key"]] = Field(field["key"], value, architecture, field.start())
                record.spans[field["key"]] = field.span()
        if "Reference" in record.spans:
            record.references = linked_files(architecture, root, *record.spans["Reference"])
            record.spec = next((t for t in record.references if t.startswith(features) and t.endswith(".md")), None)
        found.append(record)
    return found


def closed_heading(heading: str) -> str:
    """A heading's text without its closing run of # and the spaces around it."""
    heading = heading.strip()
    bare = heading.rstrip("#")
    if bare != heading and (not bare or bare[-1] in " \t"):
        heading = bare.rstrip()
    return heading


def path_key(path: str | Path) -> str:
    """A path as linked_file() gives one, for comparing a link's target with a file."""
    return os.path.normcase(os.path.normpath(path))


SUPERSEDE = {"Superseded by": "Supersedes", "Supersedes": "Superseded by"}  # each field and its mirror


def field_targets(spec: Spec, key: str, root: Path) -> list[str]:
    """The path_keys of the files the links in the spec's field key lead to."""
    if is_none(spec.value(key)):
        return []
    field = Document(spec.path, spec.value(key))
    return linked_files(field, root)


def linked_specs(root: Path, spec: Spec, key: str) -> list[Spec]:
    """The other specs the links in the spec's field key lead to (links to anything else left out)."""
    known = {path_key(path): path for path in spec_paths(root)}
    linked = dict.fromkeys(known[target] for target in field_targets(spec, key, root) if target in known)
    return [parse_spec(read_document(path)) for path in linked if path != spec.path]


def without_links(spec: Spec, text: str, key: str, targets: set[str], root: Path) -> str:
    """text with the links of the spec's field key that lead to targets (path_keys) taken out."""
    value = spec.value(key)
    field = Document(spec.path, value)
    matches = list(LINK.finditer(field.prose))
    kept = []
    for match in matches:
        if linked_file(field, root, match[target_group(match)]) not in targets:
            kept.append(value[match.start() : match.end()])
    if len(kept) == len(matches):
        return text
    return set_field(text, key, ", ".join(kept) or "None")


def apply_pending_supersedes(
    root: Path, spec: Spec, architecture_text: str, date: str
) -> tuple[str, list[Document], list[str]]:
    """What implementing spec does to the specs its **Supersedes** names: each becomes Superseded
    (linked back to spec), and its decision in architecture.md is marked superseded by spec's.

    Returns architecture.md's new text, the changed specs and a line to print for each change.
    """
    documents, notes = [], []
    for old in linked_specs(root, spec, "Supersedes"):
        text = add_link(old, "Superseded by", spec, old.document.text, root)
        if old.value("Status") != "Superseded":
            text = set_field(text, "Status", "Superseded")
        if text != old.document.text:
            documents.append(stamped(old, text, date))
            was = "" if old.value("Status") == "Superseded" else f"{old.value('Status')} -> "
            notes.append(f"{shown(old.path)}: {was}Superseded by {spec.slug}")
        architecture_text, note = mark_decision_superseded(root, architecture_text, old, spec)
        notes += [note] if note else []
    return architecture_text, documents, notes


def mark_decision_superseded(root: Path, architecture_text: str, old: Spec, new: Spec) -> tuple[str, str]:
    """architecture.md with old's decision marked "**Status**: Superseded by" new's decision (or new's
    spec, when new has none), right after its **Date**; and a note of the change, or "" if none."""
    architecture = Document(root / ARCHITECTURE, architecture_text)
    records = decisions(architecture, root)
    marked = next((record for record in records if record.spec == old.key), None)
    if marked is None:
        return architecture_text, ""
    successor = next((record for record in records if record.spec == new.key), None)
    if successor is not None:
        label, target = f"Decision {successor.number}", f"#{successor.anchor}"
    else:
        label, target = new.title, link_target(f"{FEATURES}/{new.name}.md")
    line = f"**Status**: Superseded by [{label}]({target})"
    text = architecture_text
    if "Status" in marked.spans:
        start, end = marked.spans["Status"]
        if text[start:end] == line:
            return architecture_text, ""
        text = text[:start] + line + text[end:]
    elif "Date" in marked.spans:
        date_end = marked.spans["Date"][1]
        blank_line_follows = text.startswith("\n\n", date_end)
        text = text[:date_end] + ("\n\n" if blank_line_follows else "\n") + line + text[date_end:]
    else:
        heading_end = line_end(text, marked.start)
        text = text[:heading_end] + "\n" + line + "\n" + text[heading_end:]
    return text, f"{shown(architecture.path)}: Decision {marked.number} marked Superseded by {plain_text(label)}"


def withdraw_supersedes(
    root: Path, spec: Spec, text: str, date: str
) -> tuple[str, list[Document], list[str]]:
    """What rejecting spec does: a Rejected spec neither supersedes nor is superseded, so the links between
    it and the specs it was to supersede, or to be superseded by, go from both sides.

    Returns spec's new text, the other changed specs and a line to print for each change.
    """
    documents, notes = [], []
    for key, back in SUPERSEDE.items():
        others = linked_specs(root, spec, key)
        for other in others:
            other_text = without_links(other, other.document.text, back, {spec.key}, root)
            if other_text != other.document.text:
                documents.append(stamped(other, other_text, date))
                change = "supersedes" if key == "Superseded by" else "to be superseded by"
                notes.append(f"{shown(other.path)}: no longer {change} {spec.slug}, which is Rejected")
        text = without_links(spec, text, key, {other.key for other in others}, root)
    return text, documents, notes


# ---- Importing architecture decision records -----------------------------------------------------


class Record:
    """An architecture decision record read from an adr-tools or MADR file."""

    def __init__(self, document: Document, number: int, target: str) -> None:
        self.document = document
        self.number = number  # the number in its file name, for "superseded by ADR-0012"
        self.target = target  # its path relative to the repository, as architecture.md links to it
        self.title = ""
        self.date = ""
        self.date_line = 0
        self.status = ""  # as the record says it, "" for accepted; superseded ones have a successor
        self.superseded_at = 0  # the line of "Superseded by", or 0
        self.successor = ""  # the successor's file (relative to the record) or number, as written
        self.context = ""
        self.decision = ""
        self.consequences = ""

    @property
    def path(self) -> Path:
        return self.document.path


# A record's number: "0007-use-kafka.md" (adr-tools, MADR), "20201016-use-slugs.md" (log4brains).
RECORD_NUMBER = re.compile(r"[0-9]+")


def record_paths(folder: Path) -> list[tuple[int, Path]]:
    """The records in folder: its *.md files whose names start with their number, in number order.
    README.md, index.md and templates have no number and are no records."""
    found = []
    for path in folder.glob("*.md"):
        number = RECORD_NUMBER.match(path.name)
        if number and path.is_file():
            found.append((int(number[0]), path))
    return sorted(found, key=lambda pair: (pair[0], pair[1].name))


def read_record(path: Path, number: int, target: str, latest: str) -> Record:
    """The record at path; an error naming the line when it has no title, no readable date or no decision.
    Records written on Windows (CRLF, a byte order mark) are read as they are meant."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SpecError(f"cannot be read: {error.strerror or error}", path) from None
    document = Document(path, decode(path, data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")))
    record = Record(document, number, target)
    body = read_front_matter(record)
    read_title_and_fields(record, body, latest)
    read_sections(record)
    return record


# A "key: value" line of a MADR 3 or 4 front matter.
FRONT_MATTER_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]{0,40}):[ \t]*(?P<value>.*)$", re.MULTILINE)


def read_front_matter(record: Record) -> int:
    """Read a MADR front matter's status and date; the offset where the rest of the record begins."""
    document = record.document
    text = document.text
    if not text.startswith("---\n"):
        return 0
    end = re.search(r"^---[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        raise document.error(1, "the front matter that starts here has no closing --- line")
    for match in FRONT_MATTER_FIELD.finditer(text, 4, 4 + end.start()):
        read_field(record, match["key"], unquoted(match["value"]), document.line_of(match.start()))
    return line_end(text, 4 + end.start())


def unquoted(value: str) -> str:
    value = value.strip()
    return value[1:-1].strip() if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'" else value


def read_field(record: Record, key: str, value: str, line: int) -> None:
    key = key.strip().lower()
    if key == "date" and not record.date:
        record.date = value
        record.date_line = line
    elif key == "status" and not record.status:
        read_status(record, value, line)


# "Superseded by [12. Use Kafka](0012-use-kafka.md)"; adr-tools writes "Superceded".
SUPERSEDED_BY = re.compile(r"\bsuper[sc]eded[ \t]+by\b[: \t]*(?P<successor>.*)", re.IGNORECASE)


def read_status(record: Record, value: str, line: int) -> None:
    """A status line: "accepted", "Proposed", "superseded by [ADR-0005](0005-example.md)" or
    "superseded by ADR-0005"."""
    superseded = SUPERSEDED_BY.search(value)
    if superseded:
        record.superseded_at = line
        record.successor = successor_of(superseded["successor"])
        record.status = "Superseded"
    elif value.strip() and not record.status:
        record.status = value.strip()


SUCCESSOR_NUMBER = re.compile(r"(?<![- _#])(?:ADR)?[- _#]*(?P<number>[0-9]+)", re.IGNORECASE)


def successor_of(text: str) -> str:
    """The successor a "Superseded by" names: the target of its link, else the number it gives."""
    link = LINK.search(text)
    if link:
        return link[target_group(link)]
    number = SUCCESSOR_NUMBER.match(text.strip())
    return number["number"] if number else ""


# A metadata line between the title and the first section: "Date: ..." (adr-tools), "* Status: ..." or
# "- Date: ..." (MADR 2, log4brains).
RECORD_FIELD = re.compile(r"^(?:[*+-][ \t]+)?(?P<key>[A-Za-z][A-Za-z -]{0,40}):[ \t]*(?P<value>.*)$", re.MULTILINE)

ADR_TOOLS_NUMBER = re.compile(r"[0-9]+\.(?:[ \t]+|$)")  # "# 12. Title"


def read_title_and_fields(record: Record, body: int, latest: str) -> None:
    document = record.document
    text, masked = document.text, document.prose
    end = header_end(masked[body:]) + body
    title = TITLE_LINE.search(masked, body, end)
    if title is None:
        line = document.line_of(body) if body < len(text) else document.last_line()
        raise document.error(line, 'no title line "# Title" (adr-tools: "# 1. Title") before the first ## heading')
    record.title = ADR_TOOLS_NUMBER.sub("", text[title.start("title") : title.end("title")].strip(), count=1)
    record.title = record.title.rstrip(".,;:! \t")
    if not record.title:
        raise document.error(document.line_of(title.start()), "the title is empty")
    for match in RECORD_FIELD.finditer(masked, title.end(), end):
        value = text[match.start("value") : match.end("value")].strip()
        read_field(record, match["key"], value, document.line_of(match.start()))
    if not record.date:
        raise document.error(
            document.line_of(title.start()) + 1,
            'no date: add "Date: YYYY-MM-DD" below the title (MADR: "date: YYYY-MM-DD" in the front matter)',
        )
    if not is_date(record.date):
        hint = "; 'adr upgrade-repository' rewrites adr-tools' old dates" if "/" in record.date else ""
        raise document.error(record.date_line, f'date "{record.date}" is not a real date written YYYY-MM-DD{hint}')
    if record.date > latest:
        raise document.error(record.date_line, f"date {record.date} {in_the_future(latest)}")


CONTEXT_SECTIONS = ("context", "context and problem statement")

DECISION_SECTIONS = ("decision", "decision outcome")


def read_sections(record: Record) -> None:
    """Context, decision and consequences from the record's sections; the status from adr-tools' Status
    section and from "Superseded by" lines in MADR's Links section."""
    document = record.document
    headings = sections(document)
    decision_line = 0
    for number, (name, start) in enumerate(headings):
        end = headings[number + 1][1] if number + 1 < len(headings) else len(document.text)
        body = line_end(document.text, start)
        key = name.strip().lower()
        if key in ("status", "links"):
            read_status_section(record, body, end, key == "status")
        elif key in CONTEXT_SECTIONS:
            record.context = join_blocks(record.context, imported_markdown(record, body, end))
        elif key in DECISION_SECTIONS:
            decision_line = decision_line or document.line_of(start)
            read_decision_section(record, body, end)
        elif key == "consequences":
            record.consequences = join_blocks(record.consequences, imported_markdown(record, body, end))
    if not decision_line:
        raise document.error(
            document.last_line(), 'no "## Decision" section (MADR: "## Decision Outcome"): nothing to import'
        )


def read_status_section(record: Record, start: int, end: int, is_status: bool) -> None:
    document = record.document
    for match in re.finditer(r"^[ \t]*(?:[*+-][ \t]+)?(?P<line>\S.*)$", document.prose[start:end], re.MULTILINE):
        line = document.text[start + match.start("line") : start + match.end("line")]
        superseded = SUPERSEDED_BY.match(line)
        if superseded or (is_status and not LINK.search(line)):
            read_status(record, line, document.line_of(start + match.start()))


SUBSECTION_HEADING = re.compile(r"^###[ \t]+(?P<name>.*)$", re.MULTILINE)


def read_decision_section(record: Record, start: int, end: int) -> None:
    """MADR's Decision Outcome: its ### Consequences (MADR 2: Positive and Negative Consequences) are the
    consequences, the rest (a Confirmation, say) is the decision."""
    document = record.document
    parts = [(m["name"], m.start() + start) for m in SUBSECTION_HEADING.finditer(document.prose[start:end])]
    bounds = [at for _, at in parts] + [end]
    record.decision = join_blocks(record.decision, imported_markdown(record, start, bounds[0]))
    several = sum("consequences" in name.lower() for name, _ in parts) > 1
    for number, (name, at) in enumerate(parts):
        if "consequences" not in name.lower():
            record.decision = join_blocks(record.decision, imported_markdown(record, at, bounds[number + 1]))
            continue
        text = imported_markdown(record, line_end(document.text, at), bounds[number + 1])
        if several and text:
            text = f"{bold_heading(name)}\n\n{text}"
        record.consequences = join_blocks(record.consequences, text)


def join_blocks(first: str, second: str) -> str:
    return f"{first}\n\n{second}" if first and second else first or second


def bold_heading(text: str) -> str:
    """A heading of a record as a bold line, so that the decision keeps its place in the outline."""
    text = text.strip()
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):  # "## Title ##"
        text = closed.strip()
    return f"**{text}**" if text.endswith((".", ",", ";", ":", "!", "?")) else f"**{text}:**"


ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+(?P<text>.*))?$")

SETEXT_UNDERLINE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$")

THEMATIC_BREAK = re.compile(r"^[ ]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")

BULLET = re.compile(r"^(?P<indent>[ ]*)[*+](?P<space>[ \t]+)")


def imported_markdown(record: Record, start: int, end: int) -> str:
    """Part of a record as Markdown that fits inside a decision of architecture.md and passes its lint:
    headings become bold lines (the decision stays one entry of the outline), thematic breaks and
    comments go, * and + bullets become -, fenced code gets a language and blank lines around it, and
    the record's relative links lead from architecture.md to the same places."""
    text = without_comments(record.document.text[start:end]).expandtabs(4)
    lines: list[str] = []
    fence, opening = "", 0
    for raw in text.split("\n"):
        line = raw.rstrip()
        fenced = FENCE.match(line)
        if fence:
            lines.append(line)
            if fenced and fenced["fence"][0] == fence[0] and len(fenced["fence"]) >= len(fence):
                fence = ""
                lines[opening:] = backtick_fenced(lines[opening:])
                lines.append("")
            continue
        if fenced:
            fence, opening = fenced["fence"], len(lines) + 1
            lines += ["", line + ("" if line[fenced.end() :].strip() else "text")]
            continue
        heading = ATX_HEADING.match(line)
        previous = lines[-1] if lines else ""
        if heading:
            title = bold_heading(heading["text"] or "")
            lines += ["", title, ""] if title.strip("*:") else [""]
        elif SETEXT_UNDERLINE.match(line) and is_paragraph_line(previous) and not previous.startswith("**"):
            lines[-1:] = [bold_heading(previous), ""]
        elif THEMATIC_BREAK.match(line):
            lines.append("")
        else:
            item = BULLET.sub(r"\g<indent>-\g<space>", line)
            if LIST_ITEM.match(item) and is_paragraph_line(previous):
                lines.append("")  # a list needs a blank line before it
            lines.append(item)
    if fence:  # the record leaves it open to its end; here it would swallow the next fields
        while not lines[-1]:
            lines.pop()
        lines.append(fence)
        lines[opening:] = backtick_fenced(lines[opening:])
    markdown = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return record_links(autolinked(markdown), posixpath.dirname(record.target), record.target)


# A URL or e-mail address written bare in a record's prose: markdownlint (MD034) wants it in <>. The
# lookbehind keeps a scan from starting inside a word, a link's destination or an autolink.
BARE_ADDRESS = re.compile(
    r"(?<![\w.+\-/<(\[@:])(?:(?:https?|ftp)://[^\s<>()\[\]`]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


def autolinked(markdown: str) -> str:
    """markdown with each bare URL or e-mail address outside code and comments made an autolink."""
    masked = prose(markdown)
    pieces, done = [], 0
    for match in BARE_ADDRESS.finditer(masked):
        address = match[0].rstrip(".,;:!?'\"")
        if markdown.startswith(address, match.start()):
            pieces += [markdown[done : match.start()], f"<{address}>"]
            done = match.start() + len(address)
    return "".join(pieces) + markdown[done:]


def is_paragraph_line(line: str) -> bool:
    """A line of a paragraph at the left margin, not of a list."""
    return bool(line.strip()) and not line.startswith(" ") and not LIST_ITEM.match(line)


def backtick_fenced(block: list[str]) -> list[str]:
    """A ~~~ fenced block fenced with backticks, the document's one style (MD048), unless it holds them."""
    if not block[0].lstrip().startswith("~") or any("```" in line for line in block[1:-1]):
        return block
    opening, closing = FENCE.match(block[0]), FENCE.match(block[-1])
    if opening is None or closing is None:
        return block
    return [
        block[0].replace(opening["fence"], "`" * len(opening["fence"]), 1),
        *block[1:-1],
        block[-1].replace(closing["fence"], "`" * len(closing["fence"]), 1),
    ]


def without_comments(text: str) -> str:
    """text without its HTML comments (those in code stay)."""
    masked = blank_fenced_code(text) if "```" in text or "~~~" in text else text
    pieces, done = [], 0
    for start, end, is_comment in code_spans_and_comments(masked):
        if is_comment:
            pieces.append(text[done:start])
            done = end
    return "".join(pieces) + text[done:]


def record_links(markdown: str, folder: str, record: str) -> str:
    """A record's links outside code, fixed for architecture.md: relative paths rebased from folder, and a
    link to a heading of the record itself made a link to that heading in the record."""
    masked = prose(markdown)
    pieces, done = [], 0
    for match in LINK.finditer(masked):
        if markdown[match.start() : match.end()] != match[0]:
            continue  # it begins or ends inside code
        group = target_group(match)
        link = match[0]
        if match[group].startswith("#"):
            start, end = match.span(group)
            link = link[: start - match.start()] + record + match[group] + link[end - match.start() :]
        else:
            link = rebase_links(link, folder)
        pieces += [markdown[done : match.start()], link]
        done = match.end()
    return "".join(pieces) + markdown[done:]


def heading_anchor(heading_text: str) -> str:
    """The id GitHub gives a heading (and markdownlint expects of a #fragment): the heading's visible
    text lowercased, punctuation dropped and each space a hyphen."""
    visible = plain_text(LINK.sub(lambda match: match[0][1 : match[0].index("](")], heading_text))
    return re.sub(r"[^\w\- ]", "", visible.lower()).replace(" ", "-")


def import_records(
    architecture: Document, records: list[Record], root: Path, folder: str, date: str
) -> tuple[str, list[str]]:
    """architecture.md with a decision for each record it does not reference yet, numbered on after the
    last decision, a decision imported before marked superseded when its record now is, and a history
    entry that says what changed; the text unchanged and no changes if there is nothing to do."""
    span = required_section(architecture, DECISIONS)
    imported = decision_references(architecture, root)
    new = [record for record in records if record_key(root, record) not in imported]
    numbers = decision_numbers(architecture, span)
    first = max(numbers, default=0) + 1
    headings = {key: title for key, (title, _, _) in imported.items()}
    for number, record in enumerate(new, first):
        headings[record_key(root, record)] = f"Decision {number}: {record.title}"
    text, marked = mark_superseded(architecture, records, imported, headings, root)
    if not new and not marked:
        return architecture.text, []
    summary, changes = [], []
    if new:
        entries = "\n".join(
            decision_entry(
                number, record.title, record_fields(record, successor_heading(record, records, headings, root))
            )
            for number, record in enumerate(new, first)
        )
        added = Document(architecture.path, text)
        text = append_decisions(added, required_section(added, DECISIONS), bool(numbers), entries)
        last = first + len(new) - 1
        joined = "and" if last == first + 1 else "to"
        decisions = f"Decision {first}" if last == first else f"Decisions {first} {joined} {last}"
        count = f"{len(new)} architecture decision record{'' if len(new) == 1 else 's'}"
        summary.append(f"Imported {count} from [{folder}]({link_target(folder)}) as {decisions}")
        changes.append(f"{decisions} added to {DECISIONS} from {folder}")
    summary += marked
    changes += marked
    added = Document(architecture.path, text)
    entry = direct_update(date, "; ".join(summary))
    added = Document(architecture.path, insert_history_entry(added, required_section(added, HISTORY), entry, date))
    read_back = decision_references(added, root)
    if any(record_key(root, record) not in read_back for record in new):
        raise unreadable_entry(architecture, span, DECISIONS, "the decisions")
    return stamp_dates(added.text, newest_date(architecture, date)), [*changes, f"{HISTORY} entry added"]


def mark_superseded(
    architecture: Document,
    records: list[Record],
    imported: dict[str, tuple[str, int, int]],
    headings: dict[str, str],
    root: Path,
) -> tuple[str, list[str]]:
    """architecture.md with each decision imported before given the Superseded by status its record now
    has (adr-tools rewrites a record's status when a new one supersedes it), and what was marked."""
    updates = []
    for record in records:
        key = record_key(root, record)
        successor = successor_heading(record, records, headings, root) if key in imported else None
        if successor is not None:
            title, start, end = imported[key]
            updates.append((start, end, superseded_status(successor), title.split(":", 1)[0]))
    text, marked = architecture.text, list[str]()
    for start, end, status, decision in sorted(updates, reverse=True):  # from the end: offsets stay valid
        document = Document(architecture.path, text)
        fields = {m["key"]: m for m in FIELD_LINE.finditer(document.prose, start, end)}
        if "Status" in fields and fields["Status"]["value"].strip() == status:
            continue
        if "Status" in fields:
            text = text[: fields["Status"].start()] + f"**Status**: {status}" + text[fields["Status"].end() :]
        else:
            at = line_end(text, fields["Date"].start() if "Date" in fields else start)
            text = text[:at] + f"\n**Status**: {status}\n" + text[at:]
        marked.insert(0, f"{decision} marked {status.split('](', 1)[0].replace('[', '')}")
    return text, marked


def superseded_status(successor: str) -> str:
    """The Status of a decision that the decision with the heading successor supersedes."""
    number = successor.split(":", 1)[0].removeprefix("Decision ")
    return f"Superseded by [Decision {number}](#{heading_anchor(successor)})"


def record_key(root: Path, record: Record) -> str:
    return os.path.normcase(os.path.normpath(root / record.target))


def decision_references(architecture: Document, root: Path) -> dict[str, tuple[str, int, int]]:
    """The files the decisions give as their **Reference**, each with its decision's heading text and the
    offsets where the decision starts and ends."""
    found: dict[str, tuple[str, int, int]] = {}
    for record in decisions(architecture, root):
        for target in record.references:
            found.setdefault(target, (record.heading, record.start, record.end))
    return found


def successor_heading(record: Record, records: list[Record], headings: dict[str, str], root: Path) -> str | None:
    """The heading of the decision that supersedes record, None if no record does. A successor that is
    neither among records nor imported before is an error."""
    if not record.successor:
        return None
    if record.successor.isdigit():
        keys = [record_key(root, other) for other in records if other.number == int(record.successor)]
    else:
        path = posixpath.join(posixpath.dirname(record.target), local_path(record.successor) or "")
        keys = [os.path.normcase(os.path.normpath(root / path))]
    for key in keys:
        if key in headings:
            return headings[key]
    raise record.document.error(
        record.superseded_at,
        f'"Superseded by" names {record.successor}, which is no record in {shown(record.path.parent)} '
        f"and no decision in {ARCHITECTURE}",
    )


def record_fields(record: Record, successor: str | None) -> list[tuple[str, str]]:
    """The fields of the decision a record becomes."""
    fields = [("Date", record.date)]
    if successor is not None:
        fields.append(("Status", superseded_status(successor)))
    elif record.status and record.status.lower() != "accepted":
        fields.append(("Status", record.status[0].upper() + record.status[1:]))
    fields += [
        ("Context", field_value(record.context)),
        ("Decision", field_value(record.decision)),
        ("Consequences", field_value(record.consequences)),
    ]
    fields.append(("Reference", f"[{record.target}]({link_target(record.target)})"))
    return fields


def field_value(markdown: str) -> str:
    """markdown as the value of a "**Key**: value" field: a paragraph goes on the key's line, any other
    block (a list, code, a quote, a bold heading) starts on a line of its own."""
    if not markdown:
        return "Not stated in the record."
    return "\n\n" + markdown if BLOCK_START.match(markdown) else markdown


# ---- Check ---------------------------------------------------------------------------------------


def broken_links(document: Document, root: Path, exists: dict[str, bool]) -> list[SpecError]:
    """An error for each relative link whose file or folder is missing; exists caches lookups."""
    problems = []
    for link, offset in links(document):
        resolved = linked_file(document, root, link)
        if resolved is None:
            continue
        if resolved not in exists:
            exists[resolved] = os.path.exists(resolved)
        if not exists[resolved]:
            message = f"link to {link}: no such file; correct the link or remove it"
            problems.append(document.error(document.line_of(offset), message))
    return problems


class Report:
    """What check found: errors, warnings and the numbers of the summary."""

    def __init__(self) -> None:
        self.errors: list[SpecError] = []
        self.placeholders: list[tuple[str, int]] = []
        self.specs: list[Spec] = []
        self.warnings: list[str] = []


def check_repository(root: Path, latest: str) -> Report:
    report = Report()
    exists: dict[str, bool] = {}
    try:
        required = template_sections(root)
        architecture_only = architecture_only_sections(root)
    except SpecError as error:
        report.errors.append(error)
        required, architecture_only = [], set()
    all_parsed = True
    for path in spec_paths(root):
        try:
            spec = parse_spec(read_document(path))
        except SpecError as error:
            report.errors.append(error)
            all_parsed = False
            continue
        report.specs.append(spec)
        report.errors += check_spec(spec, sections_for(spec, required, architecture_only), root, latest, exists)
    try:
        architecture = read_document(root / ARCHITECTURE)
        report.placeholders = placeholders(architecture)
        report.warnings += stack_drift(architecture, root)
        report.errors += check_architecture(architecture, report.specs, root, latest, exists)
        report.errors += check_decisions(architecture, report.specs, root)
        report.errors += check_history_links(architecture, report.specs, root)
        outline, changes = Outline(architecture), open_changes(report.specs, root)
        report.errors += check_changes_ahead(architecture, outline, changes)
        report.warnings += overlapping_changes(architecture, outline, changes)
    except SpecError as error:
        report.errors.append(error)
    report.errors += check_supersedes(report.specs, root)
    report.warnings += stray_markdown(root)
    if all_parsed:
        report.errors += check_index(root, report.specs)
    return report


def sections_for(spec: Spec, required: list[str], architecture_only: set[str]) -> list[str]:
    """The sections a spec must have: the architecture-only ones in open architecture specs alone (a spec
    closed out before the template had them keeps its sections)."""
    if spec.is_architecture and spec.value("Status") not in CLOSED_STATUSES:
        return required
    return [name for name in required if name not in architecture_only]


OpenChanges = list[tuple[Spec, list[Operation], list[SpecError]]]


def open_changes(specs: list[Spec], root: Path) -> OpenChanges:
    """The Architecture Changes of every spec not yet Implemented, Rejected or Superseded."""
    return [
        (spec, *architecture_changes(spec, root))
        for spec in specs
        if spec.value("Status") not in CLOSED_STATUSES and f"## {ARCHITECTURE_CHANGES}" in spec.document.text
    ]


def check_changes_ahead(architecture: Document, outline: Outline, changes: OpenChanges) -> list[SpecError]:
    """What would stop the close-out of each open spec's Architecture Changes: a malformed operation, a
    target missing from architecture.md or ambiguous there."""
    problems: list[SpecError] = []
    for spec, operations, malformed in changes:
        problems += malformed
        try:
            for operation in operations:
                target_heading(outline, operation, spec, architecture)
        except SpecError:  # perhaps a heading an earlier operation adds: apply them in order to know
            problems += apply_changes(architecture, operations, spec)[2]
    return problems


def overlapping_changes(architecture: Document, outline: Outline, changes: OpenChanges) -> list[str]:
    """A warning for each section of architecture.md that more than one open spec changes, itself or
    a part of it: the spec closed out second has to be brought up to date with the first."""
    touched = []
    for spec, operations, _ in changes:
        for operation in operations:
            matches = outline.matching(operation.target)
            if len(matches) == 1:
                touched.append((matches[0], spec, operation))
    touched.sort(key=lambda item: item[0].start)
    warnings, number = [], 0
    while number < len(touched):
        outer, end = touched[number][0], number + 1
        while end < len(touched) and touched[end][0].start < outer.end:
            end += 1
        group, number = touched[number:end], end
        if len({spec.path for _, spec, _ in group}) > 1:
            named = ", ".join(f"{shown(spec.path)}:{operation.line} ({operation})" for _, spec, operation in group)
            where = f"{shown(architecture.path)}:{outer.line}"
            warnings.append(
                f'{where}: warning: "{outer.text}" is changed by more than one open spec: {named}; '
                "close one out, then bring the others up to date"
            )
    return warnings


def check_architecture(
    architecture: Document, specs: list[Spec], root: Path, latest: str, exists: dict[str, bool]
) -> list[SpecError]:
    problems: list[SpecError] = []
    last_updated = one_field(architecture, metadata(architecture), "Last Updated")
    problems += check_date(architecture, last_updated, latest)
    problems += broken_links(architecture, root, exists)
    problems += unclosed_comment(architecture)
    spans = {name: section_span(architecture, name) for name in (DECISIONS, HISTORY)}
    for name, span in spans.items():
        if span is None:
            problems.append(architecture.error(architecture.last_line(), f'no "## {name}" section'))
    history = spans[HISTORY]
    if history is None:
        return problems
    newest = ""
    for entry in HISTORY_ENTRY.finditer(architecture.prose, *history):
        line = architecture.line_of(entry.start())
        if not is_date(entry["date"]):
            problems.append(architecture.error(line, f"{entry['date']} in the {HISTORY} is not a real date"))
        elif entry["date"] > newest:
            newest, newest_line = entry["date"], line
    if newest and is_date(last_updated.value) and last_updated.value < newest:
        problems.append(
            architecture.error(
                last_updated.line,
                f"Last Updated {last_updated.value} is older than the newest {HISTORY} entry "
                f"({newest}, line {newest_line})",
            )
        )
    return problems


def check_index(root: Path, specs: list[Spec]) -> list[SpecError]:
    try:
        readme = read_document(root / SPECS_README)
        start, end = index_span(readme)
    except SpecError as error:
        return [error]
    if readme.text[start:end] != index_body(specs):
        return [
            readme.error(
                readme.line_of(start), "the spec index is out of date; run python tools/spec.py index"
            )
        ]
    return []


def check_decisions(architecture: Document, specs: list[Spec], root: Path) -> list[SpecError]:
    """Decisions against specs, both ways: numbers unique; a decision records an Implemented or Superseded
    spec, marked superseded exactly when its spec is; each Implemented architecture spec has one."""
    records = decisions(architecture, root)
    by_key = {spec.key: spec for spec in specs}
    numbered: dict[int, Decision] = {}
    recorded: dict[str, Decision] = {}
    problems = []
    for record in records:
        first = numbered.setdefault(record.number, record)
        if first is not record:
            problems.append(
                architecture.error(
                    record.line,
                    f"a second Decision {record.number} (the first is at line {first.line}), as a merge leaves "
                    f"them; run python tools/spec.py renumber to number the decisions 1 to {len(records)}",
                )
            )
        spec = by_key.get(record.spec or "")
        if spec is not None:
            first = recorded.setdefault(spec.key, record)
            successors = [by_key[key] for key in field_targets(spec, "Superseded by", root) if key in by_key]
            shipped = next((s.slug for s in successors if s.value("Status") in ("Implemented", "Superseded")), "NEW")
            problems += check_decision(architecture, record, spec, first, shipped)
    for spec in specs:
        if spec.is_architecture and spec.value("Status") == "Implemented" and spec.key not in recorded:
            problems.append(
                spec.document.error(
                    spec.fields["Status"].line,
                    f"Implemented but no decision in {DECISIONS} of {ARCHITECTURE} records it; "
                    f"run python tools/spec.py implement {spec.slug} to add one",
                )
            )
    return problems


def check_decision(
    architecture: Document, record: Decision, spec: Spec, first: Decision, successor: str
) -> list[SpecError]:
    """What is wrong with one decision that records spec; first is the first decision that records it,
    successor the spec that supersedes spec."""
    name, status = f"Decision {record.number}", spec.value("Status")
    if status not in ("Implemented", "Superseded"):
        return [
            architecture.error(
                record.fields["Reference"].line,
                f"{name} records {spec.slug}, which is {status}, not Implemented; run python tools/spec.py "
                f"implement {spec.slug} once it has shipped, or delete the decision",
            )
        ]
    if first is not record:
        return [
            architecture.error(
                record.line,
                f"{name} records {spec.slug}, as Decision {first.number} (line {first.line}) already does; "
                "keep one of them, then run python tools/spec.py renumber",
            )
        ]
    if status == "Superseded" and not record.superseded:
        return [
            architecture.error(
                record.line,
                f"{name} records {spec.slug}, which is Superseded, but is not marked so; "
                f"run python tools/spec.py implement {successor} to mark it",
            )
        ]
    if status == "Implemented" and record.superseded:
        return [
            architecture.error(
                record.fields["Status"].line,
                f"{name} is marked Superseded, but {spec.slug} is Implemented; delete this **Status** line, "
                f"or run python tools/spec.py supersede {spec.slug} --by NEW",
            )
        ]
    return []


def check_history_links(architecture: Document, specs: list[Spec], root: Path) -> list[SpecError]:
    """Each Implementation History entry that links a spec links an Implemented or Superseded one, once;
    each Implemented spec has one."""
    span = section_span(architecture, HISTORY)
    if span is None:
        return []
    by_key = {spec.key: spec for spec in specs}
    first_lines: dict[str, int] = {}
    problems = []
    for entry in HISTORY_ENTRY.finditer(architecture.prose, *span):
        line = architecture.line_of(entry.start())
        end = end_of_list_item(architecture.prose, entry.start())
        files = linked_files(architecture, root, entry.start(), end)
        spec = next((by_key[file] for file in files if file in by_key), None)
        if spec is None:
            continue
        status, first = spec.value("Status"), first_lines.setdefault(spec.key, line)
        if status not in ("Implemented", "Superseded"):
            problems.append(
                architecture.error(
                    line,
                    f"the {HISTORY} entry for {spec.slug}, which is {status}, not Implemented; run "
                    f"python tools/spec.py implement {spec.slug} once it has shipped, or delete the entry",
                )
            )
        elif first != line:
            problems.append(
                architecture.error(
                    line, f"a second {HISTORY} entry for {spec.slug} (the first is at line {first}); delete one"
                )
            )
    for spec in specs:
        missing = spec.key not in first_lines
        if missing and spec.value("Status") == "Implemented":
            problems.append(
                spec.document.error(
                    spec.fields["Status"].line,
                    f"Implemented but missing from the {HISTORY} in {ARCHITECTURE}; "
                    f"run python tools/spec.py implement {spec.slug}",
                )
            )
    return problems


def check_supersedes(specs: list[Spec], root: Path) -> list[SpecError]:
    """Supersedes and Superseded by name each other, and the Status follows them: a spec is Superseded
    exactly when a spec that supersedes it is Implemented; a Rejected spec supersedes nothing."""
    by_key = {spec.key: spec for spec in specs}
    targets = {(key, id(spec)): field_targets(spec, key, root) for spec in specs for key in SUPERSEDE}
    problems = []
    for spec in specs:
        if not (targets["Supersedes", id(spec)] or targets["Superseded by", id(spec)]):
            continue  # most specs: nothing to tie together
        document, own = spec.document, spec.key
        links_of = {key: [by_key[t] for t in targets[key, id(spec)] if t in by_key] for key in SUPERSEDE}
        for key, back in SUPERSEDE.items():
            field = spec.fields[key]
            for other in links_of[key]:
                old, new = (spec, other) if key == "Superseded by" else (other, spec)
                if other is spec:
                    problems.append(
                        document.error(field.line, f"**{key}** names this spec itself; take that link out")
                    )
                elif own not in targets[back, id(other)]:
                    problems.append(
                        document.error(
                            field.line,
                            f"**{key}** names {other.slug}, whose **{back}** does not name this spec; run "
                            f"python tools/spec.py supersede {old.slug} --by {new.slug} to link both",
                        )
                    )
        problems += check_superseded_status(spec, links_of["Superseded by"])
    return problems


def check_superseded_status(spec: Spec, successors: list[Spec]) -> list[SpecError]:
    status, document = spec.fields["Status"], spec.document
    shipped = [other.slug for other in successors if other.value("Status") == "Implemented"]
    superseded = [other.slug for other in successors if other.value("Status") == "Superseded"]  # shipped too
    rejected = [other.slug for other in successors if other.value("Status") == "Rejected"]
    problems = []
    if status.value == "Superseded" and successors and not shipped + superseded:
        problems.append(
            document.error(
                status.line,
                f"Status is Superseded, but {', '.join(other.slug for other in successors)} in "
                "**Superseded by** is not Implemented; a spec is superseded when its successor is implemented: "
                "edit its Status back to what it was, and implement the successor once it has shipped",
            )
        )
    if status.value != "Superseded" and shipped:
        problems.append(
            document.error(
                status.line,
                f"{shipped[0]} supersedes it and is Implemented, but Status is {status.value}; "
                f"run python tools/spec.py implement {shipped[0]} to mark it Superseded",
            )
        )
    if status.value == "Rejected" and successors:
        problems.append(
            document.error(
                spec.fields["Superseded by"].line,
                f"Status is Rejected, so nothing supersedes it, but **Superseded by** names "
                f"{', '.join(other.slug for other in successors)}; "
                f"run python tools/spec.py status {spec.slug} Rejected to take the links out",
            )
        )
    for slug in rejected:
        problems.append(
            document.error(
                spec.fields["Superseded by"].line,
                f"**Superseded by** names {slug}, which is Rejected and supersedes nothing; "
                f"run python tools/spec.py status {slug} Rejected to take the links out",
            )
        )
    return problems


def stray_markdown(root: Path) -> list[str]:
    """A warning for each Markdown file under specs/ that is neither a spec, its README nor a template
    (hidden files and folders left out)."""
    folder = root / "specs"
    accounted = {folder / "templates", root / FEATURES, root / SPECS_README}  # specs/features: all specs
    strays = []
    for where, folders, files in os.walk(folder):
        here = Path(where)
        folders[:] = [name for name in folders if not name.startswith(".") and here / name not in accounted]
        strays += [here / name for name in files if name.endswith(".md") and not name.startswith(".")]
    return [
        f"{shown(path)}:1: warning: not a spec (specs live in {FEATURES}/), the README or a template; "
        f"move it into {FEATURES}/ if it is a spec, else out of specs/"
        for path in sorted(strays)
        if path not in accounted
    ]


# What shows each technology the template names in a manifest: "go:" modules (and those under them),
# "node:" npm packages, "python:" distributions, "rust:" crates, "java:" Maven artifacts and Gradle
# plugins, "dotnet:" NuGet packages and SDKs, "image:" container images and Helm charts (the last part of
# the name, without registry or tag); a trailing * matches any name that starts so. Docker and Kubernetes
# show in their own files. Python's sqlite3 and boto3 are no evidence: the standard library, every AWS
# service.
TECHNOLOGIES: dict[str, tuple[str, ...]] = {
    "PostgreSQL": (
        "go:github.com/lib/pq", "go:github.com/jackc/pgx", "node:pg", "node:postgres", "node:pg-promise",
        "python:psycopg", "python:psycopg2", "python:psycopg2-binary", "python:asyncpg", "python:pg8000",
        "rust:tokio-postgres", "rust:postgres", "java:postgresql", "java:r2dbc-postgresql", "dotnet:npgsql*",
        "image:postgres", "image:postgresql", "image:postgis",
    ),
    "MySQL": (
        "go:github.com/go-sql-driver/mysql", "node:mysql", "node:mysql2", "python:pymysql", "python:mysqlclient",
        "python:aiomysql", "python:asyncmy", "python:mysql-connector-python", "rust:mysql", "rust:mysql-async",
        "java:mysql-connector-j", "java:mysql-connector-java", "dotnet:mysqlconnector", "dotnet:mysql.data",
        "dotnet:pomelo.entityframeworkcore.mysql", "image:mysql",
    ),
    "SQLite": (
        "go:github.com/mattn/go-sqlite3", "go:modernc.org/sqlite", "node:sqlite3", "node:better-sqlite3",
        "rust:rusqlite", "java:sqlite-jdbc", "dotnet:microsoft.data.sqlite*",
    ),
    "MongoDB": (
        "go:go.mongodb.org/mongo-driver", "node:mongodb", "node:mongoose", "python:pymongo", "python:motor",
        "python:mongoengine", "rust:mongodb", "java:mongodb-driver*", "dotnet:mongodb.driver",
        "image:mongo", "image:mongodb",
    ),
    "Redis": (
        "go:github.com/redis/go-redis", "go:github.com/go-redis/redis", "go:github.com/gomodule/redigo",
        "node:redis", "node:ioredis", "python:redis", "python:aioredis", "python:django-redis", "rust:redis",
        "java:jedis", "java:lettuce-core", "dotnet:stackexchange.redis", "image:redis",
    ),
    "Memcached": (
        "go:github.com/bradfitz/gomemcache", "node:memcached", "node:memjs", "python:pymemcache",
        "python:python-memcached", "python:aiomcache", "rust:memcache", "java:spymemcached",
        "java:xmemcached", "dotnet:enyimmemcachedcore", "image:memcached",
    ),
    "RabbitMQ": (
        "go:github.com/rabbitmq/amqp091-go", "go:github.com/streadway/amqp", "node:amqplib",
        "node:amqp-connection-manager", "python:pika", "python:aio-pika", "rust:lapin", "java:amqp-client",
        "java:spring-rabbit", "dotnet:rabbitmq.client", "image:rabbitmq",
    ),
    "Kafka": (
        "go:github.com/segmentio/kafka-go", "go:github.com/ibm/sarama", "go:github.com/shopify/sarama",
        "go:github.com/confluentinc/confluent-kafka-go", "go:github.com/twmb/franz-go", "node:kafkajs",
        "node:node-rdkafka", "node:@confluentinc/kafka-javascript", "python:kafka-python",
        "python:confluent-kafka", "python:aiokafka", "rust:rdkafka", "java:kafka-clients", "java:spring-kafka",
        "dotnet:confluent.kafka", "image:kafka", "image:cp-kafka", "image:cp-server",
    ),
    "NATS": (
        "go:github.com/nats-io/nats.go", "node:nats", "python:nats-py", "rust:async-nats", "rust:nats",
        "java:jnats", "dotnet:nats.client", "dotnet:nats.net", "image:nats",
    ),
    "Amazon SQS": (
        "go:github.com/aws/aws-sdk-go-v2/service/sqs", "node:@aws-sdk/client-sqs", "node:sqs-consumer",
        "rust:aws-sdk-sqs", "java:sqs", "dotnet:awssdk.sqs",
    ),
    "FastAPI": ("python:fastapi",),
    "Django": ("python:django",),
    "Flask": ("python:flask",),
    "Express": ("node:express",),
    "NestJS": ("node:@nestjs/core",),
    "Fastify": ("node:fastify",),
    "Gin": ("go:github.com/gin-gonic/gin",),
    "Echo": ("go:github.com/labstack/echo",),
    "Spring Boot": ("java:spring-boot*", "java:org.springframework.boot"),
    "Quarkus": ("java:quarkus*", "java:io.quarkus"),
    "ASP.NET Core": ("dotnet:microsoft.aspnetcore*", "dotnet:microsoft.net.sdk.web"),
    "Axum": ("rust:axum",),
    "Actix Web": ("rust:actix-web",),
    "Docker": ("docker:",),
    "Kubernetes": ("kubernetes:",),
}

# Other names the stack may give a technology.
STACK_ALIASES = {"PostgreSQL": ("Postgres",), "Amazon SQS": ("SQS",), "Kubernetes": ("K8s",)}

# The kinds of manifest that show a prefix's names, where a technology's absence counts: images run in
# Compose files, Kubernetes manifests and Helm charts (a Dockerfile's base image is no service it uses);
# any Docker or Kubernetes file would show Docker and Kubernetes.
EVIDENCE_KINDS = {
    "image": ("deployment",),
    "docker": ("deployment", "dockerfile"),
    "kubernetes": ("deployment", "dockerfile"),
}


class Evidence:
    """Something a manifest says about the technologies in use: an evidence name at a line."""

    def __init__(self, name: str, path: Path, line: int) -> None:
        self.name, self.path, self.line = name, path, line


def stack_drift(architecture: Document, root: Path) -> list[str]:
    """A warning for each technology the manifests show and the Technology Stack does not name, and for
    each it names that manifests of its kind do not show; none when there is no such section."""
    stack = technology_stack(architecture)
    if stack is None:
        return []
    manifests, evidence = read_manifests(root)
    used: dict[str, Evidence] = {}
    unreadable = []
    for found in sorted(evidence, key=lambda found: (found.path.as_posix(), found.line)):
        if found.name.startswith("unreadable:"):
            unknown = f"{found.name[11:]}, so its dependencies are unknown"
            unreadable.append(f"{shown(found.path)}:{found.line}: warning: {unknown}")
        for technology in technologies_shown_by(found.name):
            used.setdefault(technology, found)
    warnings = unreadable + [
        f"{shown(found.path)}:{found.line}: warning: uses {technology}{evidence_note(found.name)}, which the "
        f"Technology Stack in {ARCHITECTURE} does not name"
        for technology, found in used.items()
        if technology not in stack
    ]
    kinds: dict[str, list[Path]] = {}
    for kind, path in manifests:
        kinds.setdefault(kind, []).append(path)
    for technology, line in stack.items():
        read = sorted({path for kind in technology_kinds(technology) for path in kinds.get(kind, [])})
        if technology not in used and read:
            warnings.append(
                f"{shown(architecture.path)}:{line}: warning: the Technology Stack names {technology}, but no "
                f"manifest shows it (read: {listed([shown(path) for path in read])})"
            )
    return warnings


def evidence_note(name: str) -> str:
    value = name.partition(":")[2]
    return f" ({value})" if value else ""


def listed(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"


STACK_HEADING = re.compile(r"^#{2,3}[ \t]+Technology Stack[ \t]*$", re.MULTILINE)

NEXT_HEADING = re.compile(r"^#{1,3}[ \t]", re.MULTILINE)


def technology_stack(architecture: Document) -> dict[str, int] | None:
    """The technologies the Technology Stack section (### or ##) names, placeholders left out, each with
    the line it is first named on; None when there is no such section."""
    heading = STACK_HEADING.search(architecture.prose)
    if heading is None:
        return None
    following = NEXT_HEADING.search(architecture.prose, heading.end())
    end = following.start() if following else len(architecture.text)
    text = PLACEHOLDER.sub(blank, architecture.prose[heading.end() : end])
    named: dict[str, int] = {}
    for technology in TECHNOLOGIES:
        for name in (technology, *STACK_ALIASES.get(technology, ())):
            match = re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text, re.IGNORECASE)
            if match and technology not in named:
                named[technology] = architecture.line_of(heading.end() + match.start())
    return dict(sorted(named.items(), key=lambda item: item[1]))


def technology_kinds(technology: str) -> set[str]:
    prefixes = {name.split(":", 1)[0] for name in TECHNOLOGIES[technology]}
    return {kind for prefix in prefixes for kind in EVIDENCE_KINDS.get(prefix, (prefix,))}


def technologies_shown_by(name: str) -> list[str]:
    """The technologies an evidence name such as "go:github.com/jackc/pgx/v5" shows."""
    exact, prefixes = evidence_index()
    found = list(exact.get(name, []))
    if name.startswith("go:"):  # a module shows its parent module's technology too: .../pgx/v5
        parts = name.split("/")
        for end in range(len(parts) - 1, 0, -1):
            found += exact.get("/".join(parts[:end]), [])
    found += [technology for prefix, technology in prefixes if name.startswith(prefix)]
    return list(dict.fromkeys(found))


_EVIDENCE_INDEX: tuple[dict[str, list[str]], list[tuple[str, str]]] = ({}, [])


def evidence_index() -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """TECHNOLOGIES the other way round: the technologies of each name, and the prefixes (name*)."""
    exact, prefixes = _EVIDENCE_INDEX
    if not exact:
        for technology, names in TECHNOLOGIES.items():
            for name in names:
                if name.endswith("*"):
                    prefixes.append((name[:-1], technology))
                else:
                    exact.setdefault(name, []).append(technology)
    return _EVIDENCE_INDEX


def read_manifests(root: Path) -> tuple[list[tuple[str, Path]], list[Evidence]]:
    """Every manifest in the repository, as (kind, path), and the evidence read from them. Dependency
    folders, vendored code and hidden folders are left out, and only files named as manifests are read."""
    manifests: list[tuple[str, Path]] = []
    evidence: list[Evidence] = []
    for path, kind, reader in manifest_paths(root):
        try:
            text = read_regular_file(path).decode("utf-8", errors="replace")
        except (OSError, SpecError):  # a FIFO named go.mod is skipped, not waited on
            continue
        found = reader(path, text)
        evidence += found
        if kind == "kubernetes" and not found:
            continue  # a YAML file under deploy/ that is no Kubernetes manifest
        if not any(one.name.startswith("unreadable:") for one in found):  # what it lacks is unknown
            manifests.append(("deployment" if kind == "kubernetes" else kind, path))
    return manifests, evidence


Reader = Callable[[Path, str], list[Evidence]]

SKIPPED_FOLDERS = {"node_modules", "vendor", "third_party", "venv", "__pycache__", "testdata"}

KUBERNETES_FOLDERS = {"k8s", "kubernetes", "kube", "manifests", "deploy", "deployment", "deployments"}


def manifest_paths(root: Path) -> Iterator[tuple[Path, str, Reader]]:
    """(path, kind, reader) of each manifest under root, folder by folder in name order."""
    folders = [(root, False)]
    while folders:
        folder, in_kubernetes = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue
        names = {entry.name for entry in entries}
        subfolders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                ours = folder == root and entry.name == "specs"  # specs and their templates: no manifest
                if not entry.name.startswith(".") and entry.name not in SKIPPED_FOLDERS and not ours:
                    subfolders.append((Path(entry.path), in_kubernetes or entry.name.lower() in KUBERNETES_FOLDERS))
                continue
            found = manifest_reader(entry.name, in_kubernetes, "Chart.yaml" in names)
            if found is not None:
                yield (Path(entry.path), *found)
        folders += reversed(subfolders)


def manifest_reader(name: str, in_kubernetes: bool, in_chart: bool) -> tuple[str, Reader] | None:
    """The kind of manifest a file name marks, and how to read it; None for any other file."""
    lower = name.lower()
    if lower in MANIFEST_NAMES:
        return MANIFEST_NAMES[lower]
    is_yaml = lower.endswith((".yml", ".yaml"))
    if lower.startswith("requirements") and lower.endswith(".txt"):
        return "python", read_requirements
    if is_yaml and lower.startswith(("docker-compose", "compose")):
        return "deployment", read_compose
    if lower == "dockerfile" or lower.startswith("dockerfile.") or lower.endswith(".dockerfile"):
        return "dockerfile", read_dockerfile
    if lower.endswith(".csproj"):
        return "dotnet", read_csproj
    if is_yaml and in_chart and lower.startswith("values"):
        return "deployment", read_images
    if is_yaml and (in_kubernetes or lower.startswith("kustomization")):
        return "kubernetes", read_kubernetes
    return None


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    return enumerate(text.split("\n"), 1)


GO_REQUIRE = re.compile(r"^(?:require[ \t]+)?(?P<module>[A-Za-z0-9][^\s()]*)[ \t]+v[0-9]\S*[ \t]*(?P<rest>.*)$")


def read_go_mod(path: Path, text: str) -> list[Evidence]:
    """The modules go.mod requires directly (indirect ones are a dependency's choice)."""
    found = []
    in_block = False
    for number, line in numbered_lines(text):
        stripped = line.strip()
        if stripped.startswith("require") and stripped.endswith("("):
            in_block = True
            continue
        if in_block and stripped.startswith(")"):
            in_block = False
            continue
        if not in_block and not stripped.startswith("require"):
            continue
        match = GO_REQUIRE.match(stripped)
        if match and "// indirect" not in match["rest"]:
            found.append(Evidence(f"go:{match['module'].lower()}", path, number))
    return found


def read_package_json(path: Path, text: str) -> list[Evidence]:
    """The packages package.json depends on to run (devDependencies are for tests and builds)."""
    import json

    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        return [Evidence(f"unreadable:is not valid JSON ({error.msg})", path, error.lineno)]
    if not isinstance(manifest, dict):
        return []
    found = []
    for group in ("dependencies", "optionalDependencies", "peerDependencies"):
        packages = manifest.get(group)
        if not isinstance(packages, dict):
            continue
        start = text.find(f'"{group}"')
        for package in packages:
            at = text.find(f'"{package}"', max(start, 0))
            line = text.count("\n", 0, at) + 1 if at >= 0 else 1
            found.append(Evidence(f"node:{package.lower()}", path, line))
    return found


REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def python_name(requirement: str) -> str | None:
    name = REQUIREMENT_NAME.match(requirement.strip())
    return re.sub(r"[-_.]+", "-", name[0]).lower() if name else None


def read_requirements(path: Path, text: str) -> list[Evidence]:
    found = []
    for number, line in numbered_lines(text):
        stripped = line.split(" #", 1)[0].strip()
        name = python_name(stripped) if stripped and not stripped.startswith(("-", "#")) else None
        if name and "://" not in stripped.split("@", 1)[0]:  # "name @ https://..." names it; a bare URL not
            found.append(Evidence(f"python:{name}", path, number))
    return found


TOML_TABLE = re.compile(r"^[ \t]*\[\[?(?P<table>[^\]\n]*)\]")

TOML_KEY = re.compile(r"^[ \t]*(?P<key>[A-Za-z0-9_.-]+|\"[^\"]*\")[ \t]*=")

QUOTED = re.compile(r"\"(?P<double>[^\"\n]*)\"|'(?P<single>[^'\n]*)'")


def read_pyproject(path: Path, text: str) -> list[Evidence]:
    """Dependencies in [project] (and its optional ones), [dependency-groups] and Poetry's tables, read
    line by line (tomllib is Python 3.11+)."""
    found = []
    table, in_array = "", False
    for number, whole_line in numbered_lines(text):
        line = whole_line
        header = TOML_TABLE.match(line) if not in_array else None
        if header:
            table = header["table"].strip("[] \t").replace('"', "").replace(" ", "")
            continue
        key = TOML_KEY.match(line) if not in_array else None
        is_poetry = table.startswith("tool.poetry.") and table.endswith("dependencies")
        if key and is_poetry:
            name = python_name(key["key"].strip('"'))
            if name and name != "python":
                found.append(Evidence(f"python:{name}", path, number))
            continue
        arrays = table in ("project.optional-dependencies", "dependency-groups", "tool.pdm.dev-dependencies")
        if key and (arrays or (table == "project" and key["key"] == "dependencies")):
            line = line[key.end() :]
            in_array = "[" in line
        if not in_array:
            continue
        for string in QUOTED.finditer(line):
            name = python_name(string["double"] if string["double"] is not None else string["single"])
            if name:
                found.append(Evidence(f"python:{name}", path, number))
        in_array = "]" not in QUOTED.sub("", line)
    return found


def read_cargo_toml(path: Path, text: str) -> list[Evidence]:
    """The crates in [dependencies], [workspace.dependencies] and [target.*.dependencies]."""
    found = []
    table = ""
    for number, line in numbered_lines(text):
        header = TOML_TABLE.match(line)
        if header:
            table = header["table"].strip("[] \t").replace('"', "").replace("'", "")
            if table.startswith(("dependencies.", "workspace.dependencies.")):
                found.append(Evidence(f"rust:{table.rsplit('.', 1)[1].replace('_', '-').lower()}", path, number))
            continue
        key = TOML_KEY.match(line)
        if key and (table in ("dependencies", "workspace.dependencies") or table.endswith(".dependencies")):
            if table.endswith("dev-dependencies") or table.endswith("build-dependencies"):
                continue
            found.append(Evidence(f"rust:{key['key'].strip(chr(34)).replace('_', '-').lower()}", path, number))
    return found


XML_ARTIFACT = re.compile(r"<artifactId>[ \t]*(?P<name>[^<\s]+)[ \t]*</artifactId>")


def read_pom(path: Path, text: str) -> list[Evidence]:
    return [
        Evidence(f"java:{match['name'].lower()}", path, number)
        for number, line in numbered_lines(text)
        for match in XML_ARTIFACT.finditer(line)
    ]


GRADLE_DEPENDENCY = re.compile(r"[\"'](?P<group>[\w.-]+):(?P<artifact>[\w.-]+)(?::[^\"'\s]*)?[\"']")

GRADLE_PLUGIN = re.compile(r"\bid(?:[ \t]*\()?[ \t]*[\"'](?P<plugin>[\w.-]+)[\"']")


def read_gradle(path: Path, text: str) -> list[Evidence]:
    found = []
    for number, line in numbered_lines(text):
        found += [Evidence(f"java:{m['artifact'].lower()}", path, number) for m in GRADLE_DEPENDENCY.finditer(line)]
        found += [Evidence(f"java:{m['plugin'].lower()}", path, number) for m in GRADLE_PLUGIN.finditer(line)]
    return found


NUGET_PACKAGE = re.compile(r"<PackageReference[^<>]*?\bInclude=\"(?P<name>[^\"]+)\"", re.IGNORECASE)

DOTNET_SDK = re.compile(r"<Project[^<>]*?\bSdk=\"(?P<name>[^\"]+)\"", re.IGNORECASE)


def read_csproj(path: Path, text: str) -> list[Evidence]:
    found = []
    for number, line in numbered_lines(text):
        for pattern in (NUGET_PACKAGE, DOTNET_SDK):
            found += [Evidence(f"dotnet:{m['name'].lower()}", path, number) for m in pattern.finditer(line)]
    return found


def image_name(reference: str) -> str:
    """postgres for docker.io/library/postgres:16-alpine@sha256:..., postgresql for bitnami/postgresql."""
    return reference.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0].lower()


YAML_IMAGE = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:image|repository):[ \t]*[\"']?(?P<image>[^\s\"'#]+)")


def read_images(path: Path, text: str) -> list[Evidence]:
    """The images a Compose file, Kubernetes manifest or Helm values file names in image: (or a values
    file's repository:) lines."""
    return [
        Evidence(f"image:{image_name(match['image'])}", path, number)
        for number, line in numbered_lines(text)
        for match in [YAML_IMAGE.match(line)]
        if match
    ]


def read_compose(path: Path, text: str) -> list[Evidence]:
    return [Evidence("docker:", path, 1), *read_images(path, text)]


DOCKER_FROM = re.compile(r"^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(?P<image>\S+)", re.IGNORECASE)


def read_dockerfile(path: Path, text: str) -> list[Evidence]:
    found = []
    for number, line in numbered_lines(text):
        match = DOCKER_FROM.match(line)
        if match:
            found.append(Evidence(f"image:{image_name(match['image'])}", path, number))
    first = found[0].line if found else 1
    return [Evidence("docker:", path, first), *found]


def read_kubernetes(path: Path, text: str) -> list[Evidence]:
    """A Kubernetes manifest (it has apiVersion: and kind: lines) and the images it runs; nothing for any
    other YAML file."""
    kind = re.search(r"^kind:[ \t]*\S", text, re.MULTILINE)
    if kind is None or not re.search(r"^apiVersion:[ \t]*\S", text, re.MULTILINE):
        return []
    return [Evidence("kubernetes:", path, text.count("\n", 0, kind.start()) + 1), *read_images(path, text)]


YAML_NAME = re.compile(r"^[ \t]*(?:-[ \t]+)?name:[ \t]*[\"']?(?P<name>[^\s\"'#]+)")


def read_chart(path: Path, text: str) -> list[Evidence]:
    """A Helm chart: Kubernetes, and the charts it depends on (bitnami/postgresql and the like)."""
    found = [Evidence("kubernetes:", path, 1)]
    in_dependencies = False
    for number, line in numbered_lines(text):
        if line and not line[0].isspace() and not line.startswith("-"):
            in_dependencies = line.startswith("dependencies:")
            continue
        match = YAML_NAME.match(line) if in_dependencies else None
        if match:
            found.append(Evidence(f"image:{match['name'].lower()}", path, number))
    return found


MANIFEST_NAMES: dict[str, tuple[str, Reader]] = {
    "go.mod": ("go", read_go_mod),
    "package.json": ("node", read_package_json),
    "pyproject.toml": ("python", read_pyproject),
    "cargo.toml": ("rust", read_cargo_toml),
    "pom.xml": ("java", read_pom),
    "build.gradle": ("java", read_gradle),
    "build.gradle.kts": ("java", read_gradle),
    "chart.yaml": ("deployment", read_chart),
}


# ---- Commands ------------------------------------------------------------------------------------


def command_new(root: Path, options: argparse.Namespace) -> int:
    title = one_line(options.title, "TITLE")
    slug = slugify(title)
    if not slug:
        raise SpecError(f'the title "{title}" has no letters or digits to make a file name from', exit_status=2)
    if options.architecture:
        slug = slug if slug.startswith(ARCHITECTURE_PREFIX) else ARCHITECTURE_PREFIX + slug
    elif slug.startswith(ARCHITECTURE_PREFIX):
        raise SpecError(
            f'the title "{title}" makes the file name {slug}.md, which marks an architecture spec; '
            "add --architecture, or reword the title", exit_status=2
        )
    path = root / FEATURES / f"{slug}.md"
    if path.exists():
        raise SpecError("already exists; edit it, or choose another title", path)
    twin = twin_slug(slug)
    if twin is not None and (root / FEATURES / f"{twin}.md").exists():
        raise SpecError(
            f'already exists, and "{slug.removeprefix(ARCHITECTURE_PREFIX)}" would name both it and '
            f"{path.name}; choose another title",
            root / FEATURES / f"{twin}.md",
        )
    owner = (
        markdown_value(one_line(options.owner, "--owner"))
        if options.owner is not None
        else architecture_owner(root)
    )
    priority = (
        markdown_value(one_line(options.priority, "--priority")) if options.priority is not None else None
    )
    title_markdown = markdown_value(title, heading=True)
    text = fill_template(read_document(root / TEMPLATE), title_markdown, owner, priority, options.date)
    text = for_kind(Document(path, text), options.architecture)
    save(root, [Document(path, text, new=True)])
    print(shown(path))
    return 0


SURROGATE = re.compile("[\ud800-\udfff]")


def one_line(value: str, name: str) -> str:
    value = value.replace("\t", " ").strip()  # a tab would be a hard tab in the Markdown (MD010)
    if not value or "\n" in value or "\r" in value:
        raise SpecError(f"{name} must be one line of text, not {value!r}", exit_status=2)
    if SURROGATE.search(value):  # how Python keeps the bytes of an argument that are not UTF-8
        raise SpecError(f"{name} must be UTF-8 text, not {value!r}; check the terminal's encoding", exit_status=2)
    refuse_unsafe_characters(value, name)
    return value


def refuse_unsafe_characters(value: str, name: str) -> None:
    """A SpecError naming the first character of value that could drive a terminal or hide text."""
    character = unsafe_character(value)
    if character is not None:
        import unicodedata

        kind = UNSAFE_CATEGORIES[unicodedata.category(character)]
        raise SpecError(
            f"{name} holds U+{ord(character):04X}, {kind}; use printable text only "
            "(letters, digits, punctuation, symbols and spaces)", exit_status=2
        )


def architecture_owner(root: Path) -> str | None:
    owners = metadata(read_document(root / ARCHITECTURE)).get("Owner")
    return owners[0].value if owners and owners[0].value else None


def fill_template(template: Document, title: str, owner: str | None, priority: str | None, date: str) -> str:
    """A new spec's text: the template with its title, Status Draft, owner, priority and dates filled in."""
    heading = TITLE_LINE.search(template.text, 0, header_end(template.text))
    if heading is None or "[Title]" not in heading[0]:
        raise template.error(1, 'no title line with a [Title] placeholder, like "# Spec: [Title]"')
    fields = metadata(template)
    for key in SPEC_FIELDS:
        one_field(template, fields, key)
    text = (
        template.text[: heading.start()]
        + heading[0].replace("[Title]", title, 1)
        + template.text[heading.end() :]
    )
    values = {"Status": "Draft", "Owner": owner, "Priority": priority, "Created": date}
    for key, value in values.items():
        if value is not None:
            text = set_field(text, key, value)
    return stamp_dates(text, date)


def command_list(root: Path, options: argparse.Namespace) -> int:
    specs, errors = read_specs(root)
    status = list_specs(root, options, specs)
    return report_unreadable(errors) or status


def list_specs(root: Path, options: argparse.Namespace, specs: list[Spec]) -> int:
    if options.status is not None:
        wanted = parse_status(options.status)
        specs = [spec for spec in specs if spec.value("Status") == wanted]
    if options.json:
        import json

        records = [spec_record(root, spec) for spec in specs]
        print(json.dumps(records, indent=2, ensure_ascii=True))  # \u escapes: valid on any console
        return 0
    if not specs:
        print(f"No {wanted} specs." if options.status is not None else NO_SPECS)
        return 0
    rows = [["Spec", "Type", "Status", "Owner", "Last Updated"]]
    rows += [
        [spec.name, spec.kind, *(plain_text(spec.value(k)) for k in ("Status", "Owner", "Last Updated"))]
        for spec in specs
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def spec_record(root: Path, spec: Spec) -> dict[str, str]:
    record = {
        "spec": spec.name,
        "path": spec.path.relative_to(root).as_posix(),
        "title": plain_text(spec.title),
        "type": spec.kind.lower(),
    }
    for key in SPEC_FIELDS:
        record[key.lower().replace(" ", "_")] = plain_text(spec.value(key))
    return record


def parse_status(value: str, allowed: tuple[str, ...] = STATUSES) -> str:
    """A status as the user typed it ("in progress", "In-Progress") in its canonical spelling."""
    squashed = re.sub(r"[\s_-]", "", value).lower()
    for status in allowed:
        if status.replace(" ", "").lower() == squashed:
            return status
    if allowed != STATUSES and value.lower() == "superseded":
        raise SpecError(
            "a spec becomes Superseded through 'python tools/spec.py supersede OLD --by NEW'", exit_status=2
        )
    raise SpecError(f'unknown status "{value}"; use one of {", ".join(allowed)}', exit_status=2)


def command_status(root: Path, options: argparse.Namespace) -> int:
    status = parse_status(options.status, SETTABLE_STATUSES)
    spec = find_spec(root, options.spec)
    if status == "Implemented":
        return implement(root, spec, options.date)
    old = spec.value("Status")
    text = set_field(spec.document.text, "Status", status)
    withdrawn: list[Document] = []
    notes: list[str] = []
    if status == "Rejected":  # a rejected spec supersedes nothing: its pending links go
        text, withdrawn, notes = withdraw_supersedes(root, spec, text, options.date)
    if text == spec.document.text:
        print(f"{shown(spec.path)}: already {status}")
        return 0
    if old != status:
        refuse_if_final(spec, status)
    save(root, [stamped(spec, text, options.date), *withdrawn])
    if old != status:
        print(f"{shown(spec.path)}: {old} -> {status}")
    print(*notes, sep="\n", end="\n" if notes else "")
    return 0


def refuse_if_final(spec: Spec, status: str) -> None:
    """A Superseded spec keeps its status; an Implemented one changes only by being superseded."""
    current, successor = spec.value("Status"), spec.value("Superseded by")
    if current == "Superseded":
        by = "" if is_none(successor) else f" by {successor}"
        raise SpecError(f"is Superseded{by}, which is final; it cannot become {status}", spec.path)
    if current == "Implemented" and status != "Implemented":
        raise SpecError(
            f"is Implemented, which is final; to replace it, write a new spec and run "
            f"python tools/spec.py supersede {spec.slug} --by NEW",
            spec.path,
        )


def stamped(spec: Spec, text: str, date: str) -> Document:
    """The spec's new text with its dates stamped; a date before its Created is refused."""
    created = spec.value("Created")
    if is_date(created) and date < created:
        raise SpecError(
            f"the date to stamp, {date}, is before the Created date of {shown(spec.path)}, {created}; "
            f"give --date {created} or later", exit_status=2
        )
    return Document(spec.path, stamp_dates(text, date))


def command_implement(root: Path, options: argparse.Namespace) -> int:
    return implement(root, find_spec(root, options.spec), options.date, options.dry_run)


def implement(root: Path, spec: Spec, date: str, dry_run: bool = False) -> int:
    """The close-out: the spec becomes Implemented and architecture.md records it, its Architecture
    Changes applied; all or nothing, and twice changes nothing."""
    architecture = read_document(root / ARCHITECTURE)
    old = spec.value("Status")
    changed = []
    if old != "Implemented":  # a Superseded spec, for one, is refused below
        changed.append(stamped(spec, set_field(spec.document.text, "Status", "Implemented"), date))
    if old != "Implemented" or not is_recorded(architecture, spec, root):
        problems = close_out_problems(spec, architecture, root)
        if problems:
            raise refusal(problems)
    new_architecture, changes = close_out(architecture, spec, root, date)
    new_architecture, superseded, notes = apply_pending_supersedes(root, spec, new_architecture, date)
    if old == "Implemented" and not changes and not notes:
        print(f"{shown(spec.path)}: already Implemented and recorded in {ARCHITECTURE}; nothing to change")
        return 0
    others = [Document(architecture.path, new_architecture)] if new_architecture != architecture.text else []
    if dry_run:
        print_diffs(root, [*others, *changed, *superseded, planned_index(root, changed + superseded)])
        return 0
    save(root, changed + superseded, others)
    if old != "Implemented":
        print(f"{shown(spec.path)}: {old} -> Implemented")
    for change in changes:
        print(f"{shown(architecture.path)}: {change}")
    print(*notes, sep="\n", end="\n" if notes else "")
    return 0


def planned_index(root: Path, changed_specs: list[Document]) -> Document:
    """specs/README.md as save() would write it with changed_specs."""
    by_path = {document.path: document for document in changed_specs}
    paths = sorted({*spec_paths(root), *by_path}, key=lambda path: path.name)
    readme = read_document(root / SPECS_README)
    return Document(readme.path, with_index(readme, [parse_spec(by_path.get(p) or read_document(p)) for p in paths]))


def print_diffs(root: Path, documents: list[Document]) -> None:
    """A unified diff, paths relative to the root, of each document against the file on disk."""
    import difflib

    for document in documents:
        before = read_document(document.path).text if document.path.exists() else ""
        name = Path(os.path.relpath(document.path, root)).as_posix()
        lines = [(before.split("\n"), f"a/{name}"), (document.text.split("\n"), f"b/{name}")]
        (old, old_name), (new, new_name) = lines
        sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(old, new, old_name, new_name, lineterm=""))


def command_supersede(root: Path, options: argparse.Namespace) -> int:
    old, new = find_spec(root, options.old), find_spec(root, options.by)
    if old.path == new.path:
        raise SpecError("a spec cannot supersede itself", exit_status=2)
    refuse_to_supersede(root, old, new)
    old_text = add_link(old, "Superseded by", new, old.document.text, root)
    new_text = add_link(new, "Supersedes", old, new.document.text, root)
    changed = {
        spec.path: stamped(spec, text, options.date)
        for spec, text in ((old, old_text), (new, new_text))
        if text != spec.document.text
    }
    architecture = read_document(root / ARCHITECTURE)
    architecture_text = architecture.text
    notes: list[str] = []
    if new.value("Status") == "Implemented":  # the successor has shipped: it takes effect at once
        linked = parse_spec(changed.get(new.path, new.document))
        architecture_text, superseded, notes = apply_pending_supersedes(root, linked, architecture_text, options.date)
        changed.update((document.path, document) for document in superseded)
    if not changed and architecture_text == architecture.text:
        state = "Superseded" if old.value("Status") == "Superseded" else "to be superseded"
        print(f"{shown(old.path)}: already {state} by {new.slug}; nothing to change")
        return 0
    rewritten = [Document(architecture.path, architecture_text)] if architecture_text != architecture.text else []
    save(root, list(changed.values()), rewritten)
    if old_text != old.document.text and not notes:
        print(f"{shown(old.path)}: to be Superseded by {new.slug} once that is Implemented")
    if new_text != new.document.text:
        print(f"{shown(new.path)}: Supersedes {old.slug}")
    print(*notes, sep="\n", end="\n" if notes else "")
    return 0


def refuse_to_supersede(root: Path, old: Spec, new: Spec) -> None:
    """A Rejected or Superseded spec neither supersedes nor is superseded; a spec already superseded
    by another is replaced by superseding that one."""
    for spec in (old, new):
        if spec.value("Status") == "Rejected":
            raise SpecError("is Rejected, so it neither supersedes nor is superseded", spec.path)
    if new.value("Status") == "Superseded":
        raise SpecError("is Superseded itself; supersede with the spec that replaced it", new.path)
    if old.value("Status") == "Superseded":
        successors = linked_specs(root, old, "Superseded by")
        if all(spec.path != new.path for spec in successors):
            names = ", ".join(spec.slug for spec in successors) or "another spec"
            raise SpecError(f"is already Superseded by {names}; supersede that spec instead", old.path)


def add_link(spec: Spec, key: str, other: Spec, text: str, root: Path) -> str:
    """text with a link to other added to the spec's field key ("None" is replaced)."""
    value = spec.value(key)
    if links_to(Document(spec.path, value), root, other.path):
        return text
    link = f"[{link_text(other.title)}]({link_target(Path(os.path.relpath(other.path, spec.path.parent)).as_posix())})"
    return set_field(text, key, link if is_none(value) else f"{value}, {link}")


def command_renumber(root: Path, options: argparse.Namespace) -> int:
    architecture = read_document(root / ARCHITECTURE)
    records = decisions(architecture, root)
    moves = [(record, number) for number, record in enumerate(records, 1) if record.number != number]
    if not moves:
        state = f"the decisions are numbered 1 to {len(records)} already" if records else f"no decisions in {DECISIONS}"
        print(f"{shown(architecture.path)}: {state}; nothing to change")
        return 0
    text = architecture.text
    for record, number in reversed(moves):  # from the end, so that the offsets before stay right
        text = text[: record.digits[0]] + str(number) + text[record.digits[1] :]
    renamed = renamed_anchors(records, {id(record): number for record, number in moves})
    text = with_decision_links(Document(architecture.path, text), root, renamed)
    specs = read_specs(root)[0]
    changed = [
        Document(spec.path, relinked)
        for spec in specs
        if (relinked := with_decision_links(spec.document, root, renamed)) != spec.document.text
    ]
    save(root, changed, [Document(architecture.path, text)])
    for record, number in moves:
        print(f"{shown(architecture.path)}: {plain_text(record.heading)} -> Decision {number}")
    for document in changed:
        print(f"{shown(document.path)}: links to renumbered decisions updated")
    return 0


def renamed_anchors(records: list[Decision], numbers: dict[int, int]) -> dict[str, tuple[str, int, int]]:
    """For each renumbered decision, by its old anchor: its new anchor, its old number and its new one.

    An anchor that an unmoved decision has too stays with that one: links there led to it.
    """
    unmoved = {record.anchor for record in records if id(record) not in numbers}
    renamed: dict[str, tuple[str, int, int]] = {}
    for record in records:
        if id(record) in numbers and record.anchor not in unmoved and record.anchor not in renamed:
            number = numbers[id(record)]
            heading = re.sub(r"\d+", str(number), record.heading, count=1)
            renamed[record.anchor] = (heading_anchor(heading), record.number, number)
    return renamed


LINK_TEXT = re.compile(r"\[(?P<text>(?:[^\[\]\\\n]|\\.)*)\]")


def with_decision_links(document: Document, root: Path, renamed: dict[str, tuple[str, int, int]]) -> str:
    """document's text with every link to a renumbered decision of architecture.md following it; a link
    whose text is "Decision N" gets the new number there too."""
    if not renamed:
        return document.text
    text, edits = document.text, []
    architecture = path_key(root / ARCHITECTURE)
    for match in LINK.finditer(document.prose):
        group = target_group(match)
        path, _, fragment = match[group].partition("#")
        into = path_key(document.path) if not path else linked_file(document, root, path) or ""
        if fragment not in renamed or into != architecture:
            continue
        anchor, old, new = renamed[fragment]
        edits.append((match.start(group), match.end(group), f"{path}#{anchor}"))
        label = LINK_TEXT.match(text, match.start())
        if label is not None and label["text"] == f"Decision {old}":
            edits.append((label.start("text"), label.end("text"), f"Decision {new}"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def command_log(root: Path, options: argparse.Namespace) -> int:
    summary = markdown_value(one_line(options.summary, "SUMMARY"))
    architecture = read_document(root / ARCHITECTURE)
    span = required_section(architecture, HISTORY)
    entry = direct_update(options.date, summary)
    if entry in architecture.text[span[0] : span[1]]:
        print(f"{shown(architecture.path)}: the {HISTORY} already has this entry; nothing to change")
        return 0
    text = insert_history_entry(architecture, span, entry, options.date)
    added = Document(architecture.path, text)
    entries = [len(HISTORY_ENTRY.findall(d.prose, *required_section(d, HISTORY))) for d in (architecture, added)]
    if entries[1] == entries[0]:
        raise unreadable_entry(architecture, span, HISTORY)
    save(root, [], [Document(architecture.path, stamp_dates(text, newest_date(architecture, options.date)))])
    print(f"{shown(architecture.path)}: {HISTORY} entry added: {plain_text(summary)}")
    return 0


def command_index(root: Path, options: argparse.Namespace) -> int:
    return report_unreadable(refresh_index(root, quiet=False))


def report_unreadable(errors: list[SpecError]) -> int:
    """Print an error for each spec that could not be read; the exit status that follows."""
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


def refresh_index(root: Path, quiet: bool) -> list[SpecError]:
    """Rewrite the index of every readable spec; the errors of the unreadable ones."""
    specs, errors = read_specs(root)
    readme = read_document(root / SPECS_README)
    count = f"{len(specs)} spec{'' if len(specs) == 1 else 's'}"
    if write_if_changed(readme, with_index(readme, specs)):
        print(f"{shown(readme.path)}: index updated ({count})")
    elif not quiet:
        print(f"{shown(readme.path)}: index already up to date ({count})")
    return errors


def command_check(root: Path, options: argparse.Namespace) -> int:
    report = check_repository(root, latest_date(today()))
    errors = [str(error) for error in report.errors]
    architecture = shown(root / ARCHITECTURE)
    if options.strict:
        errors += [
            f"{architecture}:{line}: placeholder [{text}] still to fill in"
            for text, line in report.placeholders
        ]
        errors += report.warnings
    for error in errors:
        print(error)
    print_warnings([] if options.strict else report.warnings)
    print(spec_summary(report.specs))
    if report.placeholders:
        count, first = len(report.placeholders), report.placeholders[0][1]
        noun = "placeholder" if count == 1 else "placeholders"
        print(f"warning: {count} {noun} still to fill in {architecture}, the first at line {first}")
    if errors:
        print(f"check failed: {len(errors)} error{'' if len(errors) == 1 else 's'}")
        return 1
    print("check passed")
    return 0


def print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        print(warning)


def spec_summary(specs: list[Spec]) -> str:
    if not specs:
        return NO_SPECS
    counts: dict[str, int] = {}
    for spec in specs:
        counts[spec.value("Status")] = counts.get(spec.value("Status"), 0) + 1
    order = [status for status in STATUSES if status in counts] + sorted(set(counts) - set(STATUSES))
    noun = "spec" if len(specs) == 1 else "specs"
    return f"{len(specs)} {noun}: " + ", ".join(f"{counts[status]} {plain_text(status)}" for status in order)


def command_import_adrs(root: Path, options: argparse.Namespace) -> int:
    folder = records_folder(root, options.dir)
    found = record_paths(folder)
    if not found:
        raise SpecError(
            f"{shown(folder)} has no records: adr-tools and MADR name them NNNN-title.md, log4brains "
            "YYYYMMDD-title.md", exit_status=2
        )
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    latest = latest_date(today())
    records = [
        read_record(path, number, posixpath.normpath(f"{relative}/{path.name}"), latest) for number, path in found
    ]
    architecture = read_document(root / ARCHITECTURE)
    text, changes = import_records(architecture, records, root, relative, options.date)
    if not changes:
        count = f"{len(records)} record{'' if len(records) == 1 else 's'}"
        print(f"{shown(folder)}: all {count} already in {ARCHITECTURE}; nothing to change")
        return 0
    save(root, [], [Document(architecture.path, text)])
    for change in changes:
        print(f"{shown(architecture.path)}: {change}")
    return 0


def records_folder(root: Path, name: str) -> Path:
    """The folder of records DIR names: inside the repository, so architecture.md can link to them, and
    outside specs/, so no record is taken for a spec."""
    folder = Path(name)
    if not folder.is_dir():
        raise SpecError(f"{name} is not a folder; give the folder of the records, such as doc/adr", exit_status=2)
    resolved, top = folder.resolve(), root.resolve()
    if resolved != top and top not in resolved.parents:
        raise SpecError(
            f"{name} is outside the repository; architecture.md links to each record, so keep them in it", exit_status=2
        )
    if resolved == top / "specs" or (top / "specs") in resolved.parents:
        raise SpecError(
            f"{name} is inside specs/, where specs live; keep the records in a folder of their own", exit_status=2
        )
    return folder


def command_touch(root: Path, options: argparse.Namespace) -> int:
    templates, features = (root / "specs" / "templates").resolve(), (root / FEATURES).resolve()
    failed = 0
    stamped_a_spec = False
    unchanged = unchanged_since_last_commit(root, [Path(name) for name in options.files])
    for name in options.files:
        path = Path(name)
        if templates in path.resolve().parents or path in unchanged:
            continue  # a template's dates stay placeholders; an unchanged document keeps its date
        try:
            if stamp_file(path, options.date):
                print(f"{shown(path)}: Last Updated {options.date}")
                stamped_a_spec |= features in path.resolve().parents
        except SpecError as error:
            print(error, file=sys.stderr)
            failed = 1
    if stamped_a_spec:  # the index shows each spec's Last Updated
        refresh_index(root, quiet=True)
    return failed


def unchanged_since_last_commit(root: Path, paths: list[Path]) -> set[Path]:
    """The paths whose content git finds the same as in the last commit, so that `pre-commit run
    --all-files` re-dates nothing unchanged. None without git, outside a repository or before the
    first commit: then every path counts as changed."""
    output = git_output(root, "rev-parse", "--show-toplevel")
    if output is None:
        return set()
    top = Path(output.rstrip("\n")).resolve()
    names = {}
    for path in paths:
        try:
            names[path] = path.resolve().relative_to(top).as_posix()
        except ValueError:
            continue  # outside the repository
    if not names:
        return set()
    pathspecs = ["--", *sorted(set(names.values()))]
    # Unchanged: in git's index, with neither a staged nor an unstaged change to the last commit.
    tracked = git_output(top, "--literal-pathspecs", "ls-files", "-z", "--cached", *pathspecs)
    listed = git_output(
        top, "--no-optional-locks", "--literal-pathspecs", "status", "--porcelain=v1", "-z",
        "--untracked-files=no", "--no-renames", *pathspecs,
    )
    if tracked is None or listed is None:
        return set()
    unchanged = set(tracked.split("\0")) - {entry[3:] for entry in listed.split("\0")}  # entries: "XY path"
    return {path for path, name in names.items() if name in unchanged}


def git_output(folder: Path, *arguments: str) -> str | None:
    """What a git command prints, run without a shell in folder; None when git is missing or fails."""
    import subprocess  # only touch pays for the import

    try:
        result = subprocess.run(
            ["git", *arguments], cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "surrogateescape") if result.returncode == 0 else None


# ---- Command line --------------------------------------------------------------------------------


# The kinds of character that drive a terminal, reorder or hide text, or break a line.
UNSAFE_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "a format character (such as a bidirectional override)",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cs": "a lone surrogate",
}

JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: part of emoji and of several scripts


def unsafe_character(text: str, allowed: str = "") -> str | None:
    """The first character of text that is of an UNSAFE_CATEGORIES kind, JOINERS and allowed excepted."""
    if text.isprintable():  # the usual case, in one C loop
        return None
    import unicodedata

    for character in text:
        kept = character in allowed or character in JOINERS
        if not kept and unicodedata.category(character) in UNSAFE_CATEGORIES:
            return character
    return None


def terminal_text(text: str) -> str:
    """text with every unsafe character written as its escape (\\x1b, \\u202e); tabs and newlines kept."""
    if unsafe_character(text, "\t\n") is None:
        return text
    return "".join(
        character.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unsafe_character(character, "\t\n")
        else character
        for character in text
    )


class TerminalStream:
    """An output stream that writes through terminal_text(): what a document holds (a file name, a title,
    a field) never reaches the terminal as an escape sequence."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(terminal_text(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def terminal_streams() -> None:
    """sys.stdout and sys.stderr through TerminalStream, once."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, TerminalStream):
            setattr(sys, name, TerminalStream(stream))


class Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise SpecError(f"{message} (see '{self.prog} --help')", exit_status=2)


def help_formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=help_width())


@functools.cache
def help_width() -> int:
    """The width argparse gives help, as shutil.get_terminal_size() finds it, without importing shutil and
    the compression modules it brings: argparse makes a formatter for every argument of every command."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def date_option(value: str) -> str:
    """--date: a real date, and not one check would call in the future."""
    try:
        date = today(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a real date written YYYY-MM-DD") from None
    try:
        latest = latest_date(today())  # SOURCE_DATE_EPOCH set ahead allows its date
    except SpecError:  # a bad SOURCE_DATE_EPOCH, which --date overrides
        latest = latest_date()
    if date > latest:
        raise argparse.ArgumentTypeError(f"{value!r} {in_the_future(latest)}")
    return date


def build_parser() -> Parser:
    parser = Parser(
        prog="python tools/spec.py",
        description="Keep specs/ and architecture.md in step: one command for each step of the spec process.",
        epilog="Run 'python tools/spec.py COMMAND --help' for one command. SPEC is a spec's slug "
        "(with or without 'architecture-') or its path.",
        formatter_class=help_formatter,
    )
    parser.add_argument("--version", action="version", version=f"cookiecutter-living-architecture {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)

    def command(
        name: str,
        arguments: str,
        run: Callable[[Path, argparse.Namespace], int],
        summary: str,
        description: str,
        reads_only: bool = False,
    ) -> argparse.ArgumentParser:
        usage = f"%(prog)s {arguments}".rstrip()
        sub = commands.add_parser(
            name, usage=usage, help=summary, description=description, formatter_class=help_formatter
        )
        sub.set_defaults(run=run, exclusive=not reads_only)
        return sub

    def date_argument(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--date",
            type=date_option,
            metavar="YYYY-MM-DD",
            help="the date to stamp, not in the future (default: SOURCE_DATE_EPOCH if set, else today)",
        )

    new = command(
        "new",
        "TITLE [--architecture] [--owner OWNER] [--priority PRIORITY] [--date YYYY-MM-DD]",
        command_new,
        "write a new spec from specs/templates/feature.md",
        "Write specs/features/<slug>.md (architecture-<slug>.md with --architecture) from "
        "specs/templates/feature.md: the title filled in, Status Draft, Created and Last Updated "
        "stamped. Prints its path. An existing file is never overwritten.",
    )
    new.add_argument("title", metavar="TITLE", help="what the change is; the file name is made from it")
    new.add_argument(
        "--architecture", action="store_true", help="a major change: an architecture-<slug>.md spec"
    )
    new.add_argument(
        "--owner", metavar="OWNER", help="who owns the spec (default: the Owner of architecture.md)"
    )
    new.add_argument(
        "--priority", metavar="PRIORITY", help="High, Medium or Low (default: left for you to fill in)"
    )
    date_argument(new)

    listing = command(
        "list",
        "[--status STATUS] [--json]",
        command_list,
        "show every spec with its type, status, owner and date",
        "Show a table of the specs: slug, type, status, owner, last updated.",
        reads_only=True,
    )
    listing.add_argument("--status", metavar="STATUS", help="only the specs with this status")
    listing.add_argument("--json", action="store_true", help="print JSON, one object per spec")

    status = command(
        "status",
        "SPEC STATUS [--date YYYY-MM-DD]",
        command_status,
        "move a spec to another status",
        "Set a spec's Status and stamp its Last Updated. To Implemented it does what 'implement' does. "
        "Implemented and Superseded are final; Rejected takes the spec's pending supersede links out.",
    )
    status.add_argument("spec", metavar="SPEC")
    status.add_argument(
        "status", metavar="STATUS", help="Draft, Planned, 'In Progress', Implemented or Rejected"
    )
    date_argument(status)

    implement_command = command(
        "implement",
        "SPEC [--dry-run] [--date YYYY-MM-DD]",
        command_implement,
        "close a spec out into architecture.md",
        "The spec becomes Implemented; architecture.md gets the spec's Architecture Changes (Replace, Add to, "
        "Remove a section), an Implementation History entry, for an architecture spec a Key Architectural "
        "Decisions entry from its Decision Record, and a new Last Updated date: all of it or nothing. Refused, "
        "with every reason, while the spec is not Planned or In Progress, a box of its Acceptance Criteria is "
        "unchecked, a placeholder is left or an operation names no single heading. Running it again changes "
        "nothing.",
    )
    implement_command.add_argument("spec", metavar="SPEC")
    implement_command.add_argument(
        "--dry-run", action="store_true", help="print the diff of every file it would change, and write nothing"
    )
    date_argument(implement_command)

    supersede = command(
        "supersede",
        "OLD --by NEW [--date YYYY-MM-DD]",
        command_supersede,
        "mark a spec as replaced by a newer one",
        "OLD gets a 'Superseded by' link to NEW, NEW a 'Supersedes' link to OLD. Once NEW is implemented "
        "(at once, if it is already), OLD becomes Superseded and its decision in architecture.md is marked "
        "superseded by NEW's.",
    )
    supersede.add_argument("old", metavar="OLD", help="the spec that is replaced")
    supersede.add_argument("--by", required=True, metavar="NEW", help="the spec that replaces it")
    date_argument(supersede)

    command(
        "renumber",
        "",
        command_renumber,
        "number the decisions in architecture.md 1 to N again (after a merge)",
        "Number the Key Architectural Decisions of architecture.md 1, 2, 3 ... in the order they stand, "
        "and make every link to a renumbered decision, in architecture.md and in the specs, follow it. "
        "Run it after a merge leaves two decisions with the same number.",
    )

    log = command(
        "log",
        "SUMMARY [--date YYYY-MM-DD]",
        command_log,
        "record a minor change in architecture.md's Implementation History",
        "For a minor change made directly in architecture.md: add the Implementation History entry "
        "'- **DATE**: SUMMARY' with 'Spec: Direct update', newest first, and stamp Last Updated.",
    )
    log.add_argument("summary", metavar="SUMMARY", help="what changed, in one line")
    date_argument(log)

    command(
        "index",
        "",
        command_index,
        "rewrite the spec index in specs/README.md",
        "Rewrite the table of all specs between the spec-index markers in specs/README.md. "
        "new, status, implement, supersede and touch keep it up to date too.",
    )

    check = command(
        "check",
        "[--strict]",
        command_check,
        "validate the specs and architecture.md (for CI)",
        "Validate the repository: spec metadata, sections and links, the Architecture Changes of open specs, "
        "architecture.md's links, dates and Implementation History, the index, and that the specs, the "
        "decisions and the history entries tell one story. Prints each error as path:line: message, then the "
        "warnings (open specs changing the same section, a technology the manifests and the Technology Stack "
        "disagree on, Markdown files under specs/ that are no spec), then a summary. Exit status 1 if there "
        "is an error.",
        reads_only=True,
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="treat the warnings (overlapping changes, stack drift, Markdown files under specs/ that are no spec, "
        "placeholders left) as errors",
    )

    touch = command(
        "touch",
        "FILE... [--date YYYY-MM-DD]",
        command_touch,
        "stamp Last Updated in documents (for a pre-commit hook)",
        "Set Last Updated in the metadata block of each FILE, and fill its [YYYY-MM-DD] entries; "
        "refresh the index when a spec changed. Files without these dates, and the templates in "
        "specs/templates/, are left as they are.",
    )
    touch.add_argument("files", nargs="+", metavar="FILE")
    date_argument(touch)

    import_adrs = command(
        "import-adrs",
        "DIR [--date YYYY-MM-DD]",
        command_import_adrs,
        "add existing adr-tools or MADR records to architecture.md",
        "Add each architecture decision record in DIR (adr-tools, MADR, log4brains) to architecture.md's Key "
        "Architectural Decisions: its title, date, status, context, decision, consequences and a link to the "
        "record; one Implementation History entry says what was imported. Records already there are left "
        "out, so running it again changes nothing. A record that cannot be read stops it with nothing written.",
    )
    import_adrs.add_argument("dir", metavar="DIR", help="the folder of the records, such as doc/adr")
    date_argument(import_adrs)
    return parser


def find_root() -> Path:
    """The repository: the nearest folder with architecture.md, from here or from this script."""
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            if (folder / ARCHITECTURE).is_file():
                return folder
    raise SpecError(
        f"no {ARCHITECTURE} in {Path.cwd()} or any folder above it; run the tool inside the repository"
    )


def main(arguments: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    terminal_streams()
    try:
        options = build_parser().parse_args(arguments)
        if getattr(options, "date", "") is None:
            options.date = today()
        run: Callable[[Path, argparse.Namespace], int] = options.run
        root = find_root()
        with repository_lock(root, exclusive=options.exclusive):
            return run(root, options)
    except SpecError as error:
        print(problem_text(error), file=sys.stderr)
        return error.exit_status
    except BrokenPipeError:  # whoever read the output stopped early (| head): nothing went wrong here
        with open(os.devnull, "w", encoding="utf-8") as nowhere:  # no second complaint at exit
            os.dup2(nowhere.fileno(), sys.stdout.fileno())
        return 1
    except OSError as error:  # a folder that cannot be made: permissions, a full disk
        where = shown(Path(error.filename)) if isinstance(error.filename, str) else "a file"
        print(f"error: {where}: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; every file is either as it was or completely written", file=sys.stderr)
        return 130


def run_in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode where the locale's encoding is another (Latin-1, or C without
    UTF-8 mode): file names and documents are UTF-8 whatever the locale. The arguments pass on as the
    bytes they came as."""
    encoding = sys.getfilesystemencoding().lower().replace("-", "")
    if sys.flags.utf8_mode or os.name != "posix" or encoding == "utf8" or not sys.executable:
        return
    import contextlib

    with contextlib.suppress(OSError):  # if it cannot, go on in the locale's encoding
        os.execv(sys.executable, [sys.executable, "-X", "utf8", *sys.orig_argv[1:]])


if __name__ == "__main__":
    run_in_utf8_mode()
    gc.disable()  # a run lasts a fraction of a second and its objects form no cycles worth collecting
    raise SystemExit(main())
