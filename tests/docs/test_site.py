"""The documentation builds, and what it points at exists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.markdown import DOCS, README, ROOT, is_local, links, pages, resolve

README_LIMIT_BYTES = 12_000
SCREENSHOTS = ROOT / "tests" / "e2e" / "docs_screenshots.py"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`make docs` in strict mode: a broken link or anchor, a page left out of
    the navigation, or a missing picture is a warning, and fails. (Never
    --quiet: MkDocs counts warnings as it logs them, so a quiet strict build
    passes whatever it finds.)"""
    site = tmp_path_factory.mktemp("docs") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    return site, result


def test_the_site_builds_with_no_warning_and_the_settings_reference_in_place(built_site):
    site, result = built_site
    assert result.returncode == 0, result.stdout + result.stderr
    settings_page = (site / "admin" / "settings.html").read_text()
    assert "SESSION_IDLE_MINUTES" in settings_page
    assert "settings-reference" not in settings_page, "the hook did not replace the marker"


def test_the_built_site_loads_nothing_from_elsewhere(built_site):
    site, result = built_site
    assert result.returncode == 0, result.stdout + result.stderr
    for page in site.rglob("*.html"):
        html = page.read_text()
        external = re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=\"(https?://[^\"]+)", html)
        assert not external, f"{page.name} loads {external}"
        assert "fonts.googleapis" not in html


def test_the_readme_is_short():
    size = len(README.read_bytes())
    assert size <= README_LIMIT_BYTES, f"README.md is {size} bytes: move detail into docs/"


def test_every_local_link_of_the_readme_and_docs_reaches_a_file():
    broken = [
        f"{page.relative_to(ROOT)} -> {target}"
        for page in pages()
        for _, _, target in links(page)
        if is_local(target) and not resolve(page, target).exists()
    ]
    assert broken == []


def test_every_picture_exists_and_says_what_it_shows():
    problems = []
    for page in pages():
        for is_picture, alt, target in links(page):
            if not is_picture:
                continue
            if not alt.strip():
                problems.append(f"{page.relative_to(ROOT)}: {target} has no alt text")
            if not resolve(page, target).exists():
                problems.append(f"{page.relative_to(ROOT)}: {target} does not exist")
    assert problems == []


def test_the_pictures_are_the_generated_screenshots():
    """Every picture the guides show is one `make screenshots` takes, so none
    goes stale by hand; and every screenshot taken is shown somewhere."""
    taken = set(re.findall(r'Shot\(\s*"([a-z0-9-]+)"', SCREENSHOTS.read_text()))
    shown = {
        resolve(page, target).relative_to(DOCS).as_posix()
        for page in pages()
        for is_picture, _, target in links(page)
        if is_picture
    }
    assert shown == {f"images/{name}.png" for name in taken}
    assert {path.stem for path in (DOCS / "images").glob("*.png")} == taken
