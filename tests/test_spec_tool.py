"""tools/spec.py in a baked project: every command, its failures, and the README that documents them.

The project is baked once per module and copied for each test. The tool runs as a user runs it, in a
subprocess from the project root, with SOURCE_DATE_EPOCH fixing "today".
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import pytest
from markdown_it import MarkdownIt

from tests.conftest import DEFAULTS, TEMPLATE, BakedProject, import_spec_tool

BAKED_ON = "2026-03-02"  # the date answer of the baked project
TODAY = "2026-03-10"  # "today" for the tool, through SOURCE_DATE_EPOCH


def epoch(date: str) -> str:
    return str(int(dt.datetime.fromisoformat(f"{date}T12:00:00+00:00").timestamp()))


def latest_date_anywhere(days: int = 0) -> str:
    """The date a clock shows now in UTC+14, the time zone furthest ahead, days on: what check calls
    the latest date that is not in the future."""
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=14, days=days)
    return now.date().isoformat()


def future(value: str, latest: str) -> str:
    return f"{value} is in the future: the date is at most {latest} anywhere on Earth"


class Repo(BakedProject):
    """A copy of the baked project, with the tool run as of TODAY unless env says otherwise."""

    def spec(self, *arguments, cwd=None, env=None, input=None):
        return super().spec(
            *arguments, cwd=cwd, env={"SOURCE_DATE_EPOCH": epoch(TODAY), **(env or {})}, input=input
        )

    def ok(self, *arguments, **options) -> str:
        """Run the tool, expect success and no complaint; its output."""
        result = self.spec(*arguments, **options)
        assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
        return result.stdout

    def write(self, relative: str, text: str) -> None:
        (self.path / relative).write_bytes(text.encode("utf-8"))

    def snapshot(self) -> dict[str, bytes]:
        return {name: (self.path / name).read_bytes() for name in self.files()}


@pytest.fixture(scope="module")
def baked(cookies_session) -> Path:
    result = cookies_session.bake(extra_context={"init_git": False, "date": BAKED_ON})
    assert result.exit_code == 0, result.exception
    return Path(result.project_path)


@pytest.fixture
def repo(baked, tmp_path) -> Repo:
    shutil.copytree(baked, tmp_path / "repo")
    return Repo(tmp_path / "repo")


def load_tool(repo: Repo) -> ModuleType:
    """The project's tools/spec.py as a module, for the tests that interrupt it from inside."""
    return import_spec_tool(repo.path)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


SESSIONS = "specs/features/architecture-move-sessions-to-redis.md"
SPEC = "specs/features/add-an-audit-log.md"
HISTORY_ENTRY = f"- **{TODAY}**: Move sessions to Redis\n  - Spec: [{SESSIONS}]({SESSIONS})\n"
FIRST_HISTORY_ENTRY = f"- **{BAKED_ON}**: Created this living architecture document"


def decision(number: int, title: str, target: str, date: str, context: str) -> str:
    return (
        f"### Decision {number}: {title}\n\n**Date**: {date}\n\n**Context**: {context}\n\n"
        f"**Decision**: {title}.\n\n**Rationale**: [Why this option won over the alternatives]\n\n"
        "**Consequences**: [What this makes easier, and what it makes harder]\n\n"
        f"**Reference**: [{target}]({target})\n\n---\n\n"
    )


def recorded(architecture: str, *entries: str, decisions: str = "", last_updated: str = TODAY) -> str:
    """architecture.md as the tool should leave it: history entries and decisions added, Last Updated moved."""
    architecture = architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n", f"**Last Updated**: {last_updated}\n", 1
    )
    architecture = architecture.replace(FIRST_HISTORY_ENTRY, "".join(entries) + FIRST_HISTORY_ENTRY, 1)
    return architecture.replace(
        "<!-- Add decisions as they are made", decisions + "<!-- Add decisions as they are made", 1
    )


# ---- A fresh project ------------------------------------------------------------------------


def test_a_fresh_project_passes_check_with_a_placeholder_warning(repo):
    result = repo.spec("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(
        r"No specs yet\.\nwarning: \d+ placeholders still to fill in architecture\.md, the first at line \d+\n"
        r"check passed\n",
        result.stdout,
    ), result.stdout


def test_a_fresh_project_index_is_what_index_writes(repo):
    before = repo.read("specs/README.md")
    assert repo.ok("index") == "specs/README.md: index already up to date (0 specs)\n"
    assert repo.read("specs/README.md") == before
    assert "<!-- spec-index:start" in before and "\n\nNo specs yet.\n\n<!-- spec-index:end -->\n" in before


def test_list_on_a_fresh_project(repo):
    assert repo.ok("list") == "No specs yet.\n"
    assert json.loads(repo.ok("list", "--json")) == []


# ---- new ------------------------------------------------------------------------------------


def test_new_writes_a_spec_from_the_template_and_indexes_it(repo):
    template = repo.read("specs/templates/feature.md")
    assert repo.ok("new", "Move sessions to Redis", "--architecture") == SESSIONS + "\n"
    assert repo.read(SESSIONS) == (
        template.replace("# Spec: [Title]", "# Spec: Move sessions to Redis")
        .replace("**Owner**: [Owner/Team]", "**Owner**: Architecture Team")
        .replace("**Created**: [YYYY-MM-DD]", f"**Created**: {TODAY}")
        .replace("**Last Updated**: [YYYY-MM-DD]", f"**Last Updated**: {TODAY}")
    )
    assert "**Status**: Draft\n" in repo.read(SESSIONS)
    assert (
        "\n\n| Spec | Type | Status | Owner | Last Updated |\n| --- | --- | --- | --- | --- |\n"
        f"| [Move sessions to Redis](features/architecture-move-sessions-to-redis.md) | Architecture | Draft "
        f"| Architecture Team | {TODAY} |\n\n<!-- spec-index:end -->"
    ) in repo.read("specs/README.md")
    assert repo.spec("check").returncode == 0


def test_new_feature_spec_with_owner_priority_and_date(repo):
    path = repo.ok(
        "new", "Add an audit log", "--owner", "Payments Team", "--priority", "High", "--date", "2026-03-01"
    ).strip()
    assert path == "specs/features/add-an-audit-log.md"
    text = repo.read(path)
    assert text.startswith(
        "# Spec: Add an audit log\n\n**Status**: Draft\n**Owner**: Payments Team\n**Created**: 2026-03-01\n"
        "**Last Updated**: 2026-03-01\n**Priority**: High\n**Supersedes**: None\n**Superseded by**: None\n"
    )


