"""tools/spec.py: touch."""

from __future__ import annotations

from tests.spec_tool.conftest import BAKED_ON, SESSIONS, TODAY


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
