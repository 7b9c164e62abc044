"""tools/spec.py: supersede."""

from __future__ import annotations

import pytest

from tests.spec_tool.conftest import BAKED_ON, SESSIONS, TODAY, ready


def test_supersede_links_both_specs_and_changes_nothing_the_second_time(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    repo.ok("new", "Sessions in Postgres", "--architecture", "--date", BAKED_ON)
    ready(repo, SESSIONS)
    repo.ok("implement", "move-sessions-to-redis")
    old, new = SESSIONS, "specs/features/architecture-sessions-in-postgres.md"
    old_text, new_text = repo.read(old), repo.read(new)
    output = repo.ok(
        "supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres", "--date", "2026-03-09"
    )
    assert output == (
        f"{old}: Implemented -> Superseded by architecture-sessions-in-postgres\n"
        f"{new}: Supersedes architecture-move-sessions-to-redis\n"
    )
    assert repo.read(old) == old_text.replace("**Status**: Implemented", "**Status**: Superseded").replace(
        f"**Last Updated**: {TODAY}", "**Last Updated**: 2026-03-09"
    ).replace(
        "**Superseded by**: None",
        "**Superseded by**: [Sessions in Postgres](architecture-sessions-in-postgres.md)",
    )
    assert repo.read(new) == new_text.replace(
        f"**Last Updated**: {BAKED_ON}", "**Last Updated**: 2026-03-09"
    ).replace(
        "**Supersedes**: None",
        "**Supersedes**: [Move sessions to Redis](architecture-move-sessions-to-redis.md)",
    )
    after = repo.snapshot()
    assert repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres") == (
        f"{old}: already Superseded by architecture-sessions-in-postgres; nothing to change\n"
    )
    assert repo.snapshot() == after
    assert repo.ok("check").endswith("check passed\n")


def test_a_spec_superseded_twice_links_both_successors(repo):
    for title in ("Old way", "New way", "Newer way"):
        repo.ok("new", title)
    repo.ok("supersede", "old-way", "--by", "new-way")
    repo.ok("supersede", "old-way", "--by", "newer-way")
    assert "**Superseded by**: [New way](new-way.md), [Newer way](newer-way.md)\n" in repo.read(
        "specs/features/old-way.md"
    )


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["supersede", "old-way", "--by", "old-way"], "error: a spec cannot supersede itself"),
        (
            ["supersede", "old-way", "--by", "new-wya"],
            'error: no spec "new-wya" in specs/features/; close matches: new-way',
        ),
        (
            ["supersede", "old-way"],
            "error: the following arguments are required: --by (see 'python tools/spec.py supersede --help')",
        ),
    ],
)
def test_supersede_usage_errors(repo, arguments, message):
    repo.ok("new", "Old way")
    repo.ok("new", "New way")
    before = repo.snapshot()
    result = repo.spec(*arguments)
    assert (result.returncode, result.stderr) == (2, message + "\n")
    assert repo.snapshot() == before
