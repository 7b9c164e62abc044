"""How fast tools/spec.py answers: `list` and `check` on a fresh project and on 100, 1,000 and 10,000 specs.

Bakes a project from this template, fills copies of it with specs the way a team would have them (every
status, a tenth of them architecture specs with a Decision Record and Architecture Changes; the implemented
ones closed out into architecture.md: their components, decisions and history entries; the open ones
changing the components of implemented ones; the index up to date, so that `check` passes), and prints
the median wall time of each command next to `python -c pass`, the cost of starting Python at all.

    python benchmarks/spec_tool.py            # about twenty seconds on 2 cores
    python benchmarks/spec_tool.py --quick    # fewer runs and no 10,000, for a first look
    python benchmarks/spec_tool.py --files    # only check on a fresh project in a 10,000-file repository

Targets (2 cores): `list` on a fresh project within 3x the floor; `check` on 1,000 specs under 0.2 s and
on 10,000 under 2 s, growing linearly; reading the manifests of a repository of 10,000 files for the
drift warnings adds under 0.2 s to `check`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
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


def status_of(number: int) -> str:
    """Every status, for the architecture specs (every tenth number) as much as for the others."""
    return STATUSES[(number + number // 10) % len(STATUSES)]


def decision_record(number: int) -> dict[str, str]:
    return {
        "Context": f"Change {number} needs a service of its own; see [the process](../README.md).",
        "Decision": f"Run change {number} as Service {number}.",
        "Rationale": "It scales and ships on its own.",
        "Consequences": "One more service to run.",
    }


def architecture_changes(number: int, status: str, implemented: list[int]) -> str:
    """An implemented spec added its component; an open one adds to the component of an implemented
    one (two open specs on the same one: a warning); a closed one names a heading long gone."""
    if status == "Implemented":
        return f"### Add to: Component Breakdown\n\n#### Service {number}\n\n**Purpose**: Serves change {number}"
    if status in ("Rejected", "Superseded"):
        return f"### Remove: Service {number + 100_000}"
    target = f"Service {implemented[-1]}" if implemented else "Integration Points"
    return f"### Add to: {target}\n\n**Location**: services/change-{number}"


def fill(project: Path, count: int) -> None:
    """count specs in specs/features, the implemented architecture ones closed out into architecture.md."""
    tool = load_tool(project)
    template = tool.read_document(project / tool.TEMPLATE)
    architecture = tool.read_document(project / "architecture.md")
    history, decisions, components, implemented = [], [], [], []
    first_component = 1 + len(re.findall(r"^#### \d+\. ", architecture.text, re.MULTILINE))
    for number in range(count):
        status, path = status_of(number), f"{tool.FEATURES}/{slug(number)}.md"
        is_architecture = slug(number).startswith("architecture-")
        text = tool.fill_template(template, f"Change {number}", "Platform Team", "Medium", BAKED_ON)
        text = tool.for_kind(tool.Document(project / path, text), is_architecture)
        text = tool.set_field(text, "Status", status)
        text = text.replace("[What problem does this change solve, for whom, and why now?]", PURPOSE)
        if status == "Superseded":  # by the spec before it, which always exists
            text = tool.set_field(text, "Superseded by", f"[Change {number - 1}]({slug(number - 1)}.md)")
        if is_architecture and status != "Draft":  # a draft still holds the template's placeholders
            for key, value in decision_record(number).items():
                text = re.sub(rf"^\*\*{key}\*\*: \[.*\]$", f"**{key}**: {value}", text, count=1, flags=re.MULTILINE)
            changes = architecture_changes(number, status, implemented)
            text = re.sub(r"^\[The operations on architecture\.md.*\]$", changes, text, count=1, flags=re.MULTILINE)
        (project / path).write_text(text, encoding="utf-8", newline="\n")
        if status == "Implemented" and is_architecture:
            history.append(f"- **{BAKED_ON}**: Change {number}\n  - Spec: [{path}]({path})\n")
            record = [(key, tool.rebase_links(value, tool.FEATURES)) for key, value in decision_record(number).items()]
            fields = [("Date", BAKED_ON), *record, ("Reference", f"[{path}]({path})")]
            decisions.append(tool.decision_entry(len(decisions) + 2, f"Change {number}", fields) + "\n")
            components.append(
                f"#### {first_component + len(components)}. Service {number}\n\n"
                f"**Purpose**: Serves change {number}\n\n---\n\n"
            )
            implemented.append(number)
    text = architecture.text
    for before, added in [
        ("<!-- Add more components as needed. -->", components),
        ("<!-- Add decisions as they are made", decisions),
        (f"- **{BAKED_ON}**: Created this living architecture document", history),  # newest first
    ]:
        text = text.replace(before, "".join(added) + before, 1)
    architecture.path.write_text(text, encoding="utf-8", newline="\n")
    run(project, "index")
    run(project, "check")  # the filled project is one a team could have


def add_service_files(project: Path, count: int) -> None:
    """count files of an existing service around the documents: Go and TypeScript sources, tests and docs in
    nested packages, the manifests of a Go service, a web client and its Kubernetes deployment, and as many
    files again in node_modules and .git, which check must not read."""
    manifests = {
        "go.mod": "module github.com/acme/orders\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
        "\tgithub.com/jackc/pgx/v5 v5.5.4\n\tgithub.com/redis/go-redis/v9 v9.5.1\n)\n",
        "web/package.json": json.dumps({"dependencies": {"react": "18.2.0", "ioredis": "5.3.2"}}, indent=2),
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n",
        "Dockerfile": "FROM golang:1.22\n",
        "deploy/k8s/orders.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  image: acme/orders:1\n",
    }
    for relative, text in manifests.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")
    written = len(manifests)
    for root, share in (("", count), ("web/node_modules", count), (".git/objects", count)):
        for number in range(share - (written if not root else 0)):
            folder = project / root / f"pkg{number // 250:02d}" / f"sub{number // 25 % 10}"
            folder.mkdir(parents=True, exist_ok=True)
            suffix = (".go", "_test.go", ".ts", ".md", ".sql")[number % 5]
            (folder / f"file{number:05d}{suffix}").write_text("package x\n", encoding="utf-8")


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
    parser.add_argument("--files", action="store_true", help="only check in a repository of 10,000 files")
    options = parser.parse_args()
    if options.files:
        return measure_files()
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


def measure_files(count: int = 10_000, runs: int = 21) -> int:
    """check on a fresh project, then on the same project among count files of a service (see
    add_service_files): the time the drift warnings add by walking the repository and reading its manifests."""
    with tempfile.TemporaryDirectory() as scratch:
        baked = bake(Path(scratch) / "baked")
        project = Path(scratch) / "service"
        shutil.copytree(baked, project)
        add_service_files(project, count)
        fresh = median_seconds([sys.executable, "tools/spec.py", "check"], baked, runs)
        service = median_seconds([sys.executable, "tools/spec.py", "check"], project, runs)
        warnings = run(project, "check").stdout.splitlines()[:-3]
        tool = load_tool(project)
        architecture = tool.read_document(project / "architecture.md")
        walks = []
        for _ in range(runs):
            start = time.perf_counter()
            tool.stack_drift(architecture, project)
            walks.append(time.perf_counter() - start)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, medians of {runs} runs")
    print(f"- `check` on a fresh project: {fresh * 1000:.0f} ms")
    print(f"- `check` on it among {count:,} files of a service (as many again in node_modules and .git): "
          f"{service * 1000:.0f} ms, {(service - fresh) * 1000:.0f} ms more")
    print(f"- the drift warnings alone, in-process: {statistics.median(walks) * 1000:.0f} ms")
    print(f"- its warnings: {warnings}")
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
