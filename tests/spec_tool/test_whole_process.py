"""tools/spec.py: whole process."""

from __future__ import annotations

from tests.spec_tool.conftest import expected_decision, ready, recorded


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
    ready(repo, sessions)
    repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-06")
    ready(repo, postgres, Decision="Keep sessions in Postgres, which every API server already reaches.")
    repo.ok("implement", "keep-sessions-in-postgres", "--date", "2026-03-08")
    repo.ok(
        "supersede", "move-sessions-to-redis", "--by", "keep-sessions-in-postgres", "--date", "2026-03-09"
    )
    assert repo.read("architecture.md") == recorded(
        architecture,
        f"- **2026-03-08**: Keep sessions in Postgres\n  - Spec: [{postgres}]({postgres})\n",
        f"- **2026-03-06**: Move sessions to Redis\n  - Spec: [{sessions}]({sessions})\n",
        decisions=expected_decision(2, "Move sessions to Redis", sessions, "2026-03-06").replace(
            "**Date**: 2026-03-06\n\n",
            "**Date**: 2026-03-06\n\n**Status**: Superseded by [Decision 3](#decision-3-keep-sessions-in-postgres)\n\n",
        )
        + expected_decision(
            3,
            "Keep sessions in Postgres",
            postgres,
            "2026-03-08",
            Decision="Keep sessions in Postgres, which every API server already reaches.",
        ),
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


def test_an_existing_service_imports_its_records_then_keeps_the_stack_in_step(repo):
    """A Go service with adr-tools records, MADR records, go.mod and a Compose file adopts the document."""
    from tests.spec_tool.test_check_drift import COMPOSE, GO_MOD, NOT_NAMED, drift, restack, write_files
    from tests.spec_tool.test_import_adrs import ADR_TOOLS, MADR, decision_block, write_records

    write_records(repo, "doc/adr", ADR_TOOLS)
    write_records(repo, "doc/runbooks", {"migrate.md": "# Migrate orders\n"})
    write_records(repo, "docs/decisions", MADR)
    write_files(repo, {"go.mod": GO_MOD, "docker-compose.yml": COMPOSE})
    repo.ok("import-adrs", "doc/adr", "--date", "2026-03-04")
    repo.ok("import-adrs", "docs/decisions", "--date", "2026-03-04")
    repo.ok("new", "Move sessions to Redis", "--architecture", "--date", "2026-03-05")
    ready(repo, "specs/features/architecture-move-sessions-to-redis.md")
    repo.ok("implement", "move-sessions-to-redis", "--date", "2026-03-06")
    architecture = repo.read("architecture.md")
    assert decision_block(architecture, 10).startswith(
        "### Decision 10: Move sessions to Redis\n\n**Date**: 2026-03-06"
    )
    assert "### Decision 11" not in architecture
    assert_clean_markdown(architecture, "architecture.md")
    assert drift(repo) == [
        f"docker-compose.yml:12: warning: uses NATS (nats), {NOT_NAMED}",
        f"go.mod:6: warning: uses Gin (github.com/gin-gonic/gin), {NOT_NAMED}",
        f"go.mod:8: warning: uses Kafka (github.com/segmentio/kafka-go), {NOT_NAMED}",
    ]
    restack(repo, ("- FastAPI", "- Gin"), ("- Redis (cache)", "- Redis (cache)\n- Kafka\n- NATS"))
    assert drift(repo) == []
    assert repo.ok("import-adrs", "doc/adr").endswith("nothing to change\n")
