"""tools/spec.py: index."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.spec_tool.conftest import in_process_tool, last_line, line_of


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


# ---- The map of the specs above the table --------------------------------------------------------

MAP = re.compile(r"```mermaid\n(?P<lines>.*?)\n```\n", re.DOTALL)
SAFE_LABEL = re.compile(r"[\w .,:!?'/+=@#;-]*")  # what a label may hold: no quote, bracket, < or backtick


def spec_map(repo) -> list[str] | None:
    """The lines of the Mermaid map in specs/README.md's index, None when there is none."""
    readme = repo.read("specs/README.md")
    index = readme[readme.index("<!-- spec-index:start"):readme.index("<!-- spec-index:end")]
    found = MAP.search(index)
    return found["lines"].split("\n") if found else None


def decoded(label: str) -> str:
    """A Mermaid label as Mermaid shows it: its entity codes (#35; for #) turned back into characters."""
    return re.sub(r"#(\d+);", lambda match: chr(int(match[1])), label)


def labels(lines: list[str]) -> list[str]:
    return [re.fullmatch(r'\s+s\d+\["(.*)"\]', line)[1] for line in lines if re.fullmatch(r"\s+s\d+\[.*", line)]


def set_fields(repo, relative: str, **fields: str) -> None:
    text = repo.read(relative)
    for name, value in fields.items():
        key = name.replace("_", " ").capitalize()
        text = re.sub(rf"^\*\*{key}\*\*: .*$", f"**{key}**: {value}", text, count=1, flags=re.MULTILINE)
    repo.write(relative, text)


def many_specs(repo, statuses: list[str]) -> None:
    """One feature spec per status given, titled Spec 001, Spec 002, ..., then the index."""
    repo.ok("new", "Spec 000")
    template = repo.read("specs/features/spec-000.md")
    (repo.path / "specs/features/spec-000.md").unlink()
    for number, status in enumerate(statuses, 1):
        repo.write(f"specs/features/spec-{number:03d}.md", template.replace("Spec 000", f"Spec {number:03d}")
                   .replace("**Status**: Draft", f"**Status**: {status}"))
    repo.ok("index")


def test_a_fresh_project_has_no_map(repo):
    assert spec_map(repo) is None
    repo.ok("index")
    assert spec_map(repo) is None


def test_the_map_shows_each_spec_in_its_status_with_an_arrow_for_each_supersede_link(three_specs):
    sessions = "specs/features/architecture-move-sessions-to-redis.md"
    set_fields(three_specs, sessions, status="Superseded",
               superseded_by="[Zero downtime deploys](zero-downtime-deploys.md)")
    set_fields(three_specs, "specs/features/zero-downtime-deploys.md",
               supersedes="[Move sessions to Redis](./architecture-move-sessions-to-redis.md)")
    three_specs.ok("index")
    assert spec_map(three_specs) == [
        "flowchart TB",
        '    subgraph status5["Superseded"]',
        '        s2["Move sessions to Redis"]',
        "    end",
        '    subgraph status3["In Progress"]',
        '        s1["Add an audit log"]',
        "    end",
        '    subgraph status1["Draft"]',
        '        s3["Zero downtime deploys"]',
        "    end",
        "    s3 -->|supersedes| s2",  # written in both specs, drawn once
    ]
    readme = three_specs.read("specs/README.md")
    assert "```\n\n| Spec | Type | Status | Owner | Last Updated |\n" in readme  # the table follows
    assert three_specs.ok("index") == "specs/README.md: index already up to date (3 specs)\n"
    assert three_specs.read("specs/README.md") == readme


def test_a_column_of_several_specs_is_stacked_by_invisible_links(three_specs):
    three_specs.ok("status", "add-an-audit-log", "Draft")
    lines = spec_map(three_specs)
    assert lines[1:] == [
        '    subgraph status1["Draft"]',
        '        s1["Add an audit log"]',
        '        s2["Move sessions to Redis"]',
        '        s3["Zero downtime deploys"]',
        "        s1 ~~~ s2 ~~~ s3",
        "    end",
    ]


