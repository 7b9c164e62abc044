"""Finish the generated project: drop the files of options that are off, stamp the dates, git init.

Files the user already had (cookiecutter -f -s over an existing folder) are never changed or removed.
Values arrive as JSON so that quotes and backslashes in them stay data.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

CONTEXT_JSON = r"""
{{ cookiecutter | tojson }}
"""

# Written by pre_gen_project when the folder already had files: {path: [mtime_ns, size]}.
FILES_BEFORE = ".cookiecutter-files-before.json"

# The slash commands of agent_commands (templates/agent_commands.jinja), and where each agent keeps them.
AGENT_COMMANDS = ["spec-specify", "spec-plan", "spec-implement", "spec-log", "spec-check"]
AGENT_COMMAND_FILES = {
    "claude": ".claude/commands/{}.md",
    "copilot": ".github/prompts/{}.prompt.md",
    "cursor": ".cursor/commands/{}.md",
    "gemini": ".gemini/commands/{}.toml",
}
# The files each option brings, by the option's value; the other values' files are removed.
# The value "all" keeps the files of every value.
OPTION_FILES: dict[str, dict[Any, list[str]]] = {
    "ci": {"github": [".github/workflows/architecture.yml"], "gitlab": [".gitlab-ci.yml"]},
    "pre_commit": {True: [".pre-commit-config.yaml"]},
    "agents_md": {True: ["AGENTS.md"]},
    "agent_commands": {
        agent: [pattern.format(name) for name in AGENT_COMMANDS] for agent, pattern in AGENT_COMMAND_FILES.items()
    },
}
ALL = "all"
STAMPED_DOCUMENTS = ["architecture.md"]
INITIAL_COMMIT_MESSAGE = "Start the living architecture document"


class Project:
    """The generated folder, and which of its files the user had before this run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        before = root / FILES_BEFORE
        self.files_before: dict[str, list[int]] = {}
        if before.exists():
            self.files_before = json.loads(before.read_text(encoding="utf-8"))
            before.unlink()

    def is_untouched_user_file(self, relative: str) -> bool:
        """True for a file the user had before and that this run did not overwrite."""
        previous = self.files_before.get(relative)
        if previous is None:
            return False
        path = self.root / relative
        if not path.exists():
            return False
        status = path.stat()
        return [status.st_mtime_ns, status.st_size] == previous

    def existed_before(self, relative: str) -> bool:
        """True for a file the user had before, even if this run overwrote it (-f without -s)."""
        return relative in self.files_before


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def remove_unchosen_option_files(project: Project, context: dict[str, Any]) -> None:
    for option, files_by_value in OPTION_FILES.items():
        for value, files in files_by_value.items():
            if context[option] not in (value, ALL):
                for relative in files:
                    remove_generated_file(project, relative)


def remove_generated_file(project: Project, relative: str) -> None:
    """Remove a file this run wrote, and the folders it leaves empty; never one the user had."""
    path = project.root / relative
    if project.existed_before(relative) or not path.exists():
        return
    path.unlink()
    for folder in path.parents:
        if folder == project.root or any(folder.iterdir()):
            break
        folder.rmdir()


def load_spec_tool(project: Project) -> ModuleType:
    """The generated tools/spec.py: the hook stamps dates with the very code the team will run."""
    sys.dont_write_bytecode = True  # no __pycache__ left in the new project
    location = project.root / "tools" / "spec.py"
    module_spec = importlib.util.spec_from_file_location("spec_tool", location)
    assert module_spec is not None and module_spec.loader is not None, location
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def stamp_documents(project: Project, date: str) -> None:
    spec_tool = load_spec_tool(project)
    for relative in STAMPED_DOCUMENTS:
        if not project.is_untouched_user_file(relative):
            spec_tool.stamp_file(project.root / relative, date)


def run_git(project: Project, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run git without ever raising: a failure, or a git stuck asking for input, comes back as an
    unsuccessful result for the caller to warn about."""
    command = ["git", *arguments]
    try:
        return subprocess.run(
            command,
            cwd=project.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            encoding="utf-8",  # git's messages name paths; the locale's codec may not decode them
            errors="replace",
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(command, returncode=1, stdout="", stderr=str(error))


def init_git(project: Project) -> None:
    """git init and a first commit; a missing git or identity is a warning, not a failure."""
    if shutil.which("git") is None:
        warn("git was not found, so the project is not a git repository yet; run 'git init' there.")
        return
    if (project.root / ".git").exists():
        return
    init = run_git(project, "init")
    if init.returncode != 0:
        warn(f"'git init' failed: {last_line(init)}")
        return
    run_git(project, "add", "--all")
    commit = run_git(project, "commit", "--no-verify", "--quiet", "--message", INITIAL_COMMIT_MESSAGE)
    if commit.returncode != 0:
        warn(
            f"the git repository was created but its first commit failed ({last_line(commit)}); "
            "commit the files yourself once git can (it needs user.name and user.email)."
        )


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def run_by_cruft(context: dict[str, Any]) -> bool:
    """cruft adds the template's commit to the context, and re-runs this hook in temporary folders
    for every update and diff: a .git made there would end up in its diffs, so cruft projects are
    left for the user to put under git (the README says how)."""
    return "_commit" in context


def main() -> int:
    context = json.loads(CONTEXT_JSON)
    project = Project(Path.cwd().resolve())
    remove_unchosen_option_files(project, context)
    stamp_documents(project, context["date"])
    if context["init_git"] and not run_by_cruft(context):
        init_git(project)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
