"""tools/spec.py: check ties the specs, the decisions and the history entries together, both ways.

Each case breaks the records the way a hand edit, a failed write or a merge does; check must name the line,
say how to fix it, and the fix it names must make check pass."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.spec_tool.conftest import SESSIONS, SPEC, Repo, line_of, ready_spec, ship

POSTGRES = "specs/features/architecture-sessions-in-postgres.md"
SESSIONS_ENTRY = f"- **2026-03-10**: Move sessions to Redis\n  - Spec: [{SESSIONS}]({SESSIONS})\n"
MARK = "**Status**: Superseded by [Decision 3](#decision-3-sessions-in-postgres)\n\n"
AUDIT_ENTRY = f"- **2026-03-10**: Add an audit log\n  - Spec: [{SPEC}]({SPEC})\n"


@pytest.fixture
def shipped(repo) -> Repo:
    """An Implemented architecture spec (Decision 2), an Implemented feature spec and a Draft architecture spec."""
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("new", "Add an audit log")
    repo.ok("new", "Sessions in Postgres", "--architecture")
    for name in ("move-sessions-to-redis", "add-an-audit-log"):
        ship(repo, name)
    assert repo.ok("check").endswith("check passed\n")
    return repo


def edit(repo: Repo, relative: str, old: str, new: str) -> str:
    """A hand edit; the index refreshed after one of a spec, as its author would (its map shows links)."""
    text = repo.read(relative)
    assert old in text, old
    repo.write(relative, text.replace(old, new, 1))
    if relative.startswith("specs/features/"):
        repo.ok("index")
    return repo.read(relative)


def decision_2(repo: Repo) -> str:
    architecture = repo.read("architecture.md")
    return re.search(r"### Decision 2: .*?\n---\n\n", architecture, re.DOTALL)[0]


@dataclass
class Case:
    """How the records go wrong, where check points (file and a fragment of the line) and what it says;
    then the command the message names, after which check passes."""

    breaks: Callable[[Repo], object]
    where: str
    fragment: str  # the line check points at begins with it; the last such line, when there are two
    message: str  # {first}: the line of the first line beginning with first
    fix: list[str]
    first: str = ""
    errors: int = 1  # one mistake may break more than one promise


def set_status(repo: Repo, relative: str, old: str, new: str) -> None:
    edit(repo, relative, f"**Status**: {old}", f"**Status**: {new}")
    repo.ok("index")


def supersede_then(repo: Repo, *steps: Callable[[], object]) -> None:
    repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres")
    for step in steps:
        step()


def lose_the_write_of_the_old_spec(repo: Repo) -> None:
    """implement of the successor, with every write done but the old spec's."""
    repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres")
    old = repo.read(SESSIONS)
    ship(repo, "sessions-in-postgres")
    repo.write(SESSIONS, old)
    repo.ok("index")