@pytest.mark.parametrize("value", [
    "[Gone](missing.md)", "[Web](https://example.com/x.md)", "[Itself](add-an-audit-log.md)",
    "[Root](/specs/features/zero-downtime-deploys.md)", "None", "[not a link]", "[Anchor](#x)",
])
def test_supersede_fields_that_link_no_other_spec_draw_no_arrow(three_specs, value):
    set_fields(three_specs, "specs/features/add-an-audit-log.md", supersedes=value)
    three_specs.ok("index")
    assert not [line for line in spec_map(three_specs) if "-->" in line]


HOSTILE_TITLES = [
    'Say "hi" [now] #1 <b>x</b> `code` ```',
    "100% %% done; end",
    "subgraph end",
    "a_b *c* | d \\ e & f ~~~ g",
    "Café ドメイン 🚀 {x} (y)",
    "--> click s1 call alert()",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_title_is_shown_exactly_as_written_whatever_it_holds(repo, title):
    repo.ok("new", title)
    [label] = labels(spec_map(repo))
    assert SAFE_LABEL.fullmatch(label), label
    assert decoded(label) == title
    assert repo.spec("check").returncode == 0


def test_a_label_writes_each_special_character_as_its_entity_code(repo):
    repo.ok("new", 'Say "hi" [now] #1 <b> `x`')
    assert labels(spec_map(repo)) == ["Say #34;hi#34; #91;now#93; #35;1 #60;b#62; #96;x#96;"]


def test_a_long_title_is_cut_in_the_map_and_kept_in_the_table(repo):
    title = "Move " + "every session and every cache entry " * 4 + "to Redis"
    repo.ok("new", title)
    [label] = labels(spec_map(repo))
    shown = decoded(label)
    assert len(shown) <= 80 and shown.endswith("\u2026")
    assert title.startswith(shown[:-1]) and len(shown) > 70
    assert f"[{title}]" in repo.read("specs/README.md")


def test_a_status_outside_the_list_gets_its_own_column(three_specs):
    set_fields(three_specs, "specs/features/add-an-audit-log.md", status="On <Hold>")
    three_specs.ok("index")
    lines = spec_map(three_specs)
    assert '    subgraph status7["On #60;Hold#62;"]' in lines


def test_past_fifty_specs_the_map_shows_the_open_ones_and_says_so(repo):
    statuses = ["Implemented"] * 40 + ["Draft", "Planned", "In Progress"] * 3 + ["Rejected"] * 2
    many_specs(repo, statuses)
    assert len(statuses) == 51
    open_titles = [f"Spec {number:03d}" for number, status in enumerate(statuses, 1)
                   if status not in ("Implemented", "Rejected")]
    assert sorted(decoded(label) for label in labels(spec_map(repo))) == open_titles
    assert ("The map shows the 9 open specs (Draft, Planned, In Progress) of the 51: past 50 specs it leaves "
            "the others out. The table lists them all.\n") in repo.read("specs/README.md")
    assert repo.read("specs/README.md").count("| Feature |") == 51


def test_fifty_specs_are_all_in_the_map(repo):
    many_specs(repo, ["Implemented", "Draft"] * 25)
    assert len(labels(spec_map(repo))) == 50
    assert "The map shows" not in repo.read("specs/README.md")


@pytest.mark.parametrize("statuses", [["Implemented"] * 51, ["Draft"] * 51])
def test_no_map_when_none_or_too_many_specs_are_open(repo, statuses):
    many_specs(repo, statuses)
    assert spec_map(repo) is None
    open_count = 0 if statuses[0] == "Implemented" else 51
    assert (f"\n\nNo map: past 50 specs the map shows only the open ones (Draft, Planned, In Progress), and "
            f"{open_count} of the 51 specs are open. The table lists them all.\n\n| Spec |"
            ) in repo.read("specs/README.md")


def test_map_labels_take_linear_time_on_hostile_titles(tmp_path, baked):
    tool = in_process_tool(baked)
    for text in ('"' * 200_000, "#" * 200_000, "a" * 200_000, "ド`" * 100_000):
        start = time.perf_counter()
        label = tool.mermaid_label(text)
        assert time.perf_counter() - start < 1, text[:4]
        assert decoded(label) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_any_title_round_trips_through_a_mermaid_label(baked, text):
    label = in_process_tool(baked).mermaid_label(text)
    assert SAFE_LABEL.fullmatch(label)
    assert decoded(label) == text
