"""Fixtures of the expenses tests: the persona volunteer with one of her
contacts, another volunteer's contact, receipt photos made by Pillow, and a
private receipts folder per test."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ContactLogFactory, MatchFactory, VolunteerProfileFactory


@pytest.fixture(autouse=True)
def receipts_folder(settings, tmp_path):
    settings.EXPENSE_RECEIPTS_DIR = tmp_path / "receipts"
    return settings.EXPENSE_RECEIPTS_DIR


@pytest.fixture
def profile(organisation, volunteer):
    return VolunteerProfileFactory(organisation=organisation, user=volunteer)


@pytest.fixture
def log(organisation, service, profile):
    match = MatchFactory(referral__organisation=organisation, referral__service=service, volunteer=profile)
    return ContactLogFactory(match=match, mode="home_visit")


@pytest.fixture
def strangers_log(organisation):
    return ContactLogFactory(match=MatchFactory(referral__organisation=organisation))


def photo_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 90)).save(buffer, fmt)
    return buffer.getvalue()


def photo(name: str = "receipt.jpg", fmt: str = "JPEG", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(fmt), content_type=content_type)


def mileage(log, **extra) -> dict:
    return {
        "kind": "mileage",
        "contact_log": log.pk,
        "miles": "12.5",
        "from_place": "Hawick",
        "to_place": "Denholm",
    } | extra


def cost(log, category, **extra) -> dict:
    return {"kind": "out_of_pocket", "contact_log": log.pk, "category": category.pk, "amount": "4.20"} | extra


def posted(data: dict) -> dict:
    """The claim form's answers for the service's ``data``: what the claim is
    for is one choice, ``for_what`` ("contact_log:12", "group_session:5")."""
    answers = dict(data)
    for name in ("contact_log", "group_session"):
        if name in answers:
            answers["for_what"] = f"{name}:{answers.pop(name)}"
    return answers
