"""The code a team copies and runs stays clean: ruff, strict mypy, and Python 3.10 as the oldest it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MEMORY_FOLDER, TEMPLATE, has_memory_to_spare, python_tool

SPEC_TOOL = "{{cookiecutter.__project_dir}}/tools/spec.py"
HOOKS = ["hooks/pre_gen_project.py", "hooks/post_gen_project.py"]
EXTENSION = "literal_answers.py"  # runs inside cookiecutter, which loads it from the template
SHIPPED = [SPEC_TOOL, *HOOKS, EXTENSION]


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=TEMPLATE, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing_in_the_template_its_tests_or_benchmarks() -> None:
    result = run_tool(python_tool("ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_hooks_and_the_spec_tool_for_python_3_10() -> None:
    for path in SHIPPED:  # one at a time: the hooks and the tool share module names
        result = run_tool(sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_vermin_finds_nothing_newer_than_python_3_10_in_the_hooks_and_the_spec_tool() -> None:
    result = run_tool(python_tool("vermin"), "--target=3.10", "--no-tips", "--violations", "--eval-annotations",
                      *SHIPPED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_suites_temporary_folders_are_where_the_run_chose(tmp_path, pytestconfig) -> None:
    """In memory when the machine has room there and the user chose no other place (tests/conftest.py)."""
    root = os.environ.get("PYTEST_DEBUG_TEMPROOT") or os.environ.get("TMPDIR")
    if root:
        assert tmp_path.resolve().is_relative_to(Path(root).resolve())
    assert not has_memory_to_spare(tmp_path / "missing")
    chosen = os.environ.get("TMPDIR") or pytestconfig.option.basetemp
    if sys.platform == "linux" and has_memory_to_spare(MEMORY_FOLDER) and not chosen:
        assert tmp_path.resolve().is_relative_to(MEMORY_FOLDER)
