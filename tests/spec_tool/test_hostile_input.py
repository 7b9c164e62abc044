"""Hostile titles, options, file names and documents: refused with one line, or written as lint-clean
Markdown the tool reads back exactly; never a raw escape sequence on the terminal, never a second spec."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.spec_tool.conftest import FIRST_HISTORY_ENTRY, TODAY, Repo, in_process_tool, ready
from tests.test_ecosystem import markdownlint_cli2

RAW_ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def one_line_error(result, exit_status: int = 2) -> str:
    """The one line a refused command printed; nothing on stdout."""
    assert (result.returncode, result.stdout) == (exit_status, ""), result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and not RAW_ESCAPES.search(result.stderr), repr(result.stderr)
    return result.stderr.rstrip("\n")


def spec_names(repo: Repo) -> list[str]:
    return sorted(path.name for path in (repo.path / "specs/features").iterdir() if path.name != ".gitkeep")


# ---- Control and format characters ----------------------------------------------------------------------

UNSAFE = [
    ("\x00", "U+0000, a control character"),
    ("\x1b[31m", "U+001B, a control character"),
    ("\x07", "U+0007, a control character"),
    ("\x7f", "U+007F, a control character"),
    ("\x85", "U+0085, a control character"),
    ("\u202e", "U+202E, a format character"),
    ("\u2066", "U+2066, a format character"),
    ("\u200b", "U+200B, a format character"),
    ("\ufeff", "U+FEFF, a format character"),
    ("\u2028", "U+2028, a line separator"),
    ("\u2029", "U+2029, a paragraph separator"),
]


@pytest.mark.parametrize("character, kind", UNSAFE, ids=[repr(c) for c, _ in UNSAFE])
@pytest.mark.parametrize("option", ["TITLE", "--owner", "--priority"])
def test_an_unsafe_character_in_an_argument_is_refused_with_one_line(repo, option, character, kind):
    before = repo.snapshot()
    value = f"Cache{character}evil"
    arguments = ["new", value] if option == "TITLE" else ["new", "Add a cache", option, value]
    message = one_line_error(repo.spec(*arguments))
    assert message.startswith(f"error: {option} holds {kind}"), message
    assert "printable text only" in message
    assert repo.snapshot() == before


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Family 👨\u200d👩\u200d👧 plan", "family-plan"),  # emoji keep their zero-width joiners
        # Persian keeps its zero-width non-joiner in the title; the file name has a dash there
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc-\u062e\u0648\u0627\u0647\u0645"),
        ("Tab\there", "tab-here"),  # a tab becomes a space: no hard tab in the Markdown
    ],
)
def test_joiners_and_tabs_are_accepted(repo, title, slug):
    assert repo.ok("new", title) == f"specs/features/{slug}.md\n"
    assert "\t" not in repo.read(f"specs/features/{slug}.md")


HOSTILE_SPEC = """# Spec: \x1b]0;owned\x07 Title \u202eevil

