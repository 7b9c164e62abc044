"""tools/spec.py: an architecture spec's Architecture Changes, applied by implement and looked ahead at by check."""

from __future__ import annotations

import time

import pytest

from tests.spec_tool.conftest import (
    HISTORY_ENTRY,
    SESSIONS,
    TODAY,
    Repo,
    expected_decision,
    line_of,
    ready,
    recorded,
)

CACHE_BLOCK = (
    "#### 4. Cache\n\n**Purpose**: Keeps frequently read data close to the API server\n\n**Technology**: Redis\n\n"
    "**Responsibilities:**\n\n- Serves frequently read data without a database round trip\n"
    "- Expires entries so that stale data does not outlive its time to live\n\n**Key Patterns:**\n\n"
    "- [e.g., Cache-aside, time-to-live expiry]\n\n**Location**: [Directory path or service name]\n\n---\n\n"
)
LAST_COMPONENT_END = "---\n\n<!-- Add more components as needed. -->\n"


def components_added(architecture: str, block: str) -> str:
    """architecture.md with block after the last component, before the comment that closes the list."""
    return architecture.replace(LAST_COMPONENT_END, f"---\n\n{block}\n\n{LAST_COMPONENT_END.split(chr(10), 2)[2]}")


def operation_line(spec: str, heading: str) -> int:
    """The line of an operation's heading in a spec (the template's comment mentions them too)."""
    return line_of(spec, f"\n{heading}") + 1


def close_out(repo: Repo, changes: str) -> tuple[str, str]:
    """A new architecture spec with these Architecture Changes, closed out: architecture.md before, and
    what implement printed."""
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS, changes=changes)
    before = repo.read("architecture.md")
    return before, repo.ok("implement", "move-sessions-to-redis")


def recorded_with(architecture: str) -> str:
    """architecture.md after the close-out: the history entry, the decision and Last Updated as well."""
    decision = expected_decision(2, "Move sessions to Redis", SESSIONS, TODAY)
    return recorded(architecture, HISTORY_ENTRY, decisions=decision)


def printed(*changes: str) -> str:
    lines = [f"{SESSIONS}: Planned -> Implemented", *(f"architecture.md: {change}" for change in changes)]
    lines += ["architecture.md: Implementation History entry added"]
    lines += ["architecture.md: Decision 2 added to Key Architectural Decisions"]
    return "\n".join(lines) + "\n"


def refused_close_out(repo: Repo, changes: str, architecture: str | None = None) -> tuple[str, list[str]]:
    """A spec with these changes whose close-out is refused with nothing written: its text and the complaint."""
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = ready(repo, SESSIONS, changes=changes)
    if architecture is not None:
        repo.write("architecture.md", architecture)
    before = repo.snapshot()
    result = repo.spec("implement", "move-sessions-to-redis")
    assert (result.returncode, result.stdout) == (1, ""), result.stdout + result.stderr
    assert repo.snapshot() == before
    return spec, result.stderr.splitlines()


# ---- Each operation --------------------------------------------------------------------------------------


def test_replace_puts_the_new_body_under_the_heading(repo):
    stack = "**Languages:**\n\n- Go\n\n**Databases:**\n\n- PostgreSQL\n- Redis (sessions)"
    before, output = close_out(repo, f"### Replace: Technology Stack\n\n{stack}")
    assert output == printed('replaced "Technology Stack"')
    old = before[before.index("### Technology Stack\n") : before.index("## Core Architectural Principles")]
    assert repo.read("architecture.md") == recorded_with(before.replace(old, f"### Technology Stack\n\n{stack}\n\n"))


def test_add_to_component_breakdown_numbers_the_new_component_on(repo):
    component = "#### Session Store\n\n**Purpose**: Keeps user sessions\n\n**Technology**: Redis"
    before, output = close_out(repo, f"### Add to: Component Breakdown\n\n{component}")
    assert output == printed('added to "Component Breakdown"')
    numbered = component.replace("#### Session Store", "#### 5. Session Store")
    assert repo.read("architecture.md") == recorded_with(components_added(before, f"{numbered}\n\n---"))


def test_a_component_that_brings_its_own_number_is_numbered_on_like_the_rest(repo):
    """A number written in the spec may clash with one a close-out since then has given."""
    components = "#### 2. Session Store\n\nOne.\n\n---\n\n#### Session Janitor\n\nTwo."
    before, _ = close_out(repo, f"### Add to: Component Breakdown\n\n{components}")
    added = "#### 5. Session Store\n\nOne.\n\n---\n\n#### 6. Session Janitor\n\nTwo.\n\n---"
    assert repo.read("architecture.md") == recorded_with(components_added(before, added))


