"""The settings reference has one source, .env.example, and it matches what
operations/settings.py reads, both ways."""

from __future__ import annotations

from docs_build import settings_page


def _documented():
    return settings_page.parse(settings_page.ENV_EXAMPLE.read_text())


def test_every_variable_the_settings_read_is_described_in_env_example():
    read, prefixes = settings_page.names_read_by_settings(settings_page.SETTINGS_MODULE.read_text())
    documented = settings_page.documented_names(_documented())
    assert read, "no settings found: has the settings module moved?"
    assert read - documented == set()
    for prefix in prefixes:
        assert any(name.startswith(prefix) for name in documented), f"no {prefix}… setting described"


def test_every_variable_in_env_example_is_read_by_the_settings_or_by_compose():
    read, prefixes = settings_page.names_read_by_settings(settings_page.SETTINGS_MODULE.read_text())
    compose = settings_page.names_read_by_compose(settings_page.COMPOSE_FILE.read_text())
    documented = settings_page.documented_names(_documented())
    unread = {name for name in documented - read - compose if not name.startswith(tuple(prefixes))}
    assert unread == set()


def test_every_setting_in_env_example_has_a_description():
    undescribed = [
        setting.name
        for section in _documented()
        for entry in section.entries
        if not " ".join(entry.description).strip()
        for setting in entry.settings
    ]
    assert undescribed == []


def test_the_reference_names_every_setting_with_its_value():
    reference = settings_page.reference()
    for section in _documented():
        assert f"## {section.title}" in reference
        for entry in section.entries:
            for setting in entry.settings:
                assert f"`{setting.name}`" in reference
    assert "| `SESSION_IDLE_MINUTES` | `30` | Signed-in sessions end after this many idle minutes |" in reference


def test_a_commented_out_setting_reads_as_unset():
    (section,) = settings_page.parse("# --- Paths ---\n# Where files go\n# DATA_DIR=./var\n")
    (entry,) = section.entries
    assert entry.description == ["Where files go"]
    assert "| `DATA_DIR` | unset (e.g. `./var`) | Where files go |" in settings_page.render([section]).splitlines()


def test_the_settings_page_carries_the_marker_the_hook_replaces():
    page = (settings_page.ROOT / "docs" / settings_page.SETTINGS_PAGE).read_text()
    assert settings_page.MARKER in page
