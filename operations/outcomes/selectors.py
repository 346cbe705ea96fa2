"""Reads of the outcomes sub-app: the parent page's panel, open alerts, and
what an assessment form shows (options and any permitted wording)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Window

from operations.outcomes import measures
from operations.outcomes.models import Assessment, MeasureCode, MeasureWording, Questionnaire, SafetyAlert
from referrals.models import Parent, parent_name

HOME_ALERTS_SHOWN = 10


def measure_of(*, code: str, questionnaire: Questionnaire | None = None) -> measures.Measure:
    """The scoring rules of a validated measure, or of an organisation's questionnaire."""
    if code != MeasureCode.CUSTOM:
        return measures.MEASURES[code]
    if questionnaire is None:
        raise ValueError("An organisation questionnaire needs its questionnaire.")
    items = list(questionnaire.items.all())
    return measures.custom_measure(
        code=f"custom-{questionnaire.pk}",
        name=questionnaire.name,
        items=len(items),
        scale_min=questionnaire.scale_min,
        scale_max=questionnaire.scale_max,
        reverse_items=frozenset(item.number for item in items if item.reverse_scored),
        higher_is_better=questionnaire.higher_is_better,
    )


@dataclass(frozen=True)
class Chosen:
    """The measure an assessment form is for: a validated one, or a questionnaire."""

    code: str
    rules: measures.Measure
    questionnaire: Questionnaire | None = None

    @property
    def key(self) -> str:
        """The value of ``?measure=`` that chooses it again."""
        return f"q{self.questionnaire.pk}" if self.questionnaire else self.code


def chosen_measure(user, key: str) -> Chosen | None:
    """``epds``, ``phq9``, … or ``q<id>`` for one of the organisation's active questionnaires."""
    if key in measures.MEASURES:
        return Chosen(code=key, rules=measures.MEASURES[key])
    if key.startswith("q") and key[1:].isdigit() and len(key) < 19:
        questionnaire = (
            Questionnaire.objects.visible_to(user)
            .filter(active=True, pk=int(key[1:]))
            .prefetch_related("items")
            .first()
        )
        if questionnaire is not None:
            rules = measure_of(code=MeasureCode.CUSTOM, questionnaire=questionnaire)
            return Chosen(code=MeasureCode.CUSTOM, rules=rules, questionnaire=questionnaire)
    return None


def item_wording(chosen: Chosen, organisation_id: int) -> dict[int, str]:
    """Item text to show: the questionnaire's own words, or wording the
    organisation holds permission for. Otherwise item numbers only."""
    if chosen.questionnaire is not None:
        return {item.number: item.text for item in chosen.questionnaire.items.all()}
    rows = MeasureWording.objects.filter(organisation_id=organisation_id, measure=chosen.code)
    return dict(rows.values_list("item_number", "text"))


def parent_assessments(user, parent: Parent) -> list[Assessment]:
    """The parent page's panel: one query, whatever the number of assessments."""
    return list(
        Assessment.objects.visible_to(user)
        .filter(parent=parent)
        .select_related("questionnaire")
        .order_by("-taken_on", "-pk")
    )


#: What a listed alert shows: its parent's name and the item that scored.
_ALERT_LIST_FIELDS = [
    "item_number", "item_score", "raised_at", "assessment__measure",
    "parent__first_name", "parent__preferred_name", "parent__last_name",
]  # fmt: skip


def open_alerts(user, *, limit: int | None = HOME_ALERTS_SHOWN) -> dict:
    """Open alerts, oldest first, and how many are open, in one query: the
    count is a window over every open alert, taken before the limit."""
    listed = (
        SafetyAlert.objects.visible_to(user)
        .open()
        .select_related("parent", "assessment")
        .only(*_ALERT_LIST_FIELDS)
        .annotate(open_total=Window(Count("pk")))
        .order_by("raised_at", "pk")
    )
    alerts = list(listed[:limit] if limit else listed)
    return {"alerts": alerts, "open_count": alerts[0].open_total if alerts else 0}


def home_alerts(user) -> dict:
    """``open_alerts`` for the staff home page as plain rows (``pk``,
    ``name``, ``measure`` label, ``item_number``, ``item_score``,
    ``raised_at``)."""
    alerts = list(_home_alert_rows(user))
    measure_labels = dict(MeasureCode.choices)
    for alert in alerts:
        alert["name"] = parent_name(
            alert["parent__first_name"], alert["parent__preferred_name"], alert["parent__last_name"]
        )
        alert["measure"] = measure_labels.get(alert["assessment__measure"], alert["assessment__measure"])
    return {"alerts": alerts, "open_count": alerts[0]["open_total"] if alerts else 0}


def _home_alert_rows(user) -> QuerySet:
    return (
        SafetyAlert.objects.visible_to(user)
        .open()
        .annotate(open_total=Window(Count("pk")))
        .order_by("raised_at", "pk")
        .values("pk", "open_total", *_ALERT_LIST_FIELDS)[:HOME_ALERTS_SHOWN]
    )
