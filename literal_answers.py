"""Answers are data, never templates: the Jinja extension cookiecutter.json names in `_extensions`.

Cookiecutter renders every value of cookiecutter.json as a Jinja template, and an answer given on the
command line, in a config file's default_context, through its Python API or by a web scaffolder that
writes the answers into cookiecutter.json (Backstage's fetch:cookiecutter) takes a value's place before
that rendering: `{{ 7*7 }}` became 49, `{% if %}` a traceback, `{#x#}` vanished, and attribute access
could reach Python's internals and run code. Cookiecutter passes all of these to `Environment.from_string`
without a name, so this extension sees them in `preprocess` and makes every `{` of them literal, except in
the template's own strings: its files (loaded by name), its hooks and the strings listed below. It also
names the project folder after the slug whatever __project_dir says.
"""

from __future__ import annotations

from pathlib import Path

from jinja2.ext import Extension

# The project folder's name, and the expression cookiecutter.json derives it from (__project_dir): one safe
# folder name, the slug's. The name is rendered from that expression rather than from __project_dir, which a
# command line can set like any other variable, to a path outside the output folder.
PROJECT_FOLDER_NAME = "{{cookiecutter.__project_dir}}"
PROJECT_FOLDER = (
    "{{ cookiecutter.project_slug if cookiecutter.project_slug | length <= 100 and "
    "cookiecutter.project_slug.isprintable() and cookiecutter.project_slug[-1:] not in ['', '.', ' ']"
    " and not (cookiecutter.project_slug | select('in', '<>:\"/\\\\|?*') | list) else "
    "'invalid-project-slug' }}"
)
# The template's own Jinja outside its files: the defaults in cookiecutter.json and the project folder's
# name. Kept here, not read from cookiecutter.json, because a scaffolder may write answers into that file;
# tests/test_hostile_answers.py fails when cookiecutter.json has a Jinja string this list lacks.
TEMPLATE_STRINGS = frozenset({
    PROJECT_FOLDER_NAME,
    PROJECT_FOLDER,
    "{{ cookiecutter.project_name | slugify }}",
    "{% now 'local', '%Y-%m-%d' %}",
    "{{ {'Python': 'FastAPI', 'TypeScript': 'Express', 'Go': 'Gin', 'Java': 'Spring Boot', 'C#': "
    "'ASP.NET Core', 'Rust': 'Axum'}[cookiecutter.language] if cookiecutter.framework == 'usual' else"
    " cookiecutter.framework }}",
})
# A literal '{' in the template language cookiecutter.json sets up (the default {{ }} delimiters).
LITERAL_BRACE = "{{ '{' }}"


def hook_sources() -> set[str]:
    """The template's hooks as cookiecutter reads them to render: it runs hooks from the template's folder."""
    try:
        return {path.read_text(encoding="utf-8") for path in Path("hooks").glob("*.py")}
    except (OSError, UnicodeDecodeError):
        return set()


def is_template_text(source: str, name: str | None) -> bool:
    return name is not None or source in TEMPLATE_STRINGS or source in hook_sources()


def literal(source: str) -> str:
    """Template source that renders to exactly source: every '{' that could open a tag made a string."""
    return source.replace("{", LITERAL_BRACE)


class LiteralAnswers(Extension):
    """Renders every nameless template that is not the template's own as the text it is."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None and source == PROJECT_FOLDER_NAME:
            return PROJECT_FOLDER
        if "{" not in source or is_template_text(source, name):
            return source
        return literal(source)
