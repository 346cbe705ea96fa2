"""Messages about a form sent through the public online referral forms,
written in the submission's transaction (``referrals.online.signals``):

- an acknowledgement by email to whoever sent it (the parent, when she said
  email is safe; the referrer's work email), with the reference and what
  happens next. Nothing personal: not her name, not the service when she
  said messages must not name it. The same words whether or not she is
  already known, and whether the form reached the board or was held.
- every coordinator of the organisation, in the app: a new online referral
  is on the board, or a form is held for them to check.

Every key names the submission, so a signal sent twice writes each message once."""

from __future__ import annotations

from django.urls import reverse

from operations.core.models import Membership, Organisation, Role, User
from operations.notifications.models import Channel, Notification
from operations.notifications.services import notification_write
from referrals.online.models import FormKind, OnlineSubmission, Outcome
from referrals.online.selectors import reply_within_days


def acknowledgement_words(
    *, organisation: Organisation, submission: OnlineSubmission, names_service: bool
) -> tuple[str, str]:
    """(subject, body) of the acknowledgement: the reference and what happens next."""
    who = organisation.name if names_service else "We"
    days = reply_within_days(organisation)
    if submission.form == FormKind.PROFESSIONAL:
        subject = f"Referral received by {organisation.name}: {submission.reference}"
        body = (
            f"Thank you for your referral. Its reference is {submission.reference}.\n\n"
            f"{organisation.name} reads every referral, usually within {days} working days, and contacts the "
            "family only in the ways you said are safe (or through you).\n\n"
            "This email holds nothing about the family. Please quote the reference if you get in touch."
        )
        return subject, body
    subject = f"Form received: {submission.reference}"
    body = (
        f"Thank you. {who} received your form. Your reference is {submission.reference}.\n\n"
        f"Someone will read it, usually within {days} working days, and contact you only in the ways "
        "and at the times you said are safe.\n\n"
        "Please quote the reference if you get in touch."
    )
    return subject, body


def online_submission_write(*, submission_id: int, acknowledge_to: str, names_service: bool) -> None:
    submission = OnlineSubmission.objects.select_related("organisation").get(pk=submission_id)
    if submission.outcome == Outcome.SPAM:
        return
    organisation = submission.organisation
    if acknowledge_to and not _referrer_already_told(submission, acknowledge_to):
        subject, body = acknowledgement_words(
            organisation=organisation, submission=submission, names_service=names_service
        )
        notification_write(
            key=f"online-acknowledgement:{submission.pk}",
            kind="online_referral_acknowledgement",
            channel=Channel.EMAIL,
            organisation=organisation,
            recipient_address=acknowledge_to,
            names_service=names_service,
            subject=subject,
            body=body,
            about=submission,
        )
    _tell_coordinators(submission)


def _referrer_already_told(submission: OnlineSubmission, address: str) -> bool:
    """A professional whose referral is followed by word back (the parent
    agreed) already has the "received" update, with the reference and the
    status link, written by the same move: one email, not two."""
    if submission.referral_id is None:
        return False
    return Notification.objects.filter(
        key=f"referrer-update:{submission.referral_id}:received", recipient_address__iexact=address
    ).exists()


def _tell_coordinators(submission: OnlineSubmission) -> None:
    form = submission.get_form_display().lower()
    if submission.outcome == Outcome.REFERRED:
        subject = f"New online referral #{submission.referral_id}"
        body = f"Referral #{submission.referral_id} came in through the {form} and is on the triage board."
        link = reverse("referrals:referral-detail", args=[submission.referral_id])
    else:
        subject = f"An online form needs checking ({submission.reference})"
        body = (
            f"A form sent through the {form} could not go on the board by itself "
            f"({submission.get_held_reason_display().lower()}). Read it on “Online forms to check”."
        )
        link = reverse("online_referrals:to-check")
    coordinators = (
        Membership.objects.active()
        .filter(organisation_id=submission.organisation_id, role=Role.COORDINATOR)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    for user_id in coordinators:
        notification_write(
            key=f"online-submission:{submission.pk}:coordinator:{user_id}",
            kind="online_referral_received",
            channel=Channel.IN_APP,
            organisation=submission.organisation,
            recipient_user=User(pk=user_id),
            subject=subject,
            body=body,
            link=link,
            about=submission,
        )
