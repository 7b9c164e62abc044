"""Shared helpers: bake the template and look at the result the way a user would."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
import yaml

TEMPLATE = Path(__file__).resolve().parents[1]
SEED = TEMPLATE / "tests" / "data" / "architecture-seed.md"  # the seed architecture.md follows
DEFAULTS = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
UNRENDERED = ("{{", "{%", "{#", "cookiecutter.")

# What every generated project has, and what each option adds when chosen.
BASE_FILES = {
    ".editorconfig",
    ".gitattributes",
    ".gitignore",
    ".markdownlint-cli2.yaml",
    ".markdownlint.yaml",
    "README.md",
    "architecture.md",
    "specs/README.md",
    "specs/features/.gitkeep",
    "specs/templates/feature.md",
    "tools/spec.py",
}
# The slash commands of agent_commands, and where each agent keeps them.
AGENT_COMMANDS = ("spec-specify", "spec-plan", "spec-implement", "spec-log", "spec-check")
AGENT_FOLDERS = {
    "claude": (".claude/commands/", ".md"),
    "copilot": (".github/prompts/", ".prompt.md"),
    "cursor": (".cursor/commands/", ".md"),
    "gemini": (".gemini/commands/", ".toml"),
}
OPTION_FILES = {
    ("ci", "github"): {".github/workflows/architecture.yml"},
    ("ci", "gitlab"): {".gitlab-ci.yml"},
    ("pre_commit", True): {".pre-commit-config.yaml"},
    ("agents_md", True): {"AGENTS.md"},
    **{
        ("agent_commands", agent): {folder + name + suffix for name in AGENT_COMMANDS}
        for agent, (folder, suffix) in AGENT_FOLDERS.items()
    },
}
# What Gemini CLI replaces with the command's arguments: left in its files on purpose.
GEMINI_ARGUMENTS = "{{args}}"


def expected_files(**answers) -> set[str]:
    """The files a project generated with these answers has (the defaults for the others);
    agent_commands=all brings the commands of every agent."""
    chosen = {name: value[0] if isinstance(value, list) else value for name, value in DEFAULTS.items()}
    chosen.update(answers)
    files = set(BASE_FILES)
    for (option, value), paths in OPTION_FILES.items():
        if chosen[option] == value or chosen[option] == "all":
            files |= paths
    return files


def unrendered(relative: str, text: str) -> list[str]:
    """The template markers left in a generated file's text; Gemini's own placeholder is no marker."""
    if relative.startswith(AGENT_FOLDERS["gemini"][0]):
        text = text.replace(GEMINI_ARGUMENTS, "")
    return [marker for marker in UNRENDERED if marker in text]


@dataclass
class BakedProject:
    """A generated project, with the checks a user would make by eye."""

    path: Path

    def read(self, relative: str) -> str:
        return (self.path / relative).read_text(encoding="utf-8")

    def has_file(self, relative: str) -> bool:
        return (self.path / relative).is_file()

    def files(self) -> set[str]:
        """Every file, as a POSIX path relative to the project, git's own folder left out."""
        return {
            path.relative_to(self.path).as_posix()
            for path in self.path.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(self.path).parts[:1]
        }

    def spec(self, *arguments: str, cwd: Path | None = None, env: dict | None = None,
             input: str | None = None) -> subprocess.CompletedProcess:
        """Run the project's own tools/spec.py as a user would, from the project root."""
        return run(
            [sys.executable, str(self.path / "tools" / "spec.py"), *arguments],
            cwd=cwd or self.path,
            env=env,
            input=input,
        )


def import_spec_tool(project: Path, name: str = "spec_tool_under_test") -> ModuleType:
    """A project's tools/spec.py as a module, for tests that call its functions directly."""
    module_spec = importlib.util.spec_from_file_location(name, project / "tools" / "spec.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def run(command: list[str], cwd: Path, env: dict | None = None,
        input: str | None = None) -> subprocess.CompletedProcess:
    """Run a command as a user would; env adds variables to this one's, None removes one."""
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        command, cwd=cwd, env=environment, input=input, capture_output=True, text=True,
        encoding="utf-8", timeout=120, check=False,
    )


def template_files() -> list[str]:
    """The files a clone of this repository has: tracked ones and new ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=TEMPLATE, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    return [name for name in listed.split("\0") if name and (TEMPLATE / name).is_file()]


def python_tool(name: str) -> str:
    """A console script installed beside this Python, such as cookiecutter or cruft."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed: python -m pip install -r requirements-dev.txt"
    return found


def cookiecutter_command() -> str:
    return python_tool("cookiecutter")


def run_cookiecutter(*arguments: str, cwd: Path, env: dict | None = None
                     ) -> subprocess.CompletedProcess:
    return run([cookiecutter_command(), *arguments], cwd=cwd, env=env)


GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]


def only_git_on_path(folder: Path) -> str:
    """A PATH with git and nothing else (no `python`), in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    git = shutil.which("git")
    assert git, "git is not installed"
    if not (folder / Path(git).name).exists():
        (folder / Path(git).name).symlink_to(git)
    return str(folder)


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """One PRE_COMMIT_HOME for the run: pre-commit builds the local hooks' environment once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def run_local_pre_commit_hooks(repository: Path, config: Path, home: Path, *arguments: str,
                               epoch: str) -> subprocess.CompletedProcess:
    """pre-commit run with config's local hooks only, on a PATH with git alone: the local hooks must
    need no `python` command. epoch is the spec tool's now."""
    environment = {"PRE_COMMIT_HOME": str(home), "SOURCE_DATE_EPOCH": epoch, "TZ": "UTC",
                   "PATH": only_git_on_path(home.parent / "only-git")}
    return run([sys.executable, "-m", "pre_commit", "run", "--config", str(local_hooks(config, repository, home)),
                "--color", "never", *arguments], cwd=repository, env=environment)


def local_hooks(config: Path, repository: Path, home: Path) -> Path:
    """A copy of config with its local hooks only: the others are installed from the network."""
    local = yaml.safe_load(config.read_text(encoding="utf-8"))
    local["repos"] = [repo for repo in local["repos"] if repo["repo"] == "local"]
    local_config = home.parent / f"{repository.name}-local-hooks.yaml"
    local_config.write_text(yaml.safe_dump(local), encoding="utf-8")
    return local_config


@pytest.fixture
def bake(cookies):
    """bake(**answers) -> BakedProject; fails the test with cookiecutter's error if generation fails."""

    def _bake(**answers) -> BakedProject:
        result = cookies.bake(extra_context=answers)
        assert result.exit_code == 0, f"generation failed: {result.exception}"
        return BakedProject(Path(result.project_path))

    return _bake


@pytest.fixture
def project(bake) -> BakedProject:
    """A project baked with the defaults, git off (most tests do not need a repository)."""
    return bake(init_git=False)
