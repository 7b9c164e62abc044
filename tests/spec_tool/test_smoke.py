"""tools/spec.py as real processes: a handful of smoke tests of what only a process shows (the interpreter
start, exit statuses, the streams), beside the in-process tests of every behaviour."""

from __future__ import annotations

import re

from tests.spec_tool.conftest import SESSIONS, TODAY, ready


def version_of(repo) -> str:
    result = repo.spec("--version", process=True)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    found = re.fullmatch(r"cookiecutter-living-architecture (\d+\.\d+\.\d+)\n", result.stdout)
    assert found, result.stdout
    return found[1]


def test_version_is_the_template_version_the_generated_readme_states(repo):
    version = version_of(repo)
    readme = repo.read("README.md")
    assert re.findall(r"\bversion (\d+\.\d+\.\d+)", readme) == [version]
    assert f"cookiecutter-living-architecture template, version {version};" in readme


def test_version_needs_no_repository(repo, tmp_path):
    result = repo.spec("--version", cwd=tmp_path, process=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("cookiecutter-living-architecture ")


def test_a_spec_from_start_to_finish(repo):
    assert repo.ok("new", "Move sessions to Redis", "--architecture", process=True) == f"{SESSIONS}\n"
    ready(repo, SESSIONS, status="Draft")
    repo.ok("status", "move-sessions-to-redis", "Planned", process=True)
    repo.ok("implement", "move-sessions-to-redis", process=True)
    assert f"Implemented  Architecture Team  {TODAY}\n" in repo.ok("list", process=True)
    assert repo.ok("check", process=True).endswith("check passed\n")


def test_a_wrong_command_line_is_one_line_and_exit_status_2(repo):
    result = repo.spec("stauts", process=True)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr


def test_a_document_in_the_way_is_path_line_message_and_exit_status_1(repo):
    repo.write("specs/features/broken.md", "# Spec: Broken\n\n**Status**: Finished\n")
    result = repo.spec("check", process=True)
    assert result.returncode == 1
    assert re.search(r"^specs/features/broken\.md:\d+: ", result.stdout + result.stderr, re.MULTILINE)
    assert "Traceback" not in result.stderr
