"""The settings reference, built from `.env.example` so the two cannot drift.

`.env.example` is the one source: each comment block describes the settings
under it, up to the next blank line; `# --- Title ---` starts a section; a
commented-out setting (`# NAME=value`) is unset by default. MkDocs runs this
module as a hook (mkdocs.yml `hooks:`) and puts the tables where
docs/admin/settings.md has the marker, so the page on the code host still
reads as prose pointing at `.env.example`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS_MODULE = ROOT / "operations" / "settings.py"
COMPOSE_FILE = ROOT / "docker-compose.yml"
MARKER = "<!-- settings-reference: generated from .env.example -->"
SETTINGS_PAGE = "admin/settings.md"

# `NAME=value`, or commented out as `# NAME=value` (one space at most: deeper
# indented lines are examples inside a description).
_SETTING = re.compile(r"^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$")
_SECTION = re.compile(r"^#\s*---\s*(.+?)\s*-*\s*$")
_READ = re.compile(r'env_(?:str|bool|int|list|url)\(\s*"([A-Z][A-Z0-9_]*)"')
_PREFIX = re.compile(r'env_prefixed\(\s*"([A-Z][A-Z0-9_]*)"')
_COMPOSE_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    #: Commented out in .env.example: unset unless given.
    commented: bool


@dataclass
class Entry:
    """Settings that share one description."""

    description: list[str]
    settings: list[Setting] = field(default_factory=list)


@dataclass
class Section:
    title: str
    entries: list[Entry] = field(default_factory=list)
    #: Comment blocks with no setting under them.
    notes: list[list[str]] = field(default_factory=list)


def parse(text: str) -> list[Section]:
    sections = [Section("General")]
    comment: list[str] = []
    entry: Entry | None = None
    for line in [*text.splitlines(), ""]:
        stripped = line.rstrip()
        setting = _SETTING.match(stripped)
        section = _SECTION.match(stripped)
        if section:
            sections.append(Section(section.group(1)))
            comment, entry = [], None
        elif setting:
            if entry is None:
                entry = Entry(description=comment)
                sections[-1].entries.append(entry)
            entry.settings.append(Setting(setting.group(2), setting.group(3), commented=bool(setting.group(1))))
        elif stripped.startswith("#"):
            comment.append(stripped[2:] if stripped.startswith("# ") else stripped[1:])
        elif not stripped:
            if comment and entry is None:
                sections[-1].notes.append(comment)
            comment, entry = [], None
    # The file's own preamble (about the file, not a setting) stays out of the reference.
    sections[0].notes = sections[0].notes[1:]
    return [section for section in sections if section.entries or section.notes]


def documented_names(sections: list[Section]) -> set[str]:
    return {setting.name for section in sections for entry in section.entries for setting in entry.settings}


def names_read_by_settings(source: str) -> tuple[set[str], set[str]]:
    """The variables operations/settings.py reads by name, and the prefixes it reads whole families by."""
    return set(_READ.findall(source)), set(_PREFIX.findall(source))


def names_read_by_compose(source: str) -> set[str]:
    """Variables docker-compose.yml itself substitutes (POSTGRES_PASSWORD, WEB_BIND)."""
    return set(_COMPOSE_VARIABLE.findall(source))


def _describe(lines: list[str]) -> str:
    """A description as one table cell: indented lines are examples, shown as code."""
    parts = []
    for line in lines:
        if line.startswith("  "):
            parts.append(f"`{line.strip()}`")
        else:
            parts.append(line.strip())
    return " ".join(parts).replace("|", "\\|")


def _value(setting: Setting) -> str:
    if setting.commented:
        return f"unset (e.g. `{setting.value}`)" if setting.value else "unset"
    return f"`{setting.value}`" if setting.value else "empty"


def render(sections: list[Section]) -> str:
    out = []
    for section in sections:
        out.append(f"## {section.title}\n")
        if section.entries:
            out.append("| variable | value in `.env.example` | meaning |")
            out.append("| --- | --- | --- |")
            for entry in section.entries:
                names = "<br>".join(f"`{setting.name}`" for setting in entry.settings)
                values = "<br>".join(_value(setting) for setting in entry.settings)
                out.append(f"| {names} | {values} | {_describe(entry.description)} |")
            out.append("")
        for note in section.notes:
            out.append(_describe(note) + "\n")
    return "\n".join(out)


def reference() -> str:
    return render(parse(ENV_EXAMPLE.read_text()))


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs hook signature
    """MkDocs hook: puts the generated tables where the settings page has its marker."""
    if page.file.src_uri == SETTINGS_PAGE:
        return markdown.replace(MARKER, reference())
    return markdown
