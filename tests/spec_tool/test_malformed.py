"""tools/spec.py: malformed."""

from __future__ import annotations

import pytest

from tests.spec_tool.conftest import BAKED_ON, SPEC, Repo, ready


def spec_bytes(repo: Repo, problem: str) -> tuple[bytes, int, str]:
    """A spec broken in one of the ways a file gets broken, with the line and message the tool gives."""
    text = repo.read(SPEC)
    if problem == "CRLF line endings":
        return (
            text.replace("\n", "\r\n").encode(),
            1,
            "has Windows (CRLF) line endings; save the file with LF line endings",
        )
    if problem == "a byte order mark":
        return (
            b"\xef\xbb\xbf" + text.encode(),
            1,
            ("starts with a byte order mark (BOM); save the file as UTF-8 without BOM"),
        )
    if problem == "bytes that are not UTF-8":
        return (
            text.replace("**Owner**: Architecture Team", "**Owner**: Caf\udce9").encode(
                "utf-8", "surrogateescape"
            ),
            4,
            "is not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        )
    if problem == "a missing field":
        return (
            text.replace("**Owner**: Architecture Team\n", "").encode(),
            9,
            (
                'no **Owner** field in the metadata block; add a line "**Owner**: ..." before the first ## heading'
            ),
        )
    if problem == "a doubled field":
        return (
            text.replace("**Priority**", "**Status**: Planned\n**Priority**").encode(),
            7,
            ("**Status** appears twice in the metadata block (also line 3)"),
        )
    if problem == "no title":
        return (
            text.replace("# Spec: Add an audit log\n", "").encode(),
            1,
            ('no title line "# Spec: Title" before the first ## heading'),
        )
    raise AssertionError(problem)


MALFORMED = [
    "CRLF line endings",
    "a byte order mark",
    "bytes that are not UTF-8",
    "a missing field",
    "a doubled field",
    "no title",
]


@pytest.mark.parametrize("problem", MALFORMED)
def test_a_malformed_spec_is_one_clear_line_never_a_traceback(repo, problem):
    repo.ok("new", "Add an audit log")
    repo.ok("new", "Zero downtime deploys")
    ready(repo, "specs/features/zero-downtime-deploys.md", status="In Progress")  # only the other spec is in the way
    data, line, message = spec_bytes(repo, problem)
    (repo.path / SPEC).write_bytes(data)
    error = f"{SPEC}:{line}: {message}"
    before = repo.snapshot()
    check = repo.spec("check")
    assert (check.returncode, check.stdout.splitlines()[0], check.stderr) == (1, error, "")
    for arguments in (
        ["list"],
        ["index"],
        ["status", "zero-downtime-deploys", "Planned"],
        ["new", "Another"],
        ["implement", "zero-downtime-deploys"],
        ["status", "add-an-audit-log", "Planned"],
    ):
        result = repo.spec(*arguments)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", error + "\n"), arguments
    assert repo.snapshot() == before  # every command stopped before writing anything


@pytest.mark.parametrize(
    "problem, message",
    [
        (
            "CRLF line endings",
            "architecture.md:1: has Windows (CRLF) line endings; save the file with LF line endings",
        ),
        (
            "a doubled Last Updated",
            "architecture.md:6: **Last Updated** appears twice in the metadata block (also line 5)",
        ),
    ],
)
def test_a_malformed_architecture_md_stops_implement_and_fails_check(repo, problem, message):
    repo.ok("new", "Add an audit log")
    ready(repo, SPEC)
    text = repo.read("architecture.md")
    if problem == "CRLF line endings":
        data = text.replace("\n", "\r\n").encode()
    else:
        data = text.replace("**Priority**", f"**Last Updated**: {BAKED_ON}\n**Priority**", 1).encode()
    (repo.path / "architecture.md").write_bytes(data)
    before = repo.snapshot()
    result = repo.spec("implement", "add-an-audit-log")
    assert (result.returncode, result.stderr) == (1, message + "\n")
    assert repo.snapshot() == before
    assert message in repo.spec("check").stdout.splitlines()
