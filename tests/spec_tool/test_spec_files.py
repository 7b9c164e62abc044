"""tools/spec.py: which files are specs. Every Markdown file under specs/ is accounted for: specs in
specs/features/ and its subfolders, the README, the templates, and a warning for anything else."""

from __future__ import annotations

import re
import time

import pytest

from tests.spec_tool.conftest import SPEC, TODAY, Repo, ready, ship

REFUNDS = "specs/features/payments/architecture-refunds.md"


def move(repo: Repo, source: str, target: str) -> None:
    """Move a spec as its author would: its link to the process fixed for its new folder, the index rebuilt."""
    (repo.path / target).parent.mkdir(parents=True, exist_ok=True)
    up = "../" * (target.count("/") - 1)
    repo.write(target, repo.read(source).replace("](../README.md)", f"]({up}README.md)"))
    (repo.path / source).unlink()
    repo.ok("index")


def index_rows(repo: Repo) -> list[str]:
    return re.findall(r"^(\| \[.*)$", repo.read("specs/README.md"), re.MULTILINE)


def test_a_spec_in_a_subfolder_of_specs_features_is_a_spec_like_any_other(repo):
    repo.ok("new", "Refunds", "--architecture")
    repo.ok("new", "Add an audit log")
    move(repo, "specs/features/architecture-refunds.md", REFUNDS)
    assert index_rows(repo) == [
        f"| [Add an audit log](features/add-an-audit-log.md) | Feature | Draft | Architecture Team | {TODAY} |",
        "| [Refunds](features/payments/architecture-refunds.md) (payments/) | Architecture | Draft "
        f"| Architecture Team | {TODAY} |",
    ]
    assert repo.ok("list").splitlines()[1:] == [
        f"add-an-audit-log               Feature       Draft   Architecture Team  {TODAY}",
        f"payments/architecture-refunds  Architecture  Draft   Architecture Team  {TODAY}",
    ]
    for name in ("refunds", "payments/refunds", "payments/architecture-refunds.md", REFUNDS):
        assert repo.ok("status", name, "Planned" if name != REFUNDS else "In Progress").startswith(REFUNDS), name
    repo.ok("supersede", "add-an-audit-log", "--by", "refunds")
    assert "**Superseded by**: [Refunds](payments/architecture-refunds.md)\n" in repo.read(SPEC)
    assert "**Supersedes**: [Add an audit log](../add-an-audit-log.md)\n" in repo.read(REFUNDS)
    ship(repo, REFUNDS)
    architecture = repo.read("architecture.md")
    assert f"**Reference**: [{REFUNDS}]({REFUNDS})\n" in architecture
    assert f"  - Spec: [{REFUNDS}]({REFUNDS})\n" in architecture
    assert repo.ok("check").endswith("check passed\n")
    assert repo.ok("list", "--json").count('"spec": "payments/architecture-refunds"') == 1


def test_the_same_file_name_in_two_folders_is_named_by_its_path(repo):
    repo.ok("new", "Refunds")
    text = repo.read("specs/features/refunds.md")
    (repo.path / "specs/features/payments").mkdir()
    repo.write("specs/features/payments/refunds.md", text)
    repo.ok("index")
    result = repo.spec("status", "refunds", "Planned")
    assert (result.returncode, result.stderr) == (
        2,
        'error: "refunds" names two specs, specs/features/payments/refunds.md and specs/features/refunds.md; '
        "say which by its path\n",
    )
    assert repo.ok("status", "payments/refunds", "Planned") == "specs/features/payments/refunds.md: Draft -> Planned\n"
    assert repo.ok("status", "specs/features/refunds.md", "Rejected") == (
        "specs/features/refunds.md: Draft -> Rejected\n"
    )


def test_the_architecture_prefix_is_read_in_any_case(repo):
    repo.ok("new", "Sessions", "--architecture")
    move(repo, "specs/features/architecture-sessions.md", "specs/features/Architecture-Sessions.md")
    assert repo.ok("list").splitlines()[1] == f"Architecture-Sessions  Architecture  Draft   Architecture Team  {TODAY}"
    ready(repo, "specs/features/Architecture-Sessions.md")
    assert repo.ok("implement", "sessions").splitlines()[-1] == (
        "architecture.md: Decision 2 added to Key Architectural Decisions"
    )
    assert repo.ok("check").endswith("check passed\n")


def test_a_markdown_file_under_specs_that_is_no_spec_gets_a_warning_naming_it(repo):
    repo.ok("new", "Add an audit log")
    for name in ("specs/notes.md", "specs/drafts/idea.md", "specs/templates/adr.md", "specs/features/.draft.md"):
        (repo.path / name).parent.mkdir(parents=True, exist_ok=True)
        repo.write(name, "# Notes\n")
    warning = (
        ":1: warning: not a spec (specs live in specs/features/), the README or a template; "
        "move it into specs/features/ if it is a spec, else out of specs/"
    )
    output = repo.ok("check")
    assert output.splitlines()[:3] == [
        f"specs/drafts/idea.md{warning}",
        f"specs/notes.md{warning}",
        "1 spec: 1 Draft",
    ]
    assert output.endswith("check passed\n")
    strict = repo.spec("check", "--strict")
    assert strict.returncode == 1
    assert {f"specs/drafts/idea.md{warning}", f"specs/notes.md{warning}"} < set(strict.stdout.splitlines())


def test_a_field_written_with_the_colon_inside_the_bold_reads_the_same(repo):
    repo.ok("new", "Add an audit log")
    repo.write(SPEC, repo.read(SPEC).replace("**Status**: Draft", "**Status:** Planned"))
    repo.ok("index")
    assert repo.ok("list").splitlines()[1] == f"add-an-audit-log  Feature  Planned  Architecture Team  {TODAY}"
    assert repo.ok("check").endswith("check passed\n")
    assert repo.ok("status", "add-an-audit-log", "In Progress") == f"{SPEC}: Planned -> In Progress\n"
    assert "\n**Status**: In Progress\n" in repo.read(SPEC)  # written in the tool's own style


@pytest.mark.parametrize(
    "line",
    [
        "**" + "a" * 100_000,
        "**" + "a:" * 50_000 + "*",
        "**Status" + " " * 100_000 + ":*",
        "**" + ":" * 100_000,
        "**Date" + ":" * 100_000 + " [YYYY-MM-DD",
    ],
)
def test_fields_are_read_and_stamped_in_linear_time(repo, line):
    repo.ok("new", "Add an audit log")
    repo.write(SPEC, repo.read(SPEC).replace("**Priority**", line + "\n**Priority**"))
    repo.ok("index")
    start = time.perf_counter()
    assert repo.ok("check").endswith("check passed\n")
    repo.ok("touch", SPEC, "--date", TODAY)
    assert time.perf_counter() - start < 5


def test_touch_on_a_spec_in_a_subfolder_refreshes_the_index(repo):
    repo.ok("new", "Refunds", "--architecture", "--date", "2026-03-03")
    move(repo, "specs/features/architecture-refunds.md", REFUNDS)
    assert repo.ok("touch", REFUNDS) == (
        f"{REFUNDS}: Last Updated {TODAY}\nspecs/README.md: index updated (1 spec)\n"
    )
    assert index_rows(repo)[0].endswith(f"| Architecture | Draft | Architecture Team | {TODAY} |")
    assert repo.ok("check").endswith("check passed\n")
