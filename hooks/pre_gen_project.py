"""Validate the answers before cookiecutter writes any file of the project.

cookiecutter has already created the (empty) project folder when this runs; a non-zero exit makes it
remove that folder again. Values arrive as JSON so that quotes and backslashes in them stay data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

CONTEXT_JSON = r"""
{{ cookiecutter | tojson }}
"""

# A new folder's name. cookiecutter.json's __project_dir applies a looser form of this rule and of
# folder_name_error (one folder name, at most 100 characters) before this hook runs, so that a bad slug
# never creates a folder elsewhere.
SLUG = re.compile(r"[a-z0-9]([a-z0-9._-]{0,98}[a-z0-9_-])?")
# Folder names Windows refuses, with or without an extension.
WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?")


def slug_error(slug: str) -> str | None:
    if adding_to_an_existing_folder():
        return folder_name_error(slug)
    if not SLUG.fullmatch(slug):
        return (
            "lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, "
            "not ending with '.', at most 100 characters"
        )
    if WINDOWS_RESERVED.fullmatch(slug):
        return "a name Windows allows for a folder (not con, prn, aux, nul, com1-9 or lpt1-9)"
    return None


def adding_to_an_existing_folder() -> bool:
    """True for cookiecutter -f -s into a folder that already has files, such as a team's repository:
    its name is theirs, so any safe folder name goes. Safe even in the folder cookiecutter.json's
    __project_dir falls back to for a slug it refuses: folder_name_error refuses that slug too."""
    return any(Path.cwd().iterdir())


# Characters Windows refuses in a file name, control characters aside.
WINDOWS_FORBIDDEN = frozenset('<>:"/\\|?*')


def folder_name_error(name: str) -> str | None:
    """One folder name that is safe everywhere: no separator or character Windows refuses, not `.`,
    `..` or a name ending with a dot or space (Windows drops those), not a name Windows reserves."""
    if (
        not name
        or len(name) > 100
        or not name.isprintable()
        or WINDOWS_FORBIDDEN.intersection(name)
        or name.endswith((".", " "))
        or WINDOWS_RESERVED.fullmatch(name.lower())
    ):
        return (
            "a folder name that is safe on every system: at most 100 characters, no control characters "
            "and none of < > : \" / \\ | ? *, not ending with '.' or a space, not con, prn, aux, nul, "
            "com1-9 or lpt1-9"
        )
    return None


def single_line_error(value: str) -> str | None:
    if "\n" in value or "\r" in value:
        return "a single line"
    return None


def non_empty_line_error(value: str) -> str | None:
    if not value.strip():
        return "a non-empty value"
    return single_line_error(value)


def latest_date_anywhere() -> dt.date:
    """The latest date a clock on Earth can show now (UTC+14): a later date is in the future for
    everyone, and tools/spec.py check would reject it."""
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=14)).date()


def date_error(value: str) -> str | None:
    allowed = "a real calendar date written YYYY-MM-DD, not after today, e.g. 2026-01-31"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return allowed
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return allowed
    return allowed if date > latest_date_anywhere() else None


# The frameworks offered for each language, the usual one first (cookiecutter.json lists them all, and
# "usual", which its __framework turns into the language's usual one); a framework of another language is
# refused.
FRAMEWORKS = {
    "Python": ["FastAPI", "Django", "Flask"],
    "TypeScript": ["Express", "NestJS", "Fastify"],
    "Go": ["Gin", "Echo"],
    "Java": ["Spring Boot", "Quarkus"],
    "C#": ["ASP.NET Core"],
    "Rust": ["Axum", "Actix Web"],
}


def framework_verdict(context: dict[str, Any]) -> tuple[str, str | None]:
    """The framework the documents name (__framework: the answer, or the language's usual one for "usual";
    the command line can set it too) must be the language's or none. Reported under framework when it is
    the answer as given."""
    language, framework = str(context.get("language")), str(context.get("__framework"))
    name = "framework" if context.get("framework") == framework else "__framework"
    offered = FRAMEWORKS.get(language)
    if offered is None or framework == "none" or framework in offered:
        return name, None
    return name, f"a {language} framework ({', '.join(offered)}) or none"


VALIDATORS = {
    "project_name": non_empty_line_error,
    "project_slug": slug_error,
    "description": single_line_error,
    "owner": non_empty_line_error,
    "date": date_error,
}


# Characters no answer may hold: control characters (NUL, BEL, ESC...; a tab is allowed and written as
# Markdown that keeps it, newlines have their own rule), format characters (bidirectional overrides, zero
# width spaces, BOM...; the joiners some scripts and emoji need are allowed), surrogates and the Unicode
# line and paragraph separators. git shows files holding them as binary, and terminals obey them.
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\u200c", "\u200d"}
HOSTILE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def hostile_character_error(value: str) -> str | None:
    categories = {unicodedata.category(character) for character in value if character not in ALLOWED_CONTROLS}
    if "Cs" in categories:  # bytes Python could not decode in a C or POSIX locale without UTF-8 mode
        return "text your locale can decode: run cookiecutter in a UTF-8 locale, or with PYTHONUTF8=1"
    if categories & HOSTILE_CATEGORIES:
        return (
            "printable characters only, not control or format characters such as NUL, BEL, ESC "
            "or bidirectional overrides"
        )
    return None


def answers(context: dict[str, Any]) -> dict[str, str]:
    """The answers given as text: every variable not private to the template."""
    return {name: value for name, value in context.items() if not name.startswith("_") and isinstance(value, str)}


def hostile_answers(context: dict[str, Any]) -> dict[str, str]:
    """{name: what is allowed} for the answers holding a character no answer may hold."""
    verdicts = {name: hostile_character_error(value) for name, value in answers(context).items()}
    return {name: allowed for name, allowed in verdicts.items() if allowed}


def project_folder_error(context: dict[str, Any], folder: Path) -> str | None:
    """cookiecutter.json names the project folder after the slug (__project_dir), but a private variable can
    be set on the command line like any other: check the folder cookiecutter actually made and runs us in."""
    slug = str(context.get("project_slug", ""))
    output = Path(str(context.get("_output_dir") or folder.parent))  # cruft does not say
    expected = output / slug
    try:
        if slug and context.get("__project_dir") == slug and expected.exists() and folder.samefile(expected):
            return None
    except OSError:
        pass
    return f"the default: leave it unset, and the project folder is {str(expected)!r} (the slug in the output folder)"


def line_ending_error(context: dict[str, Any]) -> str | None:
    """A private variable set on the command line: any other line ending breaks the documents' format."""
    if context.get("_new_lines", "\n") == "\n":
        return None
    return "the default: leave it unset, and the files are written with \\n line endings"


