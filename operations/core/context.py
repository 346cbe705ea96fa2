"""Who is acting and from where, for the code that runs on their behalf.

A service takes ``actor=`` and its domain arguments, never the HTTP request;
the audit log still has to say from which address, with which browser and in
which request a change was made. That lives here, in a context variable:
``ActingContextMiddleware`` sets it for each web request, the Celery task
class for each task, and ``audit_log`` reads it.

A ``ContextVar`` rather than a thread-local: each thread, and each asyncio
task, sees its own value, and ``acting`` restores the previous value with its
token, so nested use (a task run eagerly inside a request) leaves the outer
context as it was. Plain module: nothing here imports Django.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

USER_AGENT_LENGTH = 200
REQUEST_ID_LENGTH = 64
# A request id from a proxy or client is kept only if it is short and made of
# characters that are safe in a log line and a response header.
_SAFE_REQUEST_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{REQUEST_ID_LENGTH - 1}}}")


@dataclasses.dataclass(frozen=True, slots=True)
class Acting:
    """The person (if any) and the place an action comes from. Ids and text
    only, never a model instance, so it is cheap and safe to hold."""

    user_id: int | None = None
    username: str = ""
    organisation_id: int | None = None
    client_address: str | None = None
    user_agent: str = ""
    request_id: str = ""
    # "web" for a request, "worker" for a Celery task, "" outside both
    # (management commands, the shell, tests calling services directly).
    source: str = ""


NOBODY = Acting()

_current: ContextVar[Acting] = ContextVar("acting", default=NOBODY)


def current() -> Acting:
    """The context of the code running now; empty outside a request or task."""
    return _current.get()


@contextmanager
def acting(**fields) -> Iterator[Acting]:
    """Runs the block as ``Acting(**fields)`` and then puts back whatever was
    current before, however the block ends."""
    context = Acting(
        **{
            **fields,
            "user_agent": (fields.get("user_agent") or "")[:USER_AGENT_LENGTH],
            "request_id": (fields.get("request_id") or "")[:REQUEST_ID_LENGTH],
        }
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def identify(*, user_id: int | None, username: str, organisation_id: int | None) -> None:
    """Names the person in the current context once they are known later
    than the middleware (the API authenticates a token inside the view).

    Only inside an ``acting`` block, whose token reset at the end puts the
    previous context back, this change included; outside one (a view called
    without the middleware) it does nothing rather than leak into the thread."""
    context = _current.get()
    if not context.source:
        return
    _current.set(dataclasses.replace(context, user_id=user_id, username=username, organisation_id=organisation_id))


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is safe to keep, else a new one."""
    if header and _SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (settings.LOGGING prints it),
    so a log line can be found from its audit entry and the other way round;
    "-" outside a request or task."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current().request_id or "-"
        return True
