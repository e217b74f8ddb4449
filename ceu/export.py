"""The CEU part of "download my data" (see accounts.export)."""

from __future__ import annotations

from .models import CeuEntry, Reminder


def personal_data(user) -> dict:
    entries = CeuEntry.objects.filter(user=user).prefetch_related("credentials__credential")
    return {
        "ceu_entries": [
            {
                "completed_on": e.completed_on.isoformat(),
                "ceus": str(e.hours),
                "activity": e.activity,
                "provider": e.provider,
                "category": e.category,
                "counts_toward": [h.credential.code for h in e.credentials.all()],
                "certificate_on_file": bool(e.certificate),
                "certificate_file_name": e.certificate_name,
            }
            for e in entries
        ],
        "reminders": [
            {"kind": r.kind, "due_on": r.due_on.isoformat(), "threshold_days": r.threshold, "status": r.status}
            for r in Reminder.objects.filter(user=user)
        ],
    }


def deletion_summary(user) -> list[str]:
    entries = CeuEntry.objects.filter(user=user).count()
    return [f"your {entries} CEU entr{'y' if entries == 1 else 'ies'}, your reminders and your calendar feed"]
