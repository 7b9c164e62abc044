"""tools/spec.py: command line."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from tests.spec_tool.conftest import COMMANDS, SPEC, TODAY, epoch, future, latest_date_anywhere


def test_today_is_source_date_epoch_else_the_local_date(repo):
    repo.ok("new", "Add an audit log", env={"SOURCE_DATE_EPOCH": epoch("2026-03-05")})
    assert "**Created**: 2026-03-05\n" in repo.read(SPEC)
    repo.ok("new", "Zero downtime deploys", env={"SOURCE_DATE_EPOCH": None})
    assert f"**Created**: {dt.date.today().isoformat()}\n" in repo.read(
        "specs/features/zero-downtime-deploys.md"
    )
    result = repo.spec("list", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 0  # list needs no date
    result = repo.spec("check", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert (result.returncode, result.stderr) == (
        2,
        "error: SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970\n",
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["new", "Add an audit log"],
        ["status", "zero-downtime-deploys", "Planned"],
        ["implement", "zero-downtime-deploys"],
        ["supersede", "zero-downtime-deploys", "--by", "audit-log-v2"],
        ["touch", "architecture.md"],
    ],
    ids=lambda arguments: arguments[0],
)
def test_a_date_in_the_future_is_a_usage_error_for_every_command_that_stamps(repo, arguments):
    repo.ok("new", "Zero downtime deploys")
    repo.ok("new", "Audit log v2")
    before = repo.snapshot()
    latest = latest_date_anywhere()
    result = repo.spec(*arguments, "--date", "2099-01-01")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"error: argument --date: {future(repr('2099-01-01'), latest)} "
        f"(see 'python tools/spec.py {arguments[0]} --help')\n",
    )
    assert repo.snapshot() == before


def test_a_date_ahead_of_the_clock_is_allowed_up_to_source_date_epoch(repo):
    repo.ok("new", "Add an audit log", "--date", "2099-01-01", env={"SOURCE_DATE_EPOCH": epoch("2099-06-01")})
    assert "**Created**: 2099-01-01\n" in repo.read(SPEC)
    bad_epoch = {"SOURCE_DATE_EPOCH": "yesterday"}
    assert repo.ok("new", "Zero downtime deploys", "--date", TODAY, env=bad_epoch)  # --date overrides it


def test_the_tool_finds_the_repository_from_a_subfolder_and_shows_paths_from_there(repo):
    features = repo.path / "specs" / "features"
    assert repo.ok("new", "Add an audit log", cwd=features) == "add-an-audit-log.md\n"
    assert repo.ok("status", "add-an-audit-log", "Planned", cwd=repo.path / "specs") == (
        "features/add-an-audit-log.md: Draft -> Planned\n"
    )
    assert repo.ok("check", cwd=features).endswith("check passed\n")


def test_the_tool_run_from_outside_uses_its_own_repository(repo, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert repo.ok("new", "Add an audit log", cwd=outside, process=True).endswith(
        "/repo/specs/features/add-an-audit-log.md\n"
    )


def test_without_architecture_md_the_tool_says_where_it_looked(repo, tmp_path):
    (repo.path / "architecture.md").unlink()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = repo.spec("list", cwd=outside, process=True)
    assert (result.returncode, result.stderr) == (
        1,
        f"error: no architecture.md in {outside} or any folder above it; run the tool inside the repository\n",
    )



def test_help_lists_every_command(repo):
    result = repo.spec("--help")
    assert result.returncode == 0
    listed = re.findall(r"^    ([\w-]+)", result.stdout, re.MULTILINE)
    assert listed == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(repo, command):
    result = repo.spec(command, "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(f"usage: python tools/spec.py {command}")


def test_a_reader_that_stops_early_is_no_error_to_report(repo):
    path = repo.ok("new", "Add an audit log").strip()
    spec = repo.read(path)
    for number in range(1500):  # more output than a pipe holds
        repo.write(f"specs/features/change-{number:04d}.md", spec)
    environment = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY)}
    with subprocess.Popen(
        [sys.executable, "tools/spec.py", "list"],
        cwd=repo.path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout.readline().startswith(b"Spec ")
        reader.stdout.close()  # as "| head -1" does
        assert (reader.wait(timeout=60), reader.stderr.read()) == (1, b"")
