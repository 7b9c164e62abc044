"""What the hooks do around the files: answers stay data, user files stay theirs (tools/spec.py included),
git is optional, and the hooks behave on old Pythons, in C and Latin-1 locales and when run as root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

from tests.conftest import (
    OPTION_FILES,
    TEMPLATE,
    cookiecutter_command,
    installed_python,
    rendered_hook,
    run,
    run_cookiecutter,
)

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


def generate_with_the_command(cwd: Path, *answers: str, env: dict | None = None):
    return run_cookiecutter("--no-input", str(TEMPLATE), *answers, cwd=cwd, env=env)


@pytest.fixture
def generate(cookiecutter_cli):
    """generate(cwd, *answers, env=) -> the cookiecutter command's result, its code run in-process."""

    def _generate(cwd: Path, *answers: str, env: dict | None = None):
        return cookiecutter_cli("--no-input", str(TEMPLATE), *answers, cwd=cwd, env=env)

    return _generate


def test_answers_reach_the_hooks_as_data_and_run_nothing(tmp_path, home, generate):
    answers = [f"{name}={value}" for name, value in INJECTIONS.items()]
    result = generate(tmp_path, *answers, "project_slug=quoted", "init_git=false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(tmp_path.rglob("pwned*"))
    architecture = (tmp_path / "quoted" / "architecture.md").read_text(encoding="utf-8")
    assert architecture.startswith('# Architecture: O\'Brien "x"; print(1) \\#\n')
    assert '**Owner**: """); open("pwned-owner", "w").close(); ("""\n' in architecture
    assert "\\\\\"; \\_\\_import\\_\\_('pathlib').Path('pwned-description').touch() \\#\n" in architecture


def test_rerun_over_an_existing_project_keeps_every_file_the_user_has(tmp_path, home):
    assert generate_with_the_command(tmp_path, "date=2025-01-01", "init_git=false").returncode == 0
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
    spec_tool = project / "tools" / "spec.py"
    spec_tool.write_text(spec_tool.read_text(encoding="utf-8") + "# our own change\n", encoding="utf-8")
    spec_tool.chmod(0o700)
    (project / "specs" / "README.md").unlink()
    (project / "notes.txt").write_text("kept\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    spec_tool_before = spec_tool.stat()

    result = generate_with_the_command(
        tmp_path, "-f", "-s", "date=2026-06-30", "agents_md=false", "init_git=false"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path.relative_to(project)} was changed"
    assert (project / "specs" / "README.md").is_file()  # the missing file came back
    assert not (project / ".cookiecutter-files-before.json").exists()
    assert not (project / ".cookiecutter-held").exists()
    spec_tool_after = spec_tool.stat()  # the very file: same inode, mode and modification time
    assert (spec_tool_after.st_ino, spec_tool_after.st_mode, spec_tool_after.st_mtime_ns) == (
        spec_tool_before.st_ino, spec_tool_before.st_mode, spec_tool_before.st_mtime_ns)


def test_rerun_with_no_agent_commands_keeps_the_teams_commands(tmp_path, home, generate):
    assert generate(tmp_path, "agent_commands=all", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    (project / ".claude" / "commands" / "spec-plan.md").write_text("# Our own way to plan\n", encoding="utf-8")
    (project / ".gemini" / "commands" / "spec-log.toml").unlink()
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}

    result = generate(tmp_path, "-f", "-s", "agent_commands=none", "init_git=false")

    assert result.returncode == 0, result.stdout + result.stderr
    after = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    assert after == before  # nothing removed or changed, and the deleted command not brought back


def test_rerun_with_another_agent_adds_only_its_commands(tmp_path, home, generate):
    assert generate(tmp_path, "agent_commands=claude", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    before = {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}

    result = generate(tmp_path, "-f", "-s", "agent_commands=gemini", "init_git=false")

    assert result.returncode == 0, result.stdout + result.stderr
    after = {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}
    assert after == before | OPTION_FILES["agent_commands", "gemini"]


def test_rerun_restores_and_stamps_a_deleted_architecture_document(tmp_path, home, generate):
    assert generate(tmp_path, "date=2025-01-01", "init_git=false").returncode == 0
    project = tmp_path / "my-project"
    (project / "architecture.md").unlink()
    assert generate(tmp_path, "-f", "-s", "date=2026-06-30", "init_git=false").returncode == 0
    assert "**Last Updated**: 2026-06-30\n" in (project / "architecture.md").read_text(encoding="utf-8")


def test_init_git_commits_every_generated_file(tmp_path, home, generate):
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


def test_git_without_an_identity_still_generates_with_a_warning(tmp_path, home, generate):
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


# ---------------------------------------------------------------------------------------------
# Re-runs: cookiecutter copies tools/spec.py (_copy_without_render) even under -f -s


@pytest.fixture
def generated(tmp_path, home, generate) -> Path:
    """A project generated with the defaults (git off), in tmp_path."""
    assert generate(tmp_path, "date=2025-01-01", "init_git=false").returncode == 0
    return tmp_path / "my-project"


def test_rerun_keeps_a_symlinked_spec_tool_a_link_and_its_target_untouched(tmp_path, generated, generate):
    shared = tmp_path / "shared-spec.py"
    shared.write_text("# the team's shared copy\n", encoding="utf-8")
    (generated / "tools" / "spec.py").unlink()
    (generated / "tools" / "spec.py").symlink_to(shared)
    result = generate(tmp_path, "-f", "-s", "init_git=false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (generated / "tools" / "spec.py").readlink() == shared
    assert shared.read_text(encoding="utf-8") == "# the team's shared copy\n"


def test_rerun_with_a_broken_spec_tool_keeps_it_and_still_stamps_a_restored_document(tmp_path, generated, generate):
    broken = "raise SystemExit('our experiment')\n"
    (generated / "tools" / "spec.py").write_text(broken, encoding="utf-8")
    (generated / "architecture.md").unlink()
    result = generate(tmp_path, "-f", "-s", "date=2026-06-30", "init_git=false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (generated / "tools" / "spec.py").read_text(encoding="utf-8") == broken
    assert "**Last Updated**: 2026-06-30\n" in (generated / "architecture.md").read_text(encoding="utf-8")


def test_rerun_with_f_alone_rewrites_the_templates_files_as_cookiecutter_documents(tmp_path, generated, generate):
    template_copy = (generated / "tools" / "spec.py").read_bytes()
    (generated / "tools" / "spec.py").write_text("# ours\n", encoding="utf-8")
    (generated / "README.md").write_text("# ours\n", encoding="utf-8")
    (generated / "notes.txt").write_text("kept\n", encoding="utf-8")
    result = generate(tmp_path, "-f", "init_git=false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (generated / "tools" / "spec.py").read_bytes() == template_copy
    assert (generated / "README.md").read_text(encoding="utf-8").startswith("# My Project\n")
    assert (generated / "notes.txt").read_text(encoding="utf-8") == "kept\n"
    assert not (generated / ".cookiecutter-held").exists()


def test_a_folder_left_by_an_interrupted_rerun_is_reported_and_nothing_changes(tmp_path, generated, generate):
    held = generated / ".cookiecutter-held" / "tools"
    held.mkdir(parents=True)
    (held / "spec.py").write_text("# the team's copy\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in generated.rglob("*") if path.is_file()}
    result = generate(tmp_path, "-f", "-s", "init_git=false")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {generated / '.cookiecutter-held'} is left from an interrupted run and holds your own copies "
        "of files such as tools/spec.py: move them back and remove it, then run again."
    ]
    assert {path: path.read_bytes() for path in generated.rglob("*") if path.is_file()} == before


# ---------------------------------------------------------------------------------------------
# Environments: old Pythons, C and Latin-1 locales, root


@pytest.mark.parametrize("version", ["3.8", "3.9"])
def test_the_hooks_on_a_python_older_than_3_10_say_so_in_one_line(tmp_path, version):
    python = installed_python(version)
    context = prompt_for_config(generate_context(str(TEMPLATE / "cookiecutter.json")), no_input=True)
    hook = tmp_path / "pre_gen_project.py"
    hook.write_text(rendered_hook("pre_gen_project.py", context), encoding="utf-8")
    project = tmp_path / "my-project"
    project.mkdir()
    result = run([python, str(hook)], cwd=project)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: this template needs Python 3.10 or newer; cookiecutter runs on Python {version}.")
    assert line.endswith(f": {python}")
    assert list(project.iterdir()) == []


C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def test_non_ascii_answers_in_the_c_locale_are_refused_with_the_fix_before_anything_is_written(tmp_path, home):
    result = generate_with_the_command(tmp_path, "owner=Ágnes", "init_git=false", env=C_LOCALE)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: owner='\\udcc3\\udc81gnes' is not valid: use text your locale can decode: run cookiecutter in "
        "a UTF-8 locale, or with PYTHONUTF8=1."
    ]
    assert list(tmp_path.iterdir()) == [home]
    fixed = generate_with_the_command(tmp_path, "owner=Ágnes", "init_git=false", env={**C_LOCALE, "PYTHONUTF8": "1"})
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "**Owner**: Ágnes\n" in (tmp_path / "my-project" / "architecture.md").read_text(encoding="utf-8")


def test_rerun_in_the_c_locale_keeps_files_with_non_ascii_names(tmp_path, generated):
    feature = generated / "specs" / "features" / "café-crème.md"
    feature.write_text("# Café\n", encoding="utf-8")
    (generated / "tools" / "spec.py").write_text("# ours\n", encoding="utf-8")
    result = generate_with_the_command(tmp_path, "-f", "-s", "init_git=false", env=C_LOCALE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert feature.read_text(encoding="utf-8") == "# Café\n"
    assert (generated / "tools" / "spec.py").read_text(encoding="utf-8") == "# ours\n"


@pytest.fixture(scope="module")
def latin_1_locale(tmp_path_factory) -> dict:
    """An ISO-8859-1 locale compiled into a folder of the test's own (no system locale needed)."""
    localedef = shutil.which("localedef")
    assert localedef, "localedef is not installed: apt-get install -y locales (Debian, Ubuntu)"
    folder = tmp_path_factory.mktemp("locales")
    compiled = subprocess.run([localedef, "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
                              capture_output=True, check=False)
    assert (folder / "en_US.ISO-8859-1").is_dir(), compiled.stderr.decode("utf-8", "replace")
    return {"LOCPATH": str(folder), "LC_ALL": "en_US.ISO-8859-1", "LANG": "en_US.ISO-8859-1", "PYTHONUTF8": "0"}


def test_a_latin_1_terminal_generates_and_reruns_with_its_answers_intact(tmp_path, home, latin_1_locale):
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    output = tmp_path / "Ágnes"
    command = [cookiecutter_command(), "--no-input", str(TEMPLATE), "-o", str(output), "init_git=false",
               "project_name=Zürich Öffentlich", "owner=Ágnes Ó", "description=Ça va, même à Noël"]
    as_typed = [os.fsencode(part) if index < 5 else part.encode("latin-1") for index, part in enumerate(command)]
    spec_tool = output / "zurich-offentlich" / "tools" / "spec.py"
    for extra in ([], [b"-f", b"-s"]):
        result = subprocess.run(as_typed[:2] + extra + as_typed[2:], cwd=tmp_path,
                                env={**environment, **latin_1_locale}, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr.decode("latin-1")
        if not extra:
            spec_tool.write_text("# ours\n", encoding="utf-8")
    assert spec_tool.read_text(encoding="utf-8") == "# ours\n"
    architecture = (output / "zurich-offentlich" / "architecture.md").read_text(encoding="utf-8")
    assert architecture.startswith("# Architecture: Zürich Öffentlich\n")
    assert "**Owner**: Ágnes Ó\n" in architecture
    assert "Ça va, même à Noël\n" in architecture


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_a_root_run_in_a_users_folder_leaves_everything_it_made_to_that_user(tmp_path, home, generate):
    (home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n", encoding="utf-8")
    user, group = 4242, 4343
    output = tmp_path / "users-folder"
    output.mkdir()
    os.chown(output, user, group)
    assert generate(tmp_path, "-o", str(output), "date=2025-01-01").returncode == 0
    project = output / "my-project"
    made = [project, *project.rglob("*")]
    assert {(path.lstat().st_uid, path.lstat().st_gid) for path in made} == {(user, group)}
    assert (project / ".git").is_dir()

    # the user's own file stays root's if it was; what a rerun adds or rewrites is the user's
    (project / "architecture.md").unlink()
    (project / "notes.txt").write_text("root's own\n", encoding="utf-8")
    assert generate(tmp_path, "-o", str(output), "-f", "-s", "init_git=false").returncode == 0
    assert (project / "architecture.md").stat().st_uid == user
    assert (project / "notes.txt").stat().st_uid == 0
    assert (project / "tools" / "spec.py").stat().st_uid == user
