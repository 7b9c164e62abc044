"""The README is the first thing a newcomer runs: its commands, questions and excerpt must be true."""

from __future__ import annotations

import fnmatch
import re

from tests.conftest import DEFAULTS, TEMPLATE
from tests.test_bad_input import SLUG_RULE

README = (TEMPLATE / "README.md").read_text(encoding="utf-8")
SETUP_COMMAND = "python -m pip install cookiecutter && cookiecutter --no-input ."
TEST_COMMAND = "python -m pip install -r requirements-dev.txt && npm ci && python -m pytest"


def test_readme_opens_with_the_two_setup_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)[1]
    assert first_block.splitlines() == [SETUP_COMMAND, TEST_COMMAND]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (TEMPLATE / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND


def test_every_question_is_documented_with_its_prompt():
    questions_section = README.split("### The questions", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|", questions_section, re.MULTILINE))
    questions = [name for name in DEFAULTS if not name.startswith("_")]
    assert list(rows) == questions
    for name in questions:
        prompt = DEFAULTS["__prompts__"][name]
        prompt = prompt if isinstance(prompt, str) else prompt["__prompt__"]
        assert prompt.startswith(rows[name].strip().rstrip("?")), name


def test_readme_shows_the_error_a_bad_slug_really_gets():
    assert f"error: project_slug='../escape' is not valid: {SLUG_RULE}\n" in README


def test_readme_excerpt_is_what_the_defaults_generate(bake):
    architecture = bake(init_git=False, date="2026-11-26").read("architecture.md")
    excerpt = re.search(r"````markdown\n(.*?)````", README, re.DOTALL)[1]
    before, _, after = excerpt.partition(" ...\n")  # the excerpt shortens the seed's note
    assert architecture.startswith(before)
    assert after in architecture


def tree_paths(tree: str) -> set[str]:
    """The file paths a README tree drawing names: each entry joined to the folders above it."""
    paths, folders = set(), []
    for line in tree.splitlines()[1:]:
        entry = line.lstrip("│├└─ ")
        depth = (len(line) - len(entry)) // 4 - 1
        del folders[depth:]
        for name in re.split(r" {3,}", entry)[0].split():  # names, then their description
            if name.endswith("/"):
                folders.append(name)
            else:
                paths.add("".join(folders) + name)
    return paths


def test_readme_tree_names_every_file_of_the_default_project(bake):
    project = bake(init_git=False)
    tree = re.search(r"## What you get\n\n```text\n(.*?)```", README, re.DOTALL)[1]
    named = tree_paths(tree)  # a * in a name stands for any text, as in a shell
    for relative in project.files() - {"specs/features/.gitkeep"}:
        assert any(fnmatch.fnmatchcase(relative, name) for name in named), relative
