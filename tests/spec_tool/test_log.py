"""tools/spec.py: log, a minor change recorded without a spec."""

from __future__ import annotations

import re

import pytest

from tests.spec_tool.conftest import BAKED_ON, FIRST_HISTORY_ENTRY, TODAY, ship


def direct_update(date: str, summary: str) -> str:
    return f"- **{date}**: {summary}\n  - Spec: Direct update\n"


def history(architecture: str) -> list[str]:
    return re.findall(r"^- \*\*(\d{4}-\d\d-\d\d)\*\*: (.*)\n  - Spec: (.*)$", architecture, re.MULTILINE)


def test_log_adds_a_dated_direct_update_entry_and_stamps_last_updated(repo):
    architecture = repo.read("architecture.md")
    assert repo.ok("log", "Added a Redis cache in front of the catalogue") == (
        "architecture.md: Implementation History entry added: Added a Redis cache in front of the catalogue\n"
    )
    assert repo.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n", f"**Last Updated**: {TODAY}\n", 1
    ).replace(
        FIRST_HISTORY_ENTRY, direct_update(TODAY, "Added a Redis cache in front of the catalogue") + FIRST_HISTORY_ENTRY
    )
    assert repo.ok("check").endswith("check passed\n")
    after = repo.snapshot()
    assert repo.ok("log", "Added a Redis cache in front of the catalogue") == (
        "architecture.md: the Implementation History already has this entry; nothing to change\n"
    )
    assert repo.snapshot() == after


def test_log_keeps_the_history_newest_first_and_last_updated_from_going_back(repo):
    repo.ok("new", "Add an audit log", "--date", BAKED_ON)
    ship(repo, "add-an-audit-log", "--date", "2026-03-06")
    repo.ok("log", "Upgraded FastAPI", "--date", "2026-03-08")
    repo.ok("log", "Tuned the cache's expiry", "--date", "2026-03-04")
    architecture = repo.read("architecture.md")
    assert history(architecture) == [
        ("2026-03-08", "Upgraded FastAPI", "Direct update"),
        ("2026-03-06", "Add an audit log", "[specs/features/add-an-audit-log.md](specs/features/add-an-audit-log.md)"),
        ("2026-03-04", "Tuned the cache's expiry", "Direct update"),
        (BAKED_ON, "Created this living architecture document and the spec process", "Direct update"),
    ]
    assert "**Last Updated**: 2026-03-08\n" in architecture
    assert repo.ok("check").endswith("check passed\n")


def test_log_shows_the_summary_as_typed(repo):
    repo.ok("log", "Moved *all* [caches] to `valkey` | 2 <b>")
    escaped = "Moved \\*all\\* \\[caches\\] to \\`valkey\\` \\| 2 \\<b>"
    assert direct_update(TODAY, escaped) in repo.read("architecture.md")
    assert repo.ok("check").endswith("check passed\n")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["log", ""], "error: SUMMARY must be one line of text, not ''"),
        (["log", "two\nlines"], "error: SUMMARY must be one line of text, not 'two\\nlines'"),
        (["log"], "error: the following arguments are required: SUMMARY (see 'python tools/spec.py log --help')"),
    ],
)
def test_log_usage_errors(repo, arguments, message):
    before = repo.snapshot()
    result = repo.spec(*arguments)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")
    assert repo.snapshot() == before


def test_log_refuses_a_history_it_cannot_write_into(repo):
    architecture = repo.read("architecture.md").replace("## Implementation History", "## History")
    repo.write("architecture.md", architecture)
    before = repo.snapshot()
    result = repo.spec("log", "Upgraded FastAPI")
    line = architecture.rstrip("\n").count("\n") + 1
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f'architecture.md:{line}: no "## Implementation History" section; put it back, the tool writes there\n',
    )
    assert repo.snapshot() == before
