"""Hostile answers: they stay text (never Jinja), they cannot hold control characters, and whatever text
they hold, the generated project passes markdownlint and its own `tools/spec.py check`."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from markdown_it import MarkdownIt

import literal_answers
from tests.conftest import DEFAULTS, TEMPLATE, BakedProject, template_files
from tests.test_ecosystem import assert_lints_clean, spec_tool

# ---------------------------------------------------------------------------------------------
# Answers are text, not templates


JINJA_ANSWERS = {
    "project_name": "{{ 7*7 }} {#x#} }} {",
    "owner": "{% if %}{% endraw %}{%- raw %}",
    "description": "{{ cycler.__init__.__globals__.os.system('touch pwned') }} {{ cookiecutter.owner }}",
}


def reader_sees(markdown_line: str) -> str:
    """What a reader sees of one line of Markdown: the text of its inline tokens."""
    [inline] = MarkdownIt("commonmark").parseInline(markdown_line, {})
    return "".join(token.content for token in inline.children if token.type in {"text", "text_special"})


def architecture_answers(project: Path) -> dict[str, str]:
    """project_name, owner and description as a reader of architecture.md sees them."""
    lines = (project / "architecture.md").read_text(encoding="utf-8").splitlines()
    owner = next(line for line in lines if line.startswith("**Owner**: "))
    return {
        "project_name": reader_sees(lines[0].removeprefix("# Architecture: ")),
        "owner": reader_sees(owner.removeprefix("**Owner**: ")),
        "description": reader_sees(lines[lines.index("## System Overview") + 2]),
    }


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """A folder to run cookiecutter in, inside a sandbox whose every entry we can account for."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # cookiecutter's replay files go there
    (tmp_path / "home").mkdir()
    work = tmp_path / "sandbox" / "work"
    work.mkdir(parents=True)
    return work