**Status**: \x1b[2JDraft
**Owner**: \x1b[31mRed\x1b[0m
**Created**: 2026-03-01
**Last Updated**: 2026-03-01
**Priority**: \x9b6n
**Supersedes**: None
**Superseded by**: None

## Purpose

[link](\x1b[5mnowhere.md)
"""


def test_list_and_check_print_a_hostile_specs_text_as_escapes(repo):
    repo.write("specs/features/evil.md", HOSTILE_SPEC)
    repo.write("specs/features/name\x1b[31m.md", HOSTILE_SPEC)
    arguments_with_escapes = (["status", "\x1b[2Jgone", "Planned"], ["list", "--status", "\x1b]0;x\x07"])
    for arguments in (["list"], ["check"], ["list", "--json"], ["index"], ["status", "evil", "Planned"],
                      *arguments_with_escapes):
        result = repo.spec(*arguments)
        output = result.stdout + result.stderr
        assert not RAW_ESCAPES.search(output), (arguments, output)
    listed = repo.spec("list").stdout
    assert "\\x1b[2JDraft" in listed and "\\x1b[31mRed\\x1b[0m" in listed and "name\\x1b[31m" in listed
    checked = repo.spec("check").stdout
    assert "link to \\x1b[5mnowhere.md: no such file" in checked


# ---- Titles that must give lint-clean Markdown ---------------------------------------------------------

LINT_TITLES = [
    "Mail ops@example.com",
    "See https://example.com/x?a=1",
    "HTTP://EXAMPLE.COM upper case",
    "www.example.com rollout",
    "ftp://files.example.com",
    "mailto:a@b.co",
    "Tab\tinside",
    "Fix it.",
    "Heading:",
    "Ends with !",
    "Full stop。",
    "More",
    "here",
    "Link",
    "click here!",
    "[WIP] Fix login",
    "a]b[c",
    "(a)[b]",
    "Use <!-- markers",
    "x*y*z _u_ `code` ~~old~~",
    "1. Numbered",
    "> quote",
    "# hash",
    "- dash",
    "C# and F#",
    "A | pipe",
    "R&D &amp; &#46;",
    "back\\slash\\",
    "Café crème",
    "日本語のドキュメント",
]


def lint(root: Path) -> str:
    result = markdownlint_cli2("**/*.md", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_every_hostile_title_and_owner_gives_lint_clean_markdown(repo):
    made = []
    for number, title in enumerate(LINT_TITLES):
        owner = ["ops@example.com", "https://team.example.com", "www.example.com"][number % 3]
        extra = ["--architecture"] if number % 2 else []
        result = repo.spec("new", f"{title} {number}" if number % 5 == 0 else title, *extra, "--owner", owner,
                           "--priority", "See http://x.example", "--date", "2026-03-03")
        assert result.returncode == 0, result.stdout + result.stderr
        made.append(result.stdout.strip())
    slugs = [Path(path).stem for path in made]
    ready(repo, made[1])
    ready(repo, made[2])
    repo.ok("implement", slugs[1], "--date", TODAY)  # an architecture spec: a decision and a history entry
    repo.ok("implement", slugs[2], "--date", "2026-03-05")
    repo.ok("supersede", slugs[12], "--by", slugs[13])
    repo.ok("supersede", slugs[15], "--by", slugs[16])
    for number, summary in enumerate(LINT_TITLES):  # minor changes, summarised as hostilely
        repo.ok("log", f"{summary} {number}", "--date", "2026-03-06")
    assert repo.ok("check").endswith("check passed\n")
    lint(repo.path)
    listed = json.loads(repo.ok("list", "--json"))
    titles = {record["title"] for record in listed}
    assert {title.replace("\t", " ") for title in LINT_TITLES if LINT_TITLES.index(title) % 5} <= titles
    assert {record["owner"] for record in listed} == {"ops@example.com", "https://team.example.com", "www.example.com"}


# ---- The tool's own spec passes its own check, whatever the title ------------------------------------

TITLE_CHARACTERS = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"), blacklist_characters="\u200c\u200d"
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.one_of(
        st.text(TITLE_CHARACTERS, min_size=1, max_size=40),
        st.lists(st.sampled_from(["<!--", "-->", "`", "``", "[", "]", "(", ")", "\\", "#", "*", "x", " ", "<"]),
                 max_size=12).map("".join),
    )
)
def test_a_spec_the_tool_makes_passes_check_whatever_its_title(repo, title):
    result = repo.spec("new", f"x {title}")
    if result.returncode:  # no letters left for a file name, or the name is taken: one line, nothing written
        one_line_error(result, result.returncode)
        return
    path = result.stdout.strip()
    try:
        checked = repo.spec("check")
        assert checked.returncode == 0 and checked.stdout.endswith("check passed\n"), checked.stdout
        listed = json.loads(repo.ok("list", "--json"))
        assert [record["title"] for record in listed] == [f"x {title}".replace("\t", " ").strip()]
    finally:
        (repo.path / path).unlink()
        repo.ok("index")


def test_a_comment_opener_in_a_description_does_not_blind_check(repo):
    path = repo.ok("new", "Parse comments").strip()
    text = repo.read(path)
    repo.write(path, text.replace("## Purpose\n", "## Purpose\n\nThe parser must keep <!-- in prose.\n\n"
                                  "See [the notes](missing.md).\n", 1).replace("## Rollback\n", "", 1))
    output = repo.spec("check").stdout
    assert f"{path}:" in output and "link to missing.md: no such file" in output
    assert 'missing section "## Rollback"' in output


# ---- Structure: loose history entries, brackets in titles ---------------------------------------------

def test_a_backdated_entry_goes_after_a_loose_items_paragraph(repo):
    architecture = repo.read("architecture.md")
    last = "  - Spec: Direct update\n"
    loose = last + "\n  A paragraph of that entry, indented, after a blank line.\n"
    assert architecture.count(last) == 1 and FIRST_HISTORY_ENTRY in architecture
    repo.write("architecture.md", architecture.replace(last, loose, 1))
    ready(repo, repo.ok("new", "Backdated", "--date", "2026-03-01").strip())
    repo.ok("implement", "backdated", "--date", "2026-03-01")
    entry = "- **2026-03-01**: Backdated\n  - Spec: [specs/features/backdated.md](specs/features/backdated.md)\n"
    assert loose + entry in repo.read("architecture.md")
    assert repo.ok("check").endswith("check passed\n")
    lint(repo.path)


def hand_written(repo: Repo, slug: str, title: str) -> None:
    template = repo.read("specs/templates/feature.md")
    text = template.replace("[Title]", title, 1).replace("[YYYY-MM-DD]", "2026-03-01")
    repo.write(f"specs/features/{slug}.md", re.sub(r"\*\*Status\*\*: .*", "**Status**: Draft", text, count=1))


def test_supersede_with_bracketed_titles_links_once_however_often_it_runs(repo):
    hand_written(repo, "old", "[WIP] Fix login [v1]")
    hand_written(repo, "new", "Fix login ]properly[")
    repo.ok("index")
    for _ in range(3):
        repo.spec("supersede", "old", "--by", "new")
    assert re.search(r"\*\*Superseded by\*\*: (.*)", repo.read("specs/features/old.md"))[1] == (
        "[Fix login \\]properly\\[](new.md)"
    )
    assert re.search(r"\*\*Supersedes\*\*: (.*)", repo.read("specs/features/new.md"))[1] == (
        "[\\[WIP\\] Fix login \\[v1\\]](old.md)"
    )
    assert repo.ok("check").endswith("check passed\n")


def test_a_bracketed_title_becomes_no_placeholder_in_architecture_md(repo):
    before = repo.ok("check").splitlines()[-2]
    hand_written(repo, "wip", "[WIP] Fix login")
    ready(repo, "specs/features/wip.md")
    repo.ok("index")
    repo.ok("implement", "wip")
    assert f"- **{TODAY}**: \\[WIP\\] Fix login\n" in repo.read("architecture.md")
    assert repo.ok("check").splitlines()[-2] == before  # the same number of placeholders


# ---- File names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, target",
    [("a#b.md", "a%23b.md"), ("100%.md", "100%25.md"), ("why?.md", "why%3F.md"), ("x <y>.md", "<x %3Cy%3E.md>")],
)
def test_a_spec_file_name_with_url_characters_is_linked_percent_encoded(repo, name, target):
    hand_written(repo, name.removesuffix(".md"), "Odd name")
    repo.ok("new", "Plain")
    repo.ok("index")
    in_index = target.replace("<", "<features/", 1) if target.startswith("<") else f"features/{target}"
    assert f"| [Odd name]({in_index}) |" in repo.read("specs/README.md")
    repo.ok("supersede", name, "--by", "plain")
    repo.ok("supersede", name, "--by", "plain")
    assert re.search(r"\*\*Supersedes\*\*: (.*)", repo.read("specs/features/plain.md"))[1] == f"[Odd name]({target})"
    assert repo.ok("check").endswith("check passed\n")


def test_the_same_title_composed_or_decomposed_makes_one_spec(repo):
    title = "Café ドキュメント"
    repo.ok("new", unicodedata.normalize("NFC", title))
    message = one_line_error(repo.spec("new", unicodedata.normalize("NFD", title)), 1)
    assert message == "specs/features/cafe-ドキュメント.md: already exists; edit it, or choose another title"
    assert spec_names(repo) == ["cafe-ドキュメント.md"]


@pytest.mark.parametrize(
    "title, slug",
    [
        ("हिन्दी दस्तावेज़", "हिन्दी-दस्तावेज\u093c"),  # vowel signs and virama are part of the word
        ("ภาษาไทย ใหม่", "ภาษาไทย-ใหม่"),  # Thai vowel marks
        ("Ελληνικά Έγγραφα", "ελληνικά-έγγραφα"),  # Greek keeps its accents: it is no Latin letter
        ("ト\u3099キュメント", "ドキュメント"),  # a decomposed voiced mark composes
        ("Ünïcødé Straße", "unicøde-straße"),  # accents go; letters of their own stay
        ("İstanbul", "istanbul"),
    ],
)
def test_slugs_keep_the_letters_of_every_script(repo, title, slug):
    assert repo.ok("new", title) == f"specs/features/{unicodedata.normalize('NFC', slug)}.md\n"


def test_a_long_title_in_a_four_byte_script_fits_the_file_name_limit(repo):
    title = "\U00020000" * 100 + " plan"  # CJK Extension B: four bytes each in UTF-8
    path = repo.ok("new", title, "--architecture").strip()
    assert path == "specs/features/architecture-" + "\U00020000" * 30 + ".md"
    assert len(Path(path).name.encode("utf-8")) < 255 - 20
    assert repo.ok("check").endswith("check passed\n")


def test_hidden_markdown_files_are_no_specs(repo):
    repo.write("specs/features/._resource-fork.md", "\x00\x05binary")
    repo.write("specs/features/.draft.md", "# notes\n")
    assert repo.ok("list") == "No specs yet.\n"
    assert repo.ok("check").endswith("check passed\n")


def test_a_fenced_example_in_the_header_is_no_field(repo):
    path = repo.ok("new", "Fenced").strip()
    text = repo.read(path)
    example = "```markdown\n**Status**: Implemented\n**Owner**: Nobody\n```\n\n<!-- **Priority**: None -->\n"
    repo.write(path, text.replace("**Supersedes**", example + "**Supersedes**", 1))
    assert repo.ok("status", "fenced", "Planned") == f"{path}: Draft -> Planned\n"
    assert example in repo.read(path)
    assert "**Status**: Planned\n" in repo.read(path)
    assert repo.ok("check").endswith("check passed\n")
    assert json.loads(repo.ok("list", "--json"))[0]["owner"] != "Nobody"


def test_a_spec_created_meanwhile_is_never_overwritten(repo):
    tool = in_process_tool(repo.path)
    path = repo.path / "specs/features/raced.md"
    path.write_text("theirs\n", encoding="utf-8")
    with pytest.raises(tool.SpecError, match=r"raced\.md: already exists, created meanwhile"):
        tool.write_documents([tool.Document(path, "ours\n", new=True)])
    assert path.read_text(encoding="utf-8") == "theirs\n"
    assert spec_names(repo) == ["raced.md"]  # no temporary file left


def test_check_reports_a_comment_that_hides_the_rest_of_a_document(repo):
    path = repo.ok("new", "Unclosed").strip()
    text = repo.read(path)
    repo.write(path, text.replace("## Purpose\n", "## Purpose\n\n<!-- a note never closed\n", 1))
    line = repo.read(path).split("\n").index("<!-- a note never closed") + 1
    output = repo.spec("check").stdout
    assert f"{path}:{line}: this HTML comment is never closed, so everything after it is hidden; " in output
    repo.write(path, text.replace("## Purpose\n", "## Purpose\n\nKeep <!-- inside a line: that is text.\n", 1))
    assert repo.ok("check").endswith("check passed\n")
