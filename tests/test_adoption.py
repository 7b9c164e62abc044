"""Adopt in place: `cookiecutter -f -s` into a team's existing repository, as the README shows it.

The team's files stay theirs, nothing is committed for them, their pre-commit configuration gains the spec
hooks, and our lint never reads their Markdown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import re
import shlex
import time
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import (
    GIT,
    TEMPLATE,
    expected_files,
    run,
    run_cookiecutter,
    run_local_pre_commit_hooks,
)
from tests.test_bad_input import SLUG_RULE
from tests.test_ecosystem import markdownlint_cli2

DATE = "2026-03-02"
INITIAL_COMMIT_MESSAGE = "Start the living architecture document"
FOLDER_RULE = (
    "use a folder name that is safe on every system: at most 100 characters, no control characters and none "
    "of < > : \" / \\ | ? *, not ending with '.' or a space, not con, prn, aux, nul, com1-9 or lpt1-9."
)

TEAM_PRE_COMMIT = """\
# Hooks for the order service. pre-commit.ci runs them on every pull request too.
default_language_version:
  golang: 1.22.4

repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace  # keeps diffs readable
      - id: check-yaml
        args: [--allow-multiple-documents]
  # Go
  - repo: https://github.com/golangci/golangci-lint
    rev: v1.59.1
    hooks:
      - id: golangci-lint

# Let pre-commit.ci open no pull requests of its own.
ci:
  autofix_prs: false
"""
SPEC_HOOKS_ADDED = """\
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
  - repo: https://github.com/DavidAnson/markdownlint-cli2
    rev: v0.24.1
    hooks:
      - id: markdownlint-cli2
        pass_filenames: false # lints the files .markdownlint-cli2.yaml lists, not every staged Markdown file
"""
TOOL = (TEMPLATE / "{{cookiecutter.__project_dir}}" / "tools" / "spec.py").read_text(encoding="utf-8")
SERVICE = {
    "README.md": "# OrderService\n\nTakes orders and hands them to fulfilment.\n",
    "CHANGELOG.md": "# Changelog\n## 1.1.0\n* Orders can be cancelled\n## 1.0.0\n* First release\n",
    "docs/runbook.md": "# Runbook\nRestart it:\n```\nkubectl rollout restart deploy/orders\n```\n",
    ".pre-commit-config.yaml": TEAM_PRE_COMMIT,
    ".gitignore": "/bin/\n*.out\n",
    ".github/workflows/go.yml": "name: Go\non: [push]\njobs: {}\n",
    "go.mod": "module example.com/orderservice\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
    "main.go": "package main\n\nfunc main() {}\n",
    "docker-compose.yml": "services:\n  cache:\n    image: redis:7\n",
    # A copy of the spec tool the team has edited: cookiecutter replaces it under -f -s for now (it copies
    # _copy_without_render files whatever -s says); keeping it is the hooks' part, so the byte-for-byte
    # checks below leave it out until then.
    "tools/spec.py": TOOL.replace('"""The spec tool:', '"""Our copy of the spec tool:', 1),
}
# What the default answers add beside the team's files.
ADDED = sorted(expected_files() - set(SERVICE))


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A HOME of the test's own: cookiecutter's replay files go there, and no user git config is read."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def git(repository: Path, *arguments: str) -> str:
    result = run([*GIT, *arguments], cwd=repository)
    assert result.returncode == 0, result.stderr
    return result.stdout


def write_files(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(text.encode("utf-8"))


@pytest.fixture
def service(tmp_path, home) -> Path:
    """A Go service with two commits of history, its own README, CHANGELOG, CI and pre-commit hooks."""
    repository = tmp_path / "src" / "OrderService"
    repository.mkdir(parents=True)
    git(repository, "init", "-q")
    write_files(repository, {name: text for name, text in SERVICE.items() if name != "CHANGELOG.md"})
    git(repository, "add", "--all")
    git(repository, "commit", "-q", "-m", "First release")
    write_files(repository, {"CHANGELOG.md": SERVICE["CHANGELOG.md"]})
    git(repository, "add", "--all")
    git(repository, "commit", "-q", "-m", "Keep a changelog")
    return repository


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*")
            if path.is_file() and path.relative_to(root).parts[0] != ".git"}


def readme_adoption_command(template: str, parent: Path) -> list[str]:
    """The command of the README's "Add to an existing repository", for this template and parent folder."""
    readme = (TEMPLATE / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Add to an existing repository\n", 1)[1]
    command = re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1].replace("\\\n", " ")
    words = shlex.split(command)
    assert words[:3] == ["cookiecutter", "-f", "-s"], command
    replaced = {"gh:<owner>/cookiecutter-living-architecture": template, "~/src": str(parent)}
    return [replaced.get(word, word) for word in words[1:]]


