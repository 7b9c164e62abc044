"""Shared helpers: bake the template and look at the result the way a user would."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import importlib.machinery
import importlib.util
import itertools
import json
import logging
import os
import runpy
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, ModuleType

import jinja2
import pytest
import yaml

TEMPLATE = Path(__file__).resolve().parents[1]
SEED = TEMPLATE / "tests" / "data" / "architecture-seed.md"  # the seed architecture.md follows
DEFAULTS = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
UNRENDERED = ("{{", "{%", "{#", "cookiecutter.")

# A run makes and removes tens of thousands of files. On a machine with a memory file system to spare, pytest's
# temporary folders go there: on a journaled disk, making and removing them took a quarter of the suite's time.
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_NEEDED = 512 * 1024**2  # ten times what a run uses at most


def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders in memory, unless the user chose where they go (TMPDIR, PYTEST_DEBUG_TEMPROOT or
    --basetemp; a worker of pytest-xdist is given its folder)."""
    if config.option.basetemp or os.environ.get("TMPDIR") or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return
    if has_memory_to_spare(MEMORY_FOLDER):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(MEMORY_FOLDER)


def has_memory_to_spare(folder: Path) -> bool:
    """Whether folder takes MEMORY_NEEDED more and runs programs (git runs hooks from the tests' repositories;
    /dev/shm is often mounted noexec)."""
    try:
        usage = os.statvfs(folder)
        runs_programs = not usage.f_flag & os.ST_NOEXEC
    except (OSError, AttributeError):  # no such folder; no statvfs on Windows
        return False
    return os.access(folder, os.W_OK) and runs_programs and usage.f_bavail * usage.f_frsize >= MEMORY_NEEDED


# What every generated project has, and what each option adds when chosen.
BASE_FILES = {
    ".editorconfig",
    ".gitattributes",
    ".gitignore",
    ".markdownlint-cli2.yaml",
    ".markdownlint.yaml",
    "README.md",
    "architecture.md",
    "specs/README.md",
    "specs/features/.gitkeep",
    "specs/templates/feature.md",
    "tools/spec.py",
}
# The slash commands of agent_commands, and where each agent keeps them.
AGENT_COMMANDS = ("spec-specify", "spec-plan", "spec-implement", "spec-log", "spec-check")
AGENT_FOLDERS = {
    "claude": (".claude/commands/", ".md"),
    "copilot": (".github/prompts/", ".prompt.md"),
    "cursor": (".cursor/commands/", ".md"),
    "gemini": (".gemini/commands/", ".toml"),
}
OPTION_FILES = {
    ("ci", "github"): {".github/workflows/architecture.yml"},
    ("ci", "gitlab"): {".gitlab-ci.yml"},
    ("pre_commit", True): {".pre-commit-config.yaml"},
    ("agents_md", True): {"AGENTS.md"},
    **{
        ("agent_commands", agent): {folder + name + suffix for name in AGENT_COMMANDS}
        for agent, (folder, suffix) in AGENT_FOLDERS.items()
    },
}
# What Gemini CLI replaces with the command's arguments: left in its files on purpose.
GEMINI_ARGUMENTS = "{{args}}"


def expected_files(**answers) -> set[str]:
    """The files a project generated with these answers has (the defaults for the others);
    agent_commands=all brings the commands of every agent."""
    chosen = {name: value[0] if isinstance(value, list) else value for name, value in DEFAULTS.items()}
    chosen.update(answers)
    files = set(BASE_FILES)
    for (option, value), paths in OPTION_FILES.items():
        if chosen[option] == value or chosen[option] == "all":
            files |= paths
    return files


def unrendered(relative: str, text: str) -> list[str]:
    """The template markers left in a generated file's text; Gemini's own placeholder is no marker."""
    if relative.startswith(AGENT_FOLDERS["gemini"][0]):
        text = text.replace(GEMINI_ARGUMENTS, "")
    return [marker for marker in UNRENDERED if marker in text]


