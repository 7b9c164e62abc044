"""tools/spec.py: readme."""

from __future__ import annotations

import re
import shlex

from tests.spec_tool.conftest import BAKED_ON, COMMANDS, epoch


def readme_sections(readme: str) -> dict[str, str]:
    parts = re.split(r"^### `([\w-]+)`\n", readme, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_readme_documents_every_command_with_its_usage_and_options(repo):
    readme = repo.read("README.md")
    sections = readme_sections(readme)
    assert list(sections) == COMMANDS
    for command, section in sections.items():
        help_text = repo.ok(command, "--help", env={"COLUMNS": "200"})
        usage = help_text.splitlines()[0].removeprefix("usage: ")
        assert f"```text\n{usage}\n```" in section, command
        options = set(re.findall(r"^  (--[a-z]+)", help_text, re.MULTILINE))
        assert options == set(re.findall(r"--[a-z]+", usage)), command
        for option in options:
            assert option in section.split("```", 2)[2], f"{command}: {option} is not explained"


def test_readme_example_session_prints_what_the_readme_shows(repo):
    readme = repo.read("README.md")
    session = re.search(r"```console\n(.*?)```", readme, re.DOTALL)[1]
    commands = re.split(r"^\$ ", session, flags=re.MULTILINE)[1:]
    assert len(commands) == 5
    for block in commands:
        command, _, shown = block.partition("\n")
        arguments = shlex.split(command)
        assert arguments[:2] == ["python", "tools/spec.py"]
        result = repo.spec(*arguments[2:], env={"SOURCE_DATE_EPOCH": epoch(BAKED_ON)})
        assert (result.returncode, result.stderr) == (0, ""), command
        assert result.stdout == shown, command
