"""tools/spec.py: index."""

from __future__ import annotations

import pytest

from tests.spec_tool.conftest import last_line, line_of


def test_index_rewrites_only_the_text_between_the_markers(three_specs):
    readme = three_specs.read("specs/README.md")
    start = readme.index("<!-- spec-index:start")
    start = readme.index("\n", start) + 1
    end = readme.index("<!-- spec-index:end -->")
    table = readme[start:end]
    edited = "Our own intro.\n" + readme[:start] + "\nstale\n\n" + readme[end:] + "\nOur own outro.\n"
    three_specs.write("specs/README.md", edited)
    assert three_specs.ok("index") == "specs/README.md: index updated (3 specs)\n"
    assert three_specs.read("specs/README.md") == "Our own intro.\n" + readme[:start] + table + readme[
        end:
    ] + ("\nOur own outro.\n")
    assert three_specs.ok("index") == "specs/README.md: index already up to date (3 specs)\n"


@pytest.mark.parametrize(
    "edit, where, message",
    [
        (
            lambda text: text.replace("<!-- spec-index:end -->\n", ""),
            last_line,
            "no <!-- spec-index:end --> marker line; put the index markers back",
        ),
        (
            lambda text: text + "<!-- spec-index:start -->\n",
            last_line,
            "a second <!-- spec-index:start --> marker (the first is at line {start})",
        ),
        (
            lambda text: text.replace("<!-- spec-index:end -->\n", "").replace(
                "<!-- spec-index:start", "<!-- spec-index:end -->\n<!-- spec-index:start"
            ),
            lambda text: line_of(text, "<!-- spec-index:end"),
            "<!-- spec-index:end --> comes before the start marker",
        ),
    ],
)
def test_index_markers_that_are_missing_doubled_or_swapped_are_an_error(repo, edit, where, message):
    readme = edit(repo.read("specs/README.md"))
    repo.write("specs/README.md", readme)
    error = (
        f"specs/README.md:{where(readme)}: {message.format(start=line_of(readme, '<!-- spec-index:start'))}"
    )
    result = repo.spec("index")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", error + "\n")
    assert repo.read("specs/README.md") == readme
    assert error in repo.spec("check").stdout.splitlines()
