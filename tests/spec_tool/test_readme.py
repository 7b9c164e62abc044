"""tools/spec.py: readme."""

from __future__ import annotations

import re
import shlex

from tests.spec_tool.conftest import BAKED_ON, COMMANDS, epoch, ready


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


def spec_from_readme(markdown: str) -> tuple[dict[str, str], str]:
    """The Decision Record fields and the Architecture Changes of the README's example spec."""
    record, _, changes = markdown.partition("## Architecture Changes\n\n")
    fields = dict(re.findall(r"^\*\*(\w+)\*\*: (.*)$", record, re.MULTILINE))
    return fields, changes.rstrip("\n")


def test_readme_example_session_prints_what_the_readme_shows(repo):
    """The console blocks run in order; between them the team writes the spec the markdown block shows."""
    readme = repo.read("README.md")
    session = readme[readme.index("A spec from start to finish:") : readme.index("SPEC, in the commands below")]
    consoles = re.findall(r"```console\n(.*?)```", session, re.DOTALL)
    record, changes = spec_from_readme(re.search(r"```markdown\n(.*?)```", session, re.DOTALL)[1])
    assert list(record) == ["Context", "Decision", "Rationale", "Consequences"] and changes.startswith("### ")
    commands = [re.split(r"^\$ ", console, flags=re.MULTILINE)[1:] for console in consoles]
    assert [len(block) for block in commands] == [2, 3]
    for number, block in enumerate(commands):
        if number == 1:
            ready(repo, "specs/features/architecture-move-sessions-to-redis.md", changes=changes, **record)
        for command_and_output in block:
            command, _, shown = command_and_output.partition("\n")
            arguments = shlex.split(command)
            assert arguments[:2] == ["python", "tools/spec.py"]
            result = repo.spec(*arguments[2:], env={"SOURCE_DATE_EPOCH": epoch(BAKED_ON)})
            assert (result.returncode, result.stderr) == (0, ""), command
            assert result.stdout == shown, command
    architecture = repo.read("architecture.md")
    assert "#### 5. Session Store\n" in architecture and "**Rationale**: Redis already runs" in architecture