def test_new_takes_the_owner_from_architecture_md(repo):
    architecture = repo.read("architecture.md")
    repo.write(
        "architecture.md",
        architecture.replace("**Owner**: Architecture Team", "**Owner**: Platform \\_Core\\_"),
    )
    path = repo.ok("new", "Add an audit log").strip()
    assert "**Owner**: Platform \\_Core\\_\n" in repo.read(path)


def test_new_escapes_markdown_specials_the_way_the_template_escapes_answers(repo):
    from jinja2 import Environment, FileSystemLoader

    macros = Environment(  # as cookiecutter renders the template
        loader=FileSystemLoader(str(TEMPLATE / "templates")), **DEFAULTS["_jinja2_env_vars"]
    )
    escape = macros.get_template("markdown.jinja").module.text
    title, owner = "Cache *hot* paths | v2 [beta] <b> `x` a_b \\ end", "O'Brien | Co_"
    path = repo.ok("new", title, "--owner", owner).strip()
    assert path == "specs/features/cache-hot-paths-v2-beta-b-x-a-b-end.md"
    text = repo.read(path)
    assert text.startswith(f"# Spec: {escape(title)}\n") and f"**Owner**: {escape(owner)}\n" in text
    row = next(line for line in repo.read("specs/README.md").splitlines() if "cache-hot-paths" in line)
    assert row == (
        f"| [{escape(title)}](features/cache-hot-paths-v2-beta-b-x-a-b-end.md) | Feature | Draft "
        f"| {escape(owner)} | {TODAY} |"
    )
    cells = [
        token
        for token in MarkdownIt("commonmark").enable("table").parse(row + "\n")
        if token.type == "td_open"
    ]
    assert len(cells) == 0  # one row alone is no table; with the header it is, and has five cells
    index = repo.read("specs/README.md").split("<!-- spec-index:start")[1]
    tokens = MarkdownIt("commonmark").enable("table").parse(index.split("\n", 1)[1])
    assert (
        len([token for token in tokens if token.type == "td_open"]) == 5
    )  # the escaped | stay in their cells
    listed = json.loads(repo.ok("list", "--json"))[0]
    assert (listed["title"], listed["owner"]) == (title, owner)


def test_new_escapes_an_ampersand_and_a_trailing_hash(repo):
    assert repo.ok("new", "R&D: C#") == "specs/features/r-d-c.md\n"
    assert repo.read("specs/features/r-d-c.md").startswith("# Spec: R\\&D: C\\#\n")
    assert "| [R\\&D: C\\#](features/r-d-c.md) | Feature | Draft |" in repo.read("specs/README.md")
    assert json.loads(repo.ok("list", "--json"))[0]["title"] == "R&D: C#"
    assert repo.ok("check").endswith("check passed\n")


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Café crème: v2!", "cafe-creme-v2"),
        ("  Use   gRPC between services  ", "use-grpc-between-services"),
        ("日本語のドキュメント", "日本語のドキュメント"),
        (
            "A title far too long to be a file name, so it is cut at a word boundary near sixty",
            "a-title-far-too-long-to-be-a-file-name-so-it-is-cut-at-a",
        ),
    ],
)
def test_new_makes_the_file_name_from_the_title(repo, title, slug):
    assert repo.ok("new", title) == f"specs/features/{slug}.md\n"


def test_new_never_overwrites_a_spec(repo):
    repo.ok("new", "Add an audit log")
    repo.write("specs/features/add-an-audit-log.md", "my own words\n")
    result = repo.spec("new", "Add an audit log")
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        result.stderr
        == "specs/features/add-an-audit-log.md: already exists; edit it, or choose another title\n"
    )
    assert repo.read("specs/features/add-an-audit-log.md") == "my own words\n"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["new"],
            "error: the following arguments are required: TITLE (see 'python tools/spec.py new --help')",
        ),
        (["new", "   "], "error: TITLE must be one line of text, not ''"),
        (["new", "two\nlines"], "error: TITLE must be one line of text, not 'two\\nlines'"),
        (["new", "!!!"], 'error: the title "!!!" has no letters or digits to make a file name from'),
        (
            ["new", "Architecture review"],
            'error: the title "Architecture review" makes the file name architecture-review.md, which marks an '
            "architecture spec; add --architecture, or reword the title",
        ),
        (
            ["new", "X", "--date", "2026-02-30"],
            "error: argument --date: '2026-02-30' is not a real date written YYYY-MM-DD "
            "(see 'python tools/spec.py new --help')",
        ),
        (["new", "X", "--owner", ""], "error: --owner must be one line of text, not ''"),
        (
            ["new", "X", "--colour", "red"],
            "error: unrecognized arguments: --colour red (see 'python tools/spec.py --help')",
        ),
        ([], "error: the following arguments are required: COMMAND (see 'python tools/spec.py --help')"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_change_nothing(repo, arguments, message):
    before = repo.snapshot()
    result = repo.spec(*arguments)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")
    assert repo.snapshot() == before


@pytest.mark.parametrize(
    "arguments, message",
    [  # subprocess passes "\udcff" to the tool as the byte 0xff, which is not UTF-8
        (["new", "Bad \udcff byte"], "error: TITLE must be UTF-8 text, not 'Bad \\udcff byte'"),
        (
            ["new", "X", "--owner", "Bad \udcff byte"],
            "error: --owner must be UTF-8 text, not 'Bad \\udcff byte'",
        ),
        (["new", "X", "--priority", "Hi\udcffgh"], "error: --priority must be UTF-8 text, not 'Hi\\udcffgh'"),
    ],
)
def test_text_that_is_not_utf_8_is_a_usage_error(repo, arguments, message):
    before = repo.snapshot()
    result = repo.spec(*arguments)
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        message + "; check the terminal's encoding\n",
    )
    assert repo.snapshot() == before


@pytest.mark.parametrize(
    "first, second, message",
    [
        (
            ["Alpha"],
            ["Alpha", "--architecture"],
            'specs/features/alpha.md: already exists, and "alpha" would name both it and '
            "architecture-alpha.md; choose another title",
        ),
        (
            ["Alpha", "--architecture"],
            ["Alpha"],
            'specs/features/architecture-alpha.md: already exists, and "alpha" would name both it and '
            "alpha.md; choose another title",
        ),
    ],
)
def test_new_refuses_a_spec_whose_short_name_another_spec_has(repo, first, second, message):
    repo.ok("new", *first)
    before = repo.snapshot()
    result = repo.spec("new", *second)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")
    assert repo.snapshot() == before


