"""Finish the generated project: drop the files of options that are off, stamp the dates, git init.

Files the user already had (cookiecutter -f -s over an existing folder) are never changed or removed.
Values arrive as JSON so that quotes and backslashes in them stay data.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
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
# Where pre_gen_project moved the user's own copies of the files cookiecutter copies without rendering.
HELD = ".cookiecutter-held"

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


# ---- Lint only our documents

LINT_CONFIG = ".markdownlint-cli2.yaml"
# Generated documents that are the team's own when the folder had them before: not ours to lint.
TEAM_DOCUMENTS = ["README.md", "AGENTS.md"]


def lint_only_our_documents(project: Project) -> None:
    """Take the team's own README.md and AGENTS.md, kept by cookiecutter -f -s, out of the globs of a
    .markdownlint-cli2.yaml this run wrote."""
    path = project.root / LINT_CONFIG
    if project.existed_before(LINT_CONFIG) or not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    for relative in TEAM_DOCUMENTS:
        if project.is_untouched_user_file(relative):
            text = text.replace(f"\n  - {relative}\n", "\n", 1)
    load_spec_tool(project).write_atomic(path, text)


# ---- pre-commit merged into the team's own configuration

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
# The repos of the generated .pre-commit-config.yaml, as they are added to a team's own (a test keeps
# the two the same). Two spaces before each "- repo", re-indented to the team's list.
SPEC_HOOKS = """\
  # The architecture docs (cookiecutter-living-architecture): dated, checked and linted on every commit.
  - repo: local
    hooks:
      - id: spec-touch
        name: stamp Last Updated of changed documents
        entry: python tools/spec.py touch
        language: python
        files: ^(architecture\\.md|specs/features/.+\\.md)$
      - id: spec-check
        name: check specs and architecture.md
        entry: python tools/spec.py check
        language: python
        pass_filenames: false
        always_run: true
"""
MARKDOWNLINT_REPO_URL = "https://github.com/DavidAnson/markdownlint-cli2"
MARKDOWNLINT_HOOK = f"""\
  - repo: {MARKDOWNLINT_REPO_URL}
    rev: v0.24.1
    hooks:
      - id: markdownlint-cli2
        pass_filenames: false # lints the files .markdownlint-cli2.yaml lists, not every staged Markdown file
"""
REPOS_KEY = re.compile(r"^repos[ \t]*:[ \t]*(?:#.*)?$")  # nothing after it but a comment: a block list below
ANY_REPOS_KEY = re.compile(r"^(?:repos|\"repos\"|'repos')[ \t]*:")
DOCUMENT_MARKER = re.compile(r"^(?:---|\.\.\.)(?:[ \t].*)?$")
SPEC_TOOL_ENTRY = re.compile(r"^[ \t]*(?:-[ \t]+)?entry[ \t]*:[^\n]*tools/spec\.py", re.MULTILINE)


class UnsafeMerge(Exception):
    """The team's configuration has a shape a textual merge cannot be sure of."""


def add_spec_hooks_to_pre_commit(project: Project, context: dict[str, Any]) -> bool:
    """Add the spec hooks to the team's own .pre-commit-config.yaml, kept by cookiecutter -f -s; True
    if it changed. Where the merge is not safe, leave it alone and say which lines to add."""
    path = project.root / PRE_COMMIT_CONFIG
    if not context["pre_commit"] or not project.is_untouched_user_file(PRE_COMMIT_CONFIG):
        return False
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
        if SPEC_TOOL_ENTRY.search(text):
            return False  # the team runs tools/spec.py from its hooks already
        hooks = SPEC_HOOKS + ("" if MARKDOWNLINT_REPO_URL in text else MARKDOWNLINT_HOOK)
        merged = with_repos_added(text, hooks)
    except (UnicodeDecodeError, UnsafeMerge) as error:
        reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        warn(
            f"{PRE_COMMIT_CONFIG} was left as it was ({reason}). To run the spec hooks on every commit, "
            f"add these lines at the end of its top-level repos list:\n{hooks}"
        )
        return False
    load_spec_tool(project).write_atomic(path, merged)
    return True