def validation_errors(context: dict[str, Any]) -> list[str]:
    hostile = hostile_answers(context)
    verdicts = [(name, validator(str(context.get(name, "")))) for name, validator in VALIDATORS.items()
                if name not in hostile]
    verdicts.append(framework_verdict(context))
    verdicts.extend(hostile.items())
    if not slug_error(str(context.get("project_slug", ""))):
        verdicts.append(("__project_dir", project_folder_error(context, Path.cwd())))
    verdicts.append(("_new_lines", line_ending_error(context)))
    return [
        f"error: {name}={str(context.get(name, ''))!r} is not valid: use {allowed}."
        for name, allowed in verdicts
        if allowed
    ]


# Read and removed by post_gen_project; written only when the folder already had files (-f).
FILES_BEFORE = ".cookiecutter-files-before.json"


def record_existing_files(project_dir: Path) -> None:
    """Remember what the user already has, so that post_gen_project leaves those files alone."""
    existing = {}
    for path in project_dir.rglob("*"):
        relative = path.relative_to(project_dir)
        if path.is_file() and relative.parts[0] != ".git" and relative.as_posix() != FILES_BEFORE:
            status = path.stat()
            existing[relative.as_posix()] = [status.st_mtime_ns, status.st_size]
    if existing:
        (project_dir / FILES_BEFORE).write_text(json.dumps(existing), encoding="utf-8")


# Where the files cookiecutter copies without rendering (it replaces them even under -f -s) wait while it
# runs; post_gen_project puts them back, unless this run rewrote the folder's other files too (-f alone).
HELD = ".cookiecutter-held"


def copied_file_patterns(context: dict[str, Any]) -> list[str]:
    return [str(pattern) for pattern in context.get("_copy_without_render", [])]


def hold_copied_files(project_dir: Path, patterns: list[str]) -> None:
    """Move the user's own copies of the files cookiecutter copies without rendering out of its way; a move
    keeps each file itself (bytes, mode, owner, times), and a symbolic link stays a link."""
    for pattern in patterns:
        for path in sorted(project_dir.glob(pattern)):
            if path.is_file() or path.is_symlink():
                held = project_dir / HELD / path.relative_to(project_dir)
                held.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, held)


def held_files_error(project_dir: Path) -> str | None:
    if (project_dir / HELD).exists():
        return (
            f"error: {project_dir / HELD} is left from an interrupted run and holds your own copies of files "
            "such as tools/spec.py: move them back and remove it, then run again."
        )
    return None


# The generated tools/spec.py and these hooks need it; older Pythons reach this file with an older cookiecutter.
OLDEST_PYTHON = (3, 10)


def python_version_error() -> str | None:
    if sys.version_info >= OLDEST_PYTHON:
        return None
    version = ".".join(str(part) for part in sys.version_info[:3])
    return f"error: this template needs Python 3.10 or newer; cookiecutter runs on Python {version}: {sys.executable}"


def main() -> int:
    version_error = python_version_error()
    if version_error:
        print(version_error, file=sys.stderr)
        return 1
    context = json.loads(CONTEXT_JSON)
    errors = validation_errors(context)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    held_error = held_files_error(Path.cwd().resolve())
    if held_error:
        print(held_error, file=sys.stderr)
        return 1
    record_existing_files(Path.cwd().resolve())
    hold_copied_files(Path.cwd().resolve(), copied_file_patterns(context))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