CASES = {
    "a feature spec Implemented without its history entry (a lost update)": Case(
        lambda repo: edit(repo, "architecture.md", AUDIT_ENTRY, ""),
        SPEC,
        "**Status**",
        "Implemented but missing from the Implementation History in architecture.md; "
        "run python tools/spec.py implement add-an-audit-log",
        ["implement", "add-an-audit-log"],
    ),
    "a decision deleted by hand": Case(
        lambda repo: edit(repo, "architecture.md", decision_2(repo), ""),
        SESSIONS,
        "**Status**",
        "Implemented but no decision in Key Architectural Decisions of architecture.md records it; "
        "run python tools/spec.py implement architecture-move-sessions-to-redis to add one",
        ["implement", "move-sessions-to-redis"],
    ),
    "a close-out half done: the spec still Draft, its entries written": Case(
        lambda repo: set_status(repo, SPEC, "Implemented", "Draft"),
        "architecture.md",
        "- **2026-03-10**: Add an audit log",
        "the Implementation History entry for add-an-audit-log, which is Draft, not Implemented; "
        "run python tools/spec.py implement add-an-audit-log once it has shipped, or delete the entry",
        ["implement", "add-an-audit-log"],
    ),
    "a history entry and a decision whose spec was deleted": Case(
        lambda repo: ((repo.path / SESSIONS).unlink(), repo.ok("index")),
        "architecture.md",
        f"  - Spec: [{SESSIONS}]",
        f"link to {SESSIONS}: no such file; correct the link or remove it",
        [],
        errors=2,  # and the decision's Reference
    ),
    "a decision whose spec is Draft": Case(
        lambda repo: edit(
            repo,
            "architecture.md",
            "<!-- Add decisions as they are made",
            f"### Decision 3: Sessions in Postgres\n\n**Reference**: [the spec]({POSTGRES})\n\n---\n\n"
            "<!-- Add decisions as they are made",
        )
       ,
        "architecture.md",
        f"**Reference**: [the spec]({POSTGRES})",
        "Decision 3 records architecture-sessions-in-postgres, which is Draft, not Implemented; "
        "run python tools/spec.py implement architecture-sessions-in-postgres once it has shipped, "
        "or delete the decision",
        ["implement", "sessions-in-postgres"],
    ),
    "two decisions for one spec, as two branches implementing it leave them": Case(
        lambda repo: edit(
            repo,
            "architecture.md",
            "<!-- Add decisions as they are made",
            decision_2(repo).replace("### Decision 2", "### Decision 3") + "<!-- Add decisions as they are made",
        )
       ,
        "architecture.md",
        "### Decision 3",
        "Decision 3 records architecture-move-sessions-to-redis, as Decision 2 (line {first}) already does; "
        "keep one of them, then run python tools/spec.py renumber",
        [],
        first="### Decision 2",
    ),
    "two history entries for one spec": Case(
        lambda repo: edit(repo, "architecture.md", SESSIONS_ENTRY, SESSIONS_ENTRY + SESSIONS_ENTRY),
        "architecture.md",
        "- **2026-03-10**: Move sessions to Redis",
        "a second Implementation History entry for architecture-move-sessions-to-redis "
        "(the first is at line {first}); delete one",
        [],
        first="- **2026-03-10**: Move sessions to Redis",
    ),
    "a decision marked superseded whose spec is current": Case(
        lambda repo: edit(
            repo,
            "architecture.md",
            "**Date**: 2026-03-10\n\n**Context**",
            "**Date**: 2026-03-10\n\n**Status:** Superseded by [Decision 1](#decision-1)\n\n**Context**",
        )
       ,
        "architecture.md",
        "**Status:** Superseded",
        "Decision 2 is marked Superseded, but architecture-move-sessions-to-redis is Implemented; "
        "delete this **Status** line, or run python tools/spec.py supersede architecture-move-sessions-to-redis "
        "--by NEW",
        [],
    ),
    "a spec linked as superseded by one that does not link back": Case(
        lambda repo: edit(
            repo,
            SESSIONS,
            "**Superseded by**: None",
            "**Superseded by**: [Sessions in Postgres](architecture-sessions-in-postgres.md)",
        )
       ,
        SESSIONS,
        "**Superseded by**",
        "**Superseded by** names architecture-sessions-in-postgres, whose **Supersedes** does not name this "
        "spec; run python tools/spec.py supersede architecture-move-sessions-to-redis --by "
        "architecture-sessions-in-postgres to link both",
        ["supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres"],
    ),
    "a successor implemented while the old spec's write was lost": Case(
        lose_the_write_of_the_old_spec,
        SESSIONS,
        "**Status**",
        "architecture-sessions-in-postgres supersedes it and is Implemented, but Status is Implemented; "
        "run python tools/spec.py implement architecture-sessions-in-postgres to mark it Superseded",
        ["implement", "sessions-in-postgres"],
        errors=2,  # and Decision 2 is marked superseded while its spec is Implemented
    ),
    "a successor rejected by hand": Case(
        lambda repo: supersede_then(repo, lambda: set_status(repo, POSTGRES, "Draft", "Rejected")),
        SESSIONS,
        "**Superseded by**",
        "**Superseded by** names architecture-sessions-in-postgres, which is Rejected and supersedes nothing; "
        "run python tools/spec.py status architecture-sessions-in-postgres Rejected to take the links out",
        ["status", "sessions-in-postgres", "Rejected"],
    ),
    "a spec rejected by hand while a successor was pending": Case(
        lambda repo: (
            repo.ok("new", "Sessions in Valkey", "--architecture"),
            repo.ok("supersede", "sessions-in-postgres", "--by", "sessions-in-valkey"),
            set_status(repo, POSTGRES, "Draft", "Rejected"),
        ),
        POSTGRES,
        "**Superseded by**",
        "Status is Rejected, so nothing supersedes it, but **Superseded by** names "
        "architecture-sessions-in-valkey; run python tools/spec.py status architecture-sessions-in-postgres "
        "Rejected to take the links out",
        ["status", "sessions-in-postgres", "Rejected"],
    ),
    "a spec marked Superseded before its successor shipped (the old supersede)": Case(
        lambda repo: supersede_then(repo, lambda: set_status(repo, SESSIONS, "Implemented", "Superseded")),
        SESSIONS,
        "**Status**",
        "Status is Superseded, but architecture-sessions-in-postgres in **Superseded by** is not Implemented; "
        "a spec is superseded when its successor is implemented: edit its Status back to what it was, and "
        "implement the successor once it has shipped",
        ["implement", "sessions-in-postgres"],
        errors=2,  # and its decision is not marked superseded
    ),
    "a Superseded spec whose decision is not marked": Case(
        lambda repo: supersede_then(
            repo,
            lambda: ship(repo, "sessions-in-postgres"),
            lambda: edit(repo, "architecture.md", MARK, ""),
        ),
        "architecture.md",
        "### Decision 2",
        "Decision 2 records architecture-move-sessions-to-redis, which is Superseded, but is not marked so; "
        "run python tools/spec.py implement architecture-sessions-in-postgres to mark it",
        ["implement", "sessions-in-postgres"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_check_reports_records_that_contradict_each_other_and_how_to_fix_them(shipped, case):
    problem = CASES[case]
    problem.breaks(shipped)
    text = shipped.read(problem.where)
    line = text.count("\n", 0, text.rindex("\n" + problem.fragment)) + 2
    message = problem.message.format(first=line_of(text, problem.first) if problem.first else "")
    result = shipped.spec("check")
    assert result.returncode == 1
    assert f"{problem.where}:{line}: {message}" in result.stdout.splitlines()
    assert result.stdout.endswith(f"check failed: {problem.errors} error{'s' if problem.errors > 1 else ''}\n")
    if problem.fix:
        if problem.fix[0] == "implement":  # the team readies a spec before its close-out
            ready_spec(shipped, problem.fix[1])
        shipped.ok(*problem.fix)
        assert shipped.ok("check").endswith("check passed\n")


def test_the_fix_for_a_decision_recorded_twice_is_to_delete_one_and_renumber(shipped):
    architecture = shipped.read("architecture.md")
    CASES["two decisions for one spec, as two branches implementing it leave them"].breaks(shipped)
    assert shipped.spec("check").returncode == 1
    edit(shipped, "architecture.md", decision_2(shipped), "")
    assert shipped.ok("renumber") == (
        "architecture.md: Decision 3: Move sessions to Redis -> Decision 2\n"
    )
    assert shipped.read("architecture.md") == architecture
