"""The OpenAPI schema and the API agree: schemathesis runs every operation
of /api/schema/ against a live server, as each signed-in role that uses the
API, with every check it has ("--checks all"), over a world where the role's
operations reach real records (the permission matrix's objects: parents,
referrals, matches, visits, contact logs, groups, sessions, bookings,
assessments, exports...).

The run is schemathesis's own engine (its examples, coverage, fuzzing and
stateful phases, as the command line runs them), bounded so CI stays quick.
A failure names the check, the operation and a curl command to reproduce it.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict

import pytest
import schemathesis
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from operations.core.models import User
from tests.security.matrix import OBJECTS
from tests.security.test_permission_matrix import World

ROLES = ("volunteer", "pso", "coordinator", "manager")
#: Examples per operation in the fuzzing phase, valid and invalid (the
#: coverage phase adds its boundary cases, the stateful phase its chains).
MAX_EXAMPLES = 5
MAX_STATEFUL_STEPS = 6
SEED = 20261207
#: The coverage phase (every schema-valid boundary value of every parameter
#: and property: about 2,000 requests) runs as the manager, who reaches every
#: operation's validation; as another role the same inputs mostly meet the
#: role's 403. Its negative half (a mutation of every property, every
#: undeclared method: about 5,000 more requests per role) is too slow for CI,
#: and it is the only phase that feeds ``unsupported_method`` and
#: ``missing_required_header``; SCHEMATHESIS_COVERAGE=all runs both halves
#: as every role. Invalid input is otherwise the fuzzing phase's negative
#: examples, as every role.
FULL_COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE") == "all"
COVERAGE_ROLE = "manager"

#: Every check schemathesis registers. ``max_response_time`` stays off as
#: on the command line ("--checks all" runs it only with a limit given): a
#: response time is not something the schema states, and a shared CI runner
#: would make a limit flaky.
CHECKS = {"enabled": True}

#: Writes whose schema-valid input can still be refused with the documented
#: 400 (``FieldErrors``): what a schema cannot say. An id must name a record
#: of the caller's organisation that the caller may use; dates relate to each
#: other and to today (a contact log is never in the future or after support
#: ended); a state change must be allowed from the current state; a session
#: has places; names are unique within an organisation; and a control
#: character, in a value or a property name, cannot be stored. Reads (but
#: the dashboard, below) have no such rules: every schema-valid query must be
#: accepted (2xx, or 404 for a record not found or a page past the end).
WRITES_MAY_REFUSE_VALID_INPUT = {
    "include-method": ["POST", "PUT", "PATCH", "DELETE"],
    # 429: the token endpoint's documented sign-in lockout.
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}},
}
#: The one read with such rules: the dashboard's period must end after it
#: starts and not be in the future, and its service must be the caller's.
DASHBOARD_MAY_REFUSE_VALID_INPUT = {
    "include-path": "/api/v1/dashboard/",
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]}},
}


def _world(organisation, other_organisation, users) -> World:
    world = World(organisation, other_organisation, users, {})
    for name in OBJECTS:
        world.value(name)
    return world


def _peers(role: str, world: World) -> dict[str, User]:
    """Who must not see the role's own records: a member of the same role
    and organisation (volunteers and PSOs see their own caseload only) and a
    coordinator of another organisation. Staff share their organisation's
    records by design, so their peer is the other organisation only."""
    peers = {"other_coordinator": world.users["other_coordinator"]}
    if role == "volunteer":
        peers["other_volunteer"] = world.made["stranger_profile"].user
    if role == "pso":
        peers["other_pso"] = User.objects.get(username="matrix-pso-b")
    return peers


def _auth_document(people: dict[str, User]) -> dict:
    """A Web Fuzzing Commons auth document: one fixed token per person."""
    return {
        "auth": [
            {
                "name": name,
                "fixedHeaders": [
                    {"name": "Authorization", "value": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
                ],
            }
            for name, user in people.items()
        ]
    }


def run_schemathesis(*, base_url: str, role: str, people: dict[str, User], tmp_path) -> tuple[dict, dict]:
    document = tmp_path / "auth.json"
    document.write_text(json.dumps(_auth_document(people)))
    token = Token.objects.get(user=people[role]).key
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # No state kept between runs (it would steer the next run, and litter the checkout).
            "cache": {"enabled": False},
            "workers": 1,
            "generation": {"max-examples": MAX_EXAMPLES},
            "phases": {
                "coverage": {
                    "enabled": FULL_COVERAGE or role == COVERAGE_ROLE,
                    "generation": {"mode": "all" if FULL_COVERAGE else "positive"},
                },
                "stateful": {"max-steps": MAX_STATEFUL_STEPS},
            },
            "checks": CHECKS,
            "operations": [WRITES_MAY_REFUSE_VALID_INPUT, DASHBOARD_MAY_REFUSE_VALID_INPUT],
            # The role signs every request; the others are only the peers the
            # object-level authorization check replays the role's reads as.
            "auth": {"wfc": {"path": str(document), "user": role, "peers": list(people)}},
        }
    )
    schema = schemathesis.openapi.from_url(
        f"{base_url}/api/schema/?format=json", config=config, headers={"Authorization": f"Token {token}"}
    )
    failures: dict[tuple[str, str], set[str]] = defaultdict(set)
    statuses: dict[int, int] = defaultdict(int)
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    statuses[interaction.response.status_code] += 1
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures[(check.name, failure.operation)].add(
                            f"{failure.title}: {failure.message}\n{check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.PhaseFinished):
            print(f"{role}: {event.phase.name} {event.status} at {time.monotonic() - started:.0f} s")
        elif isinstance(event, events.NonFatalError):
            failures[("error", event.label)].add(str(event.value))
        elif isinstance(event, events.FatalError):
            failures[("fatal", "")].add(str(event.exception))
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                failures[("after run", failure.operation or "")].add(f"{failure.title}: {failure.message}")
    return failures, statuses


def report(failures: dict) -> str:
    lines = []
    for (check, operation), messages in sorted(failures.items()):
        lines.append(f"{check} on {operation}:")
        lines.extend("    " + message.strip().replace("\n", "\n    ")[:1500] for message in sorted(messages)[:2])
    return "\n".join(lines)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_its_schema_says(
    role, live_server, tmp_path, organisation, other_organisation, volunteer, pso, coordinator, manager,
    other_coordinator, federation_officer,
):  # fmt: skip
    users = {
        "volunteer": volunteer,
        "pso": pso,
        "coordinator": coordinator,
        "manager": manager,
        "other_coordinator": other_coordinator,
        # The world's pooled evaluation project belongs to the officer's federation.
        "federation_officer": federation_officer,
    }
    world = _world(organisation, other_organisation, users)
    people = {role: users[role], **_peers(role, world)}

    failures, statuses = run_schemathesis(base_url=live_server.url, role=role, people=people, tmp_path=tmp_path)

    assert not failures, f"as {role}:\n{report(failures)}"
    # The run reached real records and was refused bad input, not only 403s.
    assert statuses.get(200, 0) > 50, dict(statuses)
    assert statuses.get(400, 0) > 20, dict(statuses)
