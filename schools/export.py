"""The schools part of "download my data" (see accounts.export)."""

from __future__ import annotations

from .models import CohortStudent, Membership


def personal_data(user) -> dict:
    return {
        "school_memberships": [
            {"school": m.school.name, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("school")
        ],
        "cohorts": [
            {"school": c.cohort.school.name, "cohort": c.cohort.name, "joined_at": c.joined_at.isoformat()}
            for c in CohortStudent.objects.filter(user=user).select_related("cohort__school")
        ],
    }
