"""tools/spec.py: supersede."""

from __future__ import annotations

import re

import pytest

from tests.spec_tool.conftest import BAKED_ON, SESSIONS, TODAY, Repo, ready, ship

POSTGRES = "specs/features/architecture-sessions-in-postgres.md"


def decision_block(repo: Repo, number: int) -> str:
    """The text of Decision number in architecture.md, from its heading to the next heading."""
    architecture = repo.read("architecture.md")
    start = architecture.index(f"### Decision {number}:")
    end = architecture.find("\n#", start)
    return architecture[start:end]


def test_supersede_links_both_specs_and_takes_effect_when_the_successor_is_implemented(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    repo.ok("new", "Sessions in Postgres", "--architecture", "--date", BAKED_ON)
    ready(repo, SESSIONS)
    ship(repo, "move-sessions-to-redis")
    old, new = SESSIONS, POSTGRES
    old_text, new_text = repo.read(old), repo.read(new)
    architecture = repo.read("architecture.md")
    output = repo.ok(
        "supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres", "--date", "2026-03-09"
    )
    assert output == (
        f"{old}: to be Superseded by architecture-sessions-in-postgres once that is Implemented\n"
        f"{new}: Supersedes architecture-move-sessions-to-redis\n"
    )
    linked_old = old_text.replace(f"**Last Updated**: {TODAY}", "**Last Updated**: 2026-03-09").replace(
        "**Superseded by**: None",
        "**Superseded by**: [Sessions in Postgres](architecture-sessions-in-postgres.md)",
    )
    assert repo.read(old) == linked_old  # still Implemented: its successor has not shipped
    assert repo.read(new) == new_text.replace(
        f"**Last Updated**: {BAKED_ON}", "**Last Updated**: 2026-03-09"
    ).replace(
        "**Supersedes**: None",
        "**Supersedes**: [Move sessions to Redis](architecture-move-sessions-to-redis.md)",
    )
    assert repo.read("architecture.md") == architecture
    after = repo.snapshot()
    assert repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres") == (
        f"{old}: already to be superseded by architecture-sessions-in-postgres; nothing to change\n"
    )
    assert repo.snapshot() == after
    assert repo.ok("check").endswith("check passed\n")

    assert ship(repo, "sessions-in-postgres", "--date", "2026-03-10") == (
        f"{new}: Planned -> Implemented\n"
        "architecture.md: Implementation History entry added\n"
        "architecture.md: Decision 3 added to Key Architectural Decisions\n"
        f"{old}: Implemented -> Superseded by architecture-sessions-in-postgres\n"
        "architecture.md: Decision 2 marked Superseded by Decision 3\n"
    )
    assert repo.read(old) == linked_old.replace("**Status**: Implemented", "**Status**: Superseded").replace(
        "**Last Updated**: 2026-03-09", f"**Last Updated**: {TODAY}"
    )
    assert decision_block(repo, 2).startswith(
        f"### Decision 2: Move sessions to Redis\n\n**Date**: {TODAY}\n\n"
        "**Status**: Superseded by [Decision 3](#decision-3-sessions-in-postgres)\n\n**Context**: "
    )
    assert "**Status**" not in decision_block(repo, 3)
    assert repo.ok("check").endswith("check passed\n")
    after = repo.snapshot()
    assert ship(repo, "sessions-in-postgres") == (
        f"{new}: already Implemented and recorded in architecture.md; nothing to change\n"
    )
    assert repo.snapshot() == after


def test_superseding_by_an_implemented_spec_takes_effect_at_once(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    repo.ok("new", "Sessions in Postgres", "--architecture", "--date", BAKED_ON)
    ship(repo, "move-sessions-to-redis", "--date", "2026-03-04")
    ship(repo, "sessions-in-postgres", "--date", "2026-03-05")
    assert repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres") == (
        f"{POSTGRES}: Supersedes architecture-move-sessions-to-redis\n"
        f"{SESSIONS}: Implemented -> Superseded by architecture-sessions-in-postgres\n"
        "architecture.md: Decision 2 marked Superseded by Decision 3\n"
    )
    assert "**Status**: Superseded\n" in repo.read(SESSIONS)
    assert "**Status**: Superseded by [Decision 3](#decision-3-sessions-in-postgres)\n" in decision_block(repo, 2)
    assert repo.ok("check").endswith("check passed\n")


