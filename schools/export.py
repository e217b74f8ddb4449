"""The schools part of "download my data" (see accounts.export)."""

from __future__ import annotations

from .models import CohortStudent, ExamAttempt, Membership, StepComment, Submission


def personal_data(user) -> dict:
    return {
        "school_memberships": [
            {"school": m.school.name, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("school")
        ],
        "cohorts": [
            {
                "school": c.cohort.school.name,
                "cohort": c.cohort.name,
                "joined_at": c.joined_at.isoformat(),
                "shares_after_the_cohort": c.shares_after,
            }
            for c in CohortStudent.objects.filter(user=user).select_related("cohort__school")
        ],
        "exam_attempts": [
            {"step": a.step.title, "taken_on": a.taken_on.isoformat(), "passed": a.passed, "score": a.score}
            for a in ExamAttempt.objects.filter(user=user).select_related("step")
        ],
        "evidence_sent": [
            {
                "step": s.step.title,
                "number": s.number,
                "file": s.file_name,
                "note": s.note,
                "state": s.state,
                "submitted_at": s.submitted_at.isoformat(),
                "decisions": [
                    {"outcome": d.outcome, "comment": d.comment, "decided_at": d.decided_at.isoformat()}
                    for d in s.decisions.all()
                ],
            }
            for s in Submission.objects.filter(user=user).select_related("step").prefetch_related("decisions")
        ],
        "step_messages": [
            {"step": c.step.title, "from_you": c.author_id == user.pk, "body": c.body, "at": c.created_at.isoformat()}
            for c in StepComment.objects.filter(student=user).select_related("step")
        ],
    }


def deletion_summary(user) -> list[str]:
    cohorts = CohortStudent.objects.filter(user=user).count()
    schools = Membership.objects.filter(user=user).count()
    if not cohorts and not schools:
        return []
    places = f"{cohorts} cohort{'' if cohorts == 1 else 's'} and {schools} school{'' if schools == 1 else 's'}"
    return [
        f"your place in {places}",
        "your exam attempts, the evidence you sent for review (files included) and your messages about steps",
    ]
