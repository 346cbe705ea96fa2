"""Photos of receipts: checked by what the file holds, never by its name or
the type the browser claims, and kept in a private folder
(``settings.EXPENSE_RECEIPTS_DIR``) that no static or media URL reaches.

Accepted: JPEG, PNG and WebP, which Pillow reads and checks. HEIC (an
iPhone's own format) is not: the phone converts a photo to JPEG when a web
page asks for an image, so a volunteer never meets the refusal in practice,
and reading HEIC would need a native library (libheif) on every server."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.http import FileResponse, Http404
from PIL import Image, UnidentifiedImageError

#: Pillow's name of a format -> (content type served, file extension).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
#: A photo from any phone is well under this; more is a decompression bomb.
MAX_PIXELS = 60_000_000

TYPE_REFUSED = "Send a photo of the receipt (JPEG, PNG or WebP)."


@dataclass(frozen=True)
class Receipt:
    content: bytes
    content_type: str
    extension: str


def receipt_errors(upload: IO[bytes], *, size: int) -> tuple[Receipt | None, str]:
    """The checked photo, or why it is refused (in words for the field)."""
    limit = settings.EXPENSE_RECEIPT_MAX_BYTES
    if size > limit:
        return None, f"The photo is too large: at most {limit // (1024 * 1024) or 1} MB. Take it again smaller."
    if size == 0:
        return None, "The photo is empty. Take it again."
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        return None, f"The photo is too large: at most {limit // (1024 * 1024) or 1} MB. Take it again smaller."
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None, TYPE_REFUSED
    if kind not in FORMATS or width * height > MAX_PIXELS:
        return None, TYPE_REFUSED
    content_type, extension = FORMATS[kind]
    return Receipt(content=content, content_type=content_type, extension=extension), ""


def folder() -> Path:
    return Path(settings.EXPENSE_RECEIPTS_DIR)


def receipt_store(receipt: Receipt) -> str:
    """Writes the photo under a random name; returns the name (relative to the folder)."""
    directory = folder()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{receipt.extension}"
    (directory / name).write_bytes(receipt.content)
    return name


def receipt_path(name: str) -> Path | None:
    """The stored photo's path, or None when it is missing (or the name is not one we made)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder() / name
    return path if path.is_file() else None


def receipt_response(name: str, *, content_type: str, claim_id: int) -> FileResponse:
    """The stored photo as an answer (page and API alike): shown inline, never
    cached on the way or kept by the browser, its type never guessed from the
    content. Whoever calls this has checked who may see the claim."""
    path = receipt_path(name)
    if path is None:
        raise Http404("This claim has no receipt photo.")
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="receipt-{claim_id}.{path.suffix.lstrip(".")}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def receipt_remove(name: str) -> None:
    path = receipt_path(name)
    if path is not None:
        path.unlink(missing_ok=True)
