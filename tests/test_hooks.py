"""What the hooks do around the files: answers stay data, user files stay theirs, git is optional."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import OPTION_FILES, TEMPLATE, run, run_cookiecutter

INJECTIONS = {
    "project_name": 'O\'Brien "x"; print(1) #',
    "owner": '"""); open("pwned-owner", "w").close(); ("""',
    "description": "\\\"; __import__('pathlib').Path('pwned-description').touch() #",
}


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A HOME of the test's own: cookiecutter's replay files and git's user config live there."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def generate(cwd: Path, *answers: str, env: dict | None = None):
    return run_cookiecutter("--no-input", str(TEMPLATE), *answers, cwd=cwd, env=env)


def test_answers_reach_the_hooks_as_data_and_run_nothing(tmp_path, home):
    answers = [f"{name}={value}" for name, value in INJECTIONS.items()]
    result = generate(tmp_path, *answers, "project_slug=quoted", "init_git=false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(tmp_path.rglob("pwned*"))
    architecture = (tmp_path / "quoted" / "architecture.md").read_text(encoding="utf-8")
    assert architecture.startswith('# Architecture: O\'Brien "x"; print(1) \\#\n')
    assert '**Owner**: """); open("pwned-owner", "w").close(); ("""\n' in architecture
    assert "\\\\\"; \\_\\_import\\_\\_('pathlib').Path('pwned-description').touch() \\#\n" in architecture


def test_rerun_over_an_existing_project_keeps_every_file_the_user_has(tmp_path, home):
    assert generate(tmp_path, "date=2025-01-01", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    architecture = project / "architecture.md"
    architecture.write_text(
        architecture.read_text(encoding="utf-8").replace(
            "[High-level description of the system, its purpose, and how components work together]",
            "Our own words about the system.",
        ),
        encoding="utf-8",
    )
    (project / "AGENTS.md").write_text("# Our own agent notes\n", encoding="utf-8")
    (project / "specs" / "README.md").unlink()
    (project / "notes.txt").write_text("kept\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}

    result = generate(
        tmp_path, "-f", "-s", "date=2026-06-30", "agents_md=false", "init_git=false"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path.relative_to(project)} was changed"
    assert (project / "specs" / "README.md").is_file()  # the missing file came back
    assert not (project / ".cookiecutter-files-before.json").exists()


def test_rerun_with_no_agent_commands_keeps_the_teams_commands(tmp_path, home):
    assert generate(tmp_path, "agent_commands=all", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    (project / ".claude" / "commands" / "spec-plan.md").write_text("# Our own way to plan\n", encoding="utf-8")
    (project / ".gemini" / "commands" / "spec-log.toml").unlink()
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}

    result = generate(tmp_path, "-f", "-s", "agent_commands=none", "init_git=false")

    assert result.returncode == 0, result.stdout + result.stderr
    after = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    assert after == before  # nothing removed or changed, and the deleted command not brought back


def test_rerun_with_another_agent_adds_only_its_commands(tmp_path, home):
    assert generate(tmp_path, "agent_commands=claude", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    before = {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}

    result = generate(tmp_path, "-f", "-s", "agent_commands=gemini", "init_git=false")

    assert result.returncode == 0, result.stdout + result.stderr
    after = {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}
    assert after == before | OPTION_FILES["agent_commands", "gemini"]


def test_rerun_restores_and_stamps_a_deleted_architecture_document(tmp_path, home):
    assert generate(tmp_path, "date=2025-01-01", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    (project / "architecture.md").unlink()
    assert generate(tmp_path, "-f", "-s", "date=2026-06-30", "init_git=false").returncode == 0
    assert "**Last Updated**: 2026-06-30\n" in (project / "architecture.md").read_text(encoding="utf-8")


def test_init_git_commits_every_generated_file(tmp_path, home):
    (home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n",
                                     encoding="utf-8")
    result = generate(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "my-project"
    log = run(["git", "log", "--format=%an %s"], cwd=project).stdout
    assert log == "Ada Start the living architecture document\n"
    assert run(["git", "status", "--porcelain"], cwd=project).stdout == ""
    tracked = set(run(["git", "ls-files"], cwd=project).stdout.split())
    assert "architecture.md" in tracked and "tools/spec.py" in tracked


def test_git_without_an_identity_still_generates_with_a_warning(tmp_path, home):
    (home / ".gitconfig").write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    identity = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                "EMAIL")
    env = {**dict.fromkeys(identity), "GIT_CONFIG_NOSYSTEM": "1"}
    result = generate(tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "my-project"
    assert (project / ".git").is_dir()
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warning.startswith("warning: the git repository was created but its first commit failed (")
    assert warning.endswith(
        "); commit the files yourself once git can (it needs user.name and user.email)."
    )
    assert run(["git", "rev-parse", "--verify", "HEAD"], cwd=project).returncode != 0
    assert (project / "architecture.md").is_file()


def test_missing_git_is_a_warning_not_a_failure(tmp_path, home):
    nothing = tmp_path / "empty-path"
    nothing.mkdir()
    result = run([sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)],
                 cwd=tmp_path, env={"PATH": str(nothing)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "warning: git was not found, so the project is not a git repository yet; run 'git init' there."
    ]
    assert not (tmp_path / "my-project" / ".git").exists()
    assert (tmp_path / "my-project" / "architecture.md").is_file()


def test_git_output_in_a_non_utf_8_locale_does_not_stop_generation(tmp_path, home):
    (home / ".gitconfig").write_text("[user]\n\tname = Ágnes\n\temail = agnes@example.com\n",
                                     encoding="utf-8")
    output = tmp_path / "Ágnes's projects"
    ascii_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    result = run_cookiecutter("--no-input", str(TEMPLATE), "-o", str(output), cwd=tmp_path,
                              env=ascii_locale)
    assert result.returncode == 0, result.stdout + result.stderr
    assert run(["git", "log", "--format=%s"], cwd=output / "my-project").stdout == (
        "Start the living architecture document\n"
    )
