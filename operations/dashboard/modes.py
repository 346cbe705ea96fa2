"""Whether the dashboard's figures are exact (internal) or suppressed (for
publication), read from one plain GET parameter, ``?mode=internal`` or
``?mode=publication``, by every door: the page, the printable summary, the
API and the downloads of its tables all call ``mode_from``.

Managers may open every record anyway, so exact figures tell them nothing
new; the danger is a copy of them leaving the organisation. Hence the
defaults: the page, which stays on screen, starts internal; the printable
summary, the API (read by partner systems) and a download, which travel,
start suppressed. Whatever the mode, what is shown says which it is
(``Mode.notice``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import models

from operations.core.disclosure import Figure, Line, exact, exact_line, protect, protect_line, small_label

PARAMETER = "mode"
INVALID = "Choose “Internal (exact figures)” or “For publication (suppressed)”."


class Mode(models.TextChoices):
    INTERNAL = "internal", "Internal (exact figures)"
    PUBLICATION = "publication", "For publication (suppressed)"

    @property
    def suppressed(self) -> bool:
        return self is Mode.PUBLICATION

    @property
    def notice(self) -> str:
        """The line every page, file and API answer carries, saying which it is."""
        if self.suppressed:
            threshold = settings.DISCLOSURE_SUPPRESS_BELOW
            return f"For publication: counts from 1 to {threshold - 1} shown as {small_label(threshold)}"
        return "Internal: exact figures — do not publish"

    def protect(self, value: int) -> Figure:
        return protect(value) if self.suppressed else exact(value)

    def protect_line(self, values: Sequence[int], *, hide_total: bool = False) -> Line:
        return protect_line(values, hide_total=hide_total) if self.suppressed else exact_line(values)


#: Where each door starts when no mode is asked for (see the module's docstring).
PAGE_DEFAULT = Mode.INTERNAL
SUMMARY_DEFAULT = Mode.PUBLICATION
API_DEFAULT = Mode.PUBLICATION
DOWNLOAD_DEFAULT = Mode.PUBLICATION


def mode_from(params: Mapping[str, Any], *, default: Mode) -> Mode:
    """The mode asked for in ``params`` (a request's GET or query
    parameters); ``default`` when none is. Anything but the two names raises
    ``ValueError(INVALID)``, for the caller's field error: an unknown mode is
    never quietly read as either."""
    value = params.get(PARAMETER) or ""
    if not value:
        return default
    try:
        return Mode(value)
    except ValueError:
        raise ValueError(INVALID) from None
