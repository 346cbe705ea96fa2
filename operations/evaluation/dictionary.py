"""The data dictionary and the README shipped inside every export: what each
column means, its type and allowed values, and the method."""

from __future__ import annotations

from operations.core.models import ServiceKind
from operations.evaluation import anonymise
from operations.outcomes.models import MeasureCode, Timepoint
from referrals.models import ParentRole, Source
from volunteers.matching.models import EndingType

PARTICIPANT_COLUMNS = (
    "pseudonymous_id",
    "age_band",
    "area",
    "referral_source",
    "service_kind",
    "parent_role",
    "days_to_first_contact",
    "days_to_match",
    "days_to_support_start",
    "days_to_end",
    "contacts",
    "contact_hours",
    "ending_type",
)
ASSESSMENT_COLUMNS = (
    "pseudonymous_id",
    "measure",
    "timepoint",
    "days_since_referral",
    "total",
    "band",
    "item_scores",
)
DICTIONARY_COLUMNS = ("file", "column", "meaning", "type", "allowed_values")
DISCLOSURE_COLUMNS = ("item", "value")

_DAYS = "whole days after the referral was received; empty if it has not happened"


def _codes(choices) -> str:
    return "; ".join(str(value) for value, _ in choices)


def participant_columns(*, with_member: bool = False) -> tuple[str, ...]:
    """participants.csv's header: a pooled export that shows the member has
    its column second."""
    if not with_member:
        return PARTICIPANT_COLUMNS
    return (PARTICIPANT_COLUMNS[0], anonymise.MEMBER, *PARTICIPANT_COLUMNS[1:])


def dictionary_rows(*, pooled: bool = False, with_member: bool = False) -> list[tuple[str, str, str, str, str]]:
    participants = "participants.csv"
    assessments = "assessments.csv"
    unlinkable = "unlinkable to other projects, branch exports included" if pooled else "unlinkable to other projects"
    member = [
        (participants, "member", "The member organisation the row came from (a quasi-identifier: k counts it)",
         "text", "the names of the members that opted in"),
    ] if with_member else []  # fmt: skip
    return [
        (participants, "pseudonymous_id", f"The same parent in every export of this project; {unlinkable}",
         "text", "P- followed by 16 hexadecimal digits"),
        *member,
        (participants, "age_band", "Age when referred, in 5- or 10-year bands (see disclosure_report)", "text",
         "e.g. 25-29 or 20-29; unknown"),
        (participants, "area", "Where the parent lives: council area (GSS code), its health board, or Scotland, "
         "as k required", "text", "a GSS code S12000xxx; an NHS health board name; Scotland; unknown"),
        (participants, "referral_source", "Who referred", "code", _codes(Source.choices)),
        (participants, "service_kind", "Kind of service (names are left out: a local name could identify)",
         "code", _codes(ServiceKind.choices)),
        (participants, "parent_role", "The supported parent's role", "code", _codes(ParentRole.choices)),
        (participants, "days_to_first_contact", "First logged contact with a volunteer or PSO: " + _DAYS,
         "integer", ">= 0 or empty"),
        (participants, "days_to_match", "First match confirmed: " + _DAYS + ". A match is confirmed on or "
         "after the day the referral is received, and cannot start before it is confirmed (the database "
         "refuses it)", "integer", ">= 0 or empty; never more than days_to_support_start or days_to_first_contact"),
        (participants, "days_to_support_start", "Support started (the first contact on a confirmed match): " + _DAYS,
         "integer", ">= days_to_match, or empty"),
        (participants, "days_to_end", "Last match ended: " + _DAYS, "integer", ">= 0 or empty"),
        (participants, "contacts", "Number of logged contacts", "integer", ">= 0"),
        (participants, "contact_hours", "Total logged contact time in hours", "decimal (1 place)", ">= 0"),
        (participants, "ending_type", "How the last match ended", "code", _codes(EndingType.choices) + "; empty"),
        (assessments, "pseudonymous_id", "Links to participants.csv", "text", "as in participants.csv"),
        (assessments, "measure", "The outcome measure; custom-N is the organisation's questionnaire N", "code",
         _codes(MeasureCode.choices) + "; custom-N"),
        (assessments, "timepoint", "When in support it was taken", "code", _codes(Timepoint.choices)),
        (assessments, "days_since_referral", "Days from the referral to the assessment", "integer",
         "may be negative if taken before the referral was recorded"),
        (assessments, "total", "The measure's total (SWEMWBS: metric score), as scored by the system", "decimal",
         "the measure's range"),
        (assessments, "band", "The measure's published band for the total", "code", "the measure's bands; empty"),
        (assessments, "item_scores", "Item scores in item order, separated by ';' (empty: unanswered)", "text",
         "integers"),
    ]  # fmt: skip


README = """Anonymised evaluation export
============================

Files
-----
participants.csv    one row per referral of a parent whose evaluation consent stands
assessments.csv     the outcome assessments of those referrals
data_dictionary.csv every column: meaning, type, allowed values
disclosure_report.csv / .txt  quasi-identifiers, k achieved, what was generalised or suppressed
export.xlsx         (when asked for) the same tables, one sheet each

Method
------
- Only parents whose evaluation consent stands (given and not withdrawn) and whose
  record has not been erased are included.
- No name, address, postcode, date of birth, telephone, email, free text or exact
  date is included. Dates are given as whole days since the referral; age as a band.
- Pseudonymous ids are HMAC-SHA256 of the internal id with a secret held by the
  evaluation project and never exported: the same parent has the same id in every
  export of the project and different ids in other projects.
- k-anonymity: every combination of the quasi-identifiers (see the disclosure
  report) describes at least k rows. Generalisation comes first, by global
  recoding in this order: age from 5-year to 10-year bands, council area to health
  board, then to Scotland. The first step whose groups under k hold at most the
  project's allowed share of rows is used; rows still in groups under k are then
  suppressed (left out, with their assessments), and counted in the report.
- A parent with two referrals appears in two rows; exports of one project can be
  joined by pseudonymous id, so combine them only within the project's agreement.
- Values a spreadsheet would run as formulas are prefixed with a single quote.
"""

POOLED_README = """
Pooled across a federation
--------------------------
- This export pools the rows of the federation's member organisations that
  opted in to the project; each member's rows are chosen exactly as its own
  branch export would choose them (evaluation consent, not erased).
- k-anonymity is reached over the pooled rows. The member a row came from is
  a column only when the project chose it as a quasi-identifier.
- Pseudonymous ids come from the pooled project's own secret: they cannot be
  linked to the ids of any member's own exports.
"""

__all__ = [
    "ASSESSMENT_COLUMNS",
    "PARTICIPANT_COLUMNS",
    "POOLED_README",
    "README",
    "anonymise",
    "dictionary_rows",
    "participant_columns",
]
