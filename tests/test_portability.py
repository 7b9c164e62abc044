"""The code that runs on users' machines: the hooks and tools/spec.py.

Standard library only, Python 3.10 syntax, explicit UTF-8 and no shell, so that it runs the same on
Linux, macOS and Windows with any Python from 3.10 on.
"""

from __future__ import annotations

import ast
import sys

import pytest

from tests.conftest import TEMPLATE

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
        if name in TEXT_CALLS and not binary:
            assert "encoding" in keywords, f"{path.name}:{node.lineno}: {name}() without encoding="
        if name in PROCESS_CALLS and ("text" in keywords or "universal_newlines" in keywords):
            raise AssertionError(f"{path.name}:{node.lineno}: {name}() decodes with the locale")
        shell = keywords.get("shell")
        assert not (isinstance(shell, ast.Constant) and shell.value), f"{path.name}:{node.lineno}"
