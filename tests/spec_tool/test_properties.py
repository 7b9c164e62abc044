"""Properties of tools/spec.py's parsing and editing, over any text hypothesis can make.

Whatever a document holds, the tool either does its job or raises its own error (SpecError, printed as
one line); and what it writes, it can read back, so a second run changes nothing.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader

from tests.conftest import DEFAULTS, TEMPLATE, import_spec_tool

DATE = "2026-03-10"

# Lines that mean something to the tool, mixed with arbitrary text so that every parser path is reached.
FRAGMENTS = [
    "# Spec: Move sessions to Redis",
    "# Spec:",
    "# Architecture: X",
    "## Purpose",
    "## Requirements",
    "## Implementation History",
    "## Key Architectural Decisions",
    "## References",
    "### Decision 1: Keep it",
    "**Status**: Draft",
    "**Status**: Done",
    "**Owner**: Team",
    "**Created**: 2026-01-01",
    "**Last Updated**: 2026-01-01",
    "**Last Updated**: [YYYY-MM-DD]",
    "**Last Updated**: 2026-02-30",
    "**Priority**: High",
    "**Supersedes**: None",
    "**Superseded by**: None",
    "**Date**: [YYYY-MM-DD]",
    "**Recent Architectural Updates:**",
    "- **2026-01-02**: An entry",
    "- **2026-13-45**: A bad date",
    "- **[YYYY-MM-DD]**: Undated",
    "  - Spec: [x](specs/features/x.md)",
    "  ```",
    "---",
    "```",
    "````markdown",
    "~~~",
    "<!--",
    "-->",
    "<!-- a comment -->",
    "<!-- spec-index:start -->",
    "<!-- spec-index:end -->",
    "[a placeholder]",
    "[a link](../README.md)",
    "[missing](nowhere.md)",
    "[ref]: <a b.md>",
    "`[code](x)`",
    "| a | b |",
    "\\[escaped\\]",
    "- [ ] a box",
    "",
    "   ",
    "#",
    "**",
    "[",
    "]",
    "(",
    ")",
    "`",
    "\t",
]
lines = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
documents = st.lists(lines, max_size=40).map("\n".join)


def around(skeleton: list[str]) -> st.SearchStrategy[str]:
    """Documents with the lines of skeleton in order, and arbitrary lines between them."""
    gap = st.one_of(st.just([]), st.just([]), st.just([]), st.lists(lines, max_size=3))
    noise = st.lists(gap, min_size=len(skeleton) + 1, max_size=len(skeleton) + 1)
    return noise.map(
        lambda gaps: "\n".join(
            line
            for gap, fixed in zip(gaps, [*skeleton, None], strict=True)
            for line in [*gap, fixed]
            if line is not None
        )
    )


ARCHITECTURE = [
    "# Architecture: X",
    "",
    "**Status**: Living Document",
    "**Last Updated**: 2026-03-01",
    "",
    "## Key Architectural Decisions",
    "",
    "### Decision 1: Keep it",
    "",
    "**Date**: 2026-03-01",
    "",
    "---",
    "",
    "<!-- Add decisions. -->",
    "",
    "## Implementation History",
    "",
    "**Recent Architectural Updates:**",
    "",
    "- **2026-03-01**: Created",
    "  - Spec: Direct update",
    "",
    "<!-- Newest first. -->",
    "",
    "## References",
    "",
]
SPEC = [
    "# Spec: A change",
    "",
    "**Status**: Draft",
    "**Owner**: Team",
    "**Created**: 2026-03-01",
    "**Last Updated**: 2026-03-01",
    "**Priority**: High",
    "**Supersedes**: None",
    "**Superseded by**: None",
    "",
    "## Purpose",
    "",
    "Why it matters.",
    "",
    "## Requirements",
    "",
    "- [What the system must do]",
    "",
]
README = [
    "# Specs",
    "",
    "<!-- spec-index:start: written by the tool -->",
    "",
    "No specs yet.",
    "",
    "<!-- spec-index:end -->",
    "",
]
PROPERTIES = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def baked(cookies_session) -> Path:
    result = cookies_session.bake(extra_context={"init_git": False, "date": "2026-03-02"})
    assert result.exit_code == 0, result.exception
    return Path(result.project_path)


@pytest.fixture(scope="module")
def tool(baked) -> ModuleType:
    return import_spec_tool(baked, "spec_tool_properties")


@pytest.fixture(scope="module")
def sessions(tool, baked):
    """A well-formed architecture spec, made by the tool from the project's template."""
    template = tool.read_document(baked / "specs" / "templates" / "feature.md")
    text = tool.fill_template(template, "Move sessions to Redis", "Team", None, DATE)
    return tool.parse_spec(tool.Document(baked / "specs" / "features" / "architecture-sessions.md", text))


