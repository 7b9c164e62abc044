"""tools/spec.py: writing."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from tests.spec_tool.conftest import SESSIONS, SPEC, TODAY, epoch, load_tool, ready


def test_an_interrupted_write_leaves_the_old_file_intact(repo, monkeypatch, capsys):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS)
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    written = []

    def interrupted(source, destination):
        written.append(Path(source).read_text(encoding="utf-8"))  # the whole new text was there
        raise KeyboardInterrupt

    monkeypatch.setattr(tool.os, "replace", interrupted)
    assert tool.main(["implement", "move-sessions-to-redis"]) == 130
    monkeypatch.undo()
    assert (
        capsys.readouterr().err
        == "error: interrupted; every file is either as it was or completely written\n"
    )
    assert "### Decision 2: Move sessions to Redis" in written[0]
    assert repo.snapshot() == before  # no half-written file, no temporary file left behind


DENIED = os.strerror(errno.EACCES)


def refused_rename(source, destination):
    """os.replace where the document may not be replaced: the system names the temporary file first."""
    raise PermissionError(errno.EACCES, DENIED, source, None, destination)


def refused_new_file(suffix=None, prefix=None, dir=None, text=False):
    """tempfile.mkstemp in a folder that takes no new file: the system names the file it tried."""
    raise PermissionError(errno.EACCES, DENIED, os.path.join(dir, f"{prefix}k2j4x9{suffix}"))


@pytest.mark.parametrize(
    "module, name, failure",
    [(os, "replace", refused_rename), (tempfile, "mkstemp", refused_new_file)],
    ids=["rename", "temporary file"],
)
def test_a_failed_write_names_the_document_and_leaves_it_intact(
    repo, monkeypatch, capsys, module, name, failure
):
    repo.ok("new", "Add an audit log")
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    monkeypatch.setattr(module, name, failure)
    assert tool.main(["status", "add-an-audit-log", "Planned"]) == 1
    monkeypatch.undo()
    assert capsys.readouterr() == ("", f"{SPEC}: cannot be written: {DENIED}\n")
    assert repo.snapshot() == before  # no temporary file left


def test_a_read_only_document_that_cannot_be_replaced_leaves_no_temporary_file(repo, monkeypatch, capsys):
    """On Windows a read-only file can be neither replaced nor deleted, and its temporary copy is read-only too."""
    repo.ok("new", "Add an audit log")
    spec = repo.path / SPEC
    spec.chmod(stat.S_IREAD)
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    unlink, replace = os.unlink, os.replace

    def windows_unlink(path, *, dir_fd=None):
        if not os.stat(path).st_mode & stat.S_IWRITE:
            raise PermissionError(errno.EACCES, DENIED, str(path))
        unlink(path, dir_fd=dir_fd)

    def windows_replace(source, destination):
        if not os.stat(destination).st_mode & stat.S_IWRITE:
            refused_rename(source, destination)
        replace(source, destination)

    monkeypatch.setattr(os, "unlink", windows_unlink)
    monkeypatch.setattr(os, "replace", windows_replace)
    assert tool.main(["status", "add-an-audit-log", "Planned"]) == 1
    monkeypatch.undo()
    spec.chmod(stat.S_IREAD | stat.S_IWRITE)
    assert capsys.readouterr() == ("", f"{SPEC}: cannot be written: {DENIED}\n")
    assert repo.snapshot() == before  # the temporary file is gone, the spec as it was


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_writes_keep_the_file_mode(repo):
    (repo.path / "architecture.md").chmod(0o640)
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC)
    repo.ok("implement", "add-an-audit-log")
    assert (repo.path / "architecture.md").stat().st_mode & 0o777 == 0o640


def test_a_rename_failing_on_the_second_file_puts_the_first_back(repo, monkeypatch, capsys):
    """implement writes architecture.md, the spec and the index: all of them, or none."""
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC)
    before = repo.snapshot()
    tool = load_tool(repo)
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    replace, renamed = os.replace, []

    def spec_refused(source, destination):
        if Path(destination).name == "add-an-audit-log.md":
            refused_rename(source, destination)
        renamed.append(Path(destination).name)
        replace(source, destination)

    monkeypatch.setattr(tool.os, "replace", spec_refused)
    assert tool.main(["implement", "add-an-audit-log"]) == 1
    monkeypatch.undo()
    assert renamed == ["architecture.md", "architecture.md"]  # replaced, then put back
    assert capsys.readouterr() == ("", f"{SPEC}: cannot be written: {DENIED}\n")
    assert repo.snapshot() == before


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_document_that_is_a_symbolic_link_is_written_through_it(repo, tmp_path):
    shared = tmp_path / "shared-docs"
    shared.mkdir()
    (repo.path / "architecture.md").rename(shared / "architecture.md")
    (repo.path / "architecture.md").symlink_to(shared / "architecture.md")
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC)
    repo.ok("implement", "add-an-audit-log")
    assert (repo.path / "architecture.md").is_symlink()
    assert "(specs/features/add-an-audit-log.md)" in (shared / "architecture.md").read_text(encoding="utf-8")
    assert sorted(path.name for path in shared.iterdir()) == ["architecture.md"]  # no temporary file left
    assert repo.ok("check").endswith("check passed\n")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() != 0, reason="changing owners needs root on POSIX")
def test_a_run_as_root_leaves_the_teams_files_owned_by_the_team(repo):
    team = (1234, 1234)
    for path in [repo.path, *repo.path.rglob("*")]:
        os.chown(path, *team)
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC)
    repo.ok("implement", "add-an-audit-log")
    owners = {(p.stat().st_uid, p.stat().st_gid) for p in [repo.path, *repo.path.rglob("*")]}
    assert owners == {team}
