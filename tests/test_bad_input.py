"""Bad answers: one clear line naming what is wrong and what is allowed, and nothing left anywhere.

Our hooks print their verdict on stderr. cookiecutter 2.7 adds its own report of any failing hook on
stdout ("Stopping generation because ...", with its own traceback): that part is not ours to change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter

from tests.conftest import TEMPLATE, run_cookiecutter

SLUG_RULE = (
    "use lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, "
    "not ending with '.', at most 100 characters."
)
WINDOWS_RULE = "use a name Windows allows for a folder (not con, prn, aux, nul, com1-9 or lpt1-9)."
DATE_RULE = "use a real calendar date written YYYY-MM-DD, not after today, e.g. 2026-01-31."
BAD_ANSWERS = [
    # (answer, the line cookiecutter must print)
    ("project_slug=../escape", f"error: project_slug='../escape' is not valid: {SLUG_RULE}"),
    ("project_slug=../../escape", f"error: project_slug='../../escape' is not valid: {SLUG_RULE}"),
    ("project_slug=nested/dir", f"error: project_slug='nested/dir' is not valid: {SLUG_RULE}"),
    ("project_slug=back\\slash", f"error: project_slug='back\\\\slash' is not valid: {SLUG_RULE}"),
    ("project_slug=..", f"error: project_slug='..' is not valid: {SLUG_RULE}"),
    ("project_slug=My Project", f"error: project_slug='My Project' is not valid: {SLUG_RULE}"),
    ("project_slug=-dash-first", f"error: project_slug='-dash-first' is not valid: {SLUG_RULE}"),
    ("project_slug=café", f"error: project_slug='café' is not valid: {SLUG_RULE}"),
    ("project_slug=" + "a" * 101, f"error: project_slug='{'a' * 101}' is not valid: {SLUG_RULE}"),
    ("project_slug=" + "a" * 300, f"error: project_slug='{'a' * 300}' is not valid: {SLUG_RULE}"),
    ("project_slug=trailing.", f"error: project_slug='trailing.' is not valid: {SLUG_RULE}"),
    ("project_slug=con", f"error: project_slug='con' is not valid: {WINDOWS_RULE}"),
    ("project_slug=aux.md", f"error: project_slug='aux.md' is not valid: {WINDOWS_RULE}"),
    ("description=Two\nLines", "error: description='Two\\nLines' is not valid: use a single line."),
    ("project_name=Two\nLines", "error: project_name='Two\\nLines' is not valid: use a single line."),
    ("owner=", "error: owner='' is not valid: use a non-empty value."),
    ("owner=A\nB", "error: owner='A\\nB' is not valid: use a single line."),
    ("date=2026-02-30", f"error: date='2026-02-30' is not valid: {DATE_RULE}"),
    ("date=26-01-31", f"error: date='26-01-31' is not valid: {DATE_RULE}"),
    ("date=today", f"error: date='today' is not valid: {DATE_RULE}"),
    ("date=9999-12-31", f"error: date='9999-12-31' is not valid: {DATE_RULE}"),
]


def tree(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A folder to run cookiecutter in, inside a sandbox whose every entry we can account for."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # cookiecutter's replay files go here
    (tmp_path / "home").mkdir()
    work = tmp_path / "sandbox" / "work"
    work.mkdir(parents=True)
    return work


@pytest.mark.parametrize(("answer", "message"), BAD_ANSWERS, ids=[a for a, _ in BAD_ANSWERS])
def test_bad_answer_fails_with_one_clear_line_and_leaves_nothing(workspace, capfd, answer, message):
    # Cookiecutter in this process (the hooks still run as processes), as pytest-cookies runs it; the
    # command itself: the test below.
    sandbox = workspace.parent
    before = tree(sandbox)
    name, _, value = answer.partition("=")
    with pytest.raises(FailedHookException):
        cookiecutter(str(TEMPLATE), no_input=True, extra_context={name: value, "init_git": False},
                     output_dir=str(workspace))
    assert capfd.readouterr().err.splitlines() == [message]
    assert tree(sandbox) == before


def test_the_cookiecutter_command_stops_on_a_bad_answer_with_status_1_and_leaves_nothing(workspace):
    answer, message = BAD_ANSWERS[0]
    sandbox = workspace.parent
    before = tree(sandbox)
    result = run_cookiecutter("--no-input", str(TEMPLATE), answer, "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [message]
    assert "Stopping generation because pre_gen_project hook" in result.stdout
    assert tree(sandbox) == before


@pytest.mark.parametrize("name", ["", "   "])
def test_blank_name_is_reported_with_the_empty_folder_name_it_leads_to(workspace, name):
    result = run_cookiecutter(
        "--no-input", str(TEMPLATE), f"project_name={name}", "init_git=false", cwd=workspace
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: project_name='{name}' is not valid: use a non-empty value.",
        f"error: project_slug='' is not valid: {SLUG_RULE}",
    ]
    assert list(workspace.iterdir()) == []


@pytest.mark.parametrize(("language", "framework", "offered"), [
    ("Go", "Django", "a Go framework (Gin, Echo) or none"),
    ("Python", "Spring Boot", "a Python framework (FastAPI, Django, Flask) or none"),
    ("C#", "Axum", "a C# framework (ASP.NET Core) or none"),
])
def test_a_framework_of_another_language_is_refused(workspace, language, framework, offered):
    result = run_cookiecutter("--no-input", str(TEMPLATE), f"language={language}",
                              f"framework={framework}", "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: framework='{framework}' is not valid: use {offered}."]
    assert list(workspace.iterdir()) == []


def test_absolute_slug_creates_nothing_at_that_path(workspace, tmp_path):
    target = tmp_path / "outside" / "escape"
    result = run_cookiecutter(
        "--no-input", str(TEMPLATE), f"project_slug={target}", "init_git=false", cwd=workspace
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: project_slug='{target}' is not valid: {SLUG_RULE}"]
    assert not (tmp_path / "outside").exists()
    assert list(workspace.iterdir()) == []


def test_every_bad_answer_is_reported_at_once(workspace):
    result = run_cookiecutter(
        "--no-input", str(TEMPLATE), "owner=", "date=2026-13-01", "init_git=false", cwd=workspace
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: owner='' is not valid: use a non-empty value.",
        f"error: date='2026-13-01' is not valid: {DATE_RULE}",
    ]


def test_a_value_outside_a_choice_list_is_refused_before_anything_is_written(workspace):
    # cookiecutter itself checks choices, before any hook of ours runs; it names the variable
    # and the allowed values in the last line of its report.
    result = run_cookiecutter("--no-input", str(TEMPLATE), "language=Cobol", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ValueError: Cobol provided for choice variable language, but the choices are "
        "['Python', 'TypeScript', 'Go', 'Java', 'C#', 'Rust']."
    )
    assert list(workspace.iterdir()) == []


@pytest.mark.parametrize("framework", ["usual", "Gin"])
def test_a_framework_set_behind_the_answer_is_refused_under_its_own_name(workspace, framework):
    # __framework is what the documents name; the command line can set a private variable too.
    result = run_cookiecutter("--no-input", str(TEMPLATE), "language=Go", f"framework={framework}",
                              "__framework=Django", "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: __framework='Django' is not valid: use a Go framework (Gin, Echo) or none."
    ]
    assert list(workspace.iterdir()) == []
