"""The code that runs on users' machines: the hooks and tools/spec.py.

Standard library only, Python 3.10 syntax, explicit UTF-8 and no shell, so that it runs the same on
Linux, macOS and Windows with any Python from 3.10 on.
"""

from __future__ import annotations

import ast
import glob
import os
import shutil
import subprocess
import sys

import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context, generate_files
from cookiecutter.prompt import prompt_for_config

from tests.conftest import TEMPLATE, run
from tests.spec_tool.conftest import ready_text

USER_CODE = sorted(TEMPLATE.glob("hooks/*_gen_project.py")) + sorted(TEMPLATE.glob("*/tools/spec.py"))
TEXT_CALLS = {"open", "read_text", "write_text", "fdopen", "TextIOWrapper"}
PROCESS_CALLS = {"run", "Popen", "check_output"}


def parse(path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 10))


def test_user_code_was_found():
    assert [path.name for path in USER_CODE] == ["post_gen_project.py", "pre_gen_project.py", "spec.py"]


@pytest.mark.parametrize("path", USER_CODE, ids=lambda path: path.name)
def test_uses_only_the_standard_library_and_python_3_10_syntax(path):
    imported = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported - {"__future__"} <= sys.stdlib_module_names


@pytest.mark.parametrize("path", USER_CODE, ids=lambda path: path.name)
def test_text_is_read_and_written_as_utf_8_and_nothing_runs_through_a_shell(path):
    for node in ast.walk(parse(path)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        binary = any(isinstance(arg, ast.Constant) and "b" in str(arg.value) for arg in node.args[1:])
        low_level = isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "os"
        binary = binary or low_level  # os.open gives a descriptor, not text
        if name in TEXT_CALLS and not binary:
            assert "encoding" in keywords, f"{path.name}:{node.lineno}: {name}() without encoding="
        if name in PROCESS_CALLS and ("text" in keywords or "universal_newlines" in keywords):
            raise AssertionError(f"{path.name}:{node.lineno}: {name}() decodes with the locale")
        shell = keywords.get("shell")
        assert not (isinstance(shell, ast.Constant) and shell.value), f"{path.name}:{node.lineno}"


def oldest_supported_python() -> str:
    """A Python 3.10 to run the user-side code with: python3.10 on PATH, or one under pyenv."""
    candidates = [shutil.which("python3.10"), *glob.glob(os.path.expanduser(
        "~/.pyenv/versions/3.10*/bin/python3.10"))]
    found = next((candidate for candidate in candidates if candidate and runs_python_3_10(candidate)),
                 None)
    assert found, (
        "Python 3.10 is not installed: the generated tools must run on it "
        "(install it, e.g. `pyenv install 3.10`, and put python3.10 on PATH)"
    )
    return found


def runs_python_3_10(executable: str) -> bool:
    """A pyenv shim is on PATH even when it has no 3.10 to hand the call to."""
    probe = subprocess.run([executable, "-c", "import sys; print(sys.version_info[:2])"],
                           capture_output=True, text=True, check=False)
    return probe.stdout.strip() == "(3, 10)"


def rendered_hook(name: str, context: dict) -> str:
    source = (TEMPLATE / "hooks" / name).read_text(encoding="utf-8")
    return StrictEnvironment(context={"cookiecutter": context}).from_string(source).render(
        cookiecutter=context
    )


def test_the_hooks_and_the_spec_tool_run_on_python_3_10(tmp_path):
    python = oldest_supported_python()
    context = prompt_for_config(generate_context(str(TEMPLATE / "cookiecutter.json"),
                                                 extra_context={"init_git": False}), no_input=True)
    project = tmp_path / context["project_slug"]
    project.mkdir()
    for name in ("pre_gen_project.py", "post_gen_project.py"):
        (tmp_path / name).write_text(rendered_hook(name, context), encoding="utf-8")
    assert run([python, str(tmp_path / "pre_gen_project.py")], cwd=project).returncode == 0

    generate_files(str(TEMPLATE), {"cookiecutter": context}, str(tmp_path),
                   overwrite_if_exists=True, accept_hooks=False)
    post = run([python, str(tmp_path / "post_gen_project.py")], cwd=project)
    assert post.returncode == 0, post.stderr
    assert f"**Last Updated**: {context['date']}\n" in (project / "architecture.md").read_text(
        encoding="utf-8")

    spec = [python, "tools/spec.py"]
    for command in (["new", "Queue the exports", "--architecture"], ["status", "queue-the-exports",
                    "Planned"], ["implement", "queue-the-exports"], ["new", "Export v2"],
                    ["supersede", "queue-the-exports", "--by", "export-v2"], ["list", "--json"],
                    ["touch", "architecture.md"], ["index"], ["check"]):
        if command[0] == "implement":  # the team has written the spec
            written = project / "specs" / "features" / "architecture-queue-the-exports.md"
            text = ready_text(written.read_text(encoding="utf-8"), "### Remove: Cache")
            written.write_text(text, encoding="utf-8", newline="\n")
        result = run([*spec, *command], cwd=project)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
