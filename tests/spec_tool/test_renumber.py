"""tools/spec.py: renumber, and the merge of two branches that both implemented a spec."""

from __future__ import annotations

import re
import time

from tests.conftest import run
from tests.spec_tool.conftest import Repo, ship

AUDIT = "specs/features/architecture-add-an-audit-log.md"
FIRST = "../../architecture.md#decision-1-keep-the-architecture-as-a-living-document-changed-through-specs"


def decision_headings(repo: Repo) -> list[str]:
    return re.findall(r"^### (Decision .*)$", repo.read("architecture.md"), re.MULTILINE)


def git(repo: Repo, *arguments: str) -> str:
    """git in the project, with a fixed identity and no user or system configuration."""
    config = repo.path.parent / "gitconfig"
    if not config.exists():
        config.write_text("[user]\n\tname = Test\n\temail = test@example.com\n[commit]\n\tgpgsign = false\n")
    environment = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.path.parent)}
    result = run(["git", *arguments], cwd=repo.path, env=environment)
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: a merge with conflicts
    return result.stdout


def keep_both_decisions(repo: Repo, branch: str, title: str) -> None:
    """Resolve architecture.md as a person keeping both sides whole would: this branch's version, with the
    other branch's decision and history entry added after this branch's own."""
    ours = git(repo, "show", "HEAD:architecture.md")
    theirs = git(repo, "show", f"{branch}:architecture.md")
    block = re.search(rf"### Decision \d+: {title}\n.*?\n---\n\n", theirs, re.DOTALL)[0]
    entry = re.search(rf"- \*\*\d{{4}}-\d\d-\d\d\*\*: {title}\n  - Spec: .*\n", theirs)[0]
    ours = ours.replace("<!-- Add decisions as they are made", block + "<!-- Add decisions as they are made", 1)
    ours = ours.replace("- **2026-03-02**: Created", entry + "- **2026-03-02**: Created", 1)
    repo.write("architecture.md", ours)


def test_a_merge_of_two_branches_that_both_implemented_a_spec_is_set_right_by_renumber(repo):
    git(repo, "init", "-q")
    git(repo, "checkout", "-q", "-b", "main")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "The project")
    git(repo, "checkout", "-q", "-b", "sessions")
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ship(repo, "move-sessions-to-redis")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "Sessions in Redis")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "audit")
    repo.ok("new", "Add an audit log", "--architecture")
    ship(repo, "add-an-audit-log")
    repo.write(
        AUDIT,
        repo.read(AUDIT).replace(
            "## Plan\n", "## Plan\n\nIt follows [its decision](../../architecture.md#decision-2-add-an-audit-log).\n"
        ),
    )
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "Audit log")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "sessions")
    merge = git(repo, "merge", "audit")
    assert "CONFLICT (content): Merge conflict in architecture.md" in merge
    conflicted = repo.snapshot()
    marker = repo.read("architecture.md").split("\n").index("<<<<<<< HEAD") + 1
    unmerged = (f"architecture.md:{marker}: git left a merge conflict here; resolve it first, keeping the entries of "
                "both sides, then run python tools/spec.py renumber if two decisions share a number")
    check = repo.spec("check")
    assert (check.returncode, check.stdout.splitlines()[0]) == (1, unmerged)
    for command in (["renumber"], ["implement", "add-an-audit-log"], ["log", "Merged"]):
        assert (repo.spec(*command).returncode, repo.spec(*command).stderr) == (1, unmerged + "\n")
    assert repo.snapshot() == conflicted

    keep_both_decisions(repo, "audit", "Add an audit log")
    git(repo, "checkout", "--ours", "specs/README.md")
    repo.ok("index")
    assert decision_headings(repo) == [
        "Decision 1: Keep the architecture as a living document changed through specs",
        "Decision 2: Move sessions to Redis",
        "Decision 2: Add an audit log",
    ]
    architecture = repo.read("architecture.md")
    second = architecture.index("### Decision 2: Add")
    check = repo.spec("check")
    assert check.returncode == 1
    assert check.stdout.splitlines()[0] == (
        f"architecture.md:{architecture[:second].count(chr(10)) + 1}: a second Decision 2 (the first is at line "
        f"{architecture[: architecture.index('### Decision 2: Move')].count(chr(10)) + 1}), as a merge leaves them; "
        "run python tools/spec.py renumber to number the decisions 1 to 3"
    )
    assert check.stdout.endswith("check failed: 1 error\n")

    assert repo.ok("renumber") == (
        f"architecture.md: Decision 2: Add an audit log -> Decision 3\n{AUDIT}: links to renumbered decisions updated\n"
    )
    assert decision_headings(repo)[2] == "Decision 3: Add an audit log"
    assert "[its decision](../../architecture.md#decision-3-add-an-audit-log)" in repo.read(AUDIT)
    assert repo.read("architecture.md") == architecture.replace("### Decision 2: Add", "### Decision 3: Add")
    assert repo.ok("check").endswith("check passed\n")
    after = repo.snapshot()
    assert repo.ok("renumber") == (
        "architecture.md: the decisions are numbered 1 to 3 already; nothing to change\n"
    )
    assert repo.snapshot() == after


