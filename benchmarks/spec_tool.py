"""How fast tools/spec.py answers: `list` and `check` on a fresh project and on 100, 1,000 and 10,000 specs.

Bakes a project from this template, fills copies of it with specs the way a team would have them (every
status, a tenth of them architecture specs, the implemented ones in architecture.md's history and
decisions, every superseded one linked both ways with the one that superseded it, the index
up to date, so that `check` passes), and prints the median wall time of each command next to
`python -c pass`, the cost of starting Python at all.

    python benchmarks/spec_tool.py            # about twenty seconds on 2 cores
    python benchmarks/spec_tool.py --quick    # fewer runs and no 10,000, for a first look

Targets (2 cores): `list` on a fresh project within 3x the floor; `check` on 1,000 specs under 0.2 s and
on 10,000 under 2 s, growing linearly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parents[1]
RESULTS = TEMPLATE / "benchmarks" / "results"
BAKED_ON = "2026-01-05"
TODAY = "2026-02-01"  # "today" for the tool, so that no spec date is in the future whatever the clock says
STATUSES = ["Draft", "Planned", "In Progress", "Implemented", "Rejected", "Superseded"]
PURPOSE = (
    "Sessions live in each API server's memory, so every deploy logs users out and the servers cannot scale "
    "out. Keeping them in a shared store fixes both; see [the process](../README.md)."
)


def environment() -> dict[str, str]:
    when = dt.datetime.fromisoformat(f"{TODAY}T12:00:00+00:00")
    return {**os.environ, "SOURCE_DATE_EPOCH": str(int(when.timestamp()))}


def bake(output: Path) -> Path:
    return Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(output),
            extra_context={"init_git": False, "date": BAKED_ON},
        )
    )


def load_tool(project: Path) -> ModuleType:
    module_spec = importlib.util.spec_from_file_location("spec_tool", project / "tools" / "spec.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def slug(number: int) -> str:
    return f"{'architecture-' if number % 10 == 0 else ''}change-{number:05d}"


def fill(project: Path, count: int) -> None:
    """count specs in specs/features, the implemented ones recorded in architecture.md: a history entry
    each, and a decision each for the architecture specs."""
    tool = load_tool(project)
    template = tool.read_document(project / tool.TEMPLATE)
    history, decisions = [], []
    for number in range(count):
        status = STATUSES[number % len(STATUSES)]
        text = tool.fill_template(template, f"Change {number}", "Platform Team", "Medium", BAKED_ON)
        text = tool.set_field(text, "Status", status)
        text = text.replace("[What problem does this change solve, for whom, and why now?]", PURPOSE)
        if status == "Superseded":  # by the Implemented spec two before it
            text = tool.set_field(text, "Superseded by", f"[Change {number - 2}]({slug(number - 2)}.md)")
        if status == "Implemented" and number + 2 < count:  # and so it supersedes the one two after it
            text = tool.set_field(text, "Supersedes", f"[Change {number + 2}]({slug(number + 2)}.md)")
        path = f"{tool.FEATURES}/{slug(number)}.md"
        (project / path).write_text(text, encoding="utf-8", newline="\n")
        if status == "Implemented":
            history.append(f"- **{BAKED_ON}**: Change {number}\n  - Spec: [{path}]({path})\n")
        if status == "Implemented" and slug(number).startswith("architecture-"):
            decisions.append(
                f"### Decision {len(decisions) + 2}: Change {number}\n\n**Date**: {BAKED_ON}\n\n"
                f"**Reference**: [{path}]({path})\n\n---\n\n"
            )
    architecture = project / "architecture.md"
    text = architecture.read_text(encoding="utf-8")
    anchor = "**Recent Architectural Updates:**\n\n"
    text = text.replace(anchor, anchor + "".join(history), 1)
    anchor = "<!-- Add decisions as they are made"
    text = text.replace(anchor, "".join(decisions) + anchor, 1)
    architecture.write_text(text, encoding="utf-8", newline="\n")
    run(project, "index")
    run(project, "check")  # the filled project is one a team could have


def run(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "tools/spec.py", *arguments],
        cwd=project,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"spec.py {' '.join(arguments)} failed in {project}:\n{result.stdout}{result.stderr}"
        )
    return result


def median_seconds(command: list[str], cwd: Path, runs: int) -> float:
    subprocess.run(
        command, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, check=True
    )  # warm the cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 runs each, and no 10,000")
    options = parser.parse_args()
    sizes = [0, 100, 1_000] if options.quick else [0, 100, 1_000, 10_000]
    with tempfile.TemporaryDirectory() as scratch:
        baked = bake(Path(scratch) / "baked")
        floor = median_seconds([sys.executable, "-c", "pass"], baked, 5 if options.quick else 21)
        rows = []
        for size in sizes:
            project = Path(scratch) / f"specs-{size}"
            shutil.copytree(baked, project)
            if size:
                fill(project, size)
            runs = 5 if options.quick or size >= 10_000 else 11
            for command in ("list", "check"):
                seconds = median_seconds([sys.executable, "tools/spec.py", command], project, runs)
                rows.append({"specs": size, "command": command, "seconds": seconds, "ratio": seconds / floor})
                print(f"  {size:>6} specs  {command:<5}  {seconds * 1000:8.1f} ms", file=sys.stderr)
    print(report(rows, floor))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "spec_tool.json").write_text(json.dumps({"floor": floor, "rows": rows}, indent=2) + "\n")
    return 0


def report(rows: list[dict], floor: float) -> str:
    lines = [
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
        f"floor `python -c pass`: {floor * 1000:.1f} ms",
        "",
        "| specs | command | median | × floor |",
        "| ---: | --- | ---: | ---: |",
    ]
    for row in rows:
        specs = "fresh" if row["specs"] == 0 else f"{row['specs']:,}"
        lines.append(
            f"| {specs} | `{row['command']}` | {row['seconds'] * 1000:,.0f} ms | {row['ratio']:.1f} |"
        )
    lines.append("")
    fresh = {row["command"]: row["seconds"] for row in rows if row["specs"] == 0}
    for row in rows:
        if row["specs"] >= 1_000:
            per_spec = (row["seconds"] - fresh[row["command"]]) / row["specs"] * 1e6
            lines.append(
                f"- `{row['command']}` on {row['specs']:,} specs: "
                f"{per_spec:.0f} µs per spec more than on a fresh project"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