def test_an_unknown_command_is_a_usage_error_naming_the_commands(repo):
    result = repo.spec("frobnicate")
    assert (result.returncode, result.stdout) == (2, "")
    assert re.fullmatch(  # argparse words the list of choices a little differently across Python versions
        r"error: argument COMMAND: invalid choice: 'frobnicate' \(choose from '?new'?, '?list'?, '?status'?, "
        r"'?implement'?, '?supersede'?, '?index'?, '?check'?, '?touch'?\) \(see 'python tools/spec.py --help'\)\n",
        result.stderr,
    ), result.stderr


def test_new_with_the_architecture_prefix_in_the_title_does_not_double_it(repo):
    assert (
        repo.ok("new", "Architecture review", "--architecture") == "specs/features/architecture-review.md\n"
    )


def test_new_follows_the_teams_own_template(repo):
    template = repo.read("specs/templates/feature.md").replace(
        "## Implementation Notes",
        "## Security Review\n\n[Threats and mitigations]\n\n## Implementation Notes",
    )
    repo.write("specs/templates/feature.md", template)
    path = repo.ok("new", "Add an audit log").strip()
    assert "## Security Review\n\n[Threats and mitigations]\n" in repo.read(path)
    assert repo.spec("check").returncode == 0


def test_new_refuses_a_template_without_a_title_placeholder(repo):
    template = repo.read("specs/templates/feature.md")
    repo.write("specs/templates/feature.md", template.replace("# Spec: [Title]", "# Spec"))
    result = repo.spec("new", "Add an audit log")
    assert (result.returncode, result.stderr) == (
        1,
        'specs/templates/feature.md:1: no title line with a [Title] placeholder, like "# Spec: [Title]"\n',
    )
    assert not (repo.path / "specs/features/add-an-audit-log.md").exists()


# ---- list -----------------------------------------------------------------------------------


@pytest.fixture
def three_specs(repo) -> Repo:
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-03")
    repo.ok("new", "Add an audit log", "--owner", "Payments Team")
    repo.ok("new", "Zero downtime deploys")
    repo.ok("status", "add-an-audit-log", "In Progress")
    return repo


def test_list_prints_a_table_of_every_spec(three_specs):
    assert three_specs.ok("list") == (
        "Spec                                 Type          Status       Owner              Last Updated\n"
        f"add-an-audit-log                     Feature       In Progress  Payments Team      {TODAY}\n"
        "architecture-move-sessions-to-redis  Architecture  Draft        Architecture Team  2026-03-03\n"
        f"zero-downtime-deploys                Feature       Draft        Architecture Team  {TODAY}\n"
    )


def test_list_filters_by_status_in_any_spelling(three_specs):
    assert three_specs.ok("list", "--status", "in-progress").splitlines()[1:] == [
        f"add-an-audit-log  Feature  In Progress  Payments Team  {TODAY}"
    ]
    assert three_specs.ok("list", "--status", "Rejected") == "No Rejected specs.\n"
    result = three_specs.spec("list", "--status", "Done")
    assert (result.returncode, result.stderr) == (
        2,
        'error: unknown status "Done"; use one of Draft, Planned, In Progress, Implemented, Superseded, Rejected\n',
    )


def test_list_json(three_specs):
    records = json.loads(three_specs.ok("list", "--json", "--status", "Draft"))
    assert records[0] == {
        "spec": "architecture-move-sessions-to-redis",
        "path": SESSIONS,
        "title": "Move sessions to Redis",
        "type": "architecture",
        "status": "Draft",
        "owner": "Architecture Team",
        "created": "2026-03-03",
        "last_updated": "2026-03-03",
        "priority": "[High/Medium/Low]",
        "supersedes": "None",
        "superseded_by": "None",
    }
    assert [record["spec"] for record in records] == [
        "architecture-move-sessions-to-redis",
        "zero-downtime-deploys",
    ]


def test_list_json_is_ascii_so_that_it_stays_valid_json_on_any_console(repo):
    repo.ok("new", "Café 🚀 launch", "--owner", "Zoë")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY), "PYTHONIOENCODING": "cp1252"}
    result = subprocess.run(
        [sys.executable, "tools/spec.py", "list", "--json"],
        cwd=repo.path,
        env=environment,
        capture_output=True,
    )
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.isascii(), result.stdout
    [record] = json.loads(result.stdout.decode("ascii"))
    assert (record["spec"], record["title"], record["owner"]) == ("cafe-launch", "Café 🚀 launch", "Zoë")
    assert '"title": "Caf\\u00e9 \\ud83d\\ude80 launch",' in result.stdout.decode("ascii")