def with_repos_added(text: str, repos: str) -> str:
    """text with repos appended to its top-level `repos:` list, its own lines, comments and line endings
    kept. Only the shapes people write: one document, one block-style repos list; UnsafeMerge otherwise."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if text.count("\r") != (text.count("\n") if newline == "\r\n" else 0):
        raise UnsafeMerge("it mixes line endings")
    lines = text.replace("\r\n", "\n").split("\n")
    content = [number for number, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    markers = [number for number in content if DOCUMENT_MARKER.match(lines[number])]
    if markers and (markers != content[:1] or lines[markers[0]].startswith("...")):
        raise UnsafeMerge("it is not a single YAML document")
    keys = [number for number in content if ANY_REPOS_KEY.match(lines[number])]
    if len(keys) != 1 or not REPOS_KEY.match(lines[keys[0]]):
        raise UnsafeMerge("it has no top-level 'repos:' key with its list on the lines below")
    indent, last = repos_list_extent(lines, keys[0])
    added = [indent + line[2:] if line else line for line in repos.rstrip("\n").split("\n")]
    merged = [*lines[: last + 1], *added, *lines[last + 1 :]]
    if merged[-1] != "":
        merged.append("")  # end with a newline
    return newline.join(merged)


def repos_list_extent(lines: list[str], key: int) -> tuple[str, int]:
    """The indentation of the items of the list under the `repos:` key at lines[key], and the list's last
    line with content (comments and blank lines after it belong to what follows)."""
    indent: str | None = None
    last = key
    for number in range(key + 1, len(lines)):
        line = lines[number]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("\t"):
            raise UnsafeMerge("it indents with tabs")
        depth, is_item = len(line) - len(stripped), stripped.startswith("- ") or stripped == "-"
        if indent is None:
            if not is_item:
                raise UnsafeMerge("its 'repos:' is not followed by a list of repositories, one '- repo:' each")
            indent = line[:depth]
        elif depth < len(indent) or (depth == len(indent) and not is_item):
            if depth > 0:
                raise UnsafeMerge("its 'repos:' list ends at a line indented unlike any key")
            break
        last = number
    if indent is None:
        raise UnsafeMerge("its 'repos:' list is empty")
    return indent, last


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


# ---- Adopted into an existing repository


def adopted_by_a_git_repository(project: Project) -> bool:
    """True when the folder was there before this run (files, or a .git of its own) and is in a git
    repository: the team's history is theirs to write."""
    if not project.files_before and not (project.root / ".git").exists():
        return False
    result = run_git(project, "rev-parse", "--is-inside-work-tree")
    return result.returncode == 0 and result.stdout.strip() == "true"


def files_outside_git(root: Path) -> list[str]:
    """Every file under root as a sorted POSIX path, git's own folder left unwalked."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != ".git"]
        found += [(Path(folder) / name).relative_to(root).as_posix() for name in files]
    return sorted(found)


def report_files_to_commit(project: Project, changed: list[str]) -> None:
    """What cookiecutter -f -s added to the team's repository, and how to commit it: their history is
    theirs to write, so nothing is committed here."""
    added = [relative for relative in files_outside_git(project.root) if not project.existed_before(relative)]
    if not added and not changed:
        return
    lines = [f"Added to {project.root.name} (a git repository already; nothing was committed):"]
    lines += [f"  {relative}" for relative in added]
    lines += [f"Changed: {relative} (the spec hooks added to its repos)" for relative in changed]
    lines += [
        f"To commit them, in {project.root}:",
        "  git add " + " ".join([*added, *changed]),
        f'  git commit -m "{INITIAL_COMMIT_MESSAGE}"',
    ]
    print("\n".join(lines))


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def run_by_cruft(context: dict[str, Any]) -> bool:
    """cruft adds the template's commit to the context, and re-runs this hook in temporary folders
    for every update and diff: a .git made there would end up in its diffs, so cruft projects are
    left for the user to put under git (the README says how)."""
    return "_commit" in context


def held_files(project: Project) -> list[str]:
    held = project.root / HELD
    return sorted(path.relative_to(held).as_posix() for path in held.rglob("*")
                  if path.is_symlink() or not path.is_dir())


def rewrote_existing_files(project: Project, held: list[str]) -> bool:
    """True when cookiecutter rewrote files the folder already had: -f without -s. Under -f -s it writes
    only what is missing, so every file the user had (the held ones aside) is as it was."""
    return any(
        (project.root / relative).exists() and not project.is_untouched_user_file(relative)
        for relative in project.files_before
        if relative not in held
    )


def put_back_held_files(project: Project) -> None:
    """cookiecutter copies tools/spec.py even under -f -s: put the user's own copy back in its place,
    the very file (bytes, mode, owner, times). Under -f alone cookiecutter rewrote every file of the
    template the folder had, and its copy stays, as its documentation says."""
    held = held_files(project)
    if not held:
        return
    keep_users = not rewrote_existing_files(project, held)
    for relative in held:
        if keep_users:
            os.replace(project.root / HELD / relative, project.root / relative)
    shutil.rmtree(project.root / HELD)


def folder_owner(project: Project) -> tuple[int, int] | None:
    """Who should own what a run as root makes: the owner of the project folder, or of the output folder
    when this run made the project folder; None when that is root too."""
    for folder in (project.root, project.root.parent):
        status = folder.stat()
        if status.st_uid != 0:
            return status.st_uid, status.st_gid
    return None


def give_new_files_to_folder_owner(project: Project) -> None:
    """Run as root (in docker, or with sudo) in a user's folder, cookiecutter, git and this hook make files
    owned by root that the user could not change: give every path this run made or replaced to the
    folder's owner. A file the user had and this run did not touch keeps its owner."""
    geteuid = getattr(os, "geteuid", None)  # not on Windows
    owner = folder_owner(project) if geteuid is not None and geteuid() == 0 else None
    if owner is None:
        return
    for path in [project.root, *project.root.rglob("*")]:
        relative = path.relative_to(project.root).as_posix()
        if path.lstat().st_uid == 0 and not project.is_untouched_user_file(relative):
            os.lchown(path, *owner)


def main() -> int:
    context = json.loads(CONTEXT_JSON)
    project = Project(Path.cwd().resolve())
    remove_unchosen_option_files(project, context)
    stamp_documents(project, context["date"])
    put_back_held_files(project)
    lint_only_our_documents(project)
    changed = [PRE_COMMIT_CONFIG] if add_spec_hooks_to_pre_commit(project, context) else []
    if adopted_by_a_git_repository(project):
        report_files_to_commit(project, changed)
    elif context["init_git"] and not run_by_cruft(context):
        init_git(project)
    give_new_files_to_folder_owner(project)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
