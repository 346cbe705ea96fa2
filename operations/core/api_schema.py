"""The answers every API operation can give besides its own, documented in
one place (a drf-spectacular postprocessing hook) so the schema says what the
API does and schemathesis can hold the API to it (tests/api/)."""

from __future__ import annotations

#: A time of day as the API writes and reads it (Django's "10:00" or
#: "10:00:00"). OpenAPI's ``format: time`` means RFC 3339's full time, which
#: needs a UTC offset that a weekly group's start time does not have.
TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": (
        "One entry per field that was refused (``non_field_errors`` for the request as a whole): a list of "
        "messages, or one message; a nested field's entry holds the nested fields' errors."
    ),
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}]},
}

_BAD_INPUT = (
    "Refused input, nothing written: a field error per field (a value of the wrong type, out of range, or "
    "breaking a rule the schema cannot state, such as an id of a record the caller may not use, or a date "
    "after another). Also for a query parameter or body value with a control character, which cannot be "
    "stored, and for a body that is not JSON (``detail``)."
)
_UNAUTHENTICATED = "No token, or a token that is not valid (``Authorization: Token <key>``)."
#: The partner API (referrals.partners) takes a partner system's token instead, and nothing else does.
_PARTNER_UNAUTHENTICATED = (
    "No partner token, or one that is not valid or was revoked (``Authorization: Bearer <token>``)."
)
_FORBIDDEN = "Signed in, but the caller's role may not do this (or the role needs two-factor authentication first)."
_NOT_FOUND = "No such record among those the caller may see (records of other organisations are not found)."
_PAGE_NOT_FOUND = "The page is beyond the last page of the results."


def _json(reference: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{reference}"}}},
    }


def _bad_input() -> dict:
    # A body that is not JSON at all is refused by the parser as a whole: {"detail": "JSON parse error ..."}.
    either = {"anyOf": [{"$ref": "#/components/schemas/Detail"}, {"$ref": "#/components/schemas/FieldErrors"}]}
    return {"description": _BAD_INPUT, "content": {"application/json": {"schema": either}}}


def document_common_responses(result: dict, generator, request, public) -> dict:
    """Adds the refusals every operation can answer with, unless the
    operation documents its own: 400 (bad input), 401 (no valid token, with
    its ``WWW-Authenticate`` challenge), 403 (role), and 404 (a record not
    found, or a page past the end of a list)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Detail"] = _DETAIL
    schemas["FieldErrors"] = _FIELD_ERRORS
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", _bad_input())
            if operation.get("security") != [{}]:
                partner = any("partnerToken" in scheme for scheme in operation.get("security", []))
                unauthenticated = _json("Detail", _PARTNER_UNAUTHENTICATED if partner else _UNAUTHENTICATED)
                challenge = "``Bearer``" if partner else "``Token``"
                unauthenticated["headers"] = {
                    "WWW-Authenticate": {"schema": {"type": "string"}, "description": challenge, "required": True}
                }
                if partner and "401" in responses:
                    # The operation's own 401 gets the challenge header too.
                    responses["401"].setdefault("headers", unauthenticated["headers"])
                responses.setdefault("401", unauthenticated)
                responses.setdefault("403", _json("Detail", _FORBIDDEN))
            # Refusals an operation documents by description only get the body they have.
            for code, response in responses.items():
                if code in {"401", "403", "404", "429"} and "content" not in response:
                    response["content"] = _json("Detail", "")["content"]
                if code == "400" and "content" not in response:
                    response["content"] = _bad_input()["content"]
            parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
            if "{" in path:
                responses.setdefault("404", _json("Detail", _NOT_FOUND))
            elif "page" in parameters:
                responses.setdefault("404", _json("Detail", _PAGE_NOT_FOUND))
    _times_of_day(result)
    return result


def _times_of_day(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
            node["pattern"] = TIME_OF_DAY
        for value in node.values():
            _times_of_day(value)
    elif isinstance(node, list):
        for value in node:
            _times_of_day(value)
