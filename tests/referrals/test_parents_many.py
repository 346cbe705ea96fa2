"""parents_create_many: many new families at once (an import's chunk), with
the rules and the rows and audit entries of parent_create and child_save,
a fixed number of queries, and nothing written when anyone is refused.

It, and parent_check (the import's dry run), leave Django's per-query
constraint validation out: the tests at the end try the values each
Parent and Child CheckConstraint names, and show the service refuses every
one that would break a constraint before the database sees it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operations.core.audit import AuditEvent
from referrals import services
from referrals.models import Child, Parent, parent_search_text
from tests.factories import council_area

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ABSENT = object()
#: The least a parent is given (the constraint tests add the values they try).
PERSON = {"first_name": "Ailsa", "last_name": "Reid", "date_of_birth": dt.date(1994, 5, 3)}


def family(number: int, **changes) -> services.NewParent:
    data = {
        "first_name": f"Morag{number}",
        "last_name": "Baird",
        "date_of_birth": dt.date(1991, 3, 2),
        "phone": "07700 900123",
        "postcode": "td1 1en",
        "council_area": council_area("S12000026"),
        "contact_consent_given_on": TODAY - dt.timedelta(days=3),
        "evaluation_consent_given_on": TODAY - dt.timedelta(days=2),
    }
    values = {
        "data": data | changes.pop("data", {}),
        "safety_data": {"safe_sms": True, "safe_phone": True, "best_contact_times": "Mornings"},
        "children": [{"birth_date": TODAY - dt.timedelta(days=40)}, {"due_date": TODAY + dt.timedelta(days=90)}],
    }
    return services.NewParent(**(values | changes))


def written(parent: Parent) -> tuple:
    """A family as stored: the parent's fields, the children's, the audit entries."""
    skip = {"id", "first_name", "search_text", "created_at", "updated_at", "contact_safety_recorded_at"}
    fields = {f.attname: getattr(parent, f.attname) for f in Parent._meta.concrete_fields if f.name not in skip}
    children = [
        {f.attname: getattr(c, f.attname) for f in Child._meta.concrete_fields if f.name not in {"id", "created_at"}}
        for c in Child.objects.filter(parent=parent).order_by("pk")
    ]
    for child in children:
        child["parent_id"] = "the parent"
    objects = {("referrals.Parent", str(parent.pk))} | {("referrals.Child", str(c.pk)) for c in parent.children.all()}
    audits = [
        (e.action, e.object_type, e.summary, e.organisation_id, e.actor_id)
        for e in AuditEvent.objects.order_by("pk")
        if (e.object_type, e.object_id) in objects
    ]
    return fields, children, audits


def test_it_writes_what_parent_create_and_child_save_write(organisation, coordinator):
    one = family(1)
    by_one = services.parent_create(
        actor=coordinator, organisation=organisation, data=one.data, safety_data=one.safety_data
    )
    for child in one.children:
        services.child_save(actor=coordinator, parent=by_one, data=child)

    [together] = services.parents_create_many(actor=coordinator, organisation=organisation, people=[family(2)])

    together.refresh_from_db()
    by_one.refresh_from_db()
    assert written(together) == written(by_one)
    assert together.search_text == parent_search_text(together)
    assert together.contact_safety_recorded_at is not None
    assert [summary for _, _, summary, _, _ in written(together)[2]] == [
        "Parent added",
        "Pregnancy or child added",
        "Pregnancy or child added",
    ]


def test_a_loss_opens_the_review_as_child_save_says(organisation, coordinator):
    loss = {"due_date": TODAY - dt.timedelta(days=20), "loss_kind": "miscarriage", "loss_date": TODAY}
    [parent] = services.parents_create_many(
        actor=coordinator, organisation=organisation, people=[family(1, children=[loss])]
    )
    assert AuditEvent.objects.get(object_type="referrals.Child").summary == (
        "Baby loss recorded; coordinator review opened"
    )
    assert parent.children.get().loss_reviewed_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"data": {"date_of_birth": TODAY + dt.timedelta(days=1)}}, "date_of_birth"),
        ({"data": {"phone": "12345"}}, "phone"),
        ({"data": {"postcode": "NOT A CODE"}}, "postcode"),
        ({"data": {"email": "not an address"}}, "email"),
        ({"data": {"first_name": ""}}, "first_name"),
        ({"data": {"role": "aunt"}}, "role"),
        ({"data": {"substance_use": True}}, "needs_agreed"),
        (
            {"data": {"evaluation_consent_withdrawn_on": TODAY - dt.timedelta(days=9)}},
            "evaluation_consent_withdrawn_on",
        ),
        ({"safety_data": {"safe_sms": True, "contact_through_referrer": True}}, "contact_through_referrer"),
        ({"children": [{"name": "Ailsa"}]}, "due_date"),
        ({"children": [{"birth_date": TODAY + dt.timedelta(days=2)}]}, "birth_date"),
        ({"children": [{"birth_date": TODAY, "loss_kind": "stillbirth"}]}, "loss_date"),
        ({"children": [{"birth_date": TODAY, "gestation_weeks_at_birth": 50}]}, "gestation_weeks_at_birth"),
    ],
)
def test_one_refused_person_refuses_them_all_and_nothing_is_written(organisation, coordinator, changes, field):
    people = [family(1), family(2, **changes), family(3)]

    with pytest.raises(ValidationError) as refused:
        services.parents_create_many(actor=coordinator, organisation=organisation, people=people)

    assert f"person 2: {field}" in refused.value.message_dict, refused.value.message_dict
    assert not Parent.objects.exists()
    assert not Child.objects.exists()
    assert not AuditEvent.objects.filter(object_type__in=["referrals.Parent", "referrals.Child"]).exists()


def test_a_council_area_no_longer_on_file_is_refused(organisation, coordinator):
    gone = council_area("S12000026")
    gone.pk = 999_999  # an area the database does not have

    with pytest.raises(ValidationError) as refused:
        services.parents_create_many(
            actor=coordinator, organisation=organisation, people=[family(1), family(2, data={"council_area": gone})]
        )

    assert "person 2: council_area" in refused.value.message_dict
    assert not Parent.objects.exists()


def test_the_queries_do_not_grow_with_the_families(organisation, coordinator):
    council_area("S12000026")
    counts = {}
    for size in (2, 8):
        people = [family(100 * size + n) for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            services.parents_create_many(actor=coordinator, organisation=organisation, people=people)
        counts[size] = len(queries)
    assert counts[8] == counts[2], counts


def test_nothing_asked_writes_nothing(organisation, coordinator):
    with CaptureQueriesContext(connection) as queries:
        assert services.parents_create_many(actor=coordinator, organisation=organisation, people=[]) == []
    assert not [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


# --- The constraints: refused by the service's own rules, before the database ---


def _given(**values) -> dict:
    return {key: value for key, value in values.items() if value is not ABSENT}


def _parent_values() -> list[tuple[dict, dict | None]]:
    """(data, safety) for every mix of the values the Parent constraints name."""
    earlier, later = TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=3)
    needs = [
        _given(needs_agreed=agreed, refugee_or_asylum_seeking=refugee, substance_use=substance, ethnicity=ethnicity)
        for agreed, refugee, substance, ethnicity in itertools.product(
            (ABSENT, True, False), (ABSENT, True, False), (ABSENT, True), (ABSENT, "", "white")
        )
    ]
    consent = [
        _given(evaluation_consent_given_on=given, evaluation_consent_withdrawn_on=withdrawn)
        for given, withdrawn in itertools.product((ABSENT, None, earlier, later), repeat=2)
    ]
    safety = [None] + [
        _given(safe_sms=sms, safe_email=email, contact_through_referrer=none_safe)
        for sms, email, none_safe in itertools.product((ABSENT, True, False), (ABSENT, True), (ABSENT, True, False))
    ]
    return [(data, None) for data in needs + consent] + [({}, answer) for answer in safety]


def _child_values() -> list[dict]:
    """Every mix of the values the Child constraints name."""
    return [
        _given(due_date=due, birth_date=born, loss_kind=kind, loss_date=lost, gestation_weeks_at_birth=weeks)
        for due, born, kind, lost, weeks in itertools.product(
            (ABSENT, TODAY + dt.timedelta(days=60)),
            (ABSENT, TODAY - dt.timedelta(days=10)),
            (ABSENT, "", "stillbirth"),
            (ABSENT, TODAY - dt.timedelta(days=10)),
            (ABSENT, 19, 20, 45, 46),
        )
    ]


def _broken(model, instance) -> set[str]:
    """The CheckConstraints ``instance`` breaks, as Django's own validation says (a query each)."""
    broken = set()
    for constraint in model._meta.constraints:
        try:
            constraint.validate(model, instance)
        except ValidationError:
            broken.add(constraint.name)
    return broken


