"""A generated repo follows the template as it improves, with cruft, and keeps what its team wrote.

The template is a local git repository at two commits: this template as it is now, and a later version
that adds a section to architecture.md and edits specs/README.md. No network is needed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TEMPLATE, python_tool, run, template_files

# cruft stores the answers, `date` among them, in .cruft.json and renders the template again from them
# on every update and diff. Creating west of UTC and updating east of it puts "today" on different
# dates, so any date the template computed instead of reading from the answers would show up.
CREATE_TZ = "Etc/GMT+12"
UPDATE_TZ = "Etc/GMT-14"

NEW_SECTION = "## Glossary\n\n- **[Term]**: [What it means in this system]\n\n"
NEW_SENTENCE = "Every spec has exactly one status, kept in its **Status** field.\n\n"
USER_PARAGRAPH = "Card payments settle nightly in a batch run by the finance team."
USER_LIBRARY = "- Pydantic for request validation"
PLACEHOLDER = "- [List critical dependencies]"


class Workspace:
    """Where the template repository and the generated project live, with git and cruft set up
    the same on every machine: a fixed identity, no user or system git configuration."""

    def __init__(self, root: Path) -> None:
        self.root = root
        git_config = root / "gitconfig"
        git_config.write_text(
            "[user]\n\tname = Test\n\temail = test@example.com\n"
            "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n",
            encoding="utf-8",
        )
        (root / "home").mkdir()
        self.environment = {
            "GIT_CONFIG_GLOBAL": str(git_config),
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(root / "home"),
        }

    def run(self, *command: str, cwd: Path, tz: str = UPDATE_TZ) -> subprocess.CompletedProcess:
        return run(list(command), cwd=cwd, env={**self.environment, "TZ": tz})

    def git(self, *arguments: str, cwd: Path) -> str:
        result = self.run("git", *arguments, cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.strip()

    def cruft(self, *arguments: str, cwd: Path, tz: str = UPDATE_TZ) -> subprocess.CompletedProcess:
        return self.run(python_tool("cruft"), *arguments, cwd=cwd, tz=tz)

    def commit_all(self, repository: Path, message: str) -> str:
        self.git("add", "--all", cwd=repository)
        self.git("commit", "-q", "-m", message, cwd=repository)
        return self.git("rev-parse", "HEAD", cwd=repository)


def template_folder(repository: Path) -> Path:
    return next(path for path in repository.iterdir() if path.is_dir() and path.name.startswith("{{"))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture
def template(workspace) -> tuple[Path, str, str]:
    """The template repository and its two commits: (path, old, new)."""
    repository = workspace.root / "cookiecutter-living-architecture"
    for name in template_files():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE / name, repository / name)
    workspace.git("init", "-q", cwd=repository)
    old = workspace.commit_all(repository, "The template as it is")
    folder = template_folder(repository)
    replace_once(folder / "architecture.md", "## References\n", NEW_SECTION + "## References\n")
    replace_once(folder / "specs" / "README.md", "## Statuses\n\n", "## Statuses\n\n" + NEW_SENTENCE)
    new = workspace.commit_all(repository, "Add a glossary; say that a spec has one status")
    return repository, old, new


def test_cruft_update_brings_template_changes_and_keeps_the_users_edits(workspace, template):
    """One user's story: create at the old commit, commit, edit, update to the new commit, diff."""
    repository, old, new = template

    # cruft create, with every default answer, at the old commit
    created = workspace.cruft("create", str(repository), "--checkout", old, "--no-input",
                              "--output-dir", str(workspace.root / "projects"),
                              cwd=workspace.root, tz=CREATE_TZ)
    assert created.returncode == 0, created.stdout + created.stderr
    project = workspace.root / "projects" / "my-project"
    recorded = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert recorded["commit"] == old
    date = recorded["context"]["cookiecutter"]["date"]
    architecture = project / "architecture.md"
    assert f"**Last Updated**: {date}\n" in architecture.read_text(encoding="utf-8")
    workspace.git("init", "-q", cwd=project)
    workspace.commit_all(project, "Generated with cruft")

    # cruft check sees that the template has moved on
    check = workspace.cruft("check", cwd=project)
    assert check.returncode == 1, check.stdout + check.stderr

    # the team fills a placeholder and adds a paragraph
    replace_once(architecture, PLACEHOLDER, USER_LIBRARY)
    replace_once(architecture, "### Visual Architecture\n", f"{USER_PARAGRAPH}\n\n### Visual Architecture\n")
    workspace.commit_all(project, "Fill in the libraries and how payments settle")

    # cruft update: the template's changes arrive, the team's edits stay, nothing is rejected
    update = workspace.cruft("update", "--skip-apply-ask", cwd=project)
    assert update.returncode == 0, update.stdout + update.stderr
    assert not list(project.rglob("*.rej")) and not list(project.rglob("*.orig"))
    changed = workspace.run("git", "status", "--porcelain", cwd=project).stdout
    assert sorted(line.split()[-1] for line in changed.splitlines()) == [
        ".cruft.json", "architecture.md", "specs/README.md"]
    text = architecture.read_text(encoding="utf-8")
    assert USER_LIBRARY in text and PLACEHOLDER not in text
    assert f"\n{USER_PARAGRAPH}\n" in text
    assert f"\n{NEW_SECTION}## References\n" in text
    assert NEW_SENTENCE in (project / "specs" / "README.md").read_text(encoding="utf-8")
    recorded = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert (recorded["commit"], recorded["context"]["cookiecutter"]["date"]) == (new, date)
    workspace.commit_all(project, "Update from the template")

    # up to date now; against the template it follows, the project differs by the team's edits only
    check = workspace.cruft("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    diff = workspace.cruft("diff", "--exit-code", cwd=project)
    assert diff.returncode == 1, diff.stdout + diff.stderr
    files = [line.split()[-1] for line in diff.stdout.splitlines() if line.startswith("diff --git")]
    assert files == ["upstream-template-new/architecture.md"], diff.stdout
    changed_lines = [line for line in diff.stdout.splitlines()
                     if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    # cruft diffs the project (-) against the template's rendering (+)
    assert sorted(changed_lines) == sorted([f"-{USER_PARAGRAPH}", "-", f"-{USER_LIBRARY}", f"+{PLACEHOLDER}"])