def test_rejecting_the_successor_takes_the_pending_links_out_of_both_specs(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    repo.ok("new", "Sessions in Postgres", "--architecture", "--date", BAKED_ON)
    ship(repo, "move-sessions-to-redis")
    old_text, new_text, architecture = repo.read(SESSIONS), repo.read(POSTGRES), repo.read("architecture.md")
    repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres")
    assert repo.ok("status", "sessions-in-postgres", "Rejected") == (
        f"{POSTGRES}: Draft -> Rejected\n"
        f"{SESSIONS}: no longer to be superseded by architecture-sessions-in-postgres, which is Rejected\n"
    )
    assert repo.read(SESSIONS) == old_text  # Implemented, current, as before
    assert repo.read(POSTGRES) == new_text.replace("**Status**: Draft", "**Status**: Rejected").replace(
        f"**Last Updated**: {BAKED_ON}", f"**Last Updated**: {TODAY}"
    )
    assert repo.read("architecture.md") == architecture
    assert repo.ok("check").endswith("check passed\n")


def test_rejecting_a_spec_that_was_to_be_superseded_takes_the_links_out_too(repo):
    repo.ok("new", "Old way")
    repo.ok("new", "New way")
    new_text = repo.read("specs/features/new-way.md")
    repo.ok("supersede", "old-way", "--by", "new-way")
    assert repo.ok("status", "old-way", "Rejected") == (
        "specs/features/old-way.md: Draft -> Rejected\n"
        "specs/features/new-way.md: no longer supersedes old-way, which is Rejected\n"
    )
    assert "**Superseded by**: None\n" in repo.read("specs/features/old-way.md")
    assert repo.read("specs/features/new-way.md") == new_text
    assert repo.ok("check").endswith("check passed\n")


def test_a_rejected_successor_keeps_only_the_links_to_other_specs(repo):
    for title in ("Old way", "Other way", "New way"):
        repo.ok("new", title)
    repo.ok("supersede", "old-way", "--by", "new-way")
    repo.ok("supersede", "other-way", "--by", "new-way")
    repo.ok("supersede", "old-way", "--by", "other-way")
    repo.ok("status", "new-way", "Rejected")
    assert "**Superseded by**: [Other way](other-way.md)\n" in repo.read("specs/features/old-way.md")
    assert "**Superseded by**: None\n" in repo.read("specs/features/other-way.md")
    assert "**Supersedes**: None\n" in repo.read("specs/features/new-way.md")
    assert "**Supersedes**: [Old way](old-way.md)\n" in repo.read("specs/features/other-way.md")
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


def test_the_full_history_of_a_spec_superseded_twice(repo):
    """Redis, then Postgres, then a session service: each decision marked superseded by the next one, each
    spec superseded by the next one, every close-out in the history, and check passes at every step."""
    titles = ["Move sessions to Redis", "Sessions in Postgres", "A session service"]
    slugs = ["move-sessions-to-redis", "sessions-in-postgres", "a-session-service"]
    for title in titles:
        repo.ok("new", title, "--architecture", "--date", BAKED_ON)
    ship(repo, slugs[0], "--date", "2026-03-03")
    repo.ok("supersede", slugs[0], "--by", slugs[1], "--date", "2026-03-04")
    assert repo.ok("check").endswith("check passed\n")
    ship(repo, slugs[1], "--date", "2026-03-05")
    assert repo.ok("check").endswith("check passed\n")
    repo.ok("supersede", slugs[1], "--by", slugs[2], "--date", "2026-03-06")
    assert ship(repo, slugs[2], "--date", "2026-03-07").splitlines()[-2:] == [
        "specs/features/architecture-sessions-in-postgres.md: Implemented -> Superseded by "
        "architecture-a-session-service",
        "architecture.md: Decision 3 marked Superseded by Decision 4",
    ]
    assert repo.ok("check").endswith("check passed\n")

    architecture = repo.read("architecture.md")
    decisions = r"^### (Decision \d+: .*)\n\n\*\*Date\*\*: (.*)\n\n(?:\*\*Status\*\*: Superseded by (.*)\n\n)?"
    assert re.findall(decisions, architecture, re.M)[1:] == [
        ("Decision 2: Move sessions to Redis", "2026-03-03", "[Decision 3](#decision-3-sessions-in-postgres)"),
        ("Decision 3: Sessions in Postgres", "2026-03-05", "[Decision 4](#decision-4-a-session-service)"),
        ("Decision 4: A session service", "2026-03-07", ""),
    ]
    assert re.findall(r"^- \*\*(\d{4}-\d\d-\d\d)\*\*: (.*)$", architecture, re.M)[:3] == [
        ("2026-03-07", "A session service"),
        ("2026-03-05", "Sessions in Postgres"),
        ("2026-03-03", "Move sessions to Redis"),
    ]
    assert repo.ok("list").splitlines()[1:] == [
        "architecture-a-session-service       Architecture  Implemented  Architecture Team  2026-03-07",
        "architecture-move-sessions-to-redis  Architecture  Superseded   Architecture Team  2026-03-05",
        "architecture-sessions-in-postgres    Architecture  Superseded   Architecture Team  2026-03-07",
    ]
    fields = {slug: field_values(repo, f"specs/features/architecture-{slug}.md") for slug in slugs}
    assert fields == {
        slugs[0]: ("Superseded", "None", "[Sessions in Postgres](architecture-sessions-in-postgres.md)"),
        slugs[1]: (
            "Superseded",
            "[Move sessions to Redis](architecture-move-sessions-to-redis.md)",
            "[A session service](architecture-a-session-service.md)",
        ),
        slugs[2]: ("Implemented", "[Sessions in Postgres](architecture-sessions-in-postgres.md)", "None"),
    }


def field_values(repo: Repo, relative: str) -> tuple[str, str, str]:
    text = repo.read(relative)
    status, supersedes, superseded_by = (
        re.search(rf"^\*\*{key}\*\*: (.*)$", text, re.M)[1] for key in ("Status", "Supersedes", "Superseded by")
    )
    return status, supersedes, superseded_by


def test_a_feature_spec_that_supersedes_an_architecture_spec_marks_its_decision_with_a_link_to_it(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("new", "Drop server sessions")
    ship(repo, "move-sessions-to-redis")
    repo.ok("supersede", "move-sessions-to-redis", "--by", "drop-server-sessions")
    assert ship(repo, "drop-server-sessions").splitlines()[-1] == (
        "architecture.md: Decision 2 marked Superseded by Drop server sessions"
    )
    assert (
        "**Status**: Superseded by [Drop server sessions](specs/features/drop-server-sessions.md)\n"
        in decision_block(repo, 2)
    )
    assert repo.ok("check").endswith("check passed\n")


@pytest.mark.parametrize(
    "setup, arguments, message",
    [
        (
            [["status", "new-way", "Rejected"]],
            ["supersede", "old-way", "--by", "new-way"],
            "specs/features/new-way.md: is Rejected, so it neither supersedes nor is superseded",
        ),
        (
            [["status", "old-way", "Rejected"]],
            ["supersede", "old-way", "--by", "new-way"],
            "specs/features/old-way.md: is Rejected, so it neither supersedes nor is superseded",
        ),
        (
            [["supersede", "old-way", "--by", "new-way"], ["implement", "new-way"]],
            ["supersede", "old-way", "--by", "newer-way"],
            "specs/features/old-way.md: is already Superseded by new-way; supersede that spec instead",
        ),
        (
            [["supersede", "old-way", "--by", "new-way"], ["implement", "new-way"]],
            ["supersede", "newer-way", "--by", "old-way"],
            "specs/features/old-way.md: is Superseded itself; supersede with the spec that replaced it",
        ),
    ],
    ids=["by a rejected spec", "a rejected spec", "a superseded spec again", "by a superseded spec"],
)
def test_supersede_refuses_what_would_tell_two_stories(repo, setup, arguments, message):
    for title in ("Old way", "New way", "Newer way"):
        repo.ok("new", title)
    for step in setup:
        ship(repo, step[1]) if step[0] == "implement" else repo.ok(*step)
    before = repo.snapshot()
    result = repo.spec(*arguments)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")
    assert repo.snapshot() == before


@pytest.mark.parametrize(
    "fields, marked",
    [
        (
            "**Date**: 2026-03-03\n**Context**: Sessions.\n",
            "**Date**: 2026-03-03\n**Status**: Superseded by [Decision 3](#decision-3-sessions-in-postgres)\n"
            "**Context**: Sessions.\n",
        ),
        (
            "**Date:** 2026-03-03\n\n**Status**: Accepted\n\n**Context**: Sessions.\n",
            "**Date:** 2026-03-03\n\n**Status**: Superseded by [Decision 3](#decision-3-sessions-in-postgres)\n\n"
            "**Context**: Sessions.\n",
        ),
        (
            "**Context**: Sessions, no date.\n",
            "**Status**: Superseded by [Decision 3](#decision-3-sessions-in-postgres)\n\n"
            "**Context**: Sessions, no date.\n",
        ),
    ],
    ids=["fields without blank lines", "a status already there", "no date"],
)
def test_a_decision_written_by_hand_is_marked_superseded_in_its_own_layout(repo, fields, marked):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("new", "Sessions in Postgres", "--architecture")
    ship(repo, "move-sessions-to-redis")
    reference = f"**Reference**: [the spec]({SESSIONS})\n"
    architecture = repo.read("architecture.md")
    written = decision_block(repo, 2)
    hand_written = f"### Decision 2: Sessions in Redis\n\n{fields}{reference}\n---\n"
    repo.write("architecture.md", architecture.replace(written, hand_written))
    repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres")
    ship(repo, "sessions-in-postgres")
    assert decision_block(repo, 2) == f"### Decision 2: Sessions in Redis\n\n{marked}{reference}\n---\n"
    assert repo.ok("check").endswith("check passed\n")


def test_the_superseded_mark_links_a_successor_whose_title_ends_in_punctuation(repo):
    """new writes the final "." of a title as &#46;, which a heading shows as "." and its anchor drops."""
    from tests.spec_tool.test_hostile_input import lint

    repo.ok("new", "Old store", "--architecture")
    ship(repo, "old-store")
    repo.ok("new", "Use Postgres everywhere.", "--architecture")
    repo.ok("supersede", "old-store", "--by", "use-postgres-everywhere")
    ship(repo, "use-postgres-everywhere")
    architecture = repo.read("architecture.md")
    assert "### Decision 3: Use Postgres everywhere&#46;\n" in architecture
    assert "**Status**: Superseded by [Decision 3](#decision-3-use-postgres-everywhere)\n" in architecture
    assert repo.ok("check").endswith("check passed\n")
    lint(repo.path)
