"""The real `cookiecutter` command, from the sources a newcomer uses: a git URL, a zip, a folder."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import DEFAULTS, TEMPLATE, cookiecutter_command, run, run_cookiecutter, template_files


@pytest.fixture(scope="module")
def template_clone(tmp_path_factory) -> Path:
    """A git repository holding this template as it is now, as `gh:` would clone it."""
    repo = tmp_path_factory.mktemp("remote") / "cookiecutter-living-architecture"
    for name in template_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE / name, repo / name)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    for command in (["init", "-q"], ["add", "--all"], ["commit", "-q", "-m", "Template"]):
        subprocess.run([*git, *command], cwd=repo, check=True, capture_output=True)
    return repo


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # cookiecutter clones and replays there
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def test_from_a_git_url_with_overrides(template_clone, workspace):
    result = run_cookiecutter(
        "--no-input", f"git+file://{template_clone.as_posix()}",
        "project_name=Payments", "owner=Platform Team", "init_git=false", cwd=workspace,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    architecture = (workspace / "payments" / "architecture.md").read_text(encoding="utf-8")
    assert architecture.startswith("# Architecture: Payments\n")
    assert "**Owner**: Platform Team\n" in architecture


def test_from_a_zip(workspace, tmp_path):
    archive = tmp_path / "cookiecutter-living-architecture.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("cookiecutter-living-architecture/", "")  # as GitHub's archives start
        for name in template_files():
            bundle.write(TEMPLATE / name, f"cookiecutter-living-architecture/{name}")
    result = run_cookiecutter("--no-input", str(archive), "init_git=false", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (workspace / "my-project" / "architecture.md").is_file()
    assert run([sys.executable, "tools/spec.py", "check"], cwd=workspace / "my-project").returncode == 0


def test_default_date_is_today(cookiecutter_cli, workspace):
    before = dt.date.today().isoformat()
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "init_git=false", cwd=workspace)
    days = {before, dt.date.today().isoformat()}  # the run may straddle midnight
    assert result.returncode == 0, result.stdout + result.stderr
    architecture = (workspace / "my-project" / "architecture.md").read_text(encoding="utf-8")
    assert any(f"**Last Updated**: {day}\n**Priority**" in architecture for day in days)


AWKWARD = {
    "project_name": 'Zürich "Ops" | *v2* \\ <b> R&amp;D #',
    "owner": "O'Brien & Co_ [core]",
    "description": "Routes A|B traffic *fast*, logs to C:\\temp, speaks 日本語 and `code`.",
}


def rendered_text(markdown_line: str) -> str:
    """What a reader sees of one line of Markdown: the text of its inline tokens."""
    [paragraph] = MarkdownIt("commonmark").parseInline(markdown_line, {})
    return "".join(token.content for token in paragraph.children if token.type == "text")


def test_awkward_answers_come_out_exactly_as_typed(cookiecutter_cli, workspace):
    answers = [f"{name}={value}" for name, value in AWKWARD.items()]
    result = cookiecutter_cli("--no-input", str(TEMPLATE), *answers, "init_git=false", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    project = workspace / "zurich-ops-v2-b-r-d"
    architecture = (project / "architecture.md").read_text(encoding="utf-8").splitlines()
    title = architecture[0].removeprefix("# Architecture: ")
    owner = next(line for line in architecture if line.startswith("**Owner**: "))
    description = architecture[architecture.index("## System Overview") + 2]
    assert rendered_text(title) == AWKWARD["project_name"]
    assert rendered_text(owner.removeprefix("**Owner**: ")) == AWKWARD["owner"]
    assert rendered_text(description) == AWKWARD["description"]
    readme = (project / "README.md").read_text(encoding="utf-8").splitlines()
    assert rendered_text(readme[0].removeprefix("# ")) == AWKWARD["project_name"]


def test_interactive_answers_with_every_default(workspace):
    result = run([cookiecutter_command(), str(TEMPLATE)], cwd=workspace, input="\n" * 40)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "What is the project called? (My Project)" in result.stdout
    assert "How should the architecture diagram be drawn?" in result.stdout
    assert (workspace / "my-project" / "architecture.md").is_file()


def menu(output: str, question: str) -> list[str]:
    """The numbered choices Cookiecutter offered for one question, in order."""
    offered = output.split(question, 1)[1].split("Choose from", 1)[0]
    choices = re.findall(r"^ +(\d+) - (.*)$", offered, re.MULTILINE)
    assert [int(number) for number, _ in choices] == list(range(1, len(choices) + 1))
    return [label for _, label in choices]


def test_interactive_framework_question_offers_the_languages_usual_one_first_and_each_once(workspace):
    questions = list(DEFAULTS["__prompts__"])
    answers = {"language": str(DEFAULTS["language"].index("Go") + 1)}  # the rest: Enter, the default
    typed = "".join(answers.get(name, "") + "\n" for name in questions)
    result = run([cookiecutter_command(), str(TEMPLATE)], cwd=workspace, input=typed,
                 env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    frameworks = menu(result.stdout, "Which framework does the API server use?")
    assert frameworks[0] == "The usual one for the language you chose"
    assert len(frameworks) == len(set(frameworks)) == len(DEFAULTS["framework"])
    assert "Gin (Go, the usual one)" in frameworks
    architecture = (workspace / "my-project" / "architecture.md").read_text(encoding="utf-8")
    assert "**Frameworks:**\n\n- Gin\n" in architecture


@pytest.mark.parametrize("description", [
    "# Payments", "## Implementation History", "1. First", "12) Second", "- dash", "+ plus",
    "> quoted", "~~~", "```", "=====", "    indented", "1.5 million users a day",
])
def test_a_description_is_always_one_paragraph_of_exactly_its_text(bake, description):
    project = bake(description=description, init_git=False)
    for document, start in (("architecture.md", "## System Overview\n\n"), ("README.md", "# My Project\n\n")):
        text = project.read(document)
        line = text[text.index(start) + len(start):].split("\n", 1)[0]
        tokens = MarkdownIt("commonmark").parse(line)
        assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
        assert rendered_text(line) == description.strip()
