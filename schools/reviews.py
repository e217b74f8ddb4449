"""Exam attempts and reviewed milestones: what a student records and sends, and what an instructor
decides. Each write that touches several rows runs in one transaction; the student is told of each
decision by a reminder row of kind ``step_review``, sent once by ceu.delivery like every reminder."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.versions import bump_users
from ceu.models import Reminder
from roadmap import services as roadmap_services
from roadmap.hooks import StepBadge as Badge
from roadmap.models import Enrollment, Status, Step, StepProgress

from .models import Assignment, Cohort, Decision, ExamAttempt, Submission

# Steps a new assignment reviews unless staff choose otherwise: the exams and credentials.
REVIEWED_BY_DEFAULT = (Step.Kind.CREDENTIAL,)


def default_reviewed(steps: list[Step]) -> list[Step]:
    """The exam and credential steps: an experience step naming a credential (CPC-A → CPC) counts."""
    return [s for s in steps if s.kind in REVIEWED_BY_DEFAULT or s.credential_id]


def is_exam(step: Step) -> bool:
    return step.kind == Step.Kind.CREDENTIAL


# Exam attempts ------------------------------------------------------------------------------------


@transaction.atomic
def record_attempt(
    user: User, step: Step, *, taken_on: dt.date, passed: bool, score: int | None, today: dt.date
) -> tuple[ExamAttempt, str | None]:
    """Keep the attempt; the first pass marks the step done on the exam day. Returns the attempt and,
    when the step could not be marked done (a prerequisite still open), why not: the attempt is
    kept all the same, it happened."""
    if not is_exam(step):
        raise ValidationError("Only an exam step has attempts.")
    if taken_on > today:
        raise ValidationError({"taken_on": "The exam date cannot be in the future."})
    enrollment = Enrollment.objects.get(user=user, roadmap=step.roadmap_id)
    attempt = ExamAttempt.objects.create(user=user, step=step, taken_on=taken_on, passed=passed, score=score)
    problem = None
    progress = StepProgress.objects.filter(enrollment=enrollment, step=step).first()
    if passed and (progress is None or progress.status != Status.DONE):
        try:
            with transaction.atomic():
                roadmap_services.change_step(
                    enrollment,
                    step,
                    status=Status.DONE,
                    today=today,
                    started_on=min(progress.started_on, taken_on) if progress and progress.started_on else None,
                    completed_on=taken_on,
                    note=progress.note if progress else "",
                    evidence=progress.evidence if progress else "",
                )
        except ValidationError as error:
            problem = " ".join(m for messages in error.message_dict.values() for m in messages)
    bump_users([user.pk])
    return attempt, problem


def attempts_of(user: User, step: Step) -> list[ExamAttempt]:
    return list(ExamAttempt.objects.filter(user=user, step=step).order_by("taken_on", "id"))


# Reviewed milestones ------------------------------------------------------------------------------


def reviewing_cohort(user: User, step: Step) -> Cohort | None:
    """The cohort of the person's that reviews this step (the latest started, if several)."""
    return (
        Cohort.objects.filter(students=user, assignment__roadmap=step.roadmap_id, assignment__reviewed_steps=step)
        .select_related("school")
        .order_by("-starts_on", "-pk")
        .first()
    )


@transaction.atomic
def submit_evidence(
    user: User, step: Step, *, cohort: Cohort, file=None, number: str = "", note: str = ""
) -> Submission:
    """Send evidence for review; refused while an earlier submission still awaits its decision."""
    if not file and not number.strip():
        raise ValidationError("Attach a file or give a credential or score-report number (or both).")
    if Submission.objects.filter(user=user, step=step, state=Submission.State.AWAITING).exists():
        raise ValidationError("Your evidence for this step is already awaiting review.")
    submission = Submission(cohort=cohort, user=user, step=step, number=number.strip(), note=note)
    if file:
        submission.file_name = getattr(file, "original_name", file.name)[:200]
        submission.file = file
    submission.save()
    bump_users([user.pk])
    return submission


@transaction.atomic
def decide(submission: Submission, *, reviewer: User, approve: bool, comment: str, today: dt.date) -> Decision:
    """Approve or return an awaiting submission, keep the decision, and plan the email to the
    student (one reminder row, created with the decision, so it is sent exactly once)."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state != Submission.State.AWAITING:
        raise ValidationError("This evidence has already been decided.")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "Say what is missing, so the student can send it."})
    outcome = Submission.State.APPROVED if approve else Submission.State.RETURNED
    locked.state = outcome
    locked.save(update_fields=["state"])
    email = Reminder.objects.create(
        user_id=locked.user_id,
        cohort_id=locked.cohort_id,
        step_id=locked.step_id,
        kind=Reminder.Kind.STEP_REVIEW,
        due_on=today,
        threshold=0,
    )
    decision = Decision.objects.create(
        submission=locked, reviewer=reviewer, outcome=outcome, comment=comment.strip(), email=email
    )
    submission.state = outcome
    bump_users([locked.user_id])
    return decision


def review_email(reminder: Reminder, today: dt.date) -> dict:
    """What the decision email's templates (emails/step_review_reminder_*) need."""
    decision = Decision.objects.select_related("submission__step", "reviewer").get(email=reminder)
    return {
        "decision": decision,
        "step": decision.submission.step,
        "cohort": reminder.cohort,
        "approved": decision.outcome == Submission.State.APPROVED,
        "log_url": settings.SITE_URL + reverse("schools:my-step", args=[decision.submission.step_id]),
    }


# What the dashboard shows on a step (roadmap.hooks.step_badges) ------------------------------------


def step_badges(user: User) -> dict[int, Badge]:
    """Each reviewed step of the person's cohorts that is done or has evidence: its review state,
    linking to the step's page. Three queries, whatever the number of steps."""
    steps = set(
        Assignment.reviewed_steps.through.objects.filter(assignment__cohort__students=user).values_list(
            "step_id", flat=True
        )
    )
    if not steps:
        return {}
    latest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(user=user, step__in=steps).only("step_id", "state"):
        latest.setdefault(submission.step_id, submission)  # newest first (the model's ordering)
    done = set(
        StepProgress.objects.filter(enrollment__user=user, step__in=steps, status=Status.DONE).values_list(
            "step_id", flat=True
        )
    )
    badges = {}
    for step_id in steps:
        url = reverse("schools:my-step", args=[step_id])
        if step_id in latest:
            state = latest[step_id].state
            badges[step_id] = Badge(BADGE_LABELS[state], url, state)
        elif step_id in done:
            badges[step_id] = Badge("Needs evidence for review", url, "needed")
    return badges


BADGE_LABELS = {
    Submission.State.AWAITING: "Awaiting review",
    Submission.State.APPROVED: "Verified by your school",
    Submission.State.RETURNED: "Returned: see the comment",
}
