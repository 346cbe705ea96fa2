"""What backups take is decided by one setting, not a list in the code."""

from __future__ import annotations

from django.conf import settings


def test_the_exports_folder_is_one_of_the_private_folders_backed_up():
    assert settings.PRIVATE_FILE_DIRS["exports"] == settings.EXPORTS_DIR


def test_photos_of_receipts_are_backed_up_too():
    assert settings.PRIVATE_FILE_DIRS["receipts"] == settings.EXPENSE_RECEIPTS_DIR
