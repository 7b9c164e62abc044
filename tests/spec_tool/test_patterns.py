"""Every regular expression of tools/spec.py, and every function that scans a user's text, runs in linear
time on hostile input; fuzzed against CommonMark (markdown-it) and against the patterns they replaced.

The patterns are found in the module itself, so a new one is timed without anyone listing it here.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.conftest import TEMPLATE, import_spec_tool

SIZE = 10_000  # a quadratic pattern takes seconds on it: the heading that stalled check took 1.5 s
LIMIT = 0.5  # seconds for one scan; a linear scan of SIZE characters takes a millisecond or two

# Starts that put a pattern in its slowest state, and runs that keep it there as long as possible.
PREFIXES = [
    "", "## a", "##", "### Decision 1", "[a](", "[a](x", "[a](<", "[a](x \"", "[a]: ", "[", "![a](",
    "**a**:", "**", "- **", "- **2026-01-01**:", "<!-- spec-index:start", "<!--", "`", "```", "\\", "# ",
    "http", "www", "a@", "&#",
]
RUNS = [" ", "\t", "[", "`", "\\"]
FILLERS = [
    *RUNS, "a", "-", "\n", "]", "(", "<", "#", "*", "\n\n", ")", ">", "!", "_", "\"", "'", ":", "/", "@", ".", "w",
    "&#", "[a]", "\\]", "[ ]", "( ", " (",
    "`` ", "<!-- ", "-->", " #", "**a**: ", "- **2026-01-01**: ", " \n", "](", "[a](x ", "[a](", "\\<!--",
    "` <!--", "&#1", "www.", "a@b", "http://",
]
HOSTILE = [filler * (SIZE // len(filler)) + "x" for filler in FILLERS]
HOSTILE += [prefix + run * SIZE + "x" for prefix in PREFIXES if prefix for run in RUNS]
HOSTILE += [
    " ".join("`" * length for length in range(1, 140)),  # runs of every length: each opener unclosed
    "## a" + " " * SIZE + "b",  # the heading that stalled check
    "[a](" + " " * SIZE + "b",  # the link that stalled check
    "[a[b]" + "![c]" * (SIZE // 4),
    "# Spec: " + "\\<!-- " * (SIZE // 6) + "\n## Purpose\n",
]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return import_spec_tool(TEMPLATE / "{{cookiecutter.__project_dir}}", "spec_tool_patterns")


def patterns(tool: ModuleType) -> dict[str, re.Pattern[str]]:
    return {name: value for name, value in vars(tool).items() if isinstance(value, re.Pattern)}


def slow_scans(scan: Callable[[str], object], what: str) -> list[str]:
    """What took longer than LIMIT of the scans of the HOSTILE texts."""
    slow = []
    for text in HOSTILE:
        start = time.perf_counter()
        scan(text)
        elapsed = time.perf_counter() - start
        if elapsed > LIMIT:
            slow.append(f"{what} took {elapsed:.2f} s on {text[:30]!r}... ({len(text)} characters)")
    return slow


def test_the_patterns_are_found_in_the_module(tool):
    expected = {"LINK", "SECTION_HEADING", "PLACEHOLDER", "BACKTICKS", "COMMENT_OPENER", "FIELD_LINE"}
    assert expected <= set(patterns(tool))


def every_match(pattern: re.Pattern[str]) -> Callable[[str], object]:
    """A scan that finds every match of pattern in a text, and keeps none (no Python code runs per match)."""
    return lambda text: deque(pattern.finditer(text), maxlen=0)


def test_every_pattern_scans_hostile_text_in_linear_time(tool):
    slow = []
    for name, pattern in patterns(tool).items():
        slow += slow_scans(every_match(pattern), name)
    assert not slow, "\n".join(slow)


SCANNERS: dict[str, Callable[[ModuleType], Callable[[str], object]]] = {
    "prose": lambda tool: tool.prose,
    "blank_code_spans_and_comments, comments only": lambda tool: (
        lambda text: tool.blank_code_spans_and_comments(text, code_spans=False)
    ),
    "heading_text": lambda tool: tool.heading_text,
    "slugify": lambda tool: tool.slugify,
    "markdown_value": lambda tool: lambda text: tool.markdown_value(text, heading=True),
    "link_text": lambda tool: tool.link_text,
    "plain_text": lambda tool: tool.plain_text,
    "terminal_text": lambda tool: tool.terminal_text,
    "table_cell": lambda tool: tool.table_cell,
    "link_target": lambda tool: tool.link_target,
    "field_lines": lambda tool: tool.field_lines,
    "end_of_list_item": lambda tool: lambda text: tool.end_of_list_item(text, 0),
    "stamp_dates": lambda tool: lambda text: tool.stamp_dates(text, "2026-03-10"),
    "last_content_line": lambda tool: lambda text: tool.last_content_line(text.split("\n")),
}


@pytest.mark.parametrize("name", SCANNERS)
def test_every_scanning_function_takes_linear_time(tool, name):
    slow = slow_scans(SCANNERS[name](tool), name)
    assert not slow, "\n".join(slow)


def test_unclosed_code_spans_of_every_length_are_read_in_linear_time(tool):
    """A run of backticks searched for its partner from every opener costs n**1.5: 5 s on this line."""
    text = " ".join("`" * length for length in range(1, 700))
    start = time.perf_counter()
    assert tool.prose(text) == text
    assert time.perf_counter() - start < LIMIT


def test_check_on_a_40_kb_spec_of_hostile_headings_and_links_takes_linear_time(repo):
    """The two lines that stalled check for over 20 s, in a spec, and a run of unclosed code spans."""
    repo.ok("new", "Add an audit log")
    spec = repo.path / "specs/features/add-an-audit-log.md"
    text = spec.read_text(encoding="utf-8")
    for line in ("## a" + " " * SIZE + "b", "[a](" + " " * SIZE + "b", " ".join("`" * n for n in range(1, 280))):
        spec.write_text(text + "\n" + line + "\n", encoding="utf-8")
        start = time.perf_counter()
        result = repo.spec("check")
        assert time.perf_counter() - start < 2, line[:12]
        assert result.returncode == 0, result.stdout + result.stderr


# ---- Fuzzing: the linear patterns read what CommonMark reads, and what the old ones read --------------

FUZZ = settings(max_examples=300, deadline=None)
MARKDOWN_CHARACTERS = st.sampled_from([*" \t#[]()<>`\\!-*\"'x:/", "<!--", "-->", "\\<!--", "\n"])
fragments = st.lists(MARKDOWN_CHARACTERS, max_size=30).map("".join)
one_line = st.lists(st.sampled_from(list(" \t#[]()<>`\\!-*\"'xy")), max_size=30).map("".join)

# The patterns these replaced: right, but quadratic on a long run of blanks.
OLD_LINK = re.compile(
    r"(?<!\\)\[[^\[\]\\\n]*(?:\\.[^\[\]\\\n]*)*\]\([ \t]*"
    r"(?:<(?P<angled>[^<>\n]*)>|(?P<bare>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
)
OLD_SECTION_HEADING = re.compile(r"^##[ \t]+(?P<name>.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)

# The scan code_spans_and_comments replaced: right, but it tried this pattern at every offset of the text.
OLD_INLINE_OPENER = re.compile(r"(?P<block>^[ \t]*<!--)|(?<!\\)(?P<escapes>\\*)(?P<opener>`+|<!--)", re.MULTILINE)


def old_code_spans_and_comments(tool: ModuleType, text: str) -> list[tuple[int, int, bool]]:
    closers = tool.Closers(text)
    spans, done = [], 0
    for match in OLD_INLINE_OPENER.finditer(text):
        if match.start() < done:
            continue
        start, end = match.start("opener"), None
        if match["block"] is not None:
            start, end = match.start(), closers.block_comment_end(match.end())
        elif match["opener"] == "<!--" and not len(match["escapes"]) % 2:
            end = closers.comment_end(start)
        elif match["opener"] != "<!--":
            start += len(match["escapes"]) % 2
            end = closers.code_span_end(start, match.end("opener"))
        if end is not None:
            spans.append((start, end, match["block"] is not None or match["opener"] == "<!--"))
            done = end
    return spans


@FUZZ
@given(text=fragments)
def test_links_are_the_links_the_old_pattern_found(tool, text):
    old = [(m.span(), m["angled"], m["bare"]) for m in OLD_LINK.finditer(text)]
    assert [(m.span(), m["angled"], m["bare"]) for m in tool.LINK.finditer(text)] == old


@FUZZ
@given(name=one_line)
def test_a_section_name_is_the_heading_text_commonmark_reads(tool, name):
    line = "## " + name
    tokens = MarkdownIt("commonmark").parse(line + "\n")
    read = [tool.heading_text(m["name"]) for m in tool.SECTION_HEADING.finditer("\n" + line)]  # after a newline
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h2":
        assert read == [tokens[1].content]
    old = OLD_SECTION_HEADING.match(line)
    if old and old["name"].strip("#").strip():  # the old one kept a lone "#" CommonMark drops
        assert read == [old["name"]]


@FUZZ
@given(text=fragments)
def test_code_spans_and_comments_are_those_the_old_scan_found(tool, text):
    assert tool.code_spans_and_comments(text) == old_code_spans_and_comments(tool, text)


@FUZZ
@given(text=fragments, bounds=st.tuples(st.integers(0, 40), st.integers(0, 40)))
def test_links_found_line_by_line_are_those_a_scan_of_the_whole_text_finds(tool, text, bounds):
    start, end = min(*bounds, len(text)), min(max(bounds), len(text))
    document = tool.Document(Path("spec.md"), text)
    masked = document.prose
    whole = [
        (match[tool.target_group(match)], match.start())
        for pattern in (tool.LINK, tool.REFERENCE_DEFINITION)
        for match in pattern.finditer(masked, start, end)
    ]
    assert list(tool.links(document, start, end)) == whole


@FUZZ
@given(text=fragments)
def test_prose_only_blanks_and_keeps_every_offset(tool, text):
    masked = tool.prose(text)
    assert len(masked) == len(text)
    assert all(after in (before, " ") and (before == "\n") == (after == "\n") for before, after in zip(
        text, masked, strict=True
    ))


@FUZZ
@given(after=one_line)
def test_an_escaped_comment_opener_hides_nothing(tool, after):
    text = "x \\<!-- " + after.replace("`", "").replace("<", "").replace("-", "")
    assert tool.prose(text) == text


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("a <!-- b --> c", "<!-- b -->"),
        ("a <!-- b\nc --> d", "<!-- b\nc -->"),
        ("<!-- a\n\nb\n## H", "<!-- a\n\nb\n## H"),  # an HTML block runs to the end without -->
        ("<!-- a --> rest of the line\nnext", "<!-- a --> rest of the line"),  # and takes its whole line
        ("`<!--` [a](b)", "`<!--`"),
        ("a ``x ` y`` b", "``x ` y``"),
        ("<!-- a ` --> `b`", "<!-- a ` --> `b`"),
        ("x <!-- a ` --> b`", "<!-- a ` -->"),
        ("x \\``y` z", "`y`"),
        ("a <!-->x", "<!-->"),
        ("<!--\n```\n-->\nshown", "<!--\n```\n-->"),  # a fence inside a comment block is the comment's text
        ("<!-- a -->\n```\n<!--\n```\nshown", "<!-- a -->\n```\n<!--\n```"),  # and a comment inside a fence code
    ],
)
def test_prose_blanks_what_commonmark_reads_as_code_or_comment(tool, text, hidden):
    start = text.index(hidden)
    expected = text[:start] + re.sub(r"[^\n]", " ", hidden) + text[start + len(hidden) :]
    assert tool.prose(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a \\<!-- b\n## H",  # escaped: text
        "a <!-- b\n\n## H",  # not closed within its paragraph: text
        "a \\`b` c",  # the escaped backtick opens nothing, and the lone one finds no partner
        "# Spec: \\<!-- \\`x\\` \\[y\\](z)",  # what the tool writes for such a title
    ],
)
def test_prose_leaves_text_that_commonmark_shows(tool, text):
    assert tool.prose(text) == text
