"""tools/spec.py run by several processes at once, as coding agents do: no update is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.spec_tool.conftest import TODAY, Repo, epoch, ready

PARALLEL = 6


def run_at_once(repo: Repo, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command before waiting for any, each a real process of the project's tool."""
    environment = {"SOURCE_DATE_EPOCH": epoch(TODAY), "PATH": ""}
    processes = [
        subprocess.Popen(
            [sys.executable, "tools/spec.py", *command],
            cwd=repo.path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for command in commands
    ]
    results = []
    for process, command in zip(processes, commands, strict=True):
        stdout, stderr = process.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
    return results


def titles(count: int) -> list[str]:
    return [f"Parallel change {number}" for number in range(count)]


def test_parallel_new_commands_each_write_their_spec_and_the_index_lists_them_all(repo: Repo) -> None:
    results = run_at_once(repo, [["new", title] for title in titles(PARALLEL)])
    assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * PARALLEL
    index = repo.read("specs/README.md")
    for number in range(PARALLEL):
        assert f"[Parallel change {number}](features/parallel-change-{number}.md)" in index
    assert repo.ok("check").endswith("check passed\n")


def test_parallel_close_outs_each_leave_their_history_entry(repo: Repo) -> None:
    for number, title in enumerate(titles(PARALLEL)):
        repo.ok("new", title)
        ready(repo, f"specs/features/parallel-change-{number}.md")
    results = run_at_once(repo, [["implement", f"parallel-change-{n}"] for n in range(PARALLEL)])
    assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * PARALLEL
    architecture = repo.read("architecture.md")
    for number in range(PARALLEL):
        assert f"(specs/features/parallel-change-{number}.md)" in architecture
    assert repo.ok("list", "--status", "Implemented").count("parallel-change-") == PARALLEL
    assert repo.ok("check").endswith("check passed\n")


def test_a_command_waiting_for_the_lock_gives_up_with_one_line(repo: Repo, tmp_path: Path) -> None:
    holder = tmp_path / "hold.py"
    holder.write_text(
        "import sys, time\n"
        "sys.path.insert(0, 'tools')\n"
        "import spec\n"
        "spec.LOCK_SECONDS = 0\n"
        "with spec.repository_lock(spec.Path('.').resolve(), exclusive=True):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(30)\n",
        encoding="utf-8",
    )
    holding = [sys.executable, "-B", str(holder)]
    with subprocess.Popen(holding, cwd=repo.path, stdout=subprocess.PIPE, text=True) as held:
        assert held.stdout is not None and held.stdout.readline() == "locked\n"
        try:
            waiting = subprocess.run(
                [sys.executable, "-B", "-c",
                 "import sys; sys.path.insert(0, 'tools'); import spec; spec.LOCK_SECONDS = 0.2; "
                 "sys.argv[0] = 'tools/spec.py'; raise SystemExit(spec.main(['new', 'Blocked']))"],
                cwd=repo.path, capture_output=True, text=True, timeout=30,
            )
        finally:
            held.kill()
    assert (waiting.returncode, waiting.stdout) == (1, "")
    assert waiting.stderr == (
        "error: another tools/spec.py command has been changing . for over 0.2 s; try again once it has finished\n"
    )
    assert not (repo.path / "specs/features/blocked.md").exists()
