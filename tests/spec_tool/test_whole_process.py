"""tools/spec.py: whole process."""

from __future__ import annotations

from tests.spec_tool.conftest import decision, recorded


def assert_clean_markdown(text: str, name: str) -> None:
    """What markdownlint would object to first in what the tool writes."""
    lines = text.split("\n")
    assert text.endswith("\n") and not text.endswith("\n\n"), name
    in_code = False
    for number, line in enumerate(lines[:-1]):
        where = f"{name}:{number + 1}"
        if line.startswith("```"):
            in_code = not in_code
        if in_code or line.startswith("```"):
            continue
        assert line == line.rstrip(), f"{where}: trailing whitespace"
        assert not (line == "" and number and lines[number - 1] == ""), f"{where}: two blank lines"
        if line.startswith("#"):
            assert number == 0 or lines[number - 1] == "", f"{where}: no blank line before a heading"
            assert lines[number + 1] == "", f"{where}: no blank line after a heading"
        if line.startswith("|") and not lines[number - 1].startswith("|"):
            assert lines[number - 1] == "", f"{where}: no blank line before a table"
        if line.startswith("* ") or line.startswith("+ "):
            raise AssertionError(f"{where}: a bullet that is not '-'")


def test_the_whole_process_end_to_end(repo):
    architecture = repo.read("architecture.md")
    sessions = repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-03").strip()
    postgres = repo.ok("new", "Keep sessions in Postgres", "--architecture", "--date", "2026-03-03").strip()
    repo.ok("status", "move-sessions-to-redis", "Planned", "--date", "2026-03-04")
    repo.ok("status", "move-sessions-to-redis", "In Progress", "--date", "2026-03-05")
    repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-06")
    repo.ok("implement", "keep-sessions-in-postgres", "--date", "2026-03-08")
    repo.ok(
        "supersede", "move-sessions-to-redis", "--by", "keep-sessions-in-postgres", "--date", "2026-03-09"
    )
    placeholder_context = "[What problem does this change solve, for whom, and why now?]"
    assert repo.read("architecture.md") == recorded(
        architecture,
        f"- **2026-03-08**: Keep sessions in Postgres\n  - Spec: [{postgres}]({postgres})\n",
        f"- **2026-03-06**: Move sessions to Redis\n  - Spec: [{sessions}]({sessions})\n",
        decisions=decision(
            2,
            "Move sessions to Redis",
            sessions,
            "2026-03-06",
            placeholder_context,
            status="Superseded by [Decision 3](#decision-3-keep-sessions-in-postgres)",
        )
        + decision(3, "Keep sessions in Postgres", postgres, "2026-03-08", placeholder_context),
        last_updated="2026-03-08",
    )
    assert repo.ok("list") == (
        "Spec                                    Type          Status       Owner              Last Updated\n"
        "architecture-keep-sessions-in-postgres  Architecture  Implemented  Architecture Team  2026-03-09\n"
        "architecture-move-sessions-to-redis     Architecture  Superseded   Architecture Team  2026-03-09\n"
    )
    check = repo.ok("check")
    assert check.startswith("2 specs: 1 Implemented, 1 Superseded\n") and check.endswith("check passed\n")
    for name in ("architecture.md", "specs/README.md", sessions, postgres):
        assert_clean_markdown(repo.read(name), name)