def test_add_to_a_list_continues_it(repo):
    before, output = close_out(repo, "### Add to: Integration Points\n\n- **Session Store**: Redis, over TLS")
    assert output == printed('added to "Integration Points"')
    last_item = "- Example: **Public REST API**: Third-party integrations, OAuth 2.0\n"
    after = before.replace(last_item, last_item + "- **Session Store**: Redis, over TLS\n")
    assert repo.read("architecture.md") == recorded_with(after)


def test_remove_takes_the_subsection_out_and_keeps_the_comment_after_it(repo):
    before, output = close_out(repo, "### Remove: Cache")
    assert output == printed('removed "4. Cache"')
    assert repo.read("architecture.md") == recorded_with(before.replace(CACHE_BLOCK, ""))


@pytest.mark.parametrize("target", ["4. Cache", "cache", "4.  CACHE ##"])
def test_a_target_is_a_heading_with_or_without_its_number_in_any_case(repo, target):
    before, output = close_out(repo, f"### Remove: {target}")
    assert output == printed('removed "4. Cache"')
    assert repo.read("architecture.md") == recorded_with(before.replace(CACHE_BLOCK, ""))


def test_headings_of_the_content_move_to_the_level_under_their_target(repo):
    content = "#### Deployment\n\nOne region.\n\n##### Regions\n\n- EU"
    before, _ = close_out(repo, f"### Add to: Current Architecture\n\n{content}")
    placed = "### Deployment\n\nOne region.\n\n#### Regions\n\n- EU"
    end_of_section = "\n\n## Design Patterns in Use"
    assert repo.read("architecture.md") == recorded_with(
        before.replace(end_of_section, f"\n\n{placed}{end_of_section}")
    )


def test_an_operation_may_name_a_heading_an_earlier_one_adds(repo):
    changes = (
        "### Add to: Component Breakdown\n\n#### Session Store\n\n**Technology**: Redis\n\n"
        "### Add to: Session Store\n\n**Location**: services/sessions"
    )
    before, output = close_out(repo, changes)
    assert output == printed('added to "Component Breakdown"', 'added to "5. Session Store"')
    block = "#### 5. Session Store\n\n**Technology**: Redis\n\n**Location**: services/sessions\n\n---"
    assert repo.read("architecture.md") == recorded_with(components_added(before, block))


def test_the_operations_apply_in_order_and_every_change_is_printed(repo):
    changes = (
        "### Replace: Technology Stack\n\n- Go\n\n### Remove: 4. Cache\n\n"
        "### Add to: Integration Points\n\n- **Sessions**: Redis\n\n### Replace: Data Flow\n\nRequests only."
    )
    _, output = close_out(repo, changes)
    assert output == printed(
        'replaced "Technology Stack"', 'removed "4. Cache"', 'added to "Integration Points"', 'replaced "Data Flow"'
    )
    assert repo.ok("check").endswith("check passed\n")
    assert repo.ok("implement", "move-sessions-to-redis").endswith("nothing to change\n")


def test_links_in_the_content_are_rebased_for_architecture_md(repo):
    close_out(repo, "### Add to: Integration Points\n\n- **Sessions**: see [the runbook](../../README.md)")
    assert "- **Sessions**: see [the runbook](README.md)\n" in repo.read("architecture.md")
    assert repo.ok("check").endswith("check passed\n")


def test_reference_definitions_in_the_content_are_rebased_too(repo):
    close_out(repo, "### Add to: Integration Points\n\n- **Sessions**: see [the runbook][runbook]\n\n"
                    "[runbook]: ../../README.md \"How to run it\"")
    assert '\n[runbook]: README.md "How to run it"\n' in repo.read("architecture.md")
    assert repo.ok("check").endswith("check passed\n")


# ---- What is refused -------------------------------------------------------------------------------------


def test_a_target_that_is_not_a_heading_is_refused_with_close_matches(repo):
    spec, problems = refused_close_out(repo, "### Replace: Tech Stack\n\n- Go")
    line = operation_line(spec, "### Replace: Tech Stack")
    assert problems == [
        f'{SESSIONS}:{line}: "### Replace: Tech Stack": no heading "Tech Stack" in architecture.md; '
        "close matches: Technology Stack"
    ]


def test_a_target_that_names_two_headings_is_refused_naming_both(repo):
    architecture = repo.read("architecture.md").replace("## References\n", "## References\n\n### Cache\n\nNotes.\n")
    spec, problems = refused_close_out(repo, "### Remove: Cache", architecture)
    assert problems == [
        f'{SESSIONS}:{operation_line(spec, "### Remove: Cache")}: "### Remove: Cache": "Cache" names 2 headings of '
        f'architecture.md, line {line_of(architecture, "#### 4. Cache")} "#### 4. Cache" and line '
        f'{line_of(architecture, "### Cache")} "### Cache"; write the one meant in full, or rename one'
    ]


