"""The CEU part of "download my data" (see accounts.export)."""

from __future__ import annotations

from .models import ApprenticeTracker, CeuEntry, Reminder


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
        "apprentice_trackers": [
            {
                "credential": t.held.credential.code,
                "route": t.route,
                "experience_started_on": _iso(t.experience_started_on),
                "experience_evidence": t.experience_evidence,
                "letter_received_on": _iso(t.letter_received_on),
                "course_completed_on": _iso(t.course_completed_on),
                "course_evidence": t.course_evidence,
                "practicode_completed_on": _iso(t.practicode_completed_on),
                "practicode_evidence": t.practicode_evidence,
            }
            for t in ApprenticeTracker.objects.filter(held__user=user).select_related("held__credential")
        ],
        "reminders": [
            {"kind": r.kind, "due_on": r.due_on.isoformat(), "threshold_days": r.threshold, "status": r.status}
            for r in Reminder.objects.filter(user=user)
        ],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def deletion_summary(user) -> list[str]:
    entries = CeuEntry.objects.filter(user=user).count()
    return [f"your {entries} CEU entr{'y' if entries == 1 else 'ies'}, your reminders and your calendar feed"]