def adopt(service: Path, *answers: str, runner=run_cookiecutter):
    command = readme_adoption_command(str(TEMPLATE), service.parent)
    assert "project_slug=OrderService" in command
    return runner("--no-input", *command, f"date={DATE}", *answers, cwd=service.parent.parent)


@pytest.fixture
def adopt_in_process(cookiecutter_cli):
    """adopt, with the cookiecutter command's code run in this process (its hooks too)."""
    return lambda service, *answers: adopt(service, *answers, runner=cookiecutter_cli)


def commit_report(folder: Path, added: list[str], changed: list[str]) -> str:
    lines = [f"Added to {folder.name} (a git repository already; nothing was committed):"]
    lines += [f"  {relative}" for relative in added]
    lines += [f"Changed: {relative} (the spec hooks added to its repos)" for relative in changed]
    lines += [f"To commit them, in {folder}:", "  git add " + " ".join([*added, *changed]),
              f'  git commit -m "{INITIAL_COMMIT_MESSAGE}"']
    return "\n".join(lines) + "\n"


def test_adopting_adds_the_docs_beside_every_file_the_team_had(service):
    before = snapshot(service)
    head = git(service, "rev-parse", "HEAD")

    result = adopt(service)

    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout == commit_report(service, ADDED, [".pre-commit-config.yaml"])
    after = snapshot(service)
    assert sorted(set(after) - set(before)) == ADDED
    kept = set(before) - {".pre-commit-config.yaml"}
    assert {name: after[name] for name in kept} == {name: before[name] for name in kept}
    assert git(service, "rev-parse", "HEAD") == head  # no commit, no new repository
    assert git(service, "rev-list", "--count", "HEAD") == "2\n"
    status = set(git(service, "status", "--porcelain", "--untracked-files=all").splitlines())
    assert status == {f"?? {name}" for name in ADDED} | {" M .pre-commit-config.yaml"}
    architecture = (service / "architecture.md").read_text(encoding="utf-8")
    assert architecture.startswith("# Architecture: Order Service\n")
    assert f"**Last Updated**: {DATE}\n" in architecture


