"""Every answer a user can give, and the combinations that shape the document together."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.conftest import AGENT_FOLDERS, DEFAULTS, expected_files, unrendered

CHOICES = {name: values for name, values in DEFAULTS.items() if isinstance(values, list)}
DEFAULT_FRAMEWORK = {
    "Python": "FastAPI",
    "TypeScript": "Express",
    "Go": "Gin",
    "Java": "Spring Boot",
    "C#": "ASP.NET Core",
    "Rust": "Axum",
}


def diagram(markdown: str) -> str:
    return re.search(r"```(?:text|mermaid)\n(.*?)```", markdown, re.DOTALL)[1]


def choice_values():
    for name, values in CHOICES.items():
        for value in dict.fromkeys(values):  # framework lists its language default twice
            if "{{" not in value:
                yield name, value


FRAMEWORK_LANGUAGE = {
    "Django": "Python", "Flask": "Python", "NestJS": "TypeScript", "Fastify": "TypeScript",
    "Echo": "Go", "Quarkus": "Java", "Actix Web": "Rust",
}


@pytest.mark.parametrize(("name", "value"), list(choice_values()))
def test_every_choice_value_generates_and_shows(bake, name, value):
    answers = {name: value, "init_git": False}
    if name == "framework" and value in FRAMEWORK_LANGUAGE:
        answers["language"] = FRAMEWORK_LANGUAGE[value]  # a framework comes with its language
    elif name == "framework" and value != "none":
        answers["language"] = next(k for k, v in DEFAULT_FRAMEWORK.items() if v == value)
    project = bake(**answers)
    architecture = project.read("architecture.md")
    for relative in project.files():
        assert not unrendered(relative, project.read(relative)), relative
    expectations = {
        "priority": f"**Priority**: {value}\n",
        "language": f"**Languages:**\n\n- {value}\n",
        "framework": f"**Frameworks:**\n\n- {value}\n",
        "database": f"- {value} (primary data store)\n",
        "cache": f"- {value} (cache)\n",
        "message_broker": f"- {value} (message broker)\n",
        "infrastructure": f"**Infrastructure:**\n\n- {value}\n",
        "diagram": f"```{'mermaid' if value == 'mermaid' else 'text'}\n",
    }
    if name in expectations and value != "none":
        assert expectations[name] in architecture
    if name in ("framework", "database", "cache", "message_broker") and value != "none":
        assert f"({value})" in diagram(architecture)


@pytest.mark.parametrize(("language", "framework"), DEFAULT_FRAMEWORK.items())
def test_framework_default_follows_the_language(bake, language, framework):
    architecture = bake(language=language, init_git=False).read("architecture.md")
    assert f"**Frameworks:**\n\n- {framework}\n" in architecture
    assert f"**Technology**: {framework} ({language})\n" in architecture
    assert f"({framework})" in diagram(architecture)


def test_no_framework_shows_the_language_instead(bake):
    architecture = bake(language="Go", framework="none", init_git=False).read("architecture.md")
    assert "**Frameworks:**\n\n- None: the API server uses Go's standard library\n" in architecture
    assert "**Technology**: Go\n" in architecture
    assert "(Go)" in diagram(architecture)
    assert "none" not in diagram(architecture)


PARTS = {"database": "MySQL", "cache": "Memcached", "message_broker": "Kafka"}
PART_LABELS = {"database": "Database", "cache": "Cache", "message_broker": "Message Broker"}
PRESENCE = list(itertools.product([False, True], repeat=3))


def presence_id(presence):
    return "+".join(name for name, on in zip(PARTS, presence, strict=True) if on) or "api-only"


@pytest.mark.parametrize("style", ["ascii", "mermaid"])
@pytest.mark.parametrize("presence", PRESENCE, ids=presence_id)
def test_diagram_draws_exactly_the_chosen_parts(bake, presence, style):
    chosen = {name: (value if on else "none") for (name, value), on in zip(PARTS.items(), presence, strict=True)}
    architecture = bake(**chosen, diagram=style, init_git=False).read("architecture.md")
    drawn = diagram(architecture)
    assert "none" not in drawn
    for name, value in PARTS.items():
        on = chosen[name] != "none"
        assert (f"({value})" in drawn) == on, name
        assert (PART_LABELS[name] in drawn) == on, name
        assert (f"#### {PART_LABELS[name]}" in architecture.replace("#### 3. ", "#### ")
                .replace("#### 4. ", "#### ").replace("#### 5. ", "#### ")) == on
    if style == "mermaid":
        expected = [
            'flowchart LR',
            '    client["Client<br/>(Web/App)"] --> api["API Server<br/>(FastAPI)"]',
        ]
        if chosen["database"] != "none":
            expected.append('    api --> database[("Database<br/>(MySQL)")]')
        if chosen["cache"] != "none":
            expected.append('    api --> cache(["Cache<br/>(Memcached)"])')
        if chosen["message_broker"] != "none":
            expected.append('    api --> broker[["Message Broker<br/>(Kafka)"]]')
        assert drawn.splitlines() == expected
    else:
        assert_boxes_are_aligned(drawn)
        assert drawn.count("┌") == 2 + sum(presence)


def assert_boxes_are_aligned(drawing: str) -> None:
    """Every box is closed and straight, and every arrow lands on a box."""
    grid = drawing.splitlines()

    def at(row: int, column: int) -> str:
        return grid[row][column] if row < len(grid) and column < len(grid[row]) else " "

    for row, line in enumerate(grid):
        assert line == line.rstrip(), f"trailing spaces on diagram line {row}"
        for column, char in enumerate(line):
            if char == "┌":
                right = line.index("┐", column)
                assert [at(row + i, column) for i in (1, 2, 3)] == ["│", "│", "└"]
                assert [at(row + i, right) for i in (1, 2, 3)] == ["│", "│", "┘"]
            if char == "▼":
                box = grid[row + 1]
                left = box.rindex("┌", 0, column + 1)
                assert column == left + 8, f"arrow at {row}:{column} misses the middle of its box"
            if char == "▶":
                assert line[column - 4:column + 2] == "│───▶│", f"arrow at {row}:{column} joins no boxes"
            if char == "┬":
                assert at(row + 1, column) in "│└", f"branch at {row}:{column} leads nowhere"


def test_the_widest_labels_fit_their_boxes(bake):
    architecture = bake(language="C#", database="PostgreSQL", cache="Memcached",
                        message_broker="Amazon SQS", init_git=False).read("architecture.md")
    drawn = diagram(architecture)
    assert_boxes_are_aligned(drawn)
    for label in ("(ASP.NET Core)", "(PostgreSQL)", "(Memcached)", "(Amazon SQS)", "Message Broker"):
        assert f"│ {label}" in drawn or f"│  {label}" in drawn or f"{label} │" in drawn, label


def test_everything_off_still_reads_well(bake):
    architecture = bake(
        database="none", cache="none", message_broker="none", infrastructure="none", init_git=False
    ).read("architecture.md")
    assert "**Databases:**\n\n- None: the system keeps no persistent data of its own\n" in architecture
    assert "**Infrastructure:**\n\n- [e.g., Docker, Kubernetes, AWS]\n" in architecture
    assert (
        "Clients reach the system through its API server, built with FastAPI (Python).\n\n"
        "### Visual Architecture"
    ) in architecture
    assert (
        "1. Client sends a request to the API server\n"
        "2. API server validates the request format and authenticates the caller\n"
        "3. API server returns the response to the client\n"
    ) in architecture


def test_data_flow_numbers_the_steps_of_the_chosen_parts(bake):
    architecture = bake(database="SQLite", cache="none", message_broker="NATS",
                        init_git=False).read("architecture.md")
    assert (
        "1. Client sends a request to the API server\n"
        "2. API server validates the request format and authenticates the caller\n"
        "3. API server reads or writes the data in SQLite\n"
        "4. API server publishes any slow follow-up work to NATS for background workers\n"
        "5. API server returns the response to the client\n"
    ) in architecture


@pytest.mark.parametrize("agents_md", [True, False])
@pytest.mark.parametrize("pre_commit", [True, False])
@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
def test_option_files_are_present_exactly_when_chosen(bake, ci, pre_commit, agents_md):
    answers = {"ci": ci, "pre_commit": pre_commit, "agents_md": agents_md, "agent_commands": "none"}
    project = bake(**answers, init_git=False)
    assert project.files() == expected_files(**answers)
    assert (project.path / ".github").exists() == (ci == "github")


@pytest.mark.parametrize("agent_commands", CHOICES["agent_commands"])
def test_agent_commands_bring_exactly_the_chosen_agents_files(bake, agent_commands):
    project = bake(agent_commands=agent_commands, ci="none", init_git=False)
    assert project.files() == expected_files(agent_commands=agent_commands, ci="none")
    for agent, (folder, _) in AGENT_FOLDERS.items():  # no empty folder is left for another agent
        assert (project.path / folder).exists() == (agent_commands in (agent, "all")), agent
    assert (project.path / ".github").exists() == (agent_commands in ("copilot", "all"))


def test_copilot_prompts_and_the_github_workflow_share_dot_github(bake):
    project = bake(agent_commands="copilot", ci="github", init_git=False)
    assert project.files() == expected_files(agent_commands="copilot", ci="github")


@pytest.mark.parametrize("init_git", [True, False])
def test_init_git_decides_whether_the_project_is_a_repository(bake, init_git):
    # The first commit and git's failure modes: tests/test_hooks.py.
    project = bake(init_git=init_git)
    assert (project.path / ".git").is_dir() == init_git