@pytest.mark.parametrize(
    "target, reason",
    [
        ("Architecture: My Project", '"Architecture: My Project" is the title of architecture.md'),
        (
            "Implementation History",
            '"Implementation History" is in "## Implementation History", which implement writes itself',
        ),
        (
            "Decision 1: Keep the architecture as a living document changed through specs",
            '"Decision 1: Keep the architecture as a living document changed through specs" is in '
            '"## Key Architectural Decisions", which implement writes itself',
        ),
    ],
    ids=["the title", "the history", "a decision"],
)
def test_what_implement_owns_is_no_target(repo, target, reason):
    spec, problems = refused_close_out(repo, f"### Replace: {target}\n\nNew text.")
    assert problems == [f'{SESSIONS}:{operation_line(spec, "### Replace")}: "### Replace: {target}": {reason}']


MALFORMED = {
    "not an operation": (
        "### Rename: Cache\n\nStore",
        "### Rename",
        '"### Rename: Cache" is no operation; write "### Replace: <heading>", "### Add to: <heading>" or '
        '"### Remove: <heading>"',
    ),
    "text before the operations": (
        "We change things.\n\n### Remove: Cache",
        "We change things.",
        'text before the first operation; "## Architecture Changes" starts with ### Replace:, ### Add to: or '
        "### Remove:, or is None",
    ),
    "None and operations": (
        "None\n\n### Remove: Cache",
        "None",
        '"None" and operations in "## Architecture Changes"; keep one of them',
    ),
    "a Remove with content": (
        "### Remove: Cache\n\nIt was slow.",
        "### Remove",
        '"### Remove: Cache" takes no content; say why in the Decision Record',
    ),
    "a Replace without content": (
        "### Replace: Data Flow\n\n<!-- later -->",
        "### Replace",
        '"### Replace: Data Flow" has no content; write what it brings',
    ),
    "an unclosed code block": (
        "### Add to: Data Flow\n\n```text\nclient -> api",
        "### Add to",
        'the content of "### Add to: Data Flow" opens a code block or comment it does not close',
    ),
    "headings too deep": (
        "### Add to: 4. Cache\n\n#### A\n\n##### B\n\n###### C",
        "### Add to",
        '"### Add to: 4. Cache" holds headings too deep to sit under its target, which is at level 4; '
        "Markdown has six levels",
    ),
}


@pytest.mark.parametrize("problem", MALFORMED)
def test_a_malformed_architecture_changes_section_is_refused(repo, problem):
    changes, fragment, message = MALFORMED[problem]
    spec, problems = refused_close_out(repo, changes)
    assert f"{SESSIONS}:{operation_line(spec, fragment)}: {message}" in problems
    assert len(problems) == 1 or problem == "an unclosed code block"  # which hides the sections after it


