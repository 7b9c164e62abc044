"""tools/spec.py: status."""

from __future__ import annotations

import pytest

from tests.spec_tool.conftest import SESSIONS, SPEC, TODAY, epoch, ready


def test_status_changes_only_the_status_and_last_updated(three_specs):
    before = three_specs.read(SESSIONS)
    output = three_specs.ok("status", "move-sessions-to-redis", "planned", "--date", "2026-03-04")
    assert output == f"{SESSIONS}: Draft -> Planned\n"
    assert three_specs.read(SESSIONS) == before.replace("**Status**: Draft", "**Status**: Planned").replace(
        "**Last Updated**: 2026-03-03", "**Last Updated**: 2026-03-04"
    )
    assert "| Architecture | Planned | Architecture Team | 2026-03-04 |" in three_specs.read(
        "specs/README.md"
    )


def test_status_accepts_a_slug_a_file_name_or_a_path(three_specs):
    three_specs.ok("status", "architecture-move-sessions-to-redis", "Planned")
    three_specs.ok("status", "architecture-move-sessions-to-redis.md", "In Progress")
    three_specs.ok("status", SESSIONS, "Rejected")
    features = three_specs.path / "specs" / "features"
    assert three_specs.ok("status", "architecture-move-sessions-to-redis.md", "Draft", cwd=features) == (
        "architecture-move-sessions-to-redis.md: Rejected -> Draft\n"
    )


def test_status_to_the_same_status_changes_nothing(three_specs):
    before = three_specs.snapshot()
    assert three_specs.ok("status", "add-an-audit-log", "In Progress") == (
        "specs/features/add-an-audit-log.md: already In Progress\n"
    )
    assert three_specs.snapshot() == before


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["status", "move-sessions-to-redis", "Superseded"],
            "error: a spec becomes Superseded through 'python tools/spec.py supersede OLD --by NEW'",
        ),
        (
            ["status", "move-sessions-to-redis", "Done"],
            'error: unknown status "Done"; use one of Draft, Planned, In Progress, Implemented, Rejected',
        ),
        (
            ["status", "move-sessions-to-valkey", "Planned"],
            'error: no spec "move-sessions-to-valkey" in specs/features/; close matches: '
            "architecture-move-sessions-to-redis",
        ),
        (
            ["status", "audit", "Planned"],
            'error: no spec "audit" in specs/features/; close matches: add-an-audit-log',
        ),
        (
            ["status", "nothing-like-it", "Planned"],
            "error: no spec \"nothing-like-it\" in specs/features/; 'python tools/spec.py list' shows them all",
        ),
        (
            ["status", "architecture.md", "Planned"],
            'error: no spec "architecture" in specs/features/; close matches: architecture-move-sessions-to-redis',
        ),
        (
            ["status", "specs/templates/feature.md", "Planned"],
            "error: specs/templates/feature.md is not a spec: specs live in specs/features/",
        ),
        (
            ["status", "move-sessions-to-redis"],
            "error: the following arguments are required: STATUS (see 'python tools/spec.py status --help')",
        ),
    ],
)
def test_status_usage_errors(three_specs, arguments, message):
    before = three_specs.snapshot()
    result = three_specs.spec(*arguments)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")
    assert three_specs.snapshot() == before


def test_a_short_name_that_could_mean_two_specs_is_an_error_naming_both(repo):
    repo.ok("new", "Alpha")
    feature = repo.read("specs/features/alpha.md")
    repo.write("specs/features/architecture-alpha.md", feature)  # merged from another branch
    repo.ok("index")
    before = repo.snapshot()
    for arguments in (
        ["implement", "alpha"],
        ["status", "alpha", "Planned"],
        ["supersede", "alpha", "--by", "alpha.md"],
    ):
        result = repo.spec(*arguments)
        assert (result.returncode, result.stdout, result.stderr) == (
            2,
            "",
            'error: "alpha" names two specs, alpha.md and architecture-alpha.md; say which by its file name\n',
        ), arguments
    assert repo.snapshot() == before
    assert repo.ok("status", "alpha.md", "Planned") == "specs/features/alpha.md: Draft -> Planned\n"
    assert repo.ok("status", "architecture-alpha", "Rejected") == (
        "specs/features/architecture-alpha.md: Draft -> Rejected\n"
    )
    assert (
        repo.ok("status", "specs/features/alpha.md", "Draft") == "specs/features/alpha.md: Planned -> Draft\n"
    )


@pytest.mark.parametrize("arguments", [["status", "old-way", "Draft"], ["implement", "old-way"]])
def test_a_superseded_spec_keeps_its_status_while_it_names_a_successor(repo, arguments):
    repo.ok("new", "Old way")
    repo.ok("new", "New way")
    repo.ok("supersede", "old-way", "--by", "new-way")
    before = repo.snapshot()
    result = repo.spec(*arguments)
    status = "Draft" if arguments[0] == "status" else "Implemented"
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "specs/features/old-way.md: **Superseded by** names [New way](new-way.md), so its Status stays "
        f"Superseded; clear that field first to make it {status}\n",
    )
    assert repo.snapshot() == before


@pytest.mark.parametrize(
    "arguments",
    [
        ["status", "add-an-audit-log", "Planned", "--date", "2026-03-09"],
        ["implement", "add-an-audit-log", "--date", "2026-03-09"],
        ["supersede", "add-an-audit-log", "--by", "audit-log-v2", "--date", "2026-03-09"],
        ["status", "add-an-audit-log", "Planned"],  # today, by SOURCE_DATE_EPOCH
    ],
    ids=["status", "implement", "supersede", "today"],
)
def test_a_date_before_the_spec_was_created_is_a_usage_error(repo, arguments):
    repo.ok("new", "Add an audit log")
    repo.ok("new", "Audit log v2", "--date", "2026-03-01")
    before = repo.snapshot()
    result = repo.spec(*arguments, env={"SOURCE_DATE_EPOCH": epoch("2026-03-09")})
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"error: the date to stamp, 2026-03-09, is before the Created date of {SPEC}, {TODAY}; "
        f"give --date {TODAY} or later\n",
    )
    assert repo.snapshot() == before


def test_status_implemented_does_what_implement_does(three_specs):
    ready(three_specs, SESSIONS)
    architecture = three_specs.read("architecture.md")
    output = three_specs.ok("status", "move-sessions-to-redis", "Implemented")
    assert output == (
        f"{SESSIONS}: Planned -> Implemented\narchitecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    assert "- **2026-03-10**: Move sessions to Redis\n" in three_specs.read("architecture.md") != architecture