@dataclass
class BakedProject:
    """A generated project, with the checks a user would make by eye."""

    path: Path

    def read(self, relative: str) -> str:
        return (self.path / relative).read_text(encoding="utf-8")

    def has_file(self, relative: str) -> bool:
        return (self.path / relative).is_file()

    def files(self) -> set[str]:
        """Every file, as a POSIX path relative to the project, git's own folder left out."""
        return {
            path.relative_to(self.path).as_posix()
            for path in self.path.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(self.path).parts[:1]
        }

    def spec(self, *arguments: str, cwd: Path | None = None, env: dict | None = None,
             input: str | None = None) -> subprocess.CompletedProcess:
        """Run the project's own tools/spec.py as a user would, from the project root."""
        return run(
            [sys.executable, str(self.path / "tools" / "spec.py"), *arguments],
            cwd=cwd or self.path,
            env=env,
            input=input,
        )


def import_spec_tool(project: Path, name: str = "spec_tool_under_test") -> ModuleType:
    """A project's tools/spec.py as a module, for tests that call its functions directly."""
    sys.dont_write_bytecode = True  # no __pycache__ in the project under test, which may be shared
    module_spec = importlib.util.spec_from_file_location(name, project / "tools" / "spec.py")
    module = importlib.util.module_from_spec(module_spec)
    with sources_compiled_once():
        module_spec.loader.exec_module(module)
    return module


_COMPILED: dict[tuple[bytes, int], CodeType] = {}
_COMPILED_SCRIPTS: dict[tuple[object, ...], CodeType] = {}


@contextlib.contextmanager
def sources_compiled_once() -> Iterator[None]:
    """While the block runs, Python source that imports load from a file (such as each copy of tools/spec.py
    a hook or a test loads), and each script runpy.run_path runs (a hook), is compiled once per run for every
    copy with the same text: what Python's own __pycache__ would do if the copies had one. Each copy's code
    keeps its own file name, for tracebacks and coverage."""
    runpy_globals = vars(runpy)
    if "compile" in runpy_globals:  # in such a block already
        yield
        return
    loader = importlib.machinery.SourceFileLoader
    compile_source = loader.source_to_code

    def source_to_code(self, data, path, *, _optimize=-1):  # type: ignore[no-untyped-def]
        key = (bytes(data), _optimize)
        if key not in _COMPILED:
            _COMPILED[key] = compile_source(self, data, path, _optimize=_optimize)
        return with_file_name(_COMPILED[key], path)

    def compile_once(source, filename, mode, *arguments, **options):  # type: ignore[no-untyped-def]
        key = (source, mode, arguments, tuple(sorted(options.items())))
        if key not in _COMPILED_SCRIPTS:
            _COMPILED_SCRIPTS[key] = compile(source, filename, mode, *arguments, **options)
        return with_file_name(_COMPILED_SCRIPTS[key], filename)

    loader.source_to_code = source_to_code
    runpy_globals["compile"] = compile_once  # found before the built-in by runpy.run_path
    try:
        yield
    finally:
        loader.source_to_code = compile_source
        del runpy_globals["compile"]


def with_file_name(code: CodeType, path: str) -> CodeType:
    """code, and every function and class body in it, as compiled from the file at path."""
    if code.co_filename == path:
        return code
    constants = tuple(with_file_name(constant, path) if isinstance(constant, CodeType) else constant
                      for constant in code.co_consts)
    return code.replace(co_filename=path, co_consts=constants)


def run(command: list[str], cwd: Path, env: dict | None = None,
        input: str | None = None) -> subprocess.CompletedProcess:
    """Run a command as a user would; env adds variables to this one's, None removes one."""
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        command, cwd=cwd, env=environment, input=input, capture_output=True, text=True,
        encoding="utf-8", timeout=120, check=False,
    )


def template_files() -> list[str]:
    """The files a clone of this repository has: tracked ones and new ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=TEMPLATE, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    return [name for name in listed.split("\0") if name and (TEMPLATE / name).is_file()]


def python_tool(name: str) -> str:
    """A console script installed beside this Python, such as cookiecutter or cruft."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed: python -m pip install -r requirements-dev.txt"
    return found


