"""tools/spec.py: implement."""

from __future__ import annotations

import re

from tests.spec_tool.conftest import BAKED_ON, HISTORY_ENTRY, SESSIONS, SPEC, TODAY, decision, last_line, recorded


def test_implement_closes_an_architecture_spec_out_into_architecture_md(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    spec = repo.read(SESSIONS)
    purpose = "Sessions live in each API server's memory, so a deploy logs every user out."
    repo.write(
        SESSIONS,
        spec.replace(
            "[What problem does this change solve, for whom, and why now?]",
            purpose + "\nSee [the incident](../../README.md).\n\nMore detail.",
        ),
    )
    architecture = repo.read("architecture.md")
    assert repo.ok("implement", "move-sessions-to-redis") == (
        f"{SESSIONS}: Draft -> Implemented\narchitecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    context = purpose + " See [the incident](README.md)."
    assert repo.read("architecture.md") == recorded(
        architecture, HISTORY_ENTRY, decisions=decision(2, "Move sessions to Redis", SESSIONS, TODAY, context)
    )
    assert "**Status**: Implemented\n" in repo.read(SESSIONS)
    assert f"**Last Updated**: {TODAY}\n" in repo.read(SESSIONS)
    assert "| Architecture | Implemented |" in repo.read("specs/README.md")
    assert repo.ok("check").endswith("check passed\n")


def test_implement_twice_changes_nothing_the_second_time(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("implement", "move-sessions-to-redis")
    after_first = repo.snapshot()
    output = repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-09")
    assert output == f"{SESSIONS}: already Implemented and recorded in architecture.md; nothing to change\n"
    assert repo.snapshot() == after_first


def test_implement_a_feature_spec_adds_history_but_no_decision(repo):
    repo.ok("new", "Add an audit log")
    architecture = repo.read("architecture.md")
    assert repo.ok("implement", "add-an-audit-log") == (
        f"{SPEC}: Draft -> Implemented\narchitecture.md: Implementation History entry added\n"
    )
    entry = f"- **{TODAY}**: Add an audit log\n  - Spec: [{SPEC}]({SPEC})\n"
    assert repo.read("architecture.md") == recorded(architecture, entry)


def test_implement_keeps_history_newest_first_and_last_updated_from_going_back(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-01")
    repo.ok("new", "Add an audit log", "--date", "2026-03-01")
    repo.ok("implement", "add-an-audit-log", "--date", "2026-03-05")
    repo.ok(
        "implement", "move-sessions-to-redis", "--date", "2026-03-01"
    )  # recorded late, dated when it shipped
    architecture = repo.read("architecture.md")
    dates = re.findall(r"^- \*\*(\d{4}-\d{2}-\d{2})\*\*: (.*)$", architecture, re.MULTILINE)
    assert dates == [
        ("2026-03-05", "Add an audit log"),
        (BAKED_ON, "Created this living architecture document and the spec process"),
        ("2026-03-01", "Move sessions to Redis"),
    ]
    assert "**Last Updated**: 2026-03-05\n" in architecture
    assert architecture.endswith(
        "**Template Version**: 1.0 (2026-01-19)\n"
    )  # the template's own version, never stamped
    assert repo.ok("check").endswith("check passed\n")


def test_implement_finishes_a_close_out_done_halfway_by_hand(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = repo.read(SESSIONS).replace("**Status**: Draft", "**Status**: Implemented")
    repo.write(SESSIONS, spec)
    result = repo.spec("check")
    assert result.returncode == 1
    assert (
        f"{SESSIONS}:3: Implemented but missing from the Implementation History in architecture.md; "
        "run python tools/spec.py implement architecture-move-sessions-to-redis\n"
    ) in result.stdout
    assert repo.ok("implement", "move-sessions-to-redis") == (
        "architecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    assert repo.read(SESSIONS) == spec
    assert repo.ok("check").endswith("check passed\n")


def test_implement_writes_nothing_when_architecture_md_lacks_its_history(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    architecture = repo.read("architecture.md").replace("## Implementation History", "## History")
    repo.write("architecture.md", architecture)
    before = repo.snapshot()
    result = repo.spec("implement", "move-sessions-to-redis")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f'architecture.md:{last_line(architecture)}: no "## Implementation History" section; '
        "put it back, the tool writes there\n",
    )
    assert repo.snapshot() == before