def test_renumber_moves_links_and_their_decision_n_text_with_the_decisions(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    repo.ok("new", "Sessions in Postgres", "--architecture")
    repo.ok("new", "Add an audit log")
    ship(repo, "move-sessions-to-redis")
    ship(repo, "sessions-in-postgres")
    repo.ok("supersede", "move-sessions-to-redis", "--by", "sessions-in-postgres")
    architecture = repo.read("architecture.md")
    # As if another branch's decision had been merged in before them, numbered 2 as well.
    other = "### Decision 2: Run on Kubernetes\n\n**Date**: 2026-03-05\n\n**Reference**: [a plan](README.md)\n\n---\n\n"
    architecture = architecture.replace("### Decision 2: Move", other + "### Decision 2: Move", 1)
    link = "[Decision 3](#decision-3-sessions-in-postgres)"
    architecture += f"\nSee {link} and `{link}`.\n"
    repo.write("architecture.md", architecture)
    feature = "specs/features/add-an-audit-log.md"
    repo.write(
        feature,
        repo.read(feature).replace(
            "## Plan\n",
            "## Plan\n\nSee [Decision 3](../../architecture.md#decision-3-sessions-in-postgres), "
            "[why](../../architecture.md#decision-2-move-sessions-to-redis), "
            f"[the first]({FIRST}) and [a heading](#decision-3-sessions-in-postgres).\n",
        ),
    )
    repo.ok("index")
    assert repo.ok("renumber") == (
        "architecture.md: Decision 2: Move sessions to Redis -> Decision 3\n"
        "architecture.md: Decision 3: Sessions in Postgres -> Decision 4\n"
        f"{feature}: links to renumbered decisions updated\n"
    )
    assert decision_headings(repo) == [
        "Decision 1: Keep the architecture as a living document changed through specs",
        "Decision 2: Run on Kubernetes",
        "Decision 3: Move sessions to Redis",
        "Decision 4: Sessions in Postgres",
    ]
    text = repo.read("architecture.md")
    assert "**Status**: Superseded by [Decision 4](#decision-4-sessions-in-postgres)\n" in text
    assert text.endswith(f"\nSee [Decision 4](#decision-4-sessions-in-postgres) and `{link}`.\n")  # code as written
    assert (
        "See [Decision 4](../../architecture.md#decision-4-sessions-in-postgres), "
        "[why](../../architecture.md#decision-3-move-sessions-to-redis), "
        f"[the first]({FIRST}) and [a heading](#decision-3-sessions-in-postgres).\n"  # an anchor of the spec itself
    ) in repo.read(feature)
    assert repo.ok("check").endswith("check passed\n")


def test_renumber_with_no_decisions_section_changes_nothing(repo):
    architecture = repo.read("architecture.md").replace("## Key Architectural Decisions", "## Decisions")
    repo.write("architecture.md", architecture)
    before = repo.snapshot()
    assert repo.ok("renumber") == (
        "architecture.md: no decisions in Key Architectural Decisions; nothing to change\n"
    )
    assert repo.snapshot() == before


def test_a_decision_anchor_is_the_one_github_gives_its_heading(repo):
    from tests.spec_tool.conftest import in_process_tool

    tool = in_process_tool(repo.path)
    assert tool.heading_anchor("Decision 3: Keep sessions in Postgres") == "decision-3-keep-sessions-in-postgres"
    assert tool.heading_anchor("Decision 4: Use `gRPC` & HTTP/2 (v1.2)!") == "decision-4-use-grpc--http2-v12"
    assert tool.heading_anchor("Decision 5: Café \\*naïve\\* under_score") == "decision-5-café-naïve-under_score"
    # new writes a heading's trailing punctuation as a character reference; the heading shows the character
    assert tool.heading_anchor("Decision 6: Use Postgres everywhere&#46;") == "decision-6-use-postgres-everywhere"


def test_renumber_reads_a_long_hostile_heading_in_linear_time(repo):
    architecture = repo.read("architecture.md")
    hostile = "### Decision 7" + " " * 60_000 + "x" + " \t" * 30_000 + "#\n\n" + "[" * 20_000 + "](#" + "\n"
    repo.write("architecture.md", architecture.replace("<!-- Add decisions", hostile + "\n<!-- Add decisions", 1))
    start = time.perf_counter()
    output = repo.ok("renumber")
    assert time.perf_counter() - start < 5
    assert output.startswith("architecture.md: Decision 7 ")
    assert repo.read("architecture.md").count("### Decision 2 ") == 1


def test_conflict_markers_shown_in_a_code_block_are_text(repo):
    repo.write("architecture.md", repo.read("architecture.md").replace(
        "## References\n", "## References\n\n```text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n```\n\n", 1))
    assert repo.ok("check").endswith("check passed\n")
