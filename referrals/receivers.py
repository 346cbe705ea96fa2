"""What the referrals app does on a base-layer event: it calls its own service."""

from __future__ import annotations

from referrals.services import service_recompute_eligibility


def recompute_eligibility(sender, *, service_id: int, **kwargs) -> None:
    """A service's policy may have changed: its open referrals' end dates follow."""
    service_recompute_eligibility(service_id=service_id)