@PROPERTIES
@given(data=st.binary(max_size=200))
def test_decoding_any_bytes_gives_text_or_the_tools_error(tool, baked, data):
    try:
        text = tool.decode(baked / "x.md", data)
    except tool.SpecError as error:
        assert "x.md:" in str(error) and "\n" not in str(error)
    else:
        assert "\r" not in text and text.encode("utf-8") == data


@PROPERTIES
@given(text=st.one_of(around(SPEC), documents, st.text()))
def test_any_spec_text_parses_and_checks_or_gives_the_tools_error(tool, baked, text):
    document = tool.Document(baked / "specs" / "features" / "architecture-x.md", text)
    try:
        spec = tool.parse_spec(document)
    except tool.SpecError as error:
        assert "architecture-x.md:" in str(error) and "\n" not in str(error)
        return
    problems = tool.check_spec(spec, ["Purpose", "Requirements"], baked, DATE, {})
    assert all(isinstance(problem, tool.SpecError) for problem in problems)
    tool.index_body([spec])
    tool.purpose_paragraph(spec, "specs/features/architecture-x.md")


@PROPERTIES
@given(text=st.one_of(around(ARCHITECTURE), documents))
def test_implement_on_any_architecture_text_records_the_spec_once_and_keeps_every_line(
    tool, baked, sessions, text
):
    architecture = tool.Document(baked / "architecture.md", text)
    try:
        recorded, changes = tool.close_out(architecture, sessions, baked, DATE)
    except tool.SpecError:
        return
    assert changes  # the spec is new to this text, so it is recorded
    again, more = tool.close_out(tool.Document(architecture.path, recorded), sessions, baked, DATE)
    assert (again, more) == (recorded, [])
    result = tool.Document(architecture.path, recorded)
    stamped_date = tool.one_field(result, tool.metadata(result), "Last Updated").value
    original = iter(recorded.split("\n"))
    assert all(line in original for line in tool.stamp_dates(text, stamped_date).split("\n")), (
        "a line of the original is missing or out of order"
    )


@PROPERTIES
@given(text=st.one_of(around(ARCHITECTURE), documents, st.text()))
def test_check_on_any_architecture_text_gives_problems_or_the_tools_error(tool, baked, sessions, text):
    architecture = tool.Document(baked / "architecture.md", text)
    try:
        problems = tool.check_architecture(architecture, [sessions], baked, DATE, {})
    except tool.SpecError:
        return
    assert all(isinstance(problem, tool.SpecError) for problem in problems)
    for placeholder, line in tool.placeholders(architecture):
        assert f"[{placeholder}]" in text.split("\n")[line - 1]


@PROPERTIES
@given(text=st.one_of(around(README), documents))
def test_the_index_replaces_only_what_is_between_its_markers(tool, baked, sessions, text):
    readme = tool.Document(baked / "specs" / "README.md", text)
    try:
        start, end = tool.index_span(readme)
        indexed = tool.with_index(readme, [sessions])
    except tool.SpecError:
        return
    assert indexed == text[:start] + tool.index_body([sessions]) + text[end:]
    assert tool.with_index(tool.Document(readme.path, indexed), [sessions]) == indexed


@PROPERTIES
@given(text=st.one_of(around(SPEC), documents, st.text()))
def test_stamping_twice_is_stamping_once_and_touches_only_dates(tool, text):
    stamped = tool.stamp_dates(text, DATE)
    assert tool.stamp_dates(stamped, DATE) == stamped
    assert len(stamped.split("\n")) == len(text.split("\n"))
    for before, after in zip(text.split("\n"), stamped.split("\n"), strict=True):
        assert before == after or DATE in after


@PROPERTIES
@given(value=st.text())
def test_titles_are_escaped_exactly_like_the_templates_answers(tool, value):
    macros = Environment(  # as cookiecutter renders the template
        loader=FileSystemLoader(str(TEMPLATE / "templates")), **DEFAULTS["_jinja2_env_vars"]
    )
    assert tool.markdown_text(value) == macros.get_template("markdown.jinja").module.text(value)
    assert tool.plain_text(tool.markdown_text(value)) == value


@PROPERTIES
@given(title=st.text())
def test_a_slug_is_lowercase_words_joined_by_dashes(tool, title):
    slug = tool.slugify(title)
    assert len(slug) <= 60 and len(slug.encode("utf-8", "surrogatepass")) <= 120
    assert slug == slug.lower().strip("-") and "--" not in slug
    # letters, digits and the marks that belong to them (a Devanagari vowel sign is part of its word)
    assert all(character.isalnum() or character == "-" or is_mark(character) for character in slug)
    assert tool.slugify(unicodedata.normalize("NFD", title)) == slug


def is_mark(character: str) -> bool:
    return unicodedata.category(character).startswith("M")
