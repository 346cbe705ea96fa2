"""Security headers, and templates that a strict Content-Security-Policy can serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "var", "node_modules", ".git"}

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"\s(?:on[a-z]+|hx-on[a-z:.-]*)\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}|<!--.*?-->", re.S)


def project_templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIP_DIRS or "templates" not in parts:
            continue
        found.append(path)
    return sorted(found)


def test_the_scan_finds_the_templates():
    names = {p.relative_to(ROOT).as_posix() for p in project_templates()}
    assert "templates/base.html" in names
    assert "operations/core/templates/core/audit_list.html" in names


@pytest.mark.parametrize("path", project_templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_needs_unsafe_inline(path):
    text = COMMENTS.sub("", path.read_text())
    problems = [
        f"{label}: {match.group(0).strip()!r}"
        for label, pattern in (
            ("inline <script> (put it in a static .js file)", INLINE_SCRIPT),
            ("event handler attribute (use a static .js file)", HANDLER_ATTRIBUTE),
            ("style= attribute (use a Bootstrap class or site.css)", STYLE_ATTRIBUTE),
            ("<style> element (use a static .css file)", STYLE_ELEMENT),
        )
        for match in pattern.finditer(text)
    ]
    assert not problems, f"{path.relative_to(ROOT)} would break under the CSP: {problems}"


def test_policy_has_no_unsafe_inline_and_denies_framing():
    policy = settings.CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, coordinator_client):
    for response in (client.get(reverse("login")), coordinator_client.get(reverse("home"))):
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert "includeIndicatorStyles" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_api_responses_carry_the_policy_too(coordinator_client):
    assert "Content-Security-Policy" in coordinator_client.get(reverse("api-me"))


@pytest.mark.django_db
def test_api_docs_load_their_script_from_a_separate_response(coordinator_client):
    page = coordinator_client.get(reverse("api-docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not STYLE_ELEMENT.search(html)
    script = coordinator_client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_admin_pages_load_for_a_manager_and_a_superuser(manager_client, client, service):
    for name, args in (
        ("admin:index", []),
        ("admin:core_service_changelist", []),
        ("admin:core_service_change", [service.pk]),
    ):
        response = manager_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert not INLINE_SCRIPT.search(response.content.decode()), name
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
