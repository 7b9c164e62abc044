"""tools/spec.py: check."""

from __future__ import annotations

import re
import time

import pytest

from tests.spec_tool.conftest import (
    BAKED_ON,
    SESSIONS,
    SPEC,
    TODAY,
    Repo,
    epoch,
    future,
    latest_date_anywhere,
    line_of,
    ready,
)


def test_check_summarizes_specs_by_status(three_specs):
    ready(three_specs, SESSIONS)
    three_specs.ok("implement", "move-sessions-to-redis")
    output = three_specs.ok("check")
    assert output.startswith("3 specs: 1 Draft, 1 In Progress, 1 Implemented\nwarning: ")
    assert output.endswith("check passed\n")


def with_line(text: str, after: str, line: str) -> str:
    return text.replace(after, after + line, 1)


# Each: how a spec goes wrong, and the error check prints for it (the line found by a fragment of the result).
SPEC_PROBLEMS = {
    "unknown status": (
        lambda t: t.replace("**Status**: Draft", "**Status**: Done"),
        "**Status**",
        'Status "Done" is not one of Draft, Planned, In Progress, Implemented, Superseded, Rejected',
    ),
    "unreal date": (
        lambda t: t.replace(f"**Created**: {TODAY}", "**Created**: 2026-02-30"),
        "**Created**",
        'Created "2026-02-30" is not a real date written YYYY-MM-DD',
    ),
    "date left as a placeholder": (
        lambda t: t.replace(f"**Created**: {TODAY}", "**Created**: [YYYY-MM-DD]"),
        "**Created**",
        'Created "[YYYY-MM-DD]" is not a real date written YYYY-MM-DD',
    ),
    "last updated before created": (
        lambda t: t.replace(f"**Last Updated**: {TODAY}", "**Last Updated**: 2026-03-01"),
        "**Last Updated**",
        f"Last Updated 2026-03-01 is earlier than Created {TODAY} (line 5)",
    ),
    "deleted section": (
        lambda t: re.sub(r"## Rollback\n\n.*?\n\n", "", t, flags=re.DOTALL),
        "## Validation",
        'missing section "## Rollback" (every spec has the sections of specs/templates/feature.md)',
    ),
    "broken link": (
        lambda t: t.replace("## Plan\n", "## Plan\n\nSee [the design](../designs/sessions.md).\n"),
        "See [the design]",
        "link to ../designs/sessions.md: no such file",
    ),
    "superseded without successor": (
        lambda t: t.replace("**Status**: Draft", "**Status**: Superseded"),
        "**Superseded by**",
        "Status is Superseded but **Superseded by** names no spec; use the supersede command",
    ),
    "successor without superseded": (
        lambda t: t.replace("**Superseded by**: None", "**Superseded by**: [Audit v2](add-an-audit-log.md)"),
        "**Superseded by**",
        "**Superseded by** names a spec but Status is Draft, not Superseded; "
        "use the supersede command, or clear the field",
    ),
}


@pytest.mark.parametrize("problem", SPEC_PROBLEMS)
def test_check_reports_a_bad_spec_as_path_line_message(repo, problem):
    edit, fragment, message = SPEC_PROBLEMS[problem]
    repo.ok("new", "Add an audit log")
    text = edit(repo.read(SPEC))
    repo.write(SPEC, text)
    repo.ok("index")  # a spec edited by hand, as its author would leave it
    result = repo.spec("check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SPEC}:{line_of(text, fragment)}: {message}"
    assert lines[-1] == "check failed: 1 error"


def set_last_updated(repo: Repo, relative: str, date: str) -> str:
    """The document with its Last Updated set to date, written; the index refreshed for a spec."""
    text = re.sub(
        r"^\*\*Last Updated\*\*: .*$",
        f"**Last Updated**: {date}",
        repo.read(relative),
        count=1,
        flags=re.MULTILINE,
    )
    repo.write(relative, text)
    repo.ok("index")
    return text


def test_check_calls_a_date_future_only_once_no_clock_on_earth_shows_it(repo):
    repo.ok("new", "Add an audit log", "--date", BAKED_ON)
    latest = latest_date_anywhere()
    set_last_updated(repo, SPEC, latest)  # stamped in UTC+14, say
    utc_minus_12 = {"SOURCE_DATE_EPOCH": None, "TZ": "Etc/GMT+12"}  # where the local date is the earliest
    assert repo.ok("check", env=utc_minus_12).endswith("check passed\n")
    assert repo.ok("check").endswith("check passed\n")  # SOURCE_DATE_EPOCH, TODAY, is earlier still
    text = set_last_updated(repo, SPEC, latest_date_anywhere(days=1))
    result = repo.spec("check", env=utc_minus_12)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{SPEC}:{line_of(text, '**Last Updated**')}: Last Updated {future(latest_date_anywhere(days=1), latest)}"
    )


def test_check_with_source_date_epoch_in_the_past_still_takes_the_clock(three_specs):
    assert three_specs.ok("check", env={"SOURCE_DATE_EPOCH": "315532800"}).endswith("check passed\n")  # 1980