# ---- status ---------------------------------------------------------------------------------


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
    architecture = three_specs.read("architecture.md")
    output = three_specs.ok("status", "move-sessions-to-redis", "Implemented")
    assert output == (
        f"{SESSIONS}: Draft -> Implemented\narchitecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    assert "- **2026-03-10**: Move sessions to Redis\n" in three_specs.read("architecture.md") != architecture


# ---- implement ------------------------------------------------------------------------------


def test_implement_closes_an_architecture_spec_out_into_architecture_md(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    spec = repo.read(SESSIONS)
    purpose = "Sessions live in each API server's memory, so a deploy logs every user out."
    repo.write(
        SESSIONS,
        spec.replace(
            "[What problem does this change solve, for whom, and why now?]",
            purpose + "\nSee [the incident](../../README.md).\n\nMore detail.",
        ),
    )
    architecture = repo.read("architecture.md")
    assert repo.ok("implement", "move-sessions-to-redis") == (
        f"{SESSIONS}: Draft -> Implemented\narchitecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    context = purpose + " See [the incident](README.md)."
    assert repo.read("architecture.md") == recorded(
        architecture, HISTORY_ENTRY, decisions=decision(2, "Move sessions to Redis", SESSIONS, TODAY, context)
    )
    assert "**Status**: Implemented\n" in repo.read(SESSIONS)
    assert f"**Last Updated**: {TODAY}\n" in repo.read(SESSIONS)
    assert "| Architecture | Implemented |" in repo.read("specs/README.md")
    assert repo.ok("check").endswith("check passed\n")


def test_implement_twice_changes_nothing_the_second_time(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("implement", "move-sessions-to-redis")
    after_first = repo.snapshot()
    output = repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-09")
    assert output == f"{SESSIONS}: already Implemented and recorded in architecture.md; nothing to change\n"
    assert repo.snapshot() == after_first


def test_implement_a_feature_spec_adds_history_but_no_decision(repo):
    repo.ok("new", "Add an audit log")
    architecture = repo.read("architecture.md")
    assert repo.ok("implement", "add-an-audit-log") == (
        f"{SPEC}: Draft -> Implemented\narchitecture.md: Implementation History entry added\n"
    )
    entry = f"- **{TODAY}**: Add an audit log\n  - Spec: [{SPEC}]({SPEC})\n"
    assert repo.read("architecture.md") == recorded(architecture, entry)


def test_implement_keeps_history_newest_first_and_last_updated_from_going_back(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-01")
    repo.ok("new", "Add an audit log", "--date", "2026-03-01")
    repo.ok("implement", "add-an-audit-log", "--date", "2026-03-05")
    repo.ok(
        "implement", "move-sessions-to-redis", "--date", "2026-03-01"
    )  # recorded late, dated when it shipped
    architecture = repo.read("architecture.md")
    dates = re.findall(r"^- \*\*(\d{4}-\d{2}-\d{2})\*\*: (.*)$", architecture, re.MULTILINE)
    assert dates == [
        ("2026-03-05", "Add an audit log"),
        (BAKED_ON, "Created this living architecture document and the spec process"),
        ("2026-03-01", "Move sessions to Redis"),
    ]
    assert "**Last Updated**: 2026-03-05\n" in architecture
    assert architecture.endswith(
        "**Last Updated**: 2026-01-19\n"
    )  # the template's own version, never stamped
    assert repo.ok("check").endswith("check passed\n")


def test_implement_finishes_a_close_out_done_halfway_by_hand(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    spec = repo.read(SESSIONS).replace("**Status**: Draft", "**Status**: Implemented")
    repo.write(SESSIONS, spec)
    result = repo.spec("check")
    assert result.returncode == 1
    assert (
        f"{SESSIONS}:3: Implemented but missing from the Implementation History in architecture.md; "
        "run python tools/spec.py implement architecture-move-sessions-to-redis\n"
    ) in result.stdout
    assert repo.ok("implement", "move-sessions-to-redis") == (
        "architecture.md: Implementation History entry added\n"
        "architecture.md: Decision 2 added to Key Architectural Decisions\n"
    )
    assert repo.read(SESSIONS) == spec
    assert repo.ok("check").endswith("check passed\n")


def test_implement_writes_nothing_when_architecture_md_lacks_its_history(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    architecture = repo.read("architecture.md").replace("## Implementation History", "## History")
    repo.write("architecture.md", architecture)
    before = repo.snapshot()
    result = repo.spec("implement", "move-sessions-to-redis")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f'architecture.md:{last_line(architecture)}: no "## Implementation History" section; '
        "put it back, the tool writes there\n",
    )
    assert repo.snapshot() == before


# ---- supersede ------------------------------------------------------------------------------


def test_supersede_links_both_specs_and_changes_nothing_the_second_time(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", BAKED_ON)
    repo.ok("new", "Sessions in Postgres", "--architecture", "--date", BAKED_ON)
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


# ---- index ----------------------------------------------------------------------------------


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


def last_line(text: str) -> int:
    return text.rstrip("\n").count("\n") + 1


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


# ---- check ----------------------------------------------------------------------------------


def test_check_summarizes_specs_by_status(three_specs):
    three_specs.ok("implement", "move-sessions-to-redis")
    output = three_specs.ok("check")
    assert output.startswith("3 specs: 1 Draft, 1 In Progress, 1 Implemented\nwarning: ")
    assert output.endswith("check passed\n")


def with_line(text: str, after: str, line: str) -> str:
    return text.replace(after, after + line, 1)


# Each: how a spec goes wrong, and the error check prints for it (the line found by a fragment of the result).
SPEC_PROBLEMS = {
    "unknown status": (
        lambda t: t.replace("**Status**: Draft", "**Status**: Done"),
        "**Status**",
        'Status "Done" is not one of Draft, Planned, In Progress, Implemented, Superseded, Rejected',
    ),
    "unreal date": (
        lambda t: t.replace(f"**Created**: {TODAY}", "**Created**: 2026-02-30"),
        "**Created**",
        'Created "2026-02-30" is not a real date written YYYY-MM-DD',
    ),
    "date left as a placeholder": (
        lambda t: t.replace(f"**Created**: {TODAY}", "**Created**: [YYYY-MM-DD]"),
        "**Created**",
        'Created "[YYYY-MM-DD]" is not a real date written YYYY-MM-DD',
    ),
    "last updated before created": (
        lambda t: t.replace(f"**Last Updated**: {TODAY}", "**Last Updated**: 2026-03-01"),
        "**Last Updated**",
        f"Last Updated 2026-03-01 is earlier than Created {TODAY} (line 5)",
    ),
    "deleted section": (
        lambda t: re.sub(r"## Rollback\n\n.*?\n\n", "", t, flags=re.DOTALL),
        "## Validation",
        'missing section "## Rollback" (every spec has the sections of specs/templates/feature.md)',
    ),
    "broken link": (
        lambda t: t.replace("## Plan\n", "## Plan\n\nSee [the design](../designs/sessions.md).\n"),
        "See [the design]",
        "link to ../designs/sessions.md: no such file",
    ),
    "superseded without successor": (
        lambda t: t.replace("**Status**: Draft", "**Status**: Superseded"),
        "**Superseded by**",
        "Status is Superseded but **Superseded by** names no spec; use the supersede command",
    ),
    "successor without superseded": (
        lambda t: t.replace("**Superseded by**: None", "**Superseded by**: [Audit v2](add-an-audit-log.md)"),
        "**Superseded by**",
        "**Superseded by** names a spec but Status is Draft, not Superseded; "
        "use the supersede command, or clear the field",
    ),
}


@pytest.mark.parametrize("problem", SPEC_PROBLEMS)
def test_check_reports_a_bad_spec_as_path_line_message(repo, problem):
    edit, fragment, message = SPEC_PROBLEMS[problem]
    repo.ok("new", "Add an audit log")
    text = edit(repo.read(SPEC))
    repo.write(SPEC, text)
    repo.ok("index")  # a spec edited by hand, as its author would leave it
    result = repo.spec("check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SPEC}:{line_of(text, fragment)}: {message}"
    assert lines[-1] == "check failed: 1 error"


def set_last_updated(repo: Repo, relative: str, date: str) -> str:
    """The document with its Last Updated set to date, written; the index refreshed for a spec."""
    text = re.sub(
        r"^\*\*Last Updated\*\*: .*$",
        f"**Last Updated**: {date}",
        repo.read(relative),
        count=1,
        flags=re.MULTILINE,
    )
    repo.write(relative, text)
    repo.ok("index")
    return text


def test_check_calls_a_date_future_only_once_no_clock_on_earth_shows_it(repo):
    repo.ok("new", "Add an audit log", "--date", BAKED_ON)
    latest = latest_date_anywhere()
    set_last_updated(repo, SPEC, latest)  # stamped in UTC+14, say
    utc_minus_12 = {"SOURCE_DATE_EPOCH": None, "TZ": "Etc/GMT+12"}  # where the local date is the earliest
    assert repo.ok("check", env=utc_minus_12).endswith("check passed\n")
    assert repo.ok("check").endswith("check passed\n")  # SOURCE_DATE_EPOCH, TODAY, is earlier still
    text = set_last_updated(repo, SPEC, latest_date_anywhere(days=1))
    result = repo.spec("check", env=utc_minus_12)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{SPEC}:{line_of(text, '**Last Updated**')}: Last Updated {future(latest_date_anywhere(days=1), latest)}"
    )


def test_check_with_source_date_epoch_in_the_past_still_takes_the_clock(three_specs):
    assert three_specs.ok("check", env={"SOURCE_DATE_EPOCH": "315532800"}).endswith("check passed\n")  # 1980


def test_check_with_source_date_epoch_ahead_of_the_clock_allows_up_to_its_date(repo):
    ahead = {"SOURCE_DATE_EPOCH": epoch("2099-06-01")}
    repo.ok("new", "Add an audit log", "--date", "2099-06-01", env=ahead)
    assert repo.ok("check", env=ahead).endswith("check passed\n")
    text = set_last_updated(repo, SPEC, "2099-06-02")
    result = repo.spec("check", env=ahead)
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        1,
        f"{SPEC}:{line_of(text, '**Last Updated**')}: Last Updated {future('2099-06-02', '2099-06-01')}",
    )


def test_check_on_a_line_of_brackets_takes_linear_time(repo):
    """A link and a placeholder scan once past each open bracket, not once from every one of them."""
    expected = repo.ok("check")
    architecture = repo.read("architecture.md")
    for line in ("[" * 50_000, "[a\\]" * 12_500, "[](<" * 12_500, "[a\\]*[](x '" * 4_000):
        repo.write("architecture.md", architecture + "\n" + line + "\n")
        start = time.perf_counter()
        assert repo.ok("check") == expected, line[:12]
        assert time.perf_counter() - start < 5, line[:12]  # quadratic, the first took a minute


def test_check_ignores_links_and_headings_inside_code_and_comments(repo):
    repo.ok("new", "Add an audit log")
    text = repo.read(SPEC).replace(
        "## Plan\n",
        "## Plan\n\n```markdown\n## Rollback\n[x](missing.md)\n```\n\n"
        "<!-- [y](missing.md) -->\n\nRun `[z](missing.md)` and see "
        "[the site](https://example.com) and [top](#purpose).\n",
    )
    repo.write(SPEC, text)
    assert repo.ok("check").endswith("check passed\n")
    before, _, after = text.rpartition("\n## Rollback\n")  # the real one, after the code block
    repo.write(SPEC, before + "\n" + after)
    assert 'missing section "## Rollback"' in repo.spec("check").stdout


def test_check_reports_every_problem_in_architecture_md(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("implement", "move-sessions-to-redis")
    architecture = repo.read("architecture.md")
    broken = (
        architecture.replace(f"**Last Updated**: {TODAY}\n", f"**Last Updated**: {BAKED_ON}\n", 1)
        .replace(
            "**Reference**: [specs/README.md](specs/README.md)",
            "**Reference**: [the process](specs/PROCESS.md)",
        )
        .replace("- **2026-03-10**: Move", "- **2026-02-30**: Old\n- **2026-03-10**: Move")
    )
    repo.write("architecture.md", broken)
    result = repo.spec("check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        f"architecture.md:{line_of(broken, '**Reference**: [the process]')}: "
        "link to specs/PROCESS.md: no such file",
        f"architecture.md:{line_of(broken, '- **2026-02-30**')}: "
        "2026-02-30 in the Implementation History is not a real date",
        f"architecture.md:{line_of(broken, '**Last Updated**')}: Last Updated {BAKED_ON} is older than the newest "
        f"Implementation History entry (2026-03-10, line {line_of(broken, '- **2026-03-10**')})",
    ]
    assert result.stdout.endswith("check failed: 3 errors\n")


def test_check_reports_a_stale_index(repo):
    repo.ok("new", "Add an audit log")
    repo.write(SPEC, repo.read(SPEC).replace("**Status**: Draft", "**Status**: Planned"))
    result = repo.spec("check")
    readme = repo.read("specs/README.md")
    line = line_of(readme, "<!-- spec-index:start") + 1
    assert result.stdout.splitlines()[0] == (
        f"specs/README.md:{line}: the spec index is out of date; run python tools/spec.py index"
    )
    repo.ok("index")
    assert repo.ok("check").endswith("check passed\n")


def test_check_counts_placeholders_and_strict_lists_them_as_errors(repo):
    baseline = re.search(r"warning: (\d+) placeholders", repo.ok("check"))
    count = int(baseline[1])
    architecture = repo.read("architecture.md").replace(
        "## Implementation History\n",
        "## Implementation History\n\n- [ ] a checkbox, [a link](README.md), \\[escaped\\], `[code]`, "
        "<!-- [comment] --> [Who signs off] and [one more [nested] placeholder]\n",
    )
    repo.write("architecture.md", architecture)
    line = line_of(architecture, "- [ ] a checkbox")
    assert f"warning: {count + 2} placeholders still to fill in architecture.md" in repo.ok("check")
    strict = repo.spec("check", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.count("still to fill in\n") == count + 2
    assert f"architecture.md:{line}: placeholder [Who signs off] still to fill in\n" in strict.stdout
    assert (
        f"architecture.md:{line}: placeholder [one more [nested] placeholder] still to fill in\n"
        in strict.stdout
    )
    assert strict.stdout.endswith(f"check failed: {count + 2} errors\n")


def test_check_strict_passes_once_architecture_md_is_filled_in(repo):
    architecture = re.sub(
        r"(?<![\\!\]])\[(?!YYYY)[^\[\]\n]*(\[[^\[\]\n]*\][^\[\]\n]*)*\](?!\()",
        "filled",
        repo.read("architecture.md"),
    )
    repo.write("architecture.md", architecture)
    assert repo.ok("check", "--strict").splitlines() == ["No specs yet.", "check passed"]


# ---- Malformed documents --------------------------------------------------------------------


def spec_bytes(repo: Repo, problem: str) -> tuple[bytes, int, str]:
    """A spec broken in one of the ways a file gets broken, with the line and message the tool gives."""
    text = repo.read(SPEC)
    if problem == "CRLF line endings":
        return (
            text.replace("\n", "\r\n").encode(),
            1,
            "has Windows (CRLF) line endings; save the file with LF line endings",
        )
    if problem == "a byte order mark":
        return (
            b"\xef\xbb\xbf" + text.encode(),
            1,
            ("starts with a byte order mark (BOM); save the file as UTF-8 without BOM"),
        )
    if problem == "bytes that are not UTF-8":
        return (
            text.replace("**Owner**: Architecture Team", "**Owner**: Caf\udce9").encode(
                "utf-8", "surrogateescape"
            ),
            4,
            "is not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        )
    if problem == "a missing field":
        return (
            text.replace("**Owner**: Architecture Team\n", "").encode(),
            9,
            (
                'no **Owner** field in the metadata block; add a line "**Owner**: ..." before the first ## heading'
            ),
        )
    if problem == "a doubled field":
        return (
            text.replace("**Priority**", "**Status**: Planned\n**Priority**").encode(),
            7,
            ("**Status** appears twice in the metadata block (also line 3)"),
        )
    if problem == "no title":
        return (
            text.replace("# Spec: Add an audit log\n", "").encode(),
            1,
            ('no title line "# Spec: Title" before the first ## heading'),
        )
    raise AssertionError(problem)


MALFORMED = [
    "CRLF line endings",
    "a byte order mark",
    "bytes that are not UTF-8",
    "a missing field",
    "a doubled field",
    "no title",
]


@pytest.mark.parametrize("problem", MALFORMED)
def test_a_malformed_spec_is_one_clear_line_never_a_traceback(repo, problem):
    repo.ok("new", "Add an audit log")
    repo.ok("new", "Zero downtime deploys")
    data, line, message = spec_bytes(repo, problem)
    (repo.path / SPEC).write_bytes(data)
    error = f"{SPEC}:{line}: {message}"
    before = repo.snapshot()
    check = repo.spec("check")
    assert (check.returncode, check.stdout.splitlines()[0], check.stderr) == (1, error, "")
    for arguments in (
        ["list"],
        ["index"],
        ["status", "zero-downtime-deploys", "Planned"],
        ["new", "Another"],
        ["implement", "zero-downtime-deploys"],
        ["status", "add-an-audit-log", "Planned"],
    ):
        result = repo.spec(*arguments)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", error + "\n"), arguments
    assert repo.snapshot() == before  # every command stopped before writing anything


@pytest.mark.parametrize(
    "problem, message",
    [
        (
            "CRLF line endings",
            "architecture.md:1: has Windows (CRLF) line endings; save the file with LF line endings",
        ),
        (
            "a doubled Last Updated",
            "architecture.md:6: **Last Updated** appears twice in the metadata block (also line 5)",
        ),
    ],
)
def test_a_malformed_architecture_md_stops_implement_and_fails_check(repo, problem, message):
    repo.ok("new", "Add an audit log")
    text = repo.read("architecture.md")
    if problem == "CRLF line endings":
        data = text.replace("\n", "\r\n").encode()
    else:
        data = text.replace("**Priority**", f"**Last Updated**: {BAKED_ON}\n**Priority**", 1).encode()
    (repo.path / "architecture.md").write_bytes(data)
    before = repo.snapshot()
    result = repo.spec("implement", "add-an-audit-log")
    assert (result.returncode, result.stderr) == (1, message + "\n")
    assert repo.snapshot() == before
    assert message in repo.spec("check").stdout.splitlines()


# ---- touch ----------------------------------------------------------------------------------


def test_touch_stamps_last_updated_of_the_documents_it_is_given(three_specs):
    architecture = three_specs.read("architecture.md")
    spec = three_specs.read(SESSIONS)
    readme = three_specs.read("README.md")
    output = three_specs.ok("touch", "architecture.md", SESSIONS, "README.md", "specs/templates/feature.md")
    assert output == (
        f"architecture.md: Last Updated {TODAY}\n{SESSIONS}: Last Updated {TODAY}\n"
        "specs/README.md: index updated (3 specs)\n"
    )
    assert three_specs.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n**Priority**", f"**Last Updated**: {TODAY}\n**Priority**"
    )
    assert three_specs.read(SESSIONS) == spec.replace(
        "**Last Updated**: 2026-03-03", f"**Last Updated**: {TODAY}"
    )
    assert three_specs.read("README.md") == readme
    assert "**Last Updated**: [YYYY-MM-DD]" in three_specs.read("specs/templates/feature.md")
    assert f"| Architecture | Draft | Architecture Team | {TODAY} |" in three_specs.read("specs/README.md")
    assert three_specs.ok("check").endswith("check passed\n")
    assert three_specs.ok("touch", "architecture.md", SESSIONS) == ""  # already stamped today


def test_touch_fills_dated_placeholders_and_keeps_the_rest_byte_for_byte(repo):
    architecture = (
        repo.read("architecture.md").rstrip("\n") + "\n\n### Decision 9: Later\n\n**Date**: [YYYY-MM-DD]"
    )
    repo.write("architecture.md", architecture)  # no newline at the end
    assert (
        repo.ok("touch", "architecture.md", "--date", "2026-03-04")
        == "architecture.md: Last Updated 2026-03-04\n"
    )
    assert repo.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n**Priority**", "**Last Updated**: 2026-03-04\n**Priority**"
    ).replace("**Date**: [YYYY-MM-DD]", "**Date**: 2026-03-04")


def test_touch_leaves_dates_in_code_blocks_and_comments_alone(repo):
    examples = (
        "\n## Examples\n\n```markdown\n**Date**: [YYYY-MM-DD]\n- **[YYYY-MM-DD]**: An entry\n```\n\n"
        "<!--\n**Date**: [YYYY-MM-DD]\n- **[YYYY-MM-DD]**: An entry\n-->\n\n"
        "<!-- note -->- **[YYYY-MM-DD]**: after a comment, no list item\n\n"
        "**Date**: [YYYY-MM-DD]\n\n- **[YYYY-MM-DD]**: An entry\n"
    )
    architecture = repo.read("architecture.md") + examples
    repo.write("architecture.md", architecture)
    assert repo.ok("touch", "architecture.md") == f"architecture.md: Last Updated {TODAY}\n"
    stamped = examples.replace(
        "**Date**: [YYYY-MM-DD]\n\n- **[YYYY-MM-DD]**: An entry\n",
        f"**Date**: {TODAY}\n\n- **{TODAY}**: An entry\n",
    )
    assert repo.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n**Priority**", f"**Last Updated**: {TODAY}\n**Priority**"
    ).replace(examples, stamped)


def test_touch_reports_files_it_cannot_stamp_and_stamps_the_others(repo):
    (repo.path / "notes.md").write_bytes(b"**Last Updated**: 2026-01-01\r\n")
    result = repo.spec("touch", "missing.md", "notes.md", "architecture.md")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"architecture.md: Last Updated {TODAY}\n",
        "missing.md: no such file\nnotes.md:1: has Windows (CRLF) line endings; save the file with LF line endings\n",
    )


# ---- Dates, the repository root, help -------------------------------------------------------


def test_today_is_source_date_epoch_else_the_local_date(repo):
    repo.ok("new", "Add an audit log", env={"SOURCE_DATE_EPOCH": epoch("2026-03-05")})
    assert "**Created**: 2026-03-05\n" in repo.read(SPEC)
    repo.ok("new", "Zero downtime deploys", env={"SOURCE_DATE_EPOCH": None})
    assert f"**Created**: {dt.date.today().isoformat()}\n" in repo.read(
        "specs/features/zero-downtime-deploys.md"
    )
    result = repo.spec("list", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 0  # list needs no date
    result = repo.spec("check", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert (result.returncode, result.stderr) == (
        2,
        "error: SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970\n",
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["new", "Add an audit log"],
        ["status", "zero-downtime-deploys", "Planned"],
        ["implement", "zero-downtime-deploys"],
        ["supersede", "zero-downtime-deploys", "--by", "audit-log-v2"],
        ["touch", "architecture.md"],
    ],
    ids=lambda arguments: arguments[0],
)
def test_a_date_in_the_future_is_a_usage_error_for_every_command_that_stamps(repo, arguments):
    repo.ok("new", "Zero downtime deploys")
    repo.ok("new", "Audit log v2")
    before = repo.snapshot()
    latest = latest_date_anywhere()
    result = repo.spec(*arguments, "--date", "2099-01-01")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"error: argument --date: {future(repr('2099-01-01'), latest)} "
        f"(see 'python tools/spec.py {arguments[0]} --help')\n",
    )
    assert repo.snapshot() == before


def test_a_date_ahead_of_the_clock_is_allowed_up_to_source_date_epoch(repo):
    repo.ok("new", "Add an audit log", "--date", "2099-01-01", env={"SOURCE_DATE_EPOCH": epoch("2099-06-01")})
    assert "**Created**: 2099-01-01\n" in repo.read(SPEC)
    bad_epoch = {"SOURCE_DATE_EPOCH": "yesterday"}
    assert repo.ok("new", "Zero downtime deploys", "--date", TODAY, env=bad_epoch)  # --date overrides it


def test_the_tool_finds_the_repository_from_a_subfolder_and_shows_paths_from_there(repo):
    features = repo.path / "specs" / "features"
    assert repo.ok("new", "Add an audit log", cwd=features) == "add-an-audit-log.md\n"
    assert repo.ok("status", "add-an-audit-log", "Planned", cwd=repo.path / "specs") == (
        "features/add-an-audit-log.md: Draft -> Planned\n"
    )
    assert repo.ok("check", cwd=features).endswith("check passed\n")


def test_the_tool_run_from_outside_uses_its_own_repository(repo, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert repo.ok("new", "Add an audit log", cwd=outside).endswith(
        "/repo/specs/features/add-an-audit-log.md\n"
    )


def test_without_architecture_md_the_tool_says_where_it_looked(repo, tmp_path):
    (repo.path / "architecture.md").unlink()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = repo.spec("list", cwd=outside)
    assert (result.returncode, result.stderr) == (
        1,
        f"error: no architecture.md in {outside} or any folder above it; run the tool inside the repository\n",
    )


COMMANDS = ["new", "list", "status", "implement", "supersede", "index", "check", "touch"]


def test_help_lists_every_command(repo):
    result = repo.spec("--help")
    assert result.returncode == 0
    listed = re.findall(r"^    (\w+)", result.stdout, re.MULTILINE)
    assert listed == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(repo, command):
    result = repo.spec(command, "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(f"usage: python tools/spec.py {command}")


def test_a_reader_that_stops_early_is_no_error_to_report(repo):
    path = repo.ok("new", "Add an audit log").strip()
    spec = repo.read(path)
    for number in range(1500):  # more output than a pipe holds
        repo.write(f"specs/features/change-{number:04d}.md", spec)
    environment = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY)}
    with subprocess.Popen(
        [sys.executable, "tools/spec.py", "list"],
        cwd=repo.path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout.readline().startswith(b"Spec ")
        reader.stdout.close()  # as "| head -1" does
        assert (reader.wait(timeout=60), reader.stderr.read()) == (1, b"")


# ---- Writing safely -------------------------------------------------------------------------


def test_an_interrupted_write_leaves_the_old_file_intact(repo, monkeypatch, capsys):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    written = []

    def interrupted(source, destination):
        written.append(Path(source).read_text(encoding="utf-8"))  # the whole new text was there
        raise KeyboardInterrupt

    monkeypatch.setattr(tool.os, "replace", interrupted)
    assert tool.main(["implement", "move-sessions-to-redis"]) == 130
    monkeypatch.undo()
    assert (
        capsys.readouterr().err
        == "error: interrupted; every file is either as it was or completely written\n"
    )
    assert "### Decision 2: Move sessions to Redis" in written[0]
    assert repo.snapshot() == before  # no half-written file, no temporary file left behind


DENIED = os.strerror(errno.EACCES)


def refused_rename(source, destination):
    """os.replace where the document may not be replaced: the system names the temporary file first."""
    raise PermissionError(errno.EACCES, DENIED, source, None, destination)


def refused_new_file(suffix=None, prefix=None, dir=None, text=False):
    """tempfile.mkstemp in a folder that takes no new file: the system names the file it tried."""
    raise PermissionError(errno.EACCES, DENIED, os.path.join(dir, f"{prefix}k2j4x9{suffix}"))


@pytest.mark.parametrize(
    "module, name, failure",
    [(os, "replace", refused_rename), (tempfile, "mkstemp", refused_new_file)],
    ids=["rename", "temporary file"],
)
def test_a_failed_write_names_the_document_and_leaves_it_intact(
    repo, monkeypatch, capsys, module, name, failure
):
    repo.ok("new", "Add an audit log")
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    monkeypatch.setattr(module, name, failure)
    assert tool.main(["status", "add-an-audit-log", "Planned"]) == 1
    monkeypatch.undo()
    assert capsys.readouterr() == ("", f"{SPEC}: cannot be written: {DENIED}\n")
    assert repo.snapshot() == before  # no temporary file left


def test_a_read_only_document_that_cannot_be_replaced_leaves_no_temporary_file(repo, monkeypatch, capsys):
    """On Windows a read-only file can be neither replaced nor deleted, and its temporary copy is read-only too."""
    repo.ok("new", "Add an audit log")
    spec = repo.path / SPEC
    spec.chmod(stat.S_IREAD)
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    unlink, replace = os.unlink, os.replace

    def windows_unlink(path, *, dir_fd=None):
        if not os.stat(path).st_mode & stat.S_IWRITE:
            raise PermissionError(errno.EACCES, DENIED, str(path))
        unlink(path, dir_fd=dir_fd)

    def windows_replace(source, destination):
        if not os.stat(destination).st_mode & stat.S_IWRITE:
            refused_rename(source, destination)
        replace(source, destination)

    monkeypatch.setattr(os, "unlink", windows_unlink)
    monkeypatch.setattr(os, "replace", windows_replace)
    assert tool.main(["status", "add-an-audit-log", "Planned"]) == 1
    monkeypatch.undo()
    spec.chmod(stat.S_IREAD | stat.S_IWRITE)
    assert capsys.readouterr() == ("", f"{SPEC}: cannot be written: {DENIED}\n")
    assert repo.snapshot() == before  # the temporary file is gone, the spec as it was


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_writes_keep_the_file_mode(repo):
    (repo.path / "architecture.md").chmod(0o640)
    repo.ok("new", "Add an audit log")
    repo.ok("implement", "add-an-audit-log")
    assert (repo.path / "architecture.md").stat().st_mode & 0o777 == 0o640


# ---- The whole process ----------------------------------------------------------------------


def assert_clean_markdown(text: str, name: str) -> None:
    """What markdownlint would object to first in what the tool writes."""
    lines = text.split("\n")
    assert text.endswith("\n") and not text.endswith("\n\n"), name
    in_code = False
    for number, line in enumerate(lines[:-1]):
        where = f"{name}:{number + 1}"
        if line.startswith("```"):
            in_code = not in_code
        if in_code or line.startswith("```"):
            continue
        assert line == line.rstrip(), f"{where}: trailing whitespace"
        assert not (line == "" and number and lines[number - 1] == ""), f"{where}: two blank lines"
        if line.startswith("#"):
            assert number == 0 or lines[number - 1] == "", f"{where}: no blank line before a heading"
            assert lines[number + 1] == "", f"{where}: no blank line after a heading"
        if line.startswith("|") and not lines[number - 1].startswith("|"):
            assert lines[number - 1] == "", f"{where}: no blank line before a table"
        if line.startswith("* ") or line.startswith("+ "):
            raise AssertionError(f"{where}: a bullet that is not '-'")


def test_the_whole_process_end_to_end(repo):
    architecture = repo.read("architecture.md")
    sessions = repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-03").strip()
    postgres = repo.ok("new", "Keep sessions in Postgres", "--architecture", "--date", "2026-03-03").strip()
    repo.ok("status", "move-sessions-to-redis", "Planned", "--date", "2026-03-04")
    repo.ok("status", "move-sessions-to-redis", "In Progress", "--date", "2026-03-05")
    repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-06")
    repo.ok("implement", "keep-sessions-in-postgres", "--date", "2026-03-08")
    repo.ok(
        "supersede", "move-sessions-to-redis", "--by", "keep-sessions-in-postgres", "--date", "2026-03-09"
    )
    placeholder_context = "[What problem does this change solve, for whom, and why now?]"
    assert repo.read("architecture.md") == recorded(
        architecture,
        f"- **2026-03-08**: Keep sessions in Postgres\n  - Spec: [{postgres}]({postgres})\n",
        f"- **2026-03-06**: Move sessions to Redis\n  - Spec: [{sessions}]({sessions})\n",
        decisions=decision(2, "Move sessions to Redis", sessions, "2026-03-06", placeholder_context)
        + decision(3, "Keep sessions in Postgres", postgres, "2026-03-08", placeholder_context),
        last_updated="2026-03-08",
    )
    assert repo.ok("list") == (
        "Spec                                    Type          Status       Owner              Last Updated\n"
        "architecture-keep-sessions-in-postgres  Architecture  Implemented  Architecture Team  2026-03-09\n"
        "architecture-move-sessions-to-redis     Architecture  Superseded   Architecture Team  2026-03-09\n"
    )
    check = repo.ok("check")
    assert check.startswith("2 specs: 1 Implemented, 1 Superseded\n") and check.endswith("check passed\n")
    for name in ("architecture.md", "specs/README.md", sessions, postgres):
        assert_clean_markdown(repo.read(name), name)


# ---- The README documents every command as it behaves ---------------------------------------


def readme_sections(readme: str) -> dict[str, str]:
    parts = re.split(r"^### `(\w+)`\n", readme, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_readme_documents_every_command_with_its_usage_and_options(repo):
    readme = repo.read("README.md")
    sections = readme_sections(readme)
    assert list(sections) == COMMANDS
    for command, section in sections.items():
        help_text = repo.ok(command, "--help", env={"COLUMNS": "200"})
        usage = help_text.splitlines()[0].removeprefix("usage: ")
        assert f"```text\n{usage}\n```" in section, command
        options = set(re.findall(r"^  (--[a-z]+)", help_text, re.MULTILINE))
        assert options == set(re.findall(r"--[a-z]+", usage)), command
        for option in options:
            assert option in section.split("```", 2)[2], f"{command}: {option} is not explained"


def test_readme_example_session_prints_what_the_readme_shows(repo):
    readme = repo.read("README.md")
    session = re.search(r"```console\n(.*?)```", readme, re.DOTALL)[1]
    commands = re.split(r"^\$ ", session, flags=re.MULTILINE)[1:]
    assert len(commands) == 5
    for block in commands:
        command, _, shown = block.partition("\n")
        arguments = shlex.split(command)
        assert arguments[:2] == ["python", "tools/spec.py"]
        result = repo.spec(*arguments[2:], env={"SOURCE_DATE_EPOCH": epoch(BAKED_ON)})
        assert (result.returncode, result.stderr) == (0, ""), command
        assert result.stdout == shown, command
