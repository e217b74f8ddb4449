"""Demo CEU data: the working coder's cycle ends in 45 days with CEUs still to log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from roadmap.models import HeldCredential

from .models import CeuEntry


def load_demo(today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    held = list(HeldCredential.objects.filter(user__email="coder@example.com", ended_on__isnull=True))
    if not held or CeuEntry.objects.filter(user=held[0].user).exists():
        return []
    cpc = next(h for h in held if h.credential.code == "CPC")
    cpc.cycle_ends_on = today + dt.timedelta(days=45)
    cpc.save(update_fields=["cycle_ends_on"])
    for days_ago, hours, activity in ((300, "12", "AAPC regional conference"), (90, "8", "Cardiology coding webinar")):
        entry = CeuEntry.objects.create(
            user=cpc.user,
            completed_on=today - dt.timedelta(days=days_ago),
            hours=Decimal(hours),
            activity=activity,
            provider="AAPC",
        )
        entry.credentials.set(held)
    return ["CEU log and a cycle ending in 45 days for coder@example.com"]
