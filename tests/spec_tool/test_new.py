"""tools/spec.py: new."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from tests.conftest import DEFAULTS, TEMPLATE
from tests.spec_tool.conftest import COMMANDS, SESSIONS, TODAY


def test_new_writes_a_spec_from_the_template_and_indexes_it(repo):
    template = repo.read("specs/templates/feature.md")
    assert repo.ok("new", "Move sessions to Redis", "--architecture") == SESSIONS + "\n"
    assert repo.read(SESSIONS) == (
        template.replace("<!-- architecture specs only -->\n\n", "")
        .replace("# Spec: [Title]", "# Spec: Move sessions to Redis")
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
    choices = ", ".join(f"'?{re.escape(command)}'?" for command in COMMANDS)
    assert re.fullmatch(  # argparse words the list of choices a little differently across Python versions
        rf"error: argument COMMAND: invalid choice: 'frobnicate' \(choose from {choices}\) "
        r"\(see 'python tools/spec.py --help'\)\n",
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
