"""tools/spec.py: list."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.spec_tool.conftest import SESSIONS, TODAY, epoch


def test_list_prints_a_table_of_every_spec(three_specs):
    assert three_specs.ok("list") == (
        "Spec                                 Type          Status       Owner              Last Updated\n"
        f"add-an-audit-log                     Feature       In Progress  Payments Team      {TODAY}\n"
        "architecture-move-sessions-to-redis  Architecture  Draft        Architecture Team  2026-03-03\n"
        f"zero-downtime-deploys                Feature       Draft        Architecture Team  {TODAY}\n"
    )


def test_list_filters_by_status_in_any_spelling(three_specs):
    assert three_specs.ok("list", "--status", "in-progress").splitlines()[1:] == [
        f"add-an-audit-log  Feature  In Progress  Payments Team  {TODAY}"
    ]
    assert three_specs.ok("list", "--status", "Rejected") == "No Rejected specs.\n"
    result = three_specs.spec("list", "--status", "Done")
    assert (result.returncode, result.stderr) == (
        2,
        'error: unknown status "Done"; use one of Draft, Planned, In Progress, Implemented, Superseded, Rejected\n',
    )


def test_list_json(three_specs):
    records = json.loads(three_specs.ok("list", "--json", "--status", "Draft"))
    assert records[0] == {
        "spec": "architecture-move-sessions-to-redis",
        "path": SESSIONS,
        "title": "Move sessions to Redis",
        "type": "architecture",
        "status": "Draft",
        "owner": "Architecture Team",
        "created": "2026-03-03",
        "last_updated": "2026-03-03",
        "priority": "[High/Medium/Low]",
        "supersedes": "None",
        "superseded_by": "None",
    }
    assert [record["spec"] for record in records] == [
        "architecture-move-sessions-to-redis",
        "zero-downtime-deploys",
    ]


def test_list_json_is_ascii_so_that_it_stays_valid_json_on_any_console(repo):
    repo.ok("new", "Café 🚀 launch", "--owner", "Zoë")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY), "PYTHONIOENCODING": "cp1252"}
    result = subprocess.run(
        [sys.executable, "tools/spec.py", "list", "--json"],
        cwd=repo.path,
        env=environment,
        capture_output=True,
    )
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.isascii(), result.stdout
    [record] = json.loads(result.stdout.decode("ascii"))
    assert (record["spec"], record["title"], record["owner"]) == ("cafe-launch", "Café 🚀 launch", "Zoë")
    assert '"title": "Caf\\u00e9 \\ud83d\\ude80 launch",' in result.stdout.decode("ascii")
