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


def deletion_summary(user) -> list[str]:
    cohorts = CohortStudent.objects.filter(user=user).count()
    schools = Membership.objects.filter(user=user).count()
    if not cohorts and not schools:
        return []
    return [
        f"your place in {cohorts} cohort{'' if cohorts == 1 else 's'} and {schools} school{'' if schools == 1 else 's'}"
    ]
