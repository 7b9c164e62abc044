"""Shared by the tests of tools/spec.py: the project is baked once per test run and copied for each test.

The tool runs in-process as of TODAY (through SOURCE_DATE_EPOCH) unless a test needs a real process."""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import BakedProject, import_spec_tool

BAKED_ON = "2026-03-02"  # the date answer of the baked project


TODAY = "2026-03-10"  # "today" for the tool, through SOURCE_DATE_EPOCH


def epoch(date: str) -> str:
    return str(int(dt.datetime.fromisoformat(f"{date}T12:00:00+00:00").timestamp()))


def latest_date_anywhere(days: int = 0) -> str:
    """The date a clock shows now in UTC+14, the time zone furthest ahead, days on: what check calls
    the latest date that is not in the future."""
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=14, days=days)
    return now.date().isoformat()


def future(value: str, latest: str) -> str:
    return f"{value} is in the future: the date is at most {latest} anywhere on Earth"


class Repo(BakedProject):
    """A copy of the baked project. spec() runs the tool as of TODAY unless env says otherwise: in-process,
    where the process boundary is not what a test is about, or as a real process with process=True."""

    def spec(  # type: ignore[override]
        self,
        *arguments: str,
        cwd: Path | None = None,
        env: dict[str, str | None] | None = None,
        input: str | None = None,
        process: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        environment = {"SOURCE_DATE_EPOCH": epoch(TODAY), **(env or {})}
        if process or input is not None:
            return super().spec(*arguments, cwd=cwd, env=environment, input=input)
        return run_in_process(self.path, list(arguments), cwd or self.path, environment)

    def ok(self, *arguments: str, **options: Any) -> str:
        """Run the tool, expect success and no complaint; its output."""
        result = self.spec(*arguments, **options)
        assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
        return result.stdout

    def write(self, relative: str, text: str) -> None:
        (self.path / relative).write_bytes(text.encode("utf-8"))

    def snapshot(self) -> dict[str, bytes]:
        return {name: (self.path / name).read_bytes() for name in self.files()}


_TOOLS: dict[bytes, ModuleType] = {}


def in_process_tool(project: Path) -> ModuleType:
    """The project's tools/spec.py as a module, imported once for every copy with the same code. Its
    __file__ is the first copy's: a test of finding the repository from outside it needs process=True."""
    code = (project / "tools" / "spec.py").read_bytes()
    if code not in _TOOLS:
        sys.dont_write_bytecode = True  # no __pycache__ in the project under test
        _TOOLS[code] = import_spec_tool(project, f"spec_tool_{len(_TOOLS)}")
    return _TOOLS[code]


_FOUND: dict[tuple[object, ...], object] = {}
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@contextlib.contextmanager
def translations_looked_up_once() -> Iterator[None]:
    """argparse looks up the translation of each of its messages (gettext.find: a stat of a .mo file for each
    language the environment names) as the tool builds its parser, 36 times a run, half the parser's cost; a
    process does that once, the tests run the tool thousands of times. While the block runs, each lookup is
    made once per test run for the same arguments and locale variables."""
    find = gettext.find

    def find_once(domain, localedir=None, languages=None, all=False):  # type: ignore[no-untyped-def]
        key = (domain, localedir, None if languages is None else tuple(languages), all,
               *(os.environ.get(name) for name in LOCALE_VARIABLES))
        if key not in _FOUND:
            _FOUND[key] = find(domain, localedir, languages, all)
        return _FOUND[key]

    gettext.find = find_once
    try:
        yield
    finally:
        gettext.find = find


def run_in_process(
    project: Path, arguments: list[str], cwd: Path, env: dict[str, str | None]
) -> subprocess.CompletedProcess[str]:
    """main() of the project's tools/spec.py, run in this process as a user would run the script: from
    cwd, with env's variables (None removes one), its exit status and both outputs captured."""
    tool = in_process_tool(project)
    saved_env = {key: os.environ.get(key) for key in env}
    saved_cwd = Path.cwd()
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        os.chdir(cwd)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), translations_looked_up_once():
            try:
                status = tool.main(arguments)
            except SystemExit as exit:  # --help
                status = exit.code if isinstance(exit.code, int) else 0
    finally:
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return subprocess.CompletedProcess(arguments, status, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def baked(bake_once) -> Path:
    """The default project without the agents' slash commands (20 files the tool never reads; a default
    project, commands and all, passes its own check in tests/test_generation.py): copied for each test."""
    return bake_once(init_git=False, date=BAKED_ON, agent_commands="none").path


@pytest.fixture
def repo(baked, tmp_path) -> Repo:
    """A copy of the baked project of the test's own: its files' bytes and modes, as a checkout has them (not
    their times, which copying costs twice as much to keep)."""
    shutil.copytree(baked, tmp_path / "repo", copy_function=shutil.copy)
    return Repo(tmp_path / "repo")




@pytest.fixture
def three_specs(repo) -> Repo:
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-03")
    repo.ok("new", "Add an audit log", "--owner", "Payments Team")
    repo.ok("new", "Zero downtime deploys")
    repo.ok("status", "add-an-audit-log", "In Progress")
    return repo


def load_tool(repo: Repo) -> ModuleType:
    """The project's tools/spec.py as a module, for the tests that interrupt it from inside."""
    return import_spec_tool(repo.path)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


SESSIONS = "specs/features/architecture-move-sessions-to-redis.md"


SPEC = "specs/features/add-an-audit-log.md"


HISTORY_ENTRY = f"- **{TODAY}**: Move sessions to Redis\n  - Spec: [{SESSIONS}]({SESSIONS})\n"


FIRST_HISTORY_ENTRY = f"- **{BAKED_ON}**: Created this living architecture document"


def recorded(architecture: str, *entries: str, decisions: str = "", last_updated: str = TODAY) -> str:
    """architecture.md as the tool should leave it: history entries and decisions added, Last Updated moved."""
    architecture = architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n", f"**Last Updated**: {last_updated}\n", 1
    )
    architecture = architecture.replace(FIRST_HISTORY_ENTRY, "".join(entries) + FIRST_HISTORY_ENTRY, 1)
    return architecture.replace(
        "<!-- Add decisions as they are made", decisions + "<!-- Add decisions as they are made", 1
    )


