"""The slash commands of agent_commands, read the way each agent reads them.

Claude Code and GitHub Copilot read YAML front matter, Gemini CLI reads TOML, Cursor reads plain
Markdown. Every command says the same thing in every agent (one source), and every
`python tools/spec.py ...` it tells an agent to run is a command and option the tool has.
"""

from __future__ import annotations

import re

import pytest
import tomllib
import yaml

from tests.conftest import AGENT_COMMANDS, AGENT_FOLDERS, GEMINI_ARGUMENTS, BakedProject, import_spec_tool
from tests.test_ecosystem import bake_into

CLAUDE_ARGUMENTS = "$ARGUMENTS"
# Copilot and Cursor have no placeholder: the user's words follow the prompt.
NO_PLACEHOLDER = "what the user wrote after the command."
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n\n(?P<body># .*)\Z", re.DOTALL)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> BakedProject:
    return bake_into(tmp_path_factory.mktemp("agents"), {"agent_commands": "all", "init_git": False})


def command_file(project: BakedProject, agent: str, name: str) -> str:
    folder, suffix = AGENT_FOLDERS[agent]
    return project.read(folder + name + suffix)


def front_matter(text: str) -> tuple[dict, str]:
    """The YAML front matter, parsed, and the Markdown body after it."""
    match = FRONT_MATTER.match(text)
    assert match, text[:200]
    return yaml.safe_load(match["yaml"]), match["body"]


def gemini_command(project: BakedProject, name: str) -> dict:
    return tomllib.loads(command_file(project, "gemini", name))


def bodies(project: BakedProject, name: str) -> dict[str, str]:
    """The prompt each agent gets for a command, its own placeholder for the arguments left in."""
    return {
        "claude": front_matter(command_file(project, "claude", name))[1],
        "copilot": front_matter(command_file(project, "copilot", name))[1],
        "cursor": command_file(project, "cursor", name),
        "gemini": gemini_command(project, name)["prompt"],
    }


def test_the_commands_group_under_spec_and_name_each_step():
    assert all(name.startswith("spec-") for name in AGENT_COMMANDS)
    for step in ("specify", "plan", "implement", "log", "check"):
        assert any(step in name for name in AGENT_COMMANDS), step


@pytest.mark.parametrize("name", AGENT_COMMANDS)
def test_claude_code_command_has_front_matter_and_takes_the_arguments(project, name):
    fields, body = front_matter(command_file(project, "claude", name))
    assert set(fields) == ({"description"} if name == "spec-check" else {"description", "argument-hint"})
    assert isinstance(fields["description"], str) and fields["description"]
    assert body.count(CLAUDE_ARGUMENTS) == 1
    assert GEMINI_ARGUMENTS not in body


@pytest.mark.parametrize("name", AGENT_COMMANDS)
def test_copilot_prompt_file_runs_in_agent_mode_with_the_users_words(project, name):
    fields, body = front_matter(command_file(project, "copilot", name))
    expected = {"description", "agent"} | ({"argument-hint"} if name != "spec-check" else set())
    assert set(fields) == expected
    assert fields["agent"] == "agent"  # it edits files and runs the tool
    assert body.count(NO_PLACEHOLDER) == 1
    assert CLAUDE_ARGUMENTS not in body and GEMINI_ARGUMENTS not in body and "${input:" not in body


@pytest.mark.parametrize("name", AGENT_COMMANDS)
def test_cursor_command_is_plain_markdown(project, name):
    text = command_file(project, "cursor", name)
    assert text.startswith("# ") and text.endswith(".\n")
    assert text.count(NO_PLACEHOLDER) == 1
    assert CLAUDE_ARGUMENTS not in text and GEMINI_ARGUMENTS not in text


@pytest.mark.parametrize("name", AGENT_COMMANDS)
def test_gemini_command_is_toml_with_a_description_and_a_prompt_taking_args(project, name):
    command = gemini_command(project, name)
    assert set(command) == {"description", "prompt"}
    assert command["prompt"].startswith("# ")
    assert command["prompt"].count(GEMINI_ARGUMENTS) == 1
    assert CLAUDE_ARGUMENTS not in command["prompt"]


@pytest.mark.parametrize("name", AGENT_COMMANDS)
def test_every_agent_gets_the_same_command(project, name):
    """One text per command: the agents differ only in where the user's words go."""
    prompts = bodies(project, name)
    same = {
        prompt.replace(CLAUDE_ARGUMENTS, NO_PLACEHOLDER).replace(GEMINI_ARGUMENTS, NO_PLACEHOLDER).rstrip("\n")
        for prompt in prompts.values()
    }
    assert len(same) == 1, name
    descriptions = {
        front_matter(command_file(project, "claude", name))[0]["description"],
        front_matter(command_file(project, "copilot", name))[0]["description"],
        gemini_command(project, name)["description"],
    }
    assert len(descriptions) == 1, descriptions


def spec_tool_calls(text: str) -> list[tuple[str, list[str]]]:
    """(command, options) of every `python tools/spec.py COMMAND ...` a text names."""
    calls = []
    for arguments in re.findall(r"python tools/spec\.py ([^`\n]*)", text):
        command, _, rest = arguments.partition(" ")
        calls.append((command, re.findall(r"(?<!\S)--[a-z][a-z-]*", rest)))
    return calls


def test_the_commands_run_the_steps_the_process_needs(project):
    named = {
        (command, option)
        for name in AGENT_COMMANDS
        for command, options in spec_tool_calls(command_file(project, "cursor", name))
        for option in [None, *options]
    }
    for needed in [("new", None), ("new", "--architecture"), ("status", None), ("implement", "--dry-run"),
                   ("implement", None), ("log", None), ("check", None)]:
        assert needed in named, needed


def test_every_spec_tool_command_the_agents_are_told_to_run_exists(project, capsys):
    """Asked of the tool's own argparse: `COMMAND --help` must exist and list each option."""
    spec_tool = import_spec_tool(project.path, "spec_tool_for_agent_commands")
    calls = {
        (command, tuple(options))
        for agent in AGENT_FOLDERS
        for name in AGENT_COMMANDS
        for command, options in spec_tool_calls(bodies(project, name)[agent])
    }
    assert calls
    for command, options in sorted(calls):
        with pytest.raises(SystemExit) as exit_status:
            spec_tool.main([command, "--help"])
        output = capsys.readouterr()
        assert exit_status.value.code == 0, f"python tools/spec.py {command}: {output.err}"
        for option in options:
            assert option in output.out, f"python tools/spec.py {command} has no {option}"


def test_the_commands_point_to_each_other_by_their_real_names(project):
    for name in AGENT_COMMANDS:
        for mentioned in re.findall(r"`/([a-z-]+)`", command_file(project, "cursor", name)):
            assert mentioned in AGENT_COMMANDS, (name, mentioned)


@pytest.mark.parametrize("agent_commands", ["all", "gemini", "none"])
def test_the_readme_and_agents_md_show_the_commands_of_the_chosen_agents(bake, agent_commands):
    project = bake(agent_commands=agent_commands, init_git=False)
    readme, agents = project.read("README.md"), project.read("AGENTS.md")
    chosen = list(AGENT_FOLDERS) if agent_commands == "all" else [agent_commands] if agent_commands != "none" else []
    assert ("\n## Slash commands for coding agents\n" in readme) == bool(chosen)
    for agent, (folder, _) in AGENT_FOLDERS.items():
        assert (f"[{folder}]({folder})" in readme) == (agent in chosen), agent
    for name in AGENT_COMMANDS:
        assert (f"| `/{name}" in readme) == bool(chosen), name
        assert (f"`/{name}`" in agents) == bool(chosen), name