def cookiecutter_command() -> str:
    return python_tool("cookiecutter")


def run_cookiecutter(*arguments: str, cwd: Path, env: dict | None = None
                     ) -> subprocess.CompletedProcess:
    return run([cookiecutter_command(), *arguments], cwd=cwd, env=env)


@pytest.fixture
def cookiecutter_cli(capfd, monkeypatch):
    """cookiecutter_cli(*arguments, cwd=, env=) -> what run_cookiecutter returns, with the command's own
    code (argument parsing, error reports, exit status) run in this process: no interpreter to start, and the
    hooks run in this process too (cookiecutter_in_this_process). For tests whose subject is what the command
    does with its arguments, not the cookiecutter process itself (a terminal's locale, stdin, git's PATH)."""
    import cookiecutter.config
    from cookiecutter.cli import main

    def _run(*arguments: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        for name, value in (env or {}).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        monkeypatch.chdir(cwd)
        # What a new process would read from its HOME (cookiecutter reads these when it is imported).
        monkeypatch.setattr(cookiecutter.config, "USER_CONFIG_PATH", os.path.expanduser("~/.cookiecutterrc"))
        for name, folder in (("cookiecutters_dir", "~/.cookiecutters/"), ("replay_dir", "~/.cookiecutter_replay/")):
            monkeypatch.setitem(cookiecutter.config.DEFAULT_CONFIG, name, os.path.expanduser(folder))
        capfd.readouterr()
        logger = logging.getLogger("cookiecutter")  # the command sets its handlers on this test's stdout
        handlers, level = logger.handlers[:], logger.level
        try:
            main.main(list(arguments), prog_name="cookiecutter", standalone_mode=False)
            status = 0
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
        except Exception:  # the command would die with this traceback on stderr, status 1
            traceback.print_exc()
            status = 1
        finally:
            logger.handlers[:], logger.level = handlers, level
        output = capfd.readouterr()
        return subprocess.CompletedProcess([cookiecutter_command(), *arguments], status, output.out, output.err)

    return _run


def run_hook_in_this_process(script_path: str, cwd: Path | str = ".") -> None:
    """What cookiecutter.hooks.run_script does, `python hook.py` in the project folder, done in this process:
    the same interpreter, environment variables and folder, and the same end, FailedHookException, for a
    non-zero exit status or an uncaught exception (its traceback on stderr, as the process would print it).
    The hooks import the standard library only and leave no state behind but sys.dont_write_bytecode, which
    the tests set anyway."""
    from cookiecutter.exceptions import FailedHookException

    saved = Path.cwd()
    os.chdir(cwd)
    try:
        with sources_compiled_once():
            runpy.run_path(script_path, run_name="__main__")
        status = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            status = stop.code or 0
        else:  # Python prints the message and exits with 1
            print(stop.code, file=sys.stderr)
            status = 1
    except Exception:
        traceback.print_exc()
        status = 1
    finally:
        os.chdir(saved)
        sys.stdout.flush()
        sys.stderr.flush()
    if status != 0:
        raise FailedHookException(f"Hook script failed (exit status: {status})")


def environment_settings(environment: jinja2.Environment) -> tuple:
    """What, besides a template's text, shapes the code Jinja compiles it to."""
    return (
        type(environment), tuple(sorted(environment.extensions)), environment.block_start_string,
        environment.block_end_string, environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string, environment.line_statement_prefix,
        environment.line_comment_prefix, environment.trim_blocks, environment.lstrip_blocks,
        environment.newline_sequence, environment.keep_trailing_newline, environment.optimized,
        environment.autoescape, environment.undefined, environment.finalize, environment.is_async,
    )


@pytest.fixture(scope="session", autouse=True)
def cookiecutter_in_this_process() -> Iterator[None]:
    """Cookiecutter called in this process (bake_into, bake, cookiecutter_cli, cookiecutter()) runs the hooks
    in this process too (run_hook_in_this_process), and Jinja compiles each template once per run: cookiecutter
    makes a new Environment for each generation and renders every answer, default and file name from a string,
    so each was compiled again for every project. The same text, after the extensions' preprocessing, with the
    same settings compiles to the same code. The real command (run_cookiecutter) and cruft still run the hooks
    as processes, as users do."""
    import cookiecutter.hooks
    from cookiecutter.environment import StrictEnvironment

    compiled: dict[tuple, object] = {}
    compile_template = StrictEnvironment.compile

    def compile_once(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        key = (environment_settings(self), self.preprocess(source, name, filename), name, filename, raw, defer_init)
        if key not in compiled:
            compiled[key] = compile_template(self, source, name, filename, raw, defer_init)
        return compiled[key]

    run_script = cookiecutter.hooks.run_script
    cookiecutter.hooks.run_script = run_hook_in_this_process
    StrictEnvironment.compile = compile_once
    try:
        yield
    finally:
        cookiecutter.hooks.run_script = run_script
        StrictEnvironment.compile = compile_template


GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]


def only_git_on_path(folder: Path, *commands: str) -> str:
    """A PATH with git, and these commands, and nothing else (no `python`), in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    for command in ("git", *commands):
        found = shutil.which(command)
        assert found, f"{command} is not installed"
        with contextlib.suppress(FileExistsError):  # made already, maybe by another worker just now
            (folder / command).symlink_to(found)
    return str(folder)


def shared_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder, the same for every pytest-xdist worker (each has one of its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """One PRE_COMMIT_HOME for the run and every worker: pre-commit builds the local hooks' environment once
    (it locks its store while it installs, so workers can share it)."""
    home = shared_temporary_folder(tmp_path_factory) / "pre-commit" / "home"
    home.mkdir(parents=True, exist_ok=True)
    return home


# pre-commit makes the local hooks' environment with virtualenv, which by default starts downloads of newer
# seed wheels (its periodic update), and installs pre-commit's placeholder package into it with pip, which
# builds it in an isolated environment that fetches setuptools from the package index: the network, and half
# of the install's time. Without the periodic update and without build isolation (pip reads this variable's
# false value as --no-build-isolation: the environment's own setuptools builds it) it is made offline.
PRE_COMMIT_OFFLINE = {"VIRTUALENV_NO_PERIODIC_UPDATE": "1", "PIP_NO_BUILD_ISOLATION": "0"}


def run_local_pre_commit_hooks(repository: Path, config: Path, home: Path, *arguments: str,
                               epoch: str) -> subprocess.CompletedProcess:
    """pre-commit run with config's local hooks only, on a PATH with git alone: the local hooks must
    need no `python` command. epoch is the spec tool's now."""
    environment = {"PRE_COMMIT_HOME": str(home), "SOURCE_DATE_EPOCH": epoch, "TZ": "UTC",
                   "PATH": only_git_on_path(home.parent / "only-git"), **PRE_COMMIT_OFFLINE}
    return run([sys.executable, "-m", "pre_commit", "run", "--config", str(local_hooks(config, repository)),
                "--color", "never", *arguments], cwd=repository, env=environment)


@pytest.fixture
def pre_commit_cli(capfd, monkeypatch):
    """pre_commit_cli(*arguments, cwd=) -> what `python -m pre_commit ARGUMENTS` run in cwd returns, pre-commit's
    own main() run in this process: for validate-config, whose subject is a configuration, not a process."""
    import pre_commit.output
    from pre_commit.main import main

    def _run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
        monkeypatch.chdir(cwd)
        # pre-commit prints its warnings to the sys.stdout it found when imported; this test's is another
        stream = pre_commit.output.write_line_b.__defaults__
        monkeypatch.setattr(pre_commit.output.write_line_b, "__defaults__", (stream[0], sys.stdout.buffer, stream[2]))
        capfd.readouterr()
        try:
            status = main(list(arguments))
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
        output = capfd.readouterr()
        return subprocess.CompletedProcess([sys.executable, "-m", "pre_commit", *arguments], status, output.out,
                                           output.err)

    return _run


def local_hooks(config: Path, repository: Path) -> Path:
    """A copy of config with its local hooks only (the others are installed from the network), beside the
    repository: the pre-commit home is shared by the test workers."""
    local = yaml.safe_load(config.read_text(encoding="utf-8"))
    local["repos"] = [repo for repo in local["repos"] if repo["repo"] == "local"]
    local_config = repository.parent / f"{repository.name}-local-hooks.yaml"
    local_config.write_text(yaml.safe_dump(local), encoding="utf-8")
    return local_config


def bake_into(output: Path, answers: dict) -> BakedProject:
    """Generate in-process, the way pytest-cookies does, with cookiecutter's replay kept in output."""
    from cookiecutter.main import cookiecutter

    output.mkdir(parents=True, exist_ok=True)
    config = output / "cookiecutter-config.yaml"
    if not config.exists():
        config.write_text(
            f"cookiecutters_dir: {json.dumps(str(output / 'cookiecutters'))}\n"
            f"replay_dir: {json.dumps(str(output / 'replay'))}\n",
            encoding="utf-8",
        )
    path = cookiecutter(str(TEMPLATE), no_input=True, extra_context=answers,
                        output_dir=str(output / "projects"), config_file=str(config))
    return BakedProject(Path(path))


@contextlib.contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold lock while the block runs, against the other pytest-xdist workers of this run."""
    with lock.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SharedBakes:
    """Each set of answers baked once per test run, for every test file and every pytest-xdist worker."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def __call__(self, **answers: object) -> BakedProject:
        key = hashlib.sha256(json.dumps(answers, sort_keys=True).encode("utf-8")).hexdigest()[:16]
        return self.together(key, {"project": answers})["project"]

    def together(self, name: str, answers: dict[str, dict]) -> dict[str, BakedProject]:
        """Several projects baked side by side in one folder, as one unit: name -> project."""
        folder, done = self.root / name, self.root / f"{name}.json"
        with exclusive(self.root / f"{name}.lock"):
            if not done.exists():
                paths = {label: str(bake_into(folder, chosen).path) for label, chosen in answers.items()}
                done.write_text(json.dumps(paths), encoding="utf-8")
        paths = json.loads(done.read_text(encoding="utf-8"))
        return {label: BakedProject(Path(paths[label])) for label in answers}

    def made(self, name: str, make: Callable[[Path], None]) -> Path:
        """The folder name, filled by make(folder) once per test run for every test file and worker (a
        make that fails leaves nothing: the next test to ask tries again, and fails the same way)."""
        folder, done = self.root / name, self.root / f"{name}.done"
        with exclusive(self.root / f"{name}.lock"):
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                try:
                    make(folder)
                except BaseException:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
                done.touch()
        return folder


@pytest.fixture(scope="session")
def bake_once(tmp_path_factory) -> SharedBakes:
    """bake_once(**answers) -> BakedProject, generated once per test run and shared by every test that
    asks for the same answers: read it, never change it (copy it first, as tests/spec_tool does)."""
    return SharedBakes(shared_temporary_folder(tmp_path_factory) / "baked-once")


@pytest.fixture
def bake(cookies):
    """bake(**answers) -> BakedProject of the test's own; fails the test with cookiecutter's error if
    generation fails."""

    def _bake(**answers) -> BakedProject:
        result = cookies.bake(extra_context=answers)
        assert result.exit_code == 0, f"generation failed: {result.exception}"
        return BakedProject(Path(result.project_path))

    return _bake


@pytest.fixture
def project(bake_once) -> BakedProject:
    """The project baked with the defaults, git off (most tests do not need a repository); shared."""
    return bake_once(init_git=False)


# Awkward answers: Markdown's special characters, quotes and a backslash.
AWKWARD_NAME = "Café *Pay* | _fast_ `x` [y] <z> \\ O'Brien"
AWKWARD_OWNER = "O'Brien \"Ops\" | *core*"
DESCRIPTION = "Takes card payments | refunds and *settles* them nightly_ [EU] <beta>."


AGENT_COMMAND_VALUES = DEFAULTS["agent_commands"]


def configuration_answers() -> dict[str, dict]:
    """Both diagram styles with every mix of optional parts; across them every CI, every pre-commit and
    AGENTS.md choice together, every agent_commands value, no framework, no infrastructure, no description,
    and awkward names."""
    result = {}
    mixes = itertools.product(["ascii", "mermaid"], [True, False], [True, False], [True, False])
    for index, (diagram, database, cache, broker) in enumerate(mixes):
        ci = ["github", "gitlab", "none"][index % 3]
        answers = {
            "project_name": AWKWARD_NAME if index % 2 else "Payments",
            "project_slug": f"project-{index:02d}",
            "description": "" if index % 3 == 1 else DESCRIPTION,
            "owner": AWKWARD_OWNER if index % 2 else "Platform Team",
            "database": "PostgreSQL" if database else "none",
            "cache": "Redis" if cache else "none",
            "message_broker": "Kafka" if broker else "none",
            "infrastructure": "none" if index % 5 == 4 else "Kubernetes",
            "diagram": diagram,
            "ci": ci,
            "pre_commit": index % 2 == 0,
            "agents_md": index % 4 < 2,
            "agent_commands": AGENT_COMMAND_VALUES[index % len(AGENT_COMMAND_VALUES)],
            "init_git": False,
        }
        if index % 4 == 3:
            answers["framework"] = "none"
        parts = "+".join(name for name, on in [("db", database), ("cache", cache), ("broker", broker)] if on)
        result[f"{diagram}-{parts or 'bare'}-ci_{ci}"] = answers
    return result


CONFIGURATIONS = configuration_answers()


@pytest.fixture(scope="session")
def configurations(bake_once) -> dict[str, BakedProject]:
    """Every configuration of CONFIGURATIONS, baked once per run side by side in one folder."""
    return bake_once.together("configurations", CONFIGURATIONS)


def first(configurations: dict[str, BakedProject], **answers) -> BakedProject:
    """The first baked configuration with these answers."""
    for name, chosen in CONFIGURATIONS.items():
        if all(chosen.get(key) == value for key, value in answers.items()):
            return configurations[name]
    raise LookupError(answers)


# Set by .ci/run: the CI machine has every Python the tests run the generated code on, so there a missing
# one is a failure, not a reason to skip.
CI_VARIABLE = "LIVING_ARCHITECTURE_CI"


def installed_python(version: str) -> str:
    """A Python of version ("3.10", the oldest the generated code supports; "3.8", one it must refuse):
    pythonX.Y on PATH, else the newest pyenv has installed (pyenv's shim may have none to hand on).
    Without one the test is skipped with the reason, or fails under CI."""
    pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    on_path = shutil.which(f"python{version}")
    installed = sorted(glob.glob(os.path.join(pyenv, "versions", f"{version}.*", "bin", f"python{version}")))
    found = next((python for python in [*([on_path] if on_path else []), *reversed(installed)]
                  if runs_python(python, version)), None)
    if found is None:
        reason = (f"Python {version} is not installed, so the generated code was not run on it "
                  f"(install it, e.g. `pyenv install {version}`, or put python{version} on PATH)")
        if os.environ.get(CI_VARIABLE):
            pytest.fail(f"{reason}; {CI_VARIABLE} is set, and CI must run them")
        pytest.skip(reason)
    return found


def runs_python(executable: str, version: str) -> bool:
    probe = subprocess.run([executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, check=False)
    return probe.stdout.strip() == version


def rendered_hook(name: str, context: dict) -> str:
    """A hook of this template rendered with context, as cookiecutter renders it before running it."""
    from cookiecutter.environment import StrictEnvironment

    source = (TEMPLATE / "hooks" / name).read_text(encoding="utf-8")
    return StrictEnvironment(context={"cookiecutter": context}).from_string(source).render(cookiecutter=context)
