"""The code a team copies and runs stays clean: ruff, strict mypy, and Python 3.10 as the oldest it needs."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import TEMPLATE, python_tool

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
