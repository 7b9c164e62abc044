"""Branch coverage of the code that runs on users' machines (tools/spec.py and the hooks) by the whole suite.

    python -m tests.measure_coverage [pytest arguments]

The tests run tools/spec.py from copies in baked projects, in-process and as processes, and Cookiecutter
runs each hook from a rendered copy in the temporary folder, as a process (the real command) or in the test's
own process (cookiecutter called in-process: tests/conftest.py). Every Python process the suite
starts measures itself (coverage's .pth file starts it when COVERAGE_PROCESS_START is set), and this script
then counts each copy as the file it was made from: a copy of tools/spec.py by its path, a rendered hook by
its first line (rendering changes only the one line that holds the answers, so the line numbers match).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from coverage import Coverage, CoverageData

TEMPLATE = Path(__file__).resolve().parents[1]
SPEC_TOOL = TEMPLATE / "{{cookiecutter.__project_dir}}" / "tools" / "spec.py"
HOOKS = [TEMPLATE / "hooks" / "pre_gen_project.py", TEMPLATE / "hooks" / "post_gen_project.py"]
CONFIG = """\
[run]
branch = true
parallel = true
include =
    */tools/spec.py
    */hooks/*_gen_project.py
    */tmp*.py
"""


def original_of(measured: str) -> Path | None:
    """The template file a measured file is a copy of, if any."""
    path = Path(measured)
    if path.parts[-2:] == ("tools", "spec.py"):
        return SPEC_TOOL
    try:
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    except OSError:
        return None
    return next((hook for hook in HOOKS
                 if hook.read_text(encoding="utf-8").split("\n", 1)[0] == first_line), None)


def run_suite(workspace: Path, pytest_arguments: list[str]) -> int:
    config = workspace / "coveragerc"
    config.write_text(CONFIG, encoding="utf-8")
    environment = {**os.environ, "COVERAGE_PROCESS_START": str(config),
                   "COVERAGE_FILE": str(workspace / "data" / ".coverage")}
    (workspace / "data").mkdir()
    return subprocess.run([sys.executable, "-m", "pytest", "-q", *pytest_arguments], cwd=TEMPLATE,
                          env=environment, check=False).returncode


def merged_data(workspace: Path) -> CoverageData:
    """Every process's data, each copy counted as its original."""
    merged = CoverageData(basename=str(workspace / "merged"))
    for data_file in sorted((workspace / "data").glob(".coverage.*")):
        data = CoverageData(basename=str(data_file))
        data.read()
        for measured in data.measured_files():
            original = original_of(measured)
            if original is not None:
                merged.add_arcs({str(original): data.arcs(measured) or []})
    merged.write()
    return merged


def main(arguments: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="coverage-") as folder:
        workspace = Path(folder)
        status = run_suite(workspace, arguments)
        merged_data(workspace)
        coverage = Coverage(data_file=str(workspace / "merged"), config_file=False, branch=True)
        coverage.load()
        print()
        coverage.report(morfs=[str(SPEC_TOOL), *map(str, HOOKS)], show_missing=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
