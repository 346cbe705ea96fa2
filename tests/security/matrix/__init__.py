"""The permission matrix: what every route answers to every persona.

``test_permission_matrix.py`` enumerates every URL pattern (Django's URL
resolver) and every API operation (the OpenAPI schema) and FAILS for a route
without a row here, and for a row whose route no longer exists. When you add
a page or an endpoint, add its row and say what each persona gets.

Where things are:

- ``answers.py``: the vocabulary: ``PERSONAS``, ``LOGIN``/``REDIRECT``,
  ``answers(...)``, ``Case``, the common answers (``MEMBERS``, ``STAFF_OWN``,
  ``API_MANAGERS_WRITE`` …) and row builders (``staff_object``,
  ``admin_model`` …). An answer used by one app only stays in its module.
- ``world.py``: ``OBJECTS``, the functions that make the objects rows refer
  to (from the factories); add yours there.
- one module of rows per app, each with ``PAGES`` and ``API``: ``core``
  (home, services, accounts, sign-in, audit, retention, the API's own
  pages), ``admin`` (Django's admin site and the base layer's and
  third-party models in it; an app's admin models go in the app's module),
  ``referrals``, ``outcomes``, ``volunteers``, ``matching``, ``safeguarding``, ``groups``,
  ``notifications``, ``dashboard``, ``evaluation``, ``calendars``, ``expenses``, ``online`` (the
  public online referral forms). A new row goes in the
  module of the app whose ``urls.py`` or ``api.py`` serves the route; a new
  app gets a module, listed in ``MODULES`` below.

Every row is a list of cases; every case gives one answer per persona, in
this order (use ``answers(...)`` so it reads as a sentence):

    anonymous, volunteer, PSO, coordinator, manager, other_coordinator, federation_officer

where ``other_coordinator`` is a coordinator of ANOTHER organisation and
``federation_officer`` an officer of a federation both organisations share
their figures with, who belongs to no organisation: ``answers(...)`` gives
them what a signed-in person with no membership gets (``as_no_member``)
unless a row says ``federation_officer=...``: on an organisation's page that
is ``REFUSED`` (403 or 404, whichever the view answers first). Routes
that take an object id get one case per object: an object of the personas'
own organisation (``service``) and one of the other organisation
(``other_service``), so guessing an id is covered. Objects are made by the
functions in ``OBJECTS``; any other argument is used as is.

Answers: a status code (200, 201, 400 = passed the permission check and was
refused as bad input, nothing written; 403; 404; 405), ``LOGIN`` (302 to a
sign-in page) or ``REDIRECT`` (302 anywhere else).
"""

from __future__ import annotations

from tests.security.matrix import (
    admin,
    calendars,
    closures,
    core,
    dashboard,
    evaluation,
    expenses,
    federation,
    groups,
    imports,
    matching,
    notifications,
    online,
    outcomes,
    partners,
    referrals,
    referrer_updates,
    safeguarding,
    search,
    volunteers,
)
from tests.security.matrix.answers import LOGIN, PERSONAS, REDIRECT, REFUSED, Case
from tests.security.matrix.world import OBJECTS

MODULES = (
    core,
    admin,
    referrals,
    online,
    volunteers,
    notifications,
    groups,
    matching,
    safeguarding,
    dashboard,
    outcomes,
    evaluation,
    calendars,
    search,
    referrer_updates,
    partners,
    expenses,
    imports,
    federation,
    closures,
)


def _assembled(kind: str) -> dict[str, list[Case]]:
    """Every module's rows of ``kind`` (PAGES or API); a route in two modules is a mistake."""
    rows: dict[str, list[Case]] = {}
    for module in MODULES:
        for key, cases in getattr(module, kind).items():
            assert key not in rows, f"{key} has rows in two modules of tests/security/matrix/."
            rows[key] = cases
    return rows


PAGES = _assembled("PAGES")
API = _assembled("API")

__all__ = ["API", "LOGIN", "OBJECTS", "PAGES", "PERSONAS", "REDIRECT", "REFUSED", "Case"]
