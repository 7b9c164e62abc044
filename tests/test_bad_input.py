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
LINE_ENDING_RULE = "use the default: leave it unset, and the files are written with \\n line endings."
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
    # private variables can be set on the command line too
    ("_new_lines=x", f"error: _new_lines='x' is not valid: {LINE_ENDING_RULE}"),
    ("_new_lines=\r\n", f"error: _new_lines='\\r\\n' is not valid: {LINE_ENDING_RULE}"),
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
    # Cookiecutter in this process (its hooks too: tests/conftest.py), as pytest-cookies runs it; the
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
def test_blank_name_is_reported_with_the_empty_folder_name_it_leads_to(cookiecutter_cli, workspace, name):
    result = cookiecutter_cli(
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
def test_a_framework_of_another_language_is_refused(cookiecutter_cli, workspace, language, framework, offered):
    result = cookiecutter_cli("--no-input", str(TEMPLATE), f"language={language}",
                              f"framework={framework}", "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: framework='{framework}' is not valid: use {offered}."]
    assert list(workspace.iterdir()) == []


def test_absolute_slug_creates_nothing_at_that_path(cookiecutter_cli, workspace, tmp_path):
    target = tmp_path / "outside" / "escape"
    result = cookiecutter_cli(
        "--no-input", str(TEMPLATE), f"project_slug={target}", "init_git=false", cwd=workspace
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: project_slug='{target}' is not valid: {SLUG_RULE}"]
    assert not (tmp_path / "outside").exists()
    assert list(workspace.iterdir()) == []


def test_every_bad_answer_is_reported_at_once(cookiecutter_cli, workspace):
    result = cookiecutter_cli(
        "--no-input", str(TEMPLATE), "owner=", "date=2026-13-01", "init_git=false", cwd=workspace
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: owner='' is not valid: use a non-empty value.",
        f"error: date='2026-13-01' is not valid: {DATE_RULE}",
    ]


def test_a_value_outside_a_choice_list_is_refused_before_anything_is_written(cookiecutter_cli, workspace):
    # cookiecutter itself checks choices, before any hook of ours runs; it names the variable
    # and the allowed values in the last line of its report.
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "language=Cobol", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ValueError: Cobol provided for choice variable language, but the choices are "
        "['Python', 'TypeScript', 'Go', 'Java', 'C#', 'Rust']."
    )
    assert list(workspace.iterdir()) == []


@pytest.mark.parametrize("framework", ["usual", "Gin"])
def test_a_framework_set_behind_the_answer_is_refused_under_its_own_name(cookiecutter_cli, workspace, framework):
    # __framework is what the documents name; the command line can set a private variable too.
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "language=Go", f"framework={framework}",
                              "__framework=Django", "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: __framework='Django' is not valid: use a Go framework (Gin, Echo) or none."
    ]
    assert list(workspace.iterdir()) == []


# A private variable can be set on the command line like any other; cookiecutter.json derives the project
# folder (__project_dir) from the slug, and the pre-generation hook checks the folder actually used.


def project_dir_message(value: str, workspace: Path) -> str:
    return (
        f"error: __project_dir={value!r} is not valid: use the default: leave it unset, and the project "
        f"folder is {str(workspace / 'my-project')!r} (the slug in the output folder)."
    )


@pytest.mark.parametrize("value", ["../outside", "../../outside", "ABSOLUTE", "other-name", "nested/dir",
                                   "my-project/..", "my-project/../../outside"])
def test_a_project_folder_other_than_the_slugs_is_refused_and_nothing_is_left(cookiecutter_cli, workspace, value):
    value = str(workspace.parent / "absolute") if value == "ABSOLUTE" else value
    (workspace / "kept.txt").write_text("the output folder's own file\n", encoding="utf-8")
    top = workspace.parent.parent
    before = tree(top / "sandbox")
    result = cookiecutter_cli("--no-input", str(TEMPLATE), f"__project_dir={value}", "init_git=false",
                              cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [project_dir_message(value, workspace)]
    assert tree(top / "sandbox") == before
    assert sorted(path.name for path in top.iterdir()) == ["home", "sandbox"]
    assert (workspace / "kept.txt").read_text(encoding="utf-8") == "the output folder's own file\n"


def test_a_project_folder_naming_an_existing_folder_elsewhere_is_refused_even_with_f_s(cookiecutter_cli, workspace):
    victim = workspace.parent / "victim"
    victim.mkdir()
    (victim / "notes.md").write_text("# Someone else's notes\n", encoding="utf-8")
    result = cookiecutter_cli("--no-input", "-f", "-s", str(TEMPLATE), "__project_dir=../victim",
                              "init_git=false", cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [project_dir_message("../victim", workspace)]
    assert tree(victim) == {"notes.md"}
    assert (victim / "notes.md").read_text(encoding="utf-8") == "# Someone else's notes\n"
    assert list(workspace.iterdir()) == []


@pytest.mark.parametrize(("name", "folder"), [
    ("Платёжный шлюз", "platezhnyi-shliuz"),
    ("支付网关", "zhi-fu-wang-guan"),
    ("결제 게이트웨이", "gyeolje-geiteuwei"),
    ("Πύλη πληρωμών", "pule-pleromon"),
    ("पेमेंट गेटवे", "pementt-gettve"),
    ("بوابة الدفع", "bwb-ldf"),
])
def test_a_name_in_any_script_gives_a_folder_spelled_in_latin_letters(cookiecutter_cli, workspace, name, folder):
    result = cookiecutter_cli("--no-input", str(TEMPLATE), f"project_name={name}", "init_git=false",
                              cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [path.name for path in workspace.iterdir()] == [folder]
    architecture = (workspace / folder / "architecture.md").read_text(encoding="utf-8")
    assert architecture.startswith(f"# Architecture: {name}\n")


@pytest.mark.parametrize("name", ["🚀", "ꯃꯤꯇꯩ"])
def test_a_name_without_letters_a_folder_name_can_spell_asks_for_a_slug(cookiecutter_cli, workspace, name):
    result = cookiecutter_cli("--no-input", str(TEMPLATE), f"project_name={name}", "init_git=false",
                              cwd=workspace)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: project_slug='' is not valid: {SLUG_RULE}"]
    assert list(workspace.iterdir()) == []
    named = cookiecutter_cli("--no-input", str(TEMPLATE), f"project_name={name}", "project_slug=launch",
                             "init_git=false", cwd=workspace)
    assert named.returncode == 0, named.stdout + named.stderr
