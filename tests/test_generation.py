"""The default project: what a user gets from `cookiecutter --no-input` and sees on opening it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import SEED, BakedProject, expected_files, run, unrendered

DEFAULT_FILES = expected_files()

# Seed headings that the generated document fills in from the answers, and what stands there instead
# (None: the seed's empty example entry is left out; entries are added as the team makes them).
FILLED_HEADINGS = {
    "#### 1. [Component Name] (e.g., API Layer)": "#### 1. Client",
    "#### 2. [Component Name] (e.g., Business Logic Layer)": "#### 2. API Server",
    "#### 3. [Component Name] (e.g., Data Layer)": "#### 3. Database",
    "#### Example: User Authentication Flow": "#### Example: A Typical API Request",
    "### 3. [Add more patterns]": None,
    "### Decision 1: [Decision Title]":
        "### Decision 1: Keep the architecture as a living document changed through specs",
    "### Decision 2: [Decision Title]": None,
}


def headings(markdown: str) -> list[str]:
    """The ATX headings of a Markdown text, in order, skipping fenced code."""
    found, in_fence = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and re.match(r"#{1,6} ", line):
            found.append(line)
    return found


def expected_headings() -> list[str]:
    seed = headings(SEED.read_text(encoding="utf-8"))
    expected = []
    for heading in seed:
        named = "# Architecture: My Project" if heading == "# Architecture: [Project Name]" else heading
        filled = FILLED_HEADINGS.get(named, named)
        if filled is not None:
            expected.append(filled)
    return expected


def test_default_bake_has_exactly_the_expected_files(bake):
    project = bake()
    assert project.files() == DEFAULT_FILES
    assert (project.path / ".git").is_dir()


def test_default_project_folder_is_the_slugified_name(project):
    assert project.path.name == "my-project"


def test_no_template_syntax_is_left_in_any_file(project):
    for relative in project.files():
        assert not unrendered(relative, project.read(relative)), relative


def test_architecture_has_every_seed_section_in_the_seed_order(project):
    generated = headings(project.read("architecture.md"))
    # The default stack adds a fourth component, the cache, after the seed's three.
    assert [h for h in generated if h != "#### 4. Cache"] == expected_headings()


def test_architecture_header_is_filled_and_stamped_with_today(bake):
    before = dt.date.today().isoformat()
    architecture = bake(init_git=False).read("architecture.md")
    today = re.search(r"\*\*Last Updated\*\*: (\S+)", architecture)[1]
    assert today in {before, dt.date.today().isoformat()}  # the bake may straddle midnight
    assert architecture.startswith(
        "# Architecture: My Project\n"
        "\n"
        "**Status**: Living Document\n"
        "**Owner**: Architecture Team\n"
        f"**Last Updated**: {today}\n"
        "**Priority**: High\n"
        "\n"
        "> This is a living document that captures the current state of the system architecture."
    )


def test_architecture_keeps_the_seed_template_version_footer(project):
    assert project.read("architecture.md").endswith(
        "---\n\n**Template Version**: 1.0\n**Last Updated**: 2026-01-19\n"
    )


def test_first_decision_and_history_entry_carry_the_date(bake):
    project = bake(date="2025-03-04", init_git=False)
    architecture = project.read("architecture.md")
    assert "**Last Updated**: 2025-03-04\n**Priority**" in architecture
    assert (
        "### Decision 1: Keep the architecture as a living document changed through specs\n"
        "\n"
        "**Date**: 2025-03-04\n"
    ) in architecture
    assert (
        "**Recent Architectural Updates:**\n"
        "\n"
        "- **2025-03-04**: Created this living architecture document and the spec process\n"
        "  - Spec: Direct update\n"
    ) in architecture
    assert "[YYYY-MM-DD]" not in architecture
    assert architecture.count("2025-03-04") == 3


def test_default_stack_and_diagram(project):
    architecture = project.read("architecture.md")
    assert (
        "**Languages:**\n\n- Python\n\n"
        "**Frameworks:**\n\n- FastAPI\n\n"
        "**Databases:**\n\n- PostgreSQL (primary data store)\n- Redis (cache)\n\n"
        "**Infrastructure:**\n\n- Docker\n\n"
        "**Key Libraries:**\n\n- [List critical dependencies]\n"
    ) in architecture
    assert (
        "```text\n"
        "┌────────────────┐    ┌────────────────┐    ┌────────────────┐\n"
        "│     Client     │───▶│   API Server   │───▶│    Database    │\n"
        "│   (Web/App)    │    │   (FastAPI)    │    │  (PostgreSQL)  │\n"
        "└────────────────┘    └───────┬────────┘    └────────────────┘\n"
        "                              │\n"
        "                              ▼\n"
        "                      ┌────────────────┐\n"
        "                      │     Cache      │\n"
        "                      │    (Redis)     │\n"
        "                      └────────────────┘\n"
        "```\n"
    ) in architecture


def test_system_overview_keeps_the_placeholder_without_a_description(project):
    assert (
        "## System Overview\n\n"
        "[High-level description of the system, its purpose, and how components work together]\n\n"
        "Clients reach the system through its API server, built with FastAPI (Python), which keeps "
        "its data in PostgreSQL and caches frequently read data in Redis.\n"
        "It runs on Docker.\n"
    ) in project.read("architecture.md")


def test_system_overview_states_the_description(bake):
    project = bake(description="Takes card payments for the online shop.", init_git=False)
    assert (
        "## System Overview\n\nTakes card payments for the online shop.\n\nClients reach"
    ) in project.read("architecture.md")


def test_feature_template_placeholders_are_never_filled(bake):
    project = bake(date="2025-03-04", owner="Payments Team", init_git=False)
    feature = project.read("specs/templates/feature.md")
    assert feature.startswith(
        "# Spec: [Title]\n"
        "\n"
        "**Status**: Draft\n"
        "**Owner**: [Owner/Team]\n"
        "**Created**: [YYYY-MM-DD]\n"
        "**Last Updated**: [YYYY-MM-DD]\n"
        "**Priority**: [High/Medium/Low]\n"
        "**Supersedes**: None\n"
        "**Superseded by**: None\n"
    )
    assert [h for h in headings(feature) if h.startswith("## ")] == [
        "## Purpose",
        "## Requirements",
        "## Acceptance Criteria",
        "## Plan",
        "## Decision Record",  # these two marked for architecture specs only
        "## Architecture Changes",
        "## Migration Plan",
        "## Rollback",
        "## Validation",
        "## Implementation Notes",
    ]
    assert "- [ ] " in feature
    assert feature.count("<!-- architecture specs only -->\n\n## ") == 2


def test_specs_folder_is_kept_in_git_while_empty(bake):
    project = bake()
    tracked = run(["git", "ls-files"], cwd=project.path).stdout.split()
    assert "specs/features/.gitkeep" in tracked


def test_fresh_project_passes_its_own_check(project):
    result = project.spec("check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "No specs yet." and lines[-1] == "check passed"
    assert re.fullmatch(r"warning: \d+ placeholders still to fill in architecture.md, the first at line 12",
                        lines[1])


def test_every_file_ends_with_one_newline_and_no_trailing_spaces(project):
    for relative in project.files() - {"specs/features/.gitkeep"}:
        text = project.read(relative)
        assert text.endswith("\n") and not text.endswith("\n\n"), relative
        assert "\r" not in text, relative
        for number, line in enumerate(text.splitlines(), 1):
            assert line == line.rstrip(), f"{relative}:{number} has trailing white space"


@pytest.mark.parametrize("date", ["2024-02-29", "1999-12-31"])
def test_given_date_appears_exactly(bake, date):
    project = bake(date=date, init_git=False)
    architecture = project.read("architecture.md")
    assert f"**Last Updated**: {date}\n**Priority**" in architecture
    # Only the given date, and the seed template's own version date in the footer.
    assert set(re.findall(r"\d{4}-\d{2}-\d{2}", architecture)) == {date, "2026-01-19"}


def test_two_generations_with_the_same_answers_are_byte_identical(bake):
    answers = {"project_name": "Ledger", "date": "2025-01-02", "init_git": False}
    first, second = bake(**answers), bake(**answers)
    assert first.files() == second.files()
    for relative in first.files():
        assert (first.path / relative).read_bytes() == (second.path / relative).read_bytes(), relative


def test_generation_leaves_no_bytecode_behind(project: BakedProject):
    # The post-generation hook imports tools/spec.py to stamp the dates.
    assert not [f for f in project.files() if "__pycache__" in f or f.endswith(".pyc")]
