"""Every answer a user can give, and the combinations that shape the document together."""

from __future__ import annotations

import re

import pytest

from tests.conftest import AGENT_FOLDERS, CONFIGURATIONS, DEFAULTS, expected_files, unrendered

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
        for value in values:
            yield name, value


def test_every_choice_is_a_plain_value_listed_once_with_a_label_of_its_own():
    """The interactive menus list each value once, as given on the command line, and the framework menu
    labels each framework with its language; its first value, usual, follows the language chosen."""
    for name, values in CHOICES.items():
        assert len(set(values)) == len(values), name
        assert not any("{" in value for value in values), name
    labels = DEFAULTS["__prompts__"]["framework"]
    assert list(labels)[1:] == CHOICES["framework"]
    assert len(set(labels.values())) == len(labels)


FRAMEWORK_LANGUAGE = {
    "Django": "Python", "Flask": "Python", "NestJS": "TypeScript", "Fastify": "TypeScript",
    "Echo": "Go", "Quarkus": "Java", "Actix Web": "Rust",
}


def language_of(framework: str, otherwise: str) -> str:
    """The language a framework comes with (Python for the usual one, whose default is FastAPI); otherwise for
    none."""
    if framework == "usual":
        return "Python"
    defaults = {usual: language for language, usual in DEFAULT_FRAMEWORK.items()}
    return FRAMEWORK_LANGUAGE.get(framework) or defaults.get(framework, otherwise)


def covering_answers() -> list[dict[str, str]]:
    """Sets of answers that between them give every value of every choice, in as many generations as the
    choice with the most values has values: the i-th set takes the i-th value of each choice (wrapping
    around) and the language of its framework, and the frameworks bring every language."""
    sets = []
    for index in range(max(len(values) for values in CHOICES.values())):
        answers = {name: values[index % len(values)] for name, values in CHOICES.items()}
        answers["language"] = language_of(answers["framework"], answers["language"])
        sets.append(answers)
    return sets


COVERING_ANSWERS = covering_answers()


def test_the_covering_answers_give_every_choice_value():
    given = {(name, answers[name]) for answers in COVERING_ANSWERS for name in CHOICES}
    assert given == set(choice_values())


@pytest.mark.parametrize(("name", "value"), list(choice_values()))
def test_every_choice_value_generates_and_shows(bake_once, name, value):
    """Each value in one of the few projects generated with COVERING_ANSWERS: each of them shows a value of
    every choice at once."""
    answers = next(answers for answers in COVERING_ANSWERS if answers[name] == value)
    project = bake_once(**answers, init_git=False)
    architecture = project.read("architecture.md")
    for relative in project.files():
        assert not unrendered(relative, project.read(relative)), relative
    shown = DEFAULT_FRAMEWORK["Python"] if value == "usual" else value  # what the document names
    expectations = {
        "priority": f"**Priority**: {shown}\n",
        "language": f"**Languages:**\n\n- {shown}\n",
        "framework": f"**Frameworks:**\n\n- {shown}\n",
        "database": f"- {shown} (primary data store)\n",
        "cache": f"- {shown} (cache)\n",
        "message_broker": f"- {shown} (message broker)\n",
        "infrastructure": f"**Infrastructure:**\n\n- {shown}\n",
        "diagram": f"```{'mermaid' if shown == 'mermaid' else 'text'}\n",
    }
    if name in expectations and shown != "none":
        assert expectations[name] in architecture, f"generated with {answers}"
    if name in ("framework", "database", "cache", "message_broker") and shown != "none":
        assert f"({shown})" in diagram(architecture), f"generated with {answers}"


@pytest.mark.parametrize(("language", "framework"), DEFAULT_FRAMEWORK.items())
def test_framework_default_follows_the_language(bake_once, language, framework):
    architecture = bake_once(language=language, init_git=False).read("architecture.md")
    assert f"**Frameworks:**\n\n- {framework}\n" in architecture
    assert f"**Technology**: {framework} ({language})\n" in architecture
    assert f"({framework})" in diagram(architecture)


def test_no_framework_shows_the_language_instead(bake_once):
    architecture = bake_once(language="Go", framework="none", init_git=False).read("architecture.md")
    assert "**Frameworks:**\n\n- None: the API server uses Go's standard library\n" in architecture
    assert "**Technology**: Go\n" in architecture
    assert "(Go)" in diagram(architecture)
    assert "none" not in diagram(architecture)