def last_line(text: str) -> int:
    return text.rstrip("\n").count("\n") + 1


COMMANDS = [
    "new", "list", "status", "implement", "supersede", "renumber", "log", "index", "check", "touch", "import-adrs"
]


DECISION_RECORD = {
    "Context": "Sessions live in each API server's memory, so a deploy logs every user out.",
    "Decision": "Keep sessions in Redis, shared by every API server.",
    "Rationale": "Redis already runs beside the API servers, and sessions are small and short-lived.",
    "Consequences": "Deploys keep users logged in; Redis becomes a dependency of every request.",
}


def ready(repo: Repo, path: str, changes: str = "None", status: str = "Planned", **record: str) -> str:
    """Make the spec at path ready for its close-out (see ready_text); its new text."""
    repo.write(path, ready_text(repo.read(path), changes, status, **record))
    return repo.read(path)


def ready_text(text: str, changes: str = "None", status: str = "Planned", **record: str) -> str:
    """A spec made ready for its close-out, as a team would: every placeholder of its sections filled in,
    its Acceptance Criteria checked, its Status moved on from Draft, and, in an architecture spec, its
    Decision Record (DECISION_RECORD, updated by record) and Architecture Changes (changes) written."""
    header, _, body = text.partition("\n## ")
    for key, value in {**DECISION_RECORD, **record}.items():
        body = re.sub(rf"^\*\*{key}\*\*: \[.*\]$", lambda _, k=key, v=value: f"**{k}**: {v}", body, flags=re.M)
    before, heading, after = body.partition("## Architecture Changes\n")
    operations, heading_after, rest = after.partition("\n## ")
    operations = operations.replace(
        "[The operations on architecture.md, or None if nothing changes beyond the decision]", changes
    )
    placeholder = re.compile(r"(?<!\])\[(?![ x]\])([^\[\]\n]+)\](?![(\[])")
    body = "".join(
        [placeholder.sub(r"Done: \1", before), heading, operations, heading_after, placeholder.sub(r"Done: \1", rest)]
    )
    header = header.replace("**Status**: Draft", f"**Status**: {status}")
    return f"{header}\n## {body.replace('- [ ] ', '- [x] ')}"


def expected_decision(number: int, title: str, target: str, date: str, **record: str) -> str:
    """The Key Architectural Decisions entry implement writes for a spec made ready() with record."""
    fields = {**DECISION_RECORD, **record}
    lines = [f"### Decision {number}: {title}", f"**Date**: {date}"]
    lines += [f"**{key}**: {fields[key]}" for key in ("Context", "Decision", "Rationale", "Consequences")]
    lines += [f"**Reference**: [{target}]({target})", "---", ""]
    return "\n\n".join(lines)


def ready_spec(repo: Repo, name: str, **record: str) -> str:
    """The spec called name (a slug, its architecture- left out or not, or a path) made ready() for its
    close-out, as its team would before implement; its path."""
    candidates = [name, f"specs/features/{name}.md", f"specs/features/architecture-{name}.md"]
    path = next(candidate for candidate in candidates if (repo.path / candidate).is_file())
    ready(repo, path, **record)
    return path


def ship(repo: Repo, name: str, *options: str, **record: str) -> str:
    """The spec called name readied (ready_spec) and closed out with implement; implement's output."""
    ready_spec(repo, name, **record)
    return repo.ok("implement", name, *options)