def test_every_problem_of_a_close_out_is_told_at_once(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = ready(repo, SESSIONS, changes="### Replace: Nowhere\n\nx\n\n### Remove: Elsewhere")
    spec = spec.replace("- [x] Done: Another check", "- [ ] Done: Another check")
    repo.write(SESSIONS, spec)
    problems = repo.spec("implement", "move-sessions-to-redis").stderr.splitlines()
    assert [problem.split(": ", 1)[0] for problem in problems] == [
        f"{SESSIONS}:{operation_line(spec, fragment)}" for fragment in ("- [ ] Done", "### Replace", "### Remove")
    ]


# ---- check looks ahead -----------------------------------------------------------------------------------


def open_spec(repo: Repo, title: str, changes: str) -> str:
    path = repo.ok("new", title, "--architecture").strip()
    ready(repo, path, changes=changes)
    repo.ok("index")
    return path


def test_check_reports_a_target_missing_from_architecture_md_while_the_spec_is_open(repo):
    path = open_spec(repo, "Move sessions to Redis", "### Remove: Memcached")
    result = repo.spec("check")
    line = operation_line(repo.read(path), "### Remove")
    assert result.returncode == 1
    assert result.stdout.startswith(
        f'{path}:{line}: "### Remove: Memcached": no heading "Memcached" in architecture.md; '
        "write the text of one of its headings\n"
    )


def test_check_leaves_the_changes_of_closed_specs_alone(repo):
    path = open_spec(repo, "Move sessions to Redis", "### Remove: Cache")
    repo.ok("implement", "move-sessions-to-redis")  # the Cache heading is gone, as the spec asked
    assert "#### 4. Cache" not in repo.read("architecture.md")
    assert repo.ok("check").endswith("check passed\n")
    repo.write(path, repo.read(path).replace("**Status**: Implemented", "**Status**: In Progress"))
    assert 'no heading "Cache"' in repo.spec("check").stdout


def test_check_accepts_a_template_spec_still_in_draft(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    assert repo.ok("check").endswith("check passed\n")


def test_an_architecture_spec_closed_out_before_the_template_had_the_new_sections_still_passes(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS)
    repo.ok("implement", "move-sessions-to-redis")
    spec = repo.read(SESSIONS)
    older = spec[: spec.index("## Decision Record")] + spec[spec.index("## Migration Plan") :]
    repo.write(SESSIONS, older)
    assert repo.ok("check").endswith("check passed\n")
    repo.write(SESSIONS, older.replace("**Status**: Implemented", "**Status**: In Progress"))
    repo.ok("index")
    output = repo.spec("check").stdout
    assert 'missing section "## Decision Record"' in output and 'missing section "## Architecture Changes"' in output


def test_two_open_specs_changing_one_section_are_a_warning_naming_both(repo):
    first = open_spec(repo, "Move sessions to Redis", "### Add to: Component Breakdown\n\n#### Sessions\n\nRedis.")
    second = open_spec(repo, "Adopt Kafka", "### Add to: Component Breakdown\n\n#### Events\n\nKafka.")
    architecture = repo.read("architecture.md")
    where = line_of(architecture, "### Component Breakdown")
    first_line, second_line = (operation_line(repo.read(path), "### Add to") for path in (first, second))
    warning = (
        f'architecture.md:{where}: warning: "Component Breakdown" is changed by more than one open spec: '
        f"{second}:{second_line} (Add to: Component Breakdown), {first}:{first_line} (Add to: Component Breakdown); "
        "close one out, then bring the others up to date"
    )
    output = repo.ok("check")
    assert f"\n{warning}\n2 specs: 2 Planned\n" in "\n" + output
    assert output.endswith("check passed\n")
    strict = repo.spec("check", "--strict")
    assert strict.returncode == 1 and f"{warning}\n" in strict.stdout


def test_a_spec_replacing_a_section_overlaps_one_changing_a_part_of_it(repo):
    open_spec(repo, "Move sessions to Redis", "### Replace: Current Architecture\n\nOne server.")
    open_spec(repo, "Adopt Kafka", "### Remove: Cache")
    architecture = repo.read("architecture.md")
    output = repo.ok("check")
    where = line_of(architecture, "## Current Architecture")
    assert f'architecture.md:{where}: warning: "Current Architecture"' in output
    assert "(Replace: Current Architecture)" in output and "(Remove: Cache)" in output


def test_specs_changing_different_sections_or_closed_ones_are_no_overlap(repo):
    open_spec(repo, "Move sessions to Redis", "### Remove: Cache")
    open_spec(repo, "Adopt Kafka", "### Add to: Integration Points\n\n- Kafka")
    rejected = open_spec(repo, "Sessions in Postgres", "### Remove: Cache")
    repo.write(rejected, repo.read(rejected).replace("**Status**: Planned", "**Status**: Rejected"))
    repo.ok("index")
    assert "warning: " not in repo.ok("check").replace("warning: 90 placeholders", "")


# ---- Linear time on hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "#" + " " * 50_000 + "x",  # a heading's text
        "# x" + " #" * 25_000 + " y",  # a closing sequence that is not one
        "### Add to:" + " " * 50_000 + "x",  # an operation heading
        "- " + " " * 50_000 + "[ ]",  # a checkbox
        "1" * 50_000 + ". x",  # a number that is not a list item's
        "<!--" + " " * 50_000 + "architecture specs only",  # a mark that is not one
    ],
    ids=["heading", "closing sequence", "operation", "checkbox", "number", "mark"],
)
def test_implement_and_check_read_hostile_lines_in_linear_time(repo, hostile):
    path = open_spec(repo, "Move sessions to Redis", f"### Add to: Integration Points\n\n{hostile}\n\nText.")
    spec = repo.read(path)
    repo.write(path, spec.replace("## Plan\n", f"## Plan\n\n{hostile}\n"))
    repo.write("architecture.md", repo.read("architecture.md") + f"\n{hostile}\n")
    template = "specs/templates/feature.md"
    repo.write(template, repo.read(template).replace("## Plan\n", f"## Plan\n\n{hostile}\n"))
    start = time.perf_counter()
    repo.spec("check")
    repo.spec("implement", "move-sessions-to-redis", "--dry-run")
    repo.spec("new", "Another change")
    assert time.perf_counter() - start < 5, hostile[:12]