def test_check_with_source_date_epoch_ahead_of_the_clock_allows_up_to_its_date(repo):
    ahead = {"SOURCE_DATE_EPOCH": epoch("2099-06-01")}
    repo.ok("new", "Add an audit log", "--date", "2099-06-01", env=ahead)
    assert repo.ok("check", env=ahead).endswith("check passed\n")
    text = set_last_updated(repo, SPEC, "2099-06-02")
    result = repo.spec("check", env=ahead)
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        1,
        f"{SPEC}:{line_of(text, '**Last Updated**')}: Last Updated {future('2099-06-02', '2099-06-01')}",
    )


def test_check_on_a_line_of_brackets_takes_linear_time(repo):
    """A link and a placeholder scan once past each open bracket, not once from every one of them."""
    expected = repo.ok("check")
    architecture = repo.read("architecture.md")
    for line in ("[" * 50_000, "[a\\]" * 12_500, "[](<" * 12_500, "[a\\]*[](x '" * 4_000):
        repo.write("architecture.md", architecture + "\n" + line + "\n")
        start = time.perf_counter()
        assert repo.ok("check") == expected, line[:12]
        assert time.perf_counter() - start < 5, line[:12]  # quadratic, the first took a minute


def test_check_ignores_links_and_headings_inside_code_and_comments(repo):
    repo.ok("new", "Add an audit log")
    text = repo.read(SPEC).replace(
        "## Plan\n",
        "## Plan\n\n```markdown\n## Rollback\n[x](missing.md)\n```\n\n"
        "<!-- [y](missing.md) -->\n\nRun `[z](missing.md)` and see "
        "[the site](https://example.com) and [top](#purpose).\n",
    )
    repo.write(SPEC, text)
    assert repo.ok("check").endswith("check passed\n")
    before, _, after = text.rpartition("\n## Rollback\n")  # the real one, after the code block
    repo.write(SPEC, before + "\n" + after)
    assert 'missing section "## Rollback"' in repo.spec("check").stdout


def test_check_reports_every_problem_in_architecture_md(repo):
    repo.ok("new", "Move sessions to Redis", "--architecture")
    ready(repo, SESSIONS)
    repo.ok("implement", "move-sessions-to-redis")
    architecture = repo.read("architecture.md")
    broken = (
        architecture.replace(f"**Last Updated**: {TODAY}\n", f"**Last Updated**: {BAKED_ON}\n", 1)
        .replace(
            "**Reference**: [specs/README.md](specs/README.md)",
            "**Reference**: [the process](specs/PROCESS.md)",
        )
        .replace("- **2026-03-10**: Move", "- **2026-02-30**: Old\n- **2026-03-10**: Move")
    )
    repo.write("architecture.md", broken)
    result = repo.spec("check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        f"architecture.md:{line_of(broken, '**Reference**: [the process]')}: "
        "link to specs/PROCESS.md: no such file",
        f"architecture.md:{line_of(broken, '- **2026-02-30**')}: "
        "2026-02-30 in the Implementation History is not a real date",
        f"architecture.md:{line_of(broken, '**Last Updated**')}: Last Updated {BAKED_ON} is older than the newest "
        f"Implementation History entry (2026-03-10, line {line_of(broken, '- **2026-03-10**')})",
    ]
    assert result.stdout.endswith("check failed: 3 errors\n")


def test_check_reports_a_stale_index(repo):
    repo.ok("new", "Add an audit log")
    repo.write(SPEC, repo.read(SPEC).replace("**Status**: Draft", "**Status**: Planned"))
    result = repo.spec("check")
    readme = repo.read("specs/README.md")
    line = line_of(readme, "<!-- spec-index:start") + 1
    assert result.stdout.splitlines()[0] == (
        f"specs/README.md:{line}: the spec index is out of date; run python tools/spec.py index"
    )
    repo.ok("index")
    assert repo.ok("check").endswith("check passed\n")


def test_check_counts_placeholders_and_strict_lists_them_as_errors(repo):
    baseline = re.search(r"warning: (\d+) placeholders", repo.ok("check"))
    count = int(baseline[1])
    architecture = repo.read("architecture.md").replace(
        "## Implementation History\n",
        "## Implementation History\n\n- [ ] a checkbox, [a link](README.md), \\[escaped\\], `[code]`, "
        "<!-- [comment] --> [Who signs off] and [one more [nested] placeholder]\n",
    )
    repo.write("architecture.md", architecture)
    line = line_of(architecture, "- [ ] a checkbox")
    assert f"warning: {count + 2} placeholders still to fill in architecture.md" in repo.ok("check")
    strict = repo.spec("check", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.count("still to fill in\n") == count + 2
    assert f"architecture.md:{line}: placeholder [Who signs off] still to fill in\n" in strict.stdout
    assert (
        f"architecture.md:{line}: placeholder [one more [nested] placeholder] still to fill in\n"
        in strict.stdout
    )
    assert strict.stdout.endswith(f"check failed: {count + 2} errors\n")


def test_check_strict_passes_once_architecture_md_is_filled_in(repo):
    architecture = re.sub(
        r"(?<![\\!\]])\[(?!YYYY)[^\[\]\n]*(\[[^\[\]\n]*\][^\[\]\n]*)*\](?!\()",
        "filled",
        repo.read("architecture.md"),
    )
    repo.write("architecture.md", architecture)
    assert repo.ok("check", "--strict").splitlines() == ["No specs yet.", "check passed"]
