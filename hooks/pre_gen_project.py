"""Validate the answers before cookiecutter writes any file of the project.

cookiecutter has already created the (empty) project folder when this runs; a non-zero exit makes it
remove that folder again. Values arrive as JSON so that quotes and backslashes in them stay data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
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


# The frameworks offered for each language (cookiecutter.json lists them all, the language's usual one
# first); a framework of another language is refused.
FRAMEWORKS = {
    "Python": ["FastAPI", "Django", "Flask"],
    "TypeScript": ["Express", "NestJS", "Fastify"],
    "Go": ["Gin", "Echo"],
    "Java": ["Spring Boot", "Quarkus"],
    "C#": ["ASP.NET Core"],
    "Rust": ["Axum", "Actix Web"],
}


def framework_error(context: dict[str, Any]) -> str | None:
    language, framework = str(context.get("language")), str(context.get("framework"))
    offered = FRAMEWORKS.get(language)
    if offered is None or framework == "none" or framework in offered:
        return None
    return f"a {language} framework ({', '.join(offered)}) or none"


VALIDATORS = {
    "project_name": non_empty_line_error,
    "project_slug": slug_error,
    "description": single_line_error,
    "owner": non_empty_line_error,
    "date": date_error,
}


def validation_errors(context: dict[str, Any]) -> list[str]:
    verdicts = [(name, validator(str(context.get(name, "")))) for name, validator in VALIDATORS.items()]
    verdicts.append(("framework", framework_error(context)))
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


def main() -> int:
    errors = validation_errors(json.loads(CONTEXT_JSON))
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    record_existing_files(Path.cwd().resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
