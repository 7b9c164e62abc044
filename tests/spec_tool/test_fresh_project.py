"""tools/spec.py: fresh project."""

from __future__ import annotations

import json
import re


def test_a_fresh_project_passes_check_with_a_placeholder_warning(repo):
    result = repo.spec("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(
        r"No specs yet\.\nwarning: \d+ placeholders still to fill in architecture\.md, the first at line \d+\n"
        r"check passed\n",
        result.stdout,
    ), result.stdout


def test_a_fresh_project_index_is_what_index_writes(repo):
    before = repo.read("specs/README.md")
    assert repo.ok("index") == "specs/README.md: index already up to date (0 specs)\n"
    assert repo.read("specs/README.md") == before
    assert "<!-- spec-index:start" in before and "\n\nNo specs yet.\n\n<!-- spec-index:end -->\n" in before


def test_list_on_a_fresh_project(repo):
    assert repo.ok("list") == "No specs yet.\n"
    assert json.loads(repo.ok("list", "--json")) == []