def test_answers_on_the_command_line_are_text_not_jinja(cookiecutter_cli, workspace):
    answers = [f"{name}={value}" for name, value in JINJA_ANSWERS.items()]
    result = cookiecutter_cli("--no-input", str(TEMPLATE), *answers, "project_slug=jinja", "init_git=false",
                              cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert architecture_answers(workspace / "jinja") == JINJA_ANSWERS
    assert not list(workspace.parent.parent.rglob("pwned"))


def test_answers_in_a_config_files_defaults_are_text_not_jinja(cookiecutter_cli, workspace):
    config = workspace.parent / "config.yaml"
    config.write_text("default_context:\n" + "".join(
        f"  {name}: {json.dumps(value)}\n" for name, value in JINJA_ANSWERS.items()), encoding="utf-8")
    result = cookiecutter_cli("--no-input", "--config-file", str(config), str(TEMPLATE), "project_slug=jinja",
                              "init_git=false", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert architecture_answers(workspace / "jinja") == JINJA_ANSWERS


def test_answers_a_scaffolder_writes_into_cookiecutter_json_are_text_not_jinja(cookiecutter_cli, workspace, tmp_path):
    # Backstage's fetch:cookiecutter merges the form's values into the template's cookiecutter.json.
    template = tmp_path / "template"
    for name in template_files():
        (template / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE / name, template / name)
    merged = {**DEFAULTS, **JINJA_ANSWERS, "project_slug": "jinja", "init_git": False}
    (template / "cookiecutter.json").write_text(json.dumps(merged), encoding="utf-8")
    result = cookiecutter_cli("--no-input", str(template), cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert architecture_answers(workspace / "jinja") == JINJA_ANSWERS
    assert not list(tmp_path.rglob("pwned"))


def test_the_templates_own_jinja_still_renders(cookiecutter_cli, workspace):
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "project_name=Payments Hub", "language=Go",
                              "init_git=false", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    architecture = (workspace / "payments-hub" / "architecture.md").read_text(encoding="utf-8")
    assert "built with Gin (Go)" in architecture  # the framework's default follows the language


def test_an_output_folder_named_with_braces_gets_the_whole_project_and_nothing_is_made_elsewhere(
        cookiecutter_cli, workspace):
    # Cookiecutter renders the paths of the project's subfolders, output folder included, as templates.
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "-o", "{{ 7*7 }}", "init_git=false", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [path.name for path in workspace.iterdir()] == ["{{ 7*7 }}"]
    assert (workspace / "{{ 7*7 }}" / "my-project" / "specs" / "templates" / "feature.md").is_file()


def jinja_strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value} if "{" in value else set()
    if isinstance(value, dict):
        return set().union(*map(jinja_strings, value.keys()), *map(jinja_strings, value.values()))
    if isinstance(value, list):
        return set().union(*map(jinja_strings, value))
    return set()


def test_every_jinja_string_of_the_template_is_one_the_extension_renders():
    """A Jinja default added to cookiecutter.json must be added to literal_answers.TEMPLATE_STRINGS, or it
    would come out as its own text."""
    project_folders = {path.name for path in TEMPLATE.glob("{{*}}")}
    assert jinja_strings(DEFAULTS) | project_folders == literal_answers.TEMPLATE_STRINGS
    assert DEFAULTS["_extensions"] == ["literal_answers.LiteralAnswers"]
    assert DEFAULTS["__project_dir"] == literal_answers.PROJECT_FOLDER  # what names the project folder


# ---------------------------------------------------------------------------------------------
# Characters no answer may hold


HOSTILE_CHARACTERS = {
    "NUL": "\x00", "BEL": "\x07", "backspace": "\x08", "ESC": "\x1b[31m", "DEL": "\x7f", "C1 CSI": "\x9b",
    "next line": "\x85", "right-to-left override": "\u202e", "left-to-right isolate": "\u2066",
    "right-to-left mark": "\u200f", "zero width space": "\u200b", "BOM": "\ufeff", "soft hyphen": "\u00ad",
    "line separator": "\u2028", "paragraph separator": "\u2029", "vertical tab": "\x0b", "form feed": "\x0c",
}
CONTROL_RULE = (
    "use printable characters only, not control or format characters such as NUL, BEL, ESC or "
    "bidirectional overrides."
)


def config_with_answers(folder: Path, answers: dict[str, str]) -> Path:
    """A cookiecutter config file giving these answers: the way to pass a NUL, which no argv can hold."""
    config = folder / "config.yaml"
    config.write_text("default_context:\n" + "".join(
        f"  {name}: {json.dumps(value)}\n" for name, value in answers.items()), encoding="utf-8")
    return config


def tree(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


@pytest.mark.parametrize(("index", "character"), enumerate(HOSTILE_CHARACTERS.values()),
                         ids=HOSTILE_CHARACTERS.keys())
def test_a_control_or_format_character_is_refused_in_one_line_before_anything_is_written(
        cookiecutter_cli, workspace, index, character):
    variable = ["project_name", "owner", "description"][index % 3]
    value = f"Pay{character}ments"
    config = config_with_answers(workspace.parent, {variable: value, "project_slug": "payments"})
    before = tree(workspace.parent)
    result = cookiecutter_cli("--no-input", "--config-file", str(config), str(TEMPLATE), "init_git=false",
                              cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {variable}={value!r} is not valid: {CONTROL_RULE}"]
    assert tree(workspace.parent) == before


def test_every_answer_holding_such_characters_is_named_once(cookiecutter_cli, workspace):
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "project_name=A\x1b]0;title\x07",
                              "owner=\u202eevil", "description=fine", "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [  # the hooks receive the answers sorted by name
        f"error: owner='\\u202eevil' is not valid: {CONTROL_RULE}",
        f"error: project_name='A\\x1b]0;title\\x07' is not valid: {CONTROL_RULE}",
    ]
    assert list(workspace.iterdir()) == []


@pytest.mark.parametrize("answer", [
    "Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # a zero width non-joiner inside a word
    "Family \U0001f468\u200d\U0001f469\u200d\U0001f467",  # emoji joined by zero width joiners
    "Tab\tseparated",
])
def test_joiners_that_scripts_and_emoji_need_and_tabs_are_allowed(bake, answer):
    project = bake(owner=answer, project_slug="allowed", init_git=False)
    assert architecture_answers(project.path)["owner"] == answer


# ---------------------------------------------------------------------------------------------
# Whatever the answers hold, the project passes its own CI


LINT_HOSTILE = [
    # (what is tested, the answers)
    ("an e-mail address as owner", {"owner": "ada@example.com"}),
    ("an e-mail address in angle brackets", {"owner": "<ops@example.com>"}),
    ("a mailto address", {"description": "Write to mailto:ops@example.com today"}),
    ("a URL as description", {"description": "Docs at https://example.com/docs?a=1#b."}),
    ("a www address", {"description": "See www.example.com and WWW.Example.org"}),
    ("a URL as project name", {"project_name": "https://payments.example.com"}),
    ("a www address as project name", {"project_name": "www.payments.io"}),
    ("a Markdown link", {"owner": "[Ops](http://ops.example.com)"}),
    ("an autolink", {"description": "<https://example.com>"}),
    ("tabs", {"project_name": "Pay\tments", "owner": "Team\tOne", "description": "\tIndented\tby tab"}),
    ("trailing spaces", {"project_name": "Payments   ", "owner": "Team   ", "description": "Ends   "}),
    ("a name ending in a full stop", {"project_name": "Acme Inc."}),
    ("a name ending in ! or :", {"project_name": "Yahoo!", "owner": "Ops:"}),
    ("a name ending in full-width punctuation", {"project_name": "\u652f\u4ed8\u3002"}),
    ("a name ending in an escaped character", {"project_name": "Payments \\."}),
    ("a name ending in www.", {"project_name": "www."}),
    ("a name ending in #", {"project_name": "Go #"}),
    ("Jinja", {"project_name": "{{ 7*7 }}", "description": "{% raw %}"}),
    ("HTML", {"description": "<b>bold</b> <!-- hidden --> &copy;", "owner": "<script>x</script>"}),
    ("emphasis and code", {"description": "*a* _b_ **c** `d` ``e``", "owner": "~~gone~~"}),
    ("block openers", {"description": "> quote", "project_name": "1. First"}),
    ("a table row", {"description": "| a | b |"}),
    ("reference syntax", {"description": "[a]: http://x.example", "owner": "[^1]"}),
    ("a right-to-left script", {"project_name": "\u0628\u0648\u0627\u0628\u0629 \u0627\u0644\u062f\u0641\u0639"}),
    ("backslashes", {"description": "C:\\temp\\ and \\\\server\\share\\", "owner": "\\@\\"}),
]


@pytest.fixture(scope="session")
def lint_hostile_projects(bake_once) -> dict[str, BakedProject]:
    """Every case baked once per run side by side, for every worker."""
    return bake_once.together("lint-hostile", {
        case: {**answers, "project_slug": f"case-{index:02d}", "init_git": False}
        for index, (case, answers) in enumerate(LINT_HOSTILE)
    })


def test_hostile_answers_give_markdown_that_lints_clean(lint_hostile_projects):
    assert_lints_clean(next(iter(lint_hostile_projects.values())).path.parent)


@pytest.mark.parametrize(("case", "answers"), LINT_HOSTILE, ids=[case for case, _ in LINT_HOSTILE])
def test_hostile_answers_pass_the_projects_own_check_and_read_as_typed(lint_hostile_projects, case, answers):
    project = lint_hostile_projects[case]
    check = spec_tool(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    seen = architecture_answers(project.path)
    for name, value in answers.items():
        assert seen[name] == value.strip(), name
    readme = project.read("README.md").splitlines()
    assert reader_sees(readme[0].removeprefix("# ")) == answers.get("project_name", "My Project").strip()


# Any answer the hooks accept, as the macros write it: a reader sees it exactly (its outer spaces aside).
ACCEPTED_ANSWERS = st.lists(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")) | st.sampled_from(
        [*"\t @:/.wW#\\*_`[]<>|&!;,~-+=()\u3002\uff01", "://", "www.", "&#9;", "&amp;", "\\@", "a@b.io"]),
    max_size=30,
).map("".join)


@pytest.fixture(scope="module")
def macros():
    environment = Environment(  # as cookiecutter renders the template
        loader=FileSystemLoader(str(TEMPLATE / "templates")), **DEFAULTS["_jinja2_env_vars"]
    )
    return environment.get_template("markdown.jinja").module


@settings(max_examples=300, deadline=None)
@given(value=ACCEPTED_ANSWERS)
def test_any_accepted_answer_reads_as_typed_in_a_line_a_paragraph_and_a_heading(macros, value):
    assert reader_sees(str(macros.answer(value))) == value.strip()
    paragraph = MarkdownIt("commonmark").parse(str(macros.answer_paragraph(value)))
    if value.strip():
        assert [token.type for token in paragraph] == ["paragraph_open", "inline", "paragraph_close"]
        assert reader_sees(paragraph[1].content) == value.strip()
    heading = MarkdownIt("commonmark").parse(f"# Architecture: {macros.answer_heading(value)}")
    assert heading[0].type == "heading_open"
    assert reader_sees(heading[1].content) == f"Architecture: {value.strip()}".strip()


@pytest.mark.parametrize("unit", ["www.", "a@b.", "://", "\t", ". ", "#"])
def test_a_long_hostile_answer_is_written_in_linear_time(macros, unit):
    value = unit * (400_000 // len(unit))  # 400,000 characters
    started = time.perf_counter()
    for macro in (macros.answer, macros.answer_paragraph, macros.answer_heading):
        macro(value)
    assert time.perf_counter() - started < 5
