"""tools/spec.py: implement."""

from __future__ import annotations

import difflib
import errno
import os
import re

import pytest

from tests.spec_tool.conftest import (
    BAKED_ON,
    HISTORY_ENTRY,
    SESSIONS,
    SPEC,
    TODAY,
    Repo,
    expected_decision,
    last_line,
    line_of,
    load_tool,
    ready,
    recorded,
)


def refused(repo: Repo, *arguments: str) -> list[str]:
    """Run a command that must be refused with nothing written; the lines of its complaint."""
    before = repo.snapshot()
    result = repo.spec(*arguments)
    assert (result.returncode, result.stdout) == (1, ""), result.stdout + result.stderr
    assert repo.snapshot() == before
    return result.stderr.splitlines()


def test_implement_closes_an_architecture_spec_out_into_architecture_md(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    context = "Sessions live in each API server's memory.\nSee [the incident](../../README.md)."
    ready(repo, SESSIONS, Context=context)
    architecture = repo.read("architecture.md")
    assert repo.ok("implement", "move-sessions-to-redis") == (
        f"{SESSIONS}: Planned -> Implemented\narchitecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    rebased = "Sessions live in each API server's memory.\nSee [the incident](README.md)."  # the link still works
    assert repo.read("architecture.md") == recorded(
        architecture,
        HISTORY_ENTRY,
        decisions=expected_decision(2, "Move sessions to Redis", SESSIONS, TODAY, Context=rebased),
    )
    assert "**Status**: Implemented\n" in repo.read(SESSIONS)
    assert f"**Last Updated**: {TODAY}\n" in repo.read(SESSIONS)
    assert "| Architecture | Implemented |" in repo.read("specs/README.md")
    assert repo.ok("check").endswith("check passed\n")


def test_the_decision_keeps_a_field_of_several_paragraphs_or_a_list(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    consequences = "- Deploys keep users logged in\n- Redis is needed by every request"
    rationale = "Redis is already there.\n\nIt expires sessions by itself."
    ready(repo, SESSIONS, Consequences=f"\n\n{consequences}", Rationale=rationale)
    repo.write(SESSIONS, repo.read(SESSIONS).replace("**Consequences**: \n\n", "**Consequences**:\n\n"))
    repo.ok("implement", "move-sessions-to-redis")
    architecture = repo.read("architecture.md")
    assert f"**Rationale**: {rationale}\n\n**Consequences**:\n\n{consequences}\n\n**Reference**: " in architecture


def test_implement_twice_changes_nothing_the_second_time(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS, changes="### Add to: Integration Points\n\n- **Sessions**: Redis")
    repo.ok("implement", "move-sessions-to-redis")
    after_first = repo.snapshot()
    output = repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-09")
    assert output == f"{SESSIONS}: already Implemented and recorded in architecture.md; nothing to change\n"
    assert repo.snapshot() == after_first


def test_implement_a_feature_spec_adds_history_but_no_decision(repo):
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC, status="In Progress")
    architecture = repo.read("architecture.md")
    assert repo.ok("implement", "add-an-audit-log") == (
        f"{SPEC}: In Progress -> Implemented\narchitecture.md: Implementation History entry added\n"
    )
    entry = f"- **{TODAY}**: Add an audit log\n  - Spec: [{SPEC}]({SPEC})\n"
    assert repo.read("architecture.md") == recorded(architecture, entry)


def test_implement_keeps_history_newest_first_and_last_updated_from_going_back(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-01")
    repo.ok("new", "Add an audit log", "--date", "2026-03-01")
    ready(repo, SESSIONS)
    ready(repo, SPEC)
    repo.ok("implement", "add-an-audit-log", "--date", "2026-03-05")
    repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-01")  # recorded late, dated when it shipped
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
    spec = ready(repo, SESSIONS, status="Implemented", changes="### Remove: Cache")
    result = repo.spec("check")
    assert result.returncode == 1
    assert (
        f"{SESSIONS}:3: Implemented but missing from the Implementation History in architecture.md; "
        "run python tools/spec.py implement architecture-move-sessions-to-redis\n"
    ) in result.stdout
    assert repo.ok("implement", "move-sessions-to-redis") == (
        'architecture.md: removed "4. Cache"\n'
        "architecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    assert repo.read(SESSIONS) == spec
    assert "#### 4. Cache" not in repo.read("architecture.md")
    assert repo.ok("check").endswith("check passed\n")


def test_a_decision_added_by_hand_is_finished_without_applying_the_changes_again(repo):
    """The history entry is written with the changes: once it is there, the changes were applied."""
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS, changes="### Add to: Integration Points\n\n- **Sessions**: Redis")
    repo.ok("implement", "move-sessions-to-redis")
    architecture = repo.read("architecture.md")
    decision = re.search(r"### Decision 2:.*?---\n\n", architecture, re.DOTALL)[0]
    repo.write("architecture.md", architecture.replace(decision, ""))
    assert repo.ok("implement", "move-sessions-to-redis") == (
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    assert repo.read("architecture.md") == architecture


def test_implement_writes_nothing_when_architecture_md_lacks_its_history(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS)
    architecture = repo.read("architecture.md").replace("## Implementation History", "## History")
    repo.write("architecture.md", architecture)
    assert refused(repo, "implement", "move-sessions-to-redis") == [
        f'architecture.md:{last_line(architecture)}: no "## Implementation History" section; '
        "put it back, the tool writes there"
    ]


# ---- Gates ------------------------------------------------------------------------------------------------


def test_a_fresh_spec_is_refused_with_every_problem_at_once(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = repo.read(SESSIONS)
    problems = refused(repo, "implement", "move-sessions-to-redis")
    assert problems[0] == f"{SESSIONS}:3: Status is Draft; a spec is implemented once it is Planned or In Progress"
    unchecked = "an unchecked box in Acceptance Criteria; check it once the change meets it"
    assert f"{SESSIONS}:{line_of(spec, '- [ ] [Another check]')}: {unchecked}" in problems
    for placeholder, section in [
        ("What problem does this change solve, for whom, and why now?", "Purpose"),
        ("What was decided, in a sentence or two", "Decision Record"),
        ("The operations on architecture.md, or None if nothing changes beyond the decision", "Architecture Changes"),
        ("What was learned while building it; what differs from the plan and why", "Implementation Notes"),
    ]:
        line = line_of(spec, f"[{placeholder}]")
        assert f'{SESSIONS}:{line}: placeholder [{placeholder}] in "## {section}" still to fill in' in problems
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert lines == sorted(lines)  # in the order of the spec
    bracketed = [line for line in spec.split("\n## ", 1)[1].splitlines() if re.search(r"\[[^\]x ]", line)]
    boxes = spec.count("- [ ] ")
    assert len(problems) == 1 + len(bracketed) + boxes  # the status, each placeholder, each box


@pytest.mark.parametrize("status", ["Draft", "Rejected", "Superseded"])
def test_implement_refuses_a_spec_that_was_never_planned_or_was_dropped(repo, status):
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC, status=status)
    assert refused(repo, "implement", "add-an-audit-log") == [
        f"{SPEC}:3: Status is {status}; a spec is implemented once it is Planned or In Progress"
    ]


def test_implement_refuses_an_unchecked_acceptance_criterion(repo):
    repo.ok("new", "Add an audit log")
    spec = ready(repo, SPEC).replace("- [x] Done: Another check", "- [ ] Done: Another check")
    repo.write(SPEC, spec)
    unchecked = "an unchecked box in Acceptance Criteria; check it once the change meets it"
    assert refused(repo, "implement", "add-an-audit-log") == [f"{SPEC}:{line_of(spec, '- [ ] Done')}: {unchecked}"]


def test_implement_refuses_acceptance_criteria_without_a_single_checkbox(repo):
    repo.ok("new", "Add an audit log")
    spec = ready(repo, SPEC)
    spec = spec.replace("- [x] Done: A check that proves the change works\n", "").replace(
        "- [x] Done: Another check\n", "Works on my machine.\n")
    repo.write(SPEC, spec)
    assert refused(repo, "implement", "add-an-audit-log") == [
        f"{SPEC}:{line_of(spec, '## Acceptance Criteria')}: Acceptance Criteria has no checkbox; list what proves "
        'the change works as "- [x] ..." items'
    ]


def test_a_feature_spec_needs_no_decision_record_but_an_architecture_spec_does(repo):
    repo.ok("new", "Add an audit log")
    assert "## Decision Record" not in repo.read(SPEC) and "## Architecture Changes" not in repo.read(SPEC)
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = ready(repo, SESSIONS)
    start, end = spec.index("## Decision Record"), spec.index("## Architecture Changes")
    repo.write(SESSIONS, spec[:start] + spec[end:])
    assert refused(repo, "implement", "move-sessions-to-redis") == [
        f'{SESSIONS}:{line_of(spec, "## Architecture Changes") - (spec[start:end].count(chr(10)))}: '
        'missing section "## Decision Record" (every spec has the sections of specs/templates/feature.md)'
    ]


CONSEQUENCES = "**Consequences**: Deploys keep users logged in; Redis becomes a dependency of every request."
RECORD_PROBLEMS = {
    "placeholder": (
        ("**Rationale**: Redis", "**Rationale**: [TBD] Redis"),
        ['{tbd}: placeholder [TBD] in "## Decision Record" still to fill in'],
    ),
    "unknown field": (
        ("**Rationale**: Redis", "**Reasons**: Redis"),
        [
            "{heading}: no **Rationale** in the Decision Record; add \"**Rationale**: ...\"",
            "{reasons}: **Reasons** is not a Decision Record field; use Context, Decision, Rationale, Consequences",
        ],
    ),
    "doubled field": (
        ("**Decision**: Keep", "**Context**: Keep"),
        [
            "{heading}: no **Decision** in the Decision Record; add \"**Decision**: ...\"",
            "{second}: **Context** appears twice in the Decision Record (also line {first})",
        ],
    ),
    "empty field": (
        (CONSEQUENCES, "**Consequences**:"),
        ["{empty}: **Consequences** in the Decision Record is empty; fill it in"],
    ),
}


@pytest.mark.parametrize("problem", RECORD_PROBLEMS)
def test_a_decision_record_that_is_not_filled_in_is_refused(repo, problem):
    (old, new), messages = RECORD_PROBLEMS[problem]
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = ready(repo, SESSIONS).replace(old, new)
    repo.write(SESSIONS, spec)
    fragments = {
        "heading": "## Decision Record",
        "tbd": "[TBD]",
        "reasons": "**Reasons**",
        "first": "**Context**",
        "second": "**Context**: Keep",
        "empty": "**Consequences**:\n",
    }
    lines = {name: line_of(spec, fragment) for name, fragment in fragments.items() if fragment in spec}
    lines["heading"] += 1  # where the fields begin
    expected = [f"{SESSIONS}:{message.format(**lines)}" for message in messages]
    assert refused(repo, "implement", "move-sessions-to-redis") == expected


# ---- --dry-run --------------------------------------------------------------------------------------------


def test_dry_run_prints_the_diff_of_every_file_and_writes_nothing(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS, changes="### Remove: Cache")
    before = {name: repo.read(name) for name in ("architecture.md", SESSIONS, "specs/README.md")}
    snapshot = repo.snapshot()
    diff = repo.ok("implement", "move-sessions-to-redis", "--dry-run")
    assert repo.snapshot() == snapshot
    output = repo.ok("implement", "move-sessions-to-redis")
    assert output.startswith(f"{SESSIONS}: Planned -> Implemented\n")
    expected = "".join(
        line + "\n"
        for name, text in before.items()
        for line in difflib.unified_diff(
            text.split("\n"), repo.read(name).split("\n"), f"a/{name}", f"b/{name}", lineterm=""
        )
    )
    assert diff == expected
    assert diff.count("\n--- a/") + diff.startswith("--- a/") == 3


def test_dry_run_of_a_refused_close_out_prints_the_problems(repo):
    repo.ok("new", "Add an audit log")
    assert refused(repo, "implement", "add-an-audit-log", "--dry-run")[0].endswith("Planned or In Progress")


def test_dry_run_of_a_spec_already_closed_out_prints_nothing_to_change(repo):
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC)
    repo.ok("implement", "add-an-audit-log")
    assert repo.ok("implement", "add-an-audit-log", "--dry-run").endswith("nothing to change\n")


# ---- All or nothing ---------------------------------------------------------------------------------------


def test_a_failure_on_the_second_file_leaves_the_first_untouched(repo, monkeypatch, capsys):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS, changes="### Remove: Cache")
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    renames = []
    replace = os.replace

    def second_fails(source, destination):
        renames.append(destination)
        if len(renames) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))
        replace(source, destination)

    monkeypatch.setattr(tool.os, "replace", second_fails)
    status = tool.main(["implement", "move-sessions-to-redis", "--date", TODAY])
    monkeypatch.undo()
    assert status == 1
    assert "No space left on device" in capsys.readouterr().err
    assert len(renames) >= 2
    assert repo.snapshot() == before  # the first file renamed is back as it was, no temporary file left