def _written(organisation, person: services.NewParent) -> Parent | None:
    """What parents_create_many writes for ``person`` (rolled back), or None
    when it refuses; the database refusing (an IntegrityError) fails the test."""
    try:
        with transaction.atomic():
            [parent] = services.parents_create_many(actor=None, organisation=organisation, people=[person])
            transaction.set_rollback(True)
    except ValidationError:
        return None
    except IntegrityError as error:  # pragma: no cover - what the test guards against
        pytest.fail(f"the database refused what the service let through: {person} ({error})")
    return parent


def _checked(organisation, person: services.NewParent) -> bool:
    """Whether parent_check (the import's dry run) lets the parent through."""
    try:
        services.parent_check(organisation=organisation, data=person.data, safety_data=person.safety_data)
    except ValidationError:
        return False
    return True


def test_every_parent_constraint_is_refused_by_the_rules_before_the_database(organisation):
    reached = set()
    for data, safety in _parent_values():
        person = services.NewParent(PERSON | data, safety)
        broken = _broken(Parent, Parent(organisation=organisation, **PERSON, **data, **(safety or {})))
        reached |= broken
        parent = _written(organisation, person)
        assert _checked(organisation, person) == (parent is not None), (data, safety)
        if parent is not None:
            # Written, though given values that break a constraint: the rules
            # made them right ("none is safe" follows from the channels).
            assert not _broken(Parent, parent), (data, safety)
    checks = {c.name for c in Parent._meta.constraints if isinstance(c, CheckConstraint)}
    assert reached == checks  # every constraint was tried


def test_every_child_constraint_is_refused_by_the_rules_before_the_database(organisation):
    reached = set()
    parent = Parent(organisation=organisation, **PERSON)
    for values in _child_values():
        broken = _broken(Child, Child(parent=parent, **values))
        reached |= broken
        if broken:
            assert _written(organisation, services.NewParent(PERSON, children=[values])) is None, values
    checks = {c.name for c in Child._meta.constraints if isinstance(c, CheckConstraint)}
    assert reached == checks  # every constraint was tried
