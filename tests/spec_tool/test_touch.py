"""tools/spec.py: touch."""

from __future__ import annotations

import pytest

from tests.conftest import GIT, run
from tests.spec_tool.conftest import BAKED_ON, SESSIONS, SPEC, TODAY


def test_touch_stamps_last_updated_of_the_documents_it_is_given(three_specs):
    architecture = three_specs.read("architecture.md")
    spec = three_specs.read(SESSIONS)
    readme = three_specs.read("README.md")
    output = three_specs.ok("touch", "architecture.md", SESSIONS, "README.md", "specs/templates/feature.md")
    assert output == (
        f"architecture.md: Last Updated {TODAY}\n{SESSIONS}: Last Updated {TODAY}\n"
        "specs/README.md: index updated (3 specs)\n"
    )
    assert three_specs.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n**Priority**", f"**Last Updated**: {TODAY}\n**Priority**"
    )
    assert three_specs.read(SESSIONS) == spec.replace(
        "**Last Updated**: 2026-03-03", f"**Last Updated**: {TODAY}"
    )
    assert three_specs.read("README.md") == readme
    assert "**Last Updated**: [YYYY-MM-DD]" in three_specs.read("specs/templates/feature.md")
    assert f"| Architecture | Draft | Architecture Team | {TODAY} |" in three_specs.read("specs/README.md")
    assert three_specs.ok("check").endswith("check passed\n")
    assert three_specs.ok("touch", "architecture.md", SESSIONS) == ""  # already stamped today


def test_touch_fills_dated_placeholders_and_keeps_the_rest_byte_for_byte(repo):
    architecture = (
        repo.read("architecture.md").rstrip("\n") + "\n\n### Decision 9: Later\n\n**Date**: [YYYY-MM-DD]"
    )
    repo.write("architecture.md", architecture)  # no newline at the end
    assert (
        repo.ok("touch", "architecture.md", "--date", "2026-03-04")
        == "architecture.md: Last Updated 2026-03-04\n"
    )
    assert repo.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n**Priority**", "**Last Updated**: 2026-03-04\n**Priority**"
    ).replace("**Date**: [YYYY-MM-DD]", "**Date**: 2026-03-04")


def test_touch_leaves_dates_in_code_blocks_and_comments_alone(repo):
    examples = (
        "\n## Examples\n\n```markdown\n**Date**: [YYYY-MM-DD]\n- **[YYYY-MM-DD]**: An entry\n```\n\n"
        "<!--\n**Date**: [YYYY-MM-DD]\n- **[YYYY-MM-DD]**: An entry\n-->\n\n"
        "<!-- note -->- **[YYYY-MM-DD]**: after a comment, no list item\n\n"
        "**Date**: [YYYY-MM-DD]\n\n- **[YYYY-MM-DD]**: An entry\n"
    )
    architecture = repo.read("architecture.md") + examples
    repo.write("architecture.md", architecture)
    assert repo.ok("touch", "architecture.md") == f"architecture.md: Last Updated {TODAY}\n"
    stamped = examples.replace(
        "**Date**: [YYYY-MM-DD]\n\n- **[YYYY-MM-DD]**: An entry\n",
        f"**Date**: {TODAY}\n\n- **{TODAY}**: An entry\n",
    )
    assert repo.read("architecture.md") == architecture.replace(
        f"**Last Updated**: {BAKED_ON}\n**Priority**", f"**Last Updated**: {TODAY}\n**Priority**"
    ).replace(examples, stamped)


def test_touch_reports_files_it_cannot_stamp_and_stamps_the_others(repo):
    (repo.path / "notes.md").write_bytes(b"**Last Updated**: 2026-01-01\r\n")
    result = repo.spec("touch", "missing.md", "notes.md", "architecture.md")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"architecture.md: Last Updated {TODAY}\n",
        "missing.md: no such file\nnotes.md:1: has Windows (CRLF) line endings; save the file with LF line endings\n",
    )


LATER = "2026-03-11"  # a day after every date the specs hold


def git(repo, *arguments: str) -> str:
    result = run([*GIT, *arguments], cwd=repo.path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def committed(repo):
    for command in (["init", "-q"], ["add", "--all"], ["commit", "-q", "-m", "Docs"]):
        git(repo, *command)
    return repo


def test_touch_in_git_stamps_only_documents_changed_since_the_last_commit(three_specs):
    """pre-commit run --all-files passes every document: only those a commit would change get a date."""
    repo = committed(three_specs)
    unchanged = {name: repo.read(name) for name in ("architecture.md", SPEC)}
    repo.write(SESSIONS, repo.read(SESSIONS) + "\nEdited, not staged.\n")
    repo.write("specs/features/staged.md", repo.read(SPEC).replace("# Add an audit log", "# Staged"))
    git(repo, "add", "specs/features/staged.md")
    repo.write("specs/features/untracked.md", repo.read(SPEC).replace("# Add an audit log", "# Untracked"))
    (repo.path / ".gitignore").write_text("specs/features/ignored.md\n", encoding="utf-8")
    repo.write("specs/features/ignored.md", repo.read(SPEC).replace("# Add an audit log", "# Ignored"))
    changed = [SESSIONS, "specs/features/staged.md", "specs/features/untracked.md", "specs/features/ignored.md"]

    output = repo.ok("touch", "architecture.md", SPEC, *changed, "--date", LATER)

    assert output == "".join(f"{name}: Last Updated {LATER}\n" for name in changed) + (
        "specs/README.md: index updated (6 specs)\n"
    )
    assert {name: repo.read(name) for name in unchanged} == unchanged


def test_touch_in_git_takes_paths_relative_to_where_it_runs_even_strange_ones(three_specs):
    repo = committed(three_specs)
    strange = "specs/features/[x]*.md"
    repo.write(strange, repo.read(SPEC).replace("# Add an audit log", "# Strange"))
    git(repo, "add", "--", strange)
    git(repo, "commit", "-q", "-m", "Strange")
    repo.write(SPEC, repo.read(SPEC) + "\nEdited.\n")
    features = repo.path / "specs" / "features"
    output = repo.ok("touch", "[x]*.md", "add-an-audit-log.md", "../../architecture.md", "--date", LATER,
                     cwd=features)
    assert output == f"add-an-audit-log.md: Last Updated {LATER}\n../README.md: index updated (4 specs)\n"


@pytest.mark.parametrize("setting", ["no commit yet", "no git repository", "no git command"])
def test_touch_stamps_every_document_where_git_cannot_tell_what_changed(three_specs, tmp_path, setting):
    env: dict[str, str | None] = {}
    if setting == "no commit yet":
        git(three_specs, "init", "-q")
        git(three_specs, "add", "--all")
    elif setting == "no git command":
        committed(three_specs)
        (tmp_path / "empty").mkdir()
        env = {"PATH": str(tmp_path / "empty")}
    assert three_specs.ok("touch", "architecture.md", SPEC, "--date", LATER, env=env) == (
        f"architecture.md: Last Updated {LATER}\n{SPEC}: Last Updated {LATER}\n"
        "specs/README.md: index updated (3 specs)\n"
    )


def test_touch_in_git_still_reports_a_missing_file(three_specs):
    repo = committed(three_specs)
    result = repo.spec("touch", "missing.md", "architecture.md", "--date", LATER)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "missing.md: no such file\n")
