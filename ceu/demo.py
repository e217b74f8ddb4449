"""Demo CEU data: the working coder's cycle ends in 45 days with CEUs still to log, one certificate
on file and a ready audit pack of the cycle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from roadmap.models import HeldCredential

from . import audit
from .models import AuditPack, CeuEntry

# The smallest file the certificate field accepts as a PDF (its first bytes), for the demo only.
DEMO_CERTIFICATE = b"%PDF-1.4\n% Demo certificate: AAPC regional conference, 12 CEUs\n%%EOF\n"


def load_demo(today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    held = list(HeldCredential.objects.filter(user__email="coder@example.com", ended_on__isnull=True))
    if not held or CeuEntry.objects.filter(user=held[0].user).exists():
        return []
    cpc = next(h for h in held if h.credential.code == "CPC")
    cpc.cycle_ends_on = today + dt.timedelta(days=45)
    cpc.save(update_fields=["cycle_ends_on"])
    for days_ago, hours, activity in ((300, "12", "AAPC regional conference"), (90, "8", "Cardiology coding webinar")):
        entry = CeuEntry(
            user=cpc.user,
            completed_on=today - dt.timedelta(days=days_ago),
            hours=Decimal(hours),
            activity=activity,
            provider="AAPC",
        )
        if days_ago == 300:
            entry.certificate.save("upload.pdf", ContentFile(DEMO_CERTIFICATE), save=False)
            entry.certificate_name = "AAPC regional conference certificate.pdf"
        entry.save()
        entry.credentials.set(held)
    start = max(cpc.earned_on, today + dt.timedelta(days=45) - dt.timedelta(days=730))
    pack = AuditPack.objects.create(user=cpc.user, held=cpc, starts_on=start, ends_on=cpc.cycle_ends_on)
    audit.build_pack(pack.pk)
    return ["CEU log with a certificate, a cycle ending in 45 days and an audit pack for coder@example.com"]