def test_the_team_pre_commit_config_gains_the_spec_hooks_and_keeps_its_own(service, adopt_in_process, pre_commit_cli):
    assert adopt_in_process(service).returncode == 0
    merged = (service / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    end_of_list = "      - id: golangci-lint\n"
    assert merged == TEAM_PRE_COMMIT.replace(end_of_list, end_of_list + SPEC_HOOKS_ADDED, 1)
    result = pre_commit_cli("validate-config", ".pre-commit-config.yaml", cwd=service)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    config = yaml.safe_load(merged)
    assert [repo["repo"] for repo in config["repos"]] == [
        "https://github.com/pre-commit/pre-commit-hooks", "https://github.com/golangci/golangci-lint",
        "local", "https://github.com/DavidAnson/markdownlint-cli2",
    ]
    assert config["ci"] == {"autofix_prs": False}


def test_after_the_printed_commit_the_local_hooks_pass_and_re_date_nothing(service, adopt_in_process, pre_commit_home):
    result = adopt_in_process(service)
    *_, add, commit = result.stdout.splitlines()
    git(service, *shlex.split(add)[1:])
    git(service, *shlex.split(commit)[1:])
    assert git(service, "status", "--porcelain") == ""
    assert git(service, "log", "-1", "--format=%s") == f"{INITIAL_COMMIT_MESSAGE}\n"

    a_week_later = str(int(dt.datetime.fromisoformat("2026-03-09T12:00:00+00:00").timestamp()))
    hooks = run_local_pre_commit_hooks(service, service / ".pre-commit-config.yaml", pre_commit_home,
                                       "--all-files", epoch=a_week_later)
    output = hooks.stdout + hooks.stderr
    assert hooks.returncode == 0, output
    assert re.search(r"^stamp Last Updated of changed documents\.+Passed$", output, re.MULTILINE), output
    assert re.search(r"^check specs and architecture\.md\.+Passed$", output, re.MULTILINE), output
    assert git(service, "status", "--porcelain") == ""


def test_markdownlint_lints_our_documents_and_not_the_team_markdown(service, adopt_in_process):
    assert adopt_in_process(service).returncode == 0
    config = yaml.safe_load((service / ".markdownlint-cli2.yaml").read_text(encoding="utf-8"))
    assert config["globs"] == ["architecture.md", "specs/**/*.md", "AGENTS.md"]  # their README is theirs
    result = markdownlint_cli2(cwd=service)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Linting: 4 files\n" in output, output  # architecture.md, two in specs/, AGENTS.md
    findings = markdownlint_cli2("CHANGELOG.md", "docs/runbook.md", cwd=service)
    assert findings.returncode == 1  # the team's Markdown has findings, and they are not ours


def test_the_team_agents_md_is_kept_and_not_linted(service, adopt_in_process):
    write_files(service, {"AGENTS.md": "# Agents\nOur own notes.\n"})
    assert adopt_in_process(service).returncode == 0
    assert (service / "AGENTS.md").read_text(encoding="utf-8") == "# Agents\nOur own notes.\n"
    config = yaml.safe_load((service / ".markdownlint-cli2.yaml").read_text(encoding="utf-8"))
    assert config["globs"] == ["architecture.md", "specs/**/*.md"]


def test_adopting_a_service_folder_of_a_monorepo_makes_no_repository_of_its_own(tmp_path, home, cookiecutter_cli):
    monorepo = tmp_path / "platform"
    folder = monorepo / "services" / "Billing API"
    write_files(folder, {"main.go": "package main\n"})
    git(monorepo, "init", "-q")
    git(monorepo, "add", "--all")
    git(monorepo, "commit", "-q", "-m", "Billing")
    result = cookiecutter_cli("-f", "-s", "--no-input", str(TEMPLATE), "-o", str(folder.parent),
                              "project_slug=Billing API", "pre_commit=false", "agents_md=false", "ci=none",
                              "agent_commands=none", f"date={DATE}", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    added = sorted(expected_files(pre_commit=False, agents_md=False, ci="none", agent_commands="none"))
    assert result.stdout == commit_report(folder, added, [])
    assert not (folder / ".git").exists()
    assert git(monorepo, "rev-list", "--count", "HEAD") == "1\n"


def test_a_second_run_changes_nothing_and_has_nothing_to_commit(service, adopt_in_process):
    assert adopt_in_process(service).returncode == 0
    before = snapshot(service)
    again = adopt_in_process(service, "date=2026-03-09")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert snapshot(service) == before


def test_adopting_an_empty_git_repository_commits_nothing(tmp_path, home, cookiecutter_cli):
    folder = tmp_path / "NewService"
    folder.mkdir()
    git(folder, "init", "-q")
    result = cookiecutter_cli("-f", "-s", "--no-input", str(TEMPLATE), "project_slug=NewService", f"date={DATE}",
                              cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    generated = sorted(expected_files())
    assert result.stdout == commit_report(folder, generated, [])
    assert run(["git", "rev-parse", "--verify", "HEAD"], cwd=folder).returncode != 0


@pytest.mark.parametrize("name", ["OrderService", "Order Service", "orders.API_v2", "Zürich-Payments"])
def test_an_existing_folder_is_accepted_whatever_its_case(tmp_path, home, name, cookiecutter_cli):
    folder = tmp_path / name
    write_files(folder, {"main.go": "package main\n"})
    result = cookiecutter_cli("-f", "-s", "--no-input", str(TEMPLATE), f"project_slug={name}",
                              "init_git=false", f"date={DATE}", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert (folder / "architecture.md").is_file()
    assert (folder / "main.go").read_text(encoding="utf-8") == "package main\n"


def test_a_new_folder_still_takes_a_lowercase_slug(tmp_path, home, cookiecutter_cli):
    result = cookiecutter_cli("--no-input", str(TEMPLATE), "project_slug=OrderService", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: project_slug='OrderService' is not valid: {SLUG_RULE}"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home"]


def tree(root: Path) -> dict[str, bytes | None]:
    return {path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
            for path in sorted(root.rglob("*")) if "home" not in path.relative_to(root).parts[:1]}


@pytest.mark.parametrize(("slug", "rule"), [
    ("Aux", FOLDER_RULE),  # an existing folder, but a name Windows reserves
    ("COM1.orders", FOLDER_RULE),
    ("..", SLUG_RULE),
    (".", SLUG_RULE),
    ("../OrderService", SLUG_RULE),
    ("OrderService/..", SLUG_RULE),
    ("C:OrderService", SLUG_RULE),
    ("Order Service ", SLUG_RULE),
    ("Order\tService", SLUG_RULE),
    ("Order|Service", SLUG_RULE),
])
def test_adopting_refuses_an_unsafe_name_and_changes_nothing(tmp_path, home, slug, rule, cookiecutter_cli):
    parent = tmp_path / "src"
    for name in ("OrderService", "Aux", "COM1.orders"):
        write_files(parent / name, {"README.md": f"# {name}\n"})
    before = tree(tmp_path)
    result = cookiecutter_cli("-f", "-s", "--no-input", str(TEMPLATE), "-o", str(parent), f"project_slug={slug}",
                              cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: project_slug={slug!r} is not valid: {rule}"]
    assert tree(tmp_path) == before


def test_an_unsafe_slug_is_refused_even_beside_a_folder_named_like_the_fallback(tmp_path, home, cookiecutter_cli):
    """cookiecutter.json sends an unsafe slug to a folder named invalid-project-slug; one that exists
    already with files is an existing folder, so the slug must pass the existing-folder rule: it cannot."""
    parent = tmp_path / "src"
    write_files(parent / "invalid-project-slug", {"README.md": "# Ours\n"})
    before = tree(tmp_path)
    result = cookiecutter_cli("-f", "-s", "--no-input", str(TEMPLATE), "-o", str(parent),
                              "project_slug=../OrderService", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: project_slug='../OrderService' is not valid: {FOLDER_RULE}"]
    assert tree(tmp_path) == before


def test_a_pre_commit_config_that_cannot_be_merged_safely_is_left_alone_with_the_lines_to_add(
        service, adopt_in_process):
    flow = "repos: [{repo: local, hooks: [{id: go-vet, name: vet, entry: go vet, language: system}]}]\n"
    write_files(service, {".pre-commit-config.yaml": flow})
    result = adopt_in_process(service)
    assert result.returncode == 0, result.stderr
    assert (service / ".pre-commit-config.yaml").read_text(encoding="utf-8") == flow
    assert result.stderr == (
        "warning: .pre-commit-config.yaml was left as it was (it has no top-level 'repos:' key with its "
        "list on the lines below). To run the spec hooks on every commit, add these lines at the end of its "
        f"top-level repos list:\n{SPEC_HOOKS_ADDED}\n"
    )
    assert "Changed:" not in result.stdout


# ---------------------------------------------------------------------------------------------
# The textual merge, shape by shape, in-process


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    """hooks/post_gen_project.py as it is in the template: valid Python before rendering."""
    module_spec = importlib.util.spec_from_file_location("post_gen_project", TEMPLATE / "hooks" / "post_gen_project.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def test_the_hooks_added_are_those_of_the_generated_config(hook, bake):
    generated = bake(init_git=False).read(".pre-commit-config.yaml")
    assert hook.SPEC_HOOKS + hook.MARKDOWNLINT_HOOK == SPEC_HOOKS_ADDED
    ours = yaml.safe_load(generated)["repos"]
    assert yaml.safe_load("repos:\n" + SPEC_HOOKS_ADDED)["repos"] == ours
    assert SPEC_HOOKS_ADDED.split("\n", 1)[1] in generated  # the same lines, comments included


MERGEABLE = {
    "indented list, keys after it": TEAM_PRE_COMMIT,
    "list at column 0": "repos:\n- repo: https://github.com/psf/black\n  rev: 24.4.2\n  hooks:\n  - id: black\n",
    "no newline at the end": "repos:\n    - repo: meta\n      hooks:\n          - id: check-useless-excludes",
    "Windows line endings": "# ours\r\nrepos:\r\n  - repo: meta\r\n    hooks:\r\n      - id: identity\r\n",
    "document marker, comments after the list": (
        "---\nfail_fast: true\nrepos:  # all of them\n  - repo: meta\n    hooks: [{id: identity}]\n"
        "  # - repo: https://example.com/disabled\n\n# the end\n"
    ),
    "nested block scalar": (
        "repos:\n  - repo: local\n    hooks:\n      - id: say\n        name: say\n        language: system\n"
        "        entry: |\n          echo one\n          echo two\nexclude: ^vendor/\n"
    ),
}


@pytest.mark.parametrize("shape", MERGEABLE)
def test_a_config_of_a_common_shape_keeps_every_line_and_gains_the_hooks(hook, shape):
    original = MERGEABLE[shape]
    merged = hook.with_repos_added(original, SPEC_HOOKS_ADDED)
    before, after = yaml.safe_load(original), yaml.safe_load(merged)
    assert after["repos"] == before["repos"] + yaml.safe_load("repos:\n" + SPEC_HOOKS_ADDED)["repos"]
    assert {k: v for k, v in after.items() if k != "repos"} == {k: v for k, v in before.items() if k != "repos"}
    if "\r\n" in original:
        assert merged.count("\n") == merged.count("\r\n")
    else:
        assert "\r" not in merged
    original_lines = original.replace("\r\n", "\n").rstrip("\n").split("\n")
    merged_lines = merged.replace("\r\n", "\n").rstrip("\n").split("\n")
    block = [line.strip() for line in SPEC_HOOKS_ADDED.rstrip("\n").split("\n")]
    assert [  # the hooks are one block of lines; without it, the file is as it was
        start for start in range(len(merged_lines))
        if [line.strip() for line in merged_lines[start : start + len(block)]] == block
        and merged_lines[:start] + merged_lines[start + len(block) :] == original_lines
    ], merged


def test_a_merged_config_of_every_common_shape_passes_pre_commit_validate_config(hook, tmp_path, pre_commit_cli):
    for number, original in enumerate(MERGEABLE.values()):
        path = tmp_path / f"config-{number}.yaml"
        path.write_bytes(hook.with_repos_added(original, SPEC_HOOKS_ADDED).encode("utf-8"))
    result = pre_commit_cli("validate-config", *sorted(str(path) for path in tmp_path.iterdir()), cwd=tmp_path)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


class IndentedDumper(yaml.SafeDumper):
    """Writes a list under a key indented, as most people do; SafeDumper writes it at the key's column."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
CONFIGS = st.fixed_dictionaries(
    {"repos": st.lists(st.fixed_dictionaries({
        "repo": st.sampled_from(["local", "meta", "https://github.com/psf/black", "https://example.com/a b"]),
        "hooks": st.lists(st.fixed_dictionaries({"id": NAMES}, optional={
            "args": st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=8),
                             max_size=2),
            "exclude": st.just("^vendor/"),
        }), min_size=1, max_size=3),
    }, optional={"rev": st.sampled_from(["v1.0.0", "24.4.2", "1.0"])}), min_size=1, max_size=4)},
    optional={"fail_fast": st.booleans(), "exclude": st.just("^third_party/"),
              "default_stages": st.just(["pre-commit"])},
)


@settings(max_examples=100, deadline=None)
@given(config=CONFIGS, indented=st.booleans(), indent=st.integers(2, 4),
       comments=st.lists(st.integers(0, 60), max_size=4), crlf=st.booleans())
def test_any_block_style_config_merges_to_its_own_repos_then_ours(hook, config, indented, indent, comments, crlf):
    text = yaml.dump(config, Dumper=IndentedDumper if indented else yaml.SafeDumper, indent=indent,
                     default_flow_style=False, sort_keys=False, allow_unicode=True)
    lines = text.split("\n")
    for position in comments:  # a comment line may stand anywhere in block style
        lines.insert(min(position, len(lines) - 1), "# a comment of the team's")
    text = "\n".join(lines).replace("\n", "\r\n" if crlf else "\n")
    merged = yaml.safe_load(hook.with_repos_added(text, SPEC_HOOKS_ADDED))
    assert merged == {**config, "repos": config["repos"] + yaml.safe_load("repos:\n" + SPEC_HOOKS_ADDED)["repos"]}


REFUSED = {
    "flow list": ("repos: []\n", "it has no top-level 'repos:' key with its list on the lines below"),
    "no repos": ("default_stages: [pre-commit]\n", "it has no top-level 'repos:' key with its list on the lines below"),
    "quoted key": ('"repos":\n  - repo: meta\n    hooks: []\n',
                   "it has no top-level 'repos:' key with its list on the lines below"),
    "two repos keys": ("repos:\n- repo: meta\n  hooks: []\nrepos:\n- repo: meta\n  hooks: []\n",
                       "it has no top-level 'repos:' key with its list on the lines below"),
    "nested repos only": ("ci:\n  repos:\n    - x\n",
                          "it has no top-level 'repos:' key with its list on the lines below"),
    "empty list": ("repos:\n# none yet\nfail_fast: true\n",
                   "its 'repos:' is not followed by a list of repositories, one '- repo:' each"),
    "nothing below": ("repos:\n", "its 'repos:' list is empty"),
    "two documents": ("repos:\n- repo: meta\n  hooks: []\n---\nrepos: []\n", "it is not a single YAML document"),
    "document end": ("repos:\n- repo: meta\n  hooks: []\n...\n", "it is not a single YAML document"),
    "tabs": ("repos:\n\t- repo: meta\n", "it indents with tabs"),
    "mixed line endings": ("repos:\r\n- repo: meta\n  hooks: []\r\n", "it mixes line endings"),
    "odd indentation": ("repos:\n    - repo: meta\n      hooks: []\n  fail_fast: true\n",
                        "its 'repos:' list ends at a line indented unlike any key"),
}


@pytest.mark.parametrize("shape", REFUSED)
def test_a_config_of_another_shape_is_refused_with_the_reason(hook, shape):
    text, reason = REFUSED[shape]
    with pytest.raises(hook.UnsafeMerge) as refused:
        hook.with_repos_added(text, SPEC_HOOKS_ADDED)
    assert str(refused.value) == reason


def test_a_config_that_has_the_spec_hooks_already_is_left_alone(service, adopt_in_process):
    wired = TEAM_PRE_COMMIT.replace("      - id: golangci-lint\n", "      - id: golangci-lint\n" + SPEC_HOOKS_ADDED)
    write_files(service, {".pre-commit-config.yaml": wired})
    result = adopt_in_process(service)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert (service / ".pre-commit-config.yaml").read_text(encoding="utf-8") == wired
    assert "Changed:" not in result.stdout


def test_a_hook_of_the_team_that_shares_a_name_with_ours_does_not_stop_the_merge(service, adopt_in_process):
    theirs = TEAM_PRE_COMMIT.replace("      - id: check-yaml\n", "      - id: spec-check  # OpenAPI\n", 1)
    write_files(service, {".pre-commit-config.yaml": theirs})
    result = adopt_in_process(service)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    end_of_list = "      - id: golangci-lint\n"
    merged = (service / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert merged == theirs.replace(end_of_list, end_of_list + SPEC_HOOKS_ADDED, 1)


def test_a_team_that_runs_markdownlint_already_gets_the_local_hooks_only(service, adopt_in_process):
    theirs = TEAM_PRE_COMMIT.replace(
        "  # Go\n", "  - repo: https://github.com/DavidAnson/markdownlint-cli2\n    rev: v0.13.0\n"
        "    hooks:\n      - id: markdownlint-cli2\n  # Go\n")
    write_files(service, {".pre-commit-config.yaml": theirs})
    assert adopt_in_process(service).returncode == 0
    merged = (service / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    local_only = SPEC_HOOKS_ADDED.split("  - repo: https://github.com/DavidAnson", maxsplit=1)[0]
    end_of_list = "      - id: golangci-lint\n"
    assert merged == theirs.replace(end_of_list, end_of_list + local_only, 1)


def test_the_merge_patterns_take_linear_time_on_hostile_configs(hook):
    hostile = [
        "repos:\n" + " " * 200_000 + "x\n",
        "repos:\n- " + "id:" * 100_000 + "\n",
        "repos:\n  - entry: " + "tools/spec" * 50_000 + "\n",
        ("  " + " \t" * 50_000 + "\n") * 4,
        "-" * 200_000 + "\n" + "." * 200_000 + "\n",
        "repos:\n" + "  - id:   \n" * 50_000,
    ]
    start = time.perf_counter()
    for text in hostile:
        hook.SPEC_TOOL_ENTRY.search(text)
        with contextlib.suppress(hook.UnsafeMerge):
            hook.with_repos_added(text, SPEC_HOOKS_ADDED)
    assert time.perf_counter() - start < 1.0
