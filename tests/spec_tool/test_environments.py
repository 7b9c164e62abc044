"""The spec tool in the environments it meets: old Pythons, locales that are not UTF-8, a FIFO given as
a document, two commands creating the same spec at once. Real processes: the process is what is tested."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.spec_tool.conftest import Repo

TOOL = "tools/spec.py"


def old_python(version: str) -> str:
    """Python 3.8 or 3.9: python3.X on PATH, or one under pyenv."""
    candidates = [shutil.which(f"python{version}"), *sorted(glob.glob(
        os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))]
    found = next((c for c in candidates if c and probe(c) == version), None)
    assert found, f"Python {version} is not installed: pyenv install {version} (or put python{version} on PATH)"
    return found


def probe(executable: str) -> str:
    result = subprocess.run([executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                            capture_output=True, text=True, check=False)
    return result.stdout.strip()


def tool(repo: Repo, *arguments: str, python: str = sys.executable, env: dict[str, str] | None = None,
         timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """The tool as a process, its output as bytes: the test reads them in the encoding it expects."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "PYTHON"))}
    environment.update({"LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": "1773144000", **(env or {})})
    return subprocess.run([python, TOOL, *arguments], cwd=repo.path, env=environment, capture_output=True,
                          timeout=timeout, check=False)


@pytest.mark.parametrize("version", ["3.8", "3.9"])
def test_python_before_3_10_gets_one_line_saying_3_10_is_needed(repo, version):
    python = old_python(version)
    before = repo.snapshot()
    for arguments in (["list"], ["new", "Add a cache"], ["--help"]):
        result = tool(repo, *arguments, python=python)
        stderr = result.stderr.decode()
        assert (result.returncode, result.stdout) == (1, b""), stderr
        assert stderr.startswith(f"error: tools/spec.py needs Python 3.10 or newer; this is Python {version}.")
        assert stderr.count("\n") == 1
    assert repo.snapshot() == before


@pytest.fixture(scope="module")
def latin1_locale(tmp_path_factory) -> dict[str, str]:
    """An ISO-8859-1 locale compiled into a folder of the test's own (few machines have one)."""
    localedef = shutil.which("localedef")
    assert localedef, "localedef is not installed: apt-get install -y locales"
    folder = tmp_path_factory.mktemp("locales")
    subprocess.run([localedef, "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
                   capture_output=True, check=False)
    environment = {"LOCPATH": str(folder), "LC_ALL": "en_US.ISO-8859-1", "LANG": "en_US.ISO-8859-1"}
    check = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"],
                           env={**os.environ, **environment, "PYTHONUTF8": "0"}, capture_output=True, text=True,
                           check=False)
    assert check.stdout.strip() == "iso8859-1", "localedef could not make en_US.ISO-8859-1 (install locales)"
    return environment


def test_under_a_latin_1_locale_file_names_stay_utf_8_in_the_index(repo, latin1_locale):
    assert tool(repo, "new", "Ærø ドキュメント").returncode == 0  # made under UTF-8
    index = repo.read("specs/README.md")
    result = tool(repo, "index", env=latin1_locale)
    assert result.returncode == 0, result.stderr
    assert repo.read("specs/README.md") == index
    made = tool(repo, "new", "Café crème", env=latin1_locale)
    assert (made.returncode, made.stdout.decode("utf-8")) == (0, "specs/features/cafe-creme.md\n")
    assert "(features/ærø-ドキュメント.md)" in repo.read("specs/README.md")
    assert sorted(os.listdir(os.fsencode(repo.path / "specs/features"))) == [
        b".gitkeep", b"cafe-creme.md", "ærø-ドキュメント.md".encode()]
    assert tool(repo, "check", env=latin1_locale).returncode == 0


def test_under_the_c_locale_without_utf_8_mode_nothing_fails_halfway(repo):
    c_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    result = tool(repo, "new", "日本語のドキュメント", "--owner", "Ærø", env=c_locale)
    assert (result.returncode, result.stderr) == (0, b""), result.stderr.decode()
    assert result.stdout.decode("utf-8") == "specs/features/日本語のドキュメント.md\n"
    text = repo.read("specs/features/日本語のドキュメント.md")
    assert text.startswith("# Spec: 日本語のドキュメント\n") and "**Owner**: Ærø\n" in text
    listed = tool(repo, "list", env=c_locale)
    assert listed.returncode == 0 and "日本語のドキュメント" in listed.stdout.decode("utf-8")
    assert tool(repo, "check", env=c_locale).returncode == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_touch_on_a_fifo_refuses_it_at_once(repo):
    os.mkfifo(repo.path / "pipe.md")
    result = tool(repo, "touch", "pipe.md", "architecture.md", timeout=20)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "pipe.md: is not a regular file (a FIFO, a device or a folder); only files are read\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_check_skips_a_fifo_named_like_a_manifest_and_specs_named_like_one(repo):
    os.mkfifo(repo.path / "go.mod")
    os.mkfifo(repo.path / "specs/features/pipe.md")
    result = tool(repo, "check", timeout=20)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tool(repo, "list", timeout=20).stdout == b"No specs yet.\n"


def test_two_news_with_the_same_title_at_once_make_one_spec(repo):
    def new(_: int) -> subprocess.CompletedProcess[bytes]:
        return tool(repo, "new", "Race for the name")

    for attempt in range(3):
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(new, range(2)))
        statuses = sorted(result.returncode for result in results)
        assert statuses == [0, 1], [result.stderr for result in results]
        failed = next(result for result in results if result.returncode)
        message = failed.stderr.decode()
        assert message.startswith("specs/features/race-for-the-name.md: already exists") and message.count("\n") == 1
        assert "| [Race for the name](features/race-for-the-name.md) |" in repo.read("specs/README.md")
        Path(repo.path / "specs/features/race-for-the-name.md").unlink()
        assert tool(repo, "index").returncode == 0, attempt