PART_LABELS = {"database": "Database", "cache": "Cache", "message_broker": "Message Broker"}


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_diagram_draws_exactly_the_chosen_parts(configurations, name):
    """Both styles with every mix of database, cache and message broker (tests/conftest.py)."""
    chosen = CONFIGURATIONS[name]
    architecture = configurations[name].read("architecture.md")
    drawn = diagram(architecture)
    assert "none" not in drawn
    for part, label in PART_LABELS.items():
        on = chosen[part] != "none"
        assert (f"({chosen[part]})" in drawn) == on, part
        assert (label in drawn) == on, part
        assert (f"#### {label}" in architecture.replace("#### 3. ", "#### ")
                .replace("#### 4. ", "#### ").replace("#### 5. ", "#### ")) == on
    api = chosen.get("framework", "FastAPI").replace("none", "Python")
    if chosen["diagram"] == "mermaid":
        expected = [
            'flowchart LR',
            f'    client["Client<br/>(Web/App)"] --> api["API Server<br/>({api})"]',
        ]
        if chosen["database"] != "none":
            expected.append(f'    api --> database[("Database<br/>({chosen["database"]})")]')
        if chosen["cache"] != "none":
            expected.append(f'    api --> cache(["Cache<br/>({chosen["cache"]})"])')
        if chosen["message_broker"] != "none":
            expected.append(f'    api --> broker[["Message Broker<br/>({chosen["message_broker"]})"]]')
        assert drawn.splitlines() == expected
    else:
        assert_boxes_are_aligned(drawn)
        assert f"({api})" in drawn
        assert drawn.count("┌") == 2 + sum(chosen[part] != "none" for part in PART_LABELS)


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


def test_the_widest_labels_fit_their_boxes(bake_once):
    architecture = bake_once(language="C#", database="PostgreSQL", cache="Memcached",
                        message_broker="Amazon SQS", init_git=False).read("architecture.md")
    drawn = diagram(architecture)
    assert_boxes_are_aligned(drawn)
    for label in ("(ASP.NET Core)", "(PostgreSQL)", "(Memcached)", "(Amazon SQS)", "Message Broker"):
        assert f"│ {label}" in drawn or f"│  {label}" in drawn or f"{label} │" in drawn, label


def test_everything_off_still_reads_well(bake_once):
    architecture = bake_once(
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


def test_data_flow_numbers_the_steps_of_the_chosen_parts(bake_once):
    architecture = bake_once(database="SQLite", cache="none", message_broker="NATS",
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
def test_option_files_are_present_exactly_when_chosen(configurations, ci, pre_commit, agents_md):
    name = next(name for name, chosen in CONFIGURATIONS.items()
                if (chosen["ci"], chosen["pre_commit"], chosen["agents_md"]) == (ci, pre_commit, agents_md))
    options = {option: CONFIGURATIONS[name][option] for option in ("ci", "pre_commit", "agents_md", "agent_commands")}
    project = configurations[name]
    assert project.files() == expected_files(**options)
    copilot = options["agent_commands"] in ("copilot", "all")  # its prompts live in .github/ too
    assert (project.path / ".github").exists() == (ci == "github" or copilot)


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
def test_init_git_decides_whether_the_project_is_a_repository(bake_once, init_git):
    # The first commit and git's failure modes: tests/test_hooks.py.
    project = bake_once(init_git=init_git)
    assert (project.path / ".git").is_dir() == init_git


# The Design Patterns example, in each language: the code fence's language and the interface it shows.
PATTERN_EXAMPLES = {
    "Python": ("python", "class UserRepository:"),
    "TypeScript": ("typescript", "interface UserRepository {"),
    "Go": ("go", "type UserRepository interface {"),
    "Java": ("java", "public interface UserRepository {"),
    "C#": ("csharp", "public interface IUserRepository"),
    "Rust": ("rust", "pub trait UserRepository {"),
}


@pytest.mark.parametrize("language", DEFAULT_FRAMEWORK)
def test_the_design_pattern_example_is_in_the_chosen_language_and_the_rest_is_language_neutral(
        bake_once, language):
    architecture = bake_once(language=language, init_git=False).read("architecture.md")
    patterns = architecture.split("\n## Design Patterns in Use\n", 1)[1].split("\n## ", 1)[0]
    fence, declaration = PATTERN_EXAMPLES[language]
    comment = "#" if language == "Python" else "//"
    assert re.findall(r"^```(\w+)\n(.*)\n(.*)\n", patterns, re.MULTILINE) == [
        (fence, f"{comment} Example code snippet showing the pattern", declaration)
    ]
    assert re.findall(r"^```(\w+)", architecture, re.MULTILINE) == ["text", fence]  # the diagram, the example
    others = [name for name in DEFAULT_FRAMEWORK if name != language]
    mentioned = [name for name in others if re.search(rf"(?<![\w#]){re.escape(name)}(?![\w#])", architecture)]
    assert mentioned == [], "another language is named"
