"""Writes to a person's roadmap: following, step progress with its history, credentials held.

Each function changes several rows at once, so each runs in one transaction; the rules that keep
the record true are checked here, and a broken rule raises ValidationError naming the field.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from content.models import Credential

from .models import Enrollment, HeldCredential, ProgressEvent, Roadmap, ShareLink, Status, Step, StepProgress

# The fields of a step's progress that a change may set, and that undo restores.
PROGRESS_FIELDS = ("status", "started_on", "completed_on", "note", "evidence")
MET_STATUSES = {Status.DONE, Status.SKIPPED}


@transaction.atomic
def follow_roadmap(user: User, roadmap: Roadmap, *, primary: bool | None = None) -> Enrollment:
    """Follow ``roadmap``; the first roadmap a person follows becomes their primary one."""
    enrollment, _ = Enrollment.objects.get_or_create(user=user, roadmap=roadmap)
    has_primary = Enrollment.objects.filter(user=user, is_primary=True).exclude(pk=enrollment.pk).exists()
    if primary or (primary is None and not has_primary and not enrollment.is_primary):
        make_primary(enrollment)
    return enrollment


@transaction.atomic
def make_primary(enrollment: Enrollment) -> None:
    Enrollment.objects.filter(user=enrollment.user_id, is_primary=True).exclude(pk=enrollment.pk).update(
        is_primary=False
    )
    if not enrollment.is_primary:
        enrollment.is_primary = True
        enrollment.save(update_fields=["is_primary"])


@transaction.atomic
def unfollow(enrollment: Enrollment) -> None:
    """Stop following a roadmap (its progress goes with it); another one becomes primary."""
    user_id, was_primary = enrollment.user_id, enrollment.is_primary
    enrollment.delete()
    if was_primary:
        successor = Enrollment.objects.filter(user=user_id).order_by("created_at").first()
        if successor:
            make_primary(successor)


def check_step_change(
    enrollment: Enrollment,
    step: Step,
    *,
    status: str,
    started_on: dt.date | None,
    completed_on: dt.date | None,
    today: dt.date,
    met_step_ids: set[int],
) -> None:
    """Raise ValidationError, keyed by field, if the change would make the record untrue."""
    errors: dict[str, str] = {}
    if status == Status.DONE:
        missing = [required.title for required in step.prerequisites.all() if required.pk not in met_step_ids]
        if missing:
            errors["status"] = f"Finish {'; '.join(missing)} first: this step comes after it."
    if completed_on and completed_on > today:
        errors["completed_on"] = "The completion date cannot be in the future."
    if started_on and started_on > today:
        errors["started_on"] = "The start date cannot be in the future."
    if completed_on and started_on and completed_on < started_on:
        errors["completed_on"] = "The completion date cannot be before the start date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_step(
    enrollment: Enrollment,
    step: Step,
    *,
    status: str,
    today: dt.date,
    started_on: dt.date | None = None,
    completed_on: dt.date | None = None,
    note: str = "",
    evidence: str = "",
) -> StepProgress:
    """Record a step's new status and dates, keep the change in the timeline, and
    record the step's credential as held when a credential step is done."""
    if step.roadmap_id != enrollment.roadmap_id:
        raise ValidationError("That step is not part of this roadmap.")
    met_step_ids = set(
        enrollment.progress.filter(status__in=MET_STATUSES).exclude(step=step).values_list("step_id", flat=True)
    )
    # Quick changes ("mark done") carry no dates: fill in the obvious ones, drop the ones that no
    # longer apply, so a step is never "not started" with a start date or "skipped" with a completion.
    if status == Status.IN_PROGRESS and started_on is None:
        started_on = today
    if status == Status.DONE and completed_on is None:
        completed_on = today
    if status == Status.NOT_STARTED:
        started_on = None
    if status != Status.DONE:
        completed_on = None
    check_step_change(
        enrollment,
        step,
        status=status,
        started_on=started_on,
        completed_on=completed_on,
        today=today,
        met_step_ids=met_step_ids,
    )
    progress, _ = StepProgress.objects.select_for_update().get_or_create(enrollment=enrollment, step=step)
    previous = _snapshot(progress)
    progress.status, progress.started_on, progress.completed_on = status, started_on, completed_on
    progress.note, progress.evidence = note, evidence
    progress.save()
    recorded = None
    if status == Status.DONE and step.credential_id and previous["status"] != Status.DONE:
        recorded = record_credential(enrollment.user, step.credential, earned_on=completed_on)
    ProgressEvent.objects.create(progress=progress, status=status, previous=previous, recorded_credential=recorded)
    return progress


@transaction.atomic
def undo_last_change(progress: StepProgress) -> ProgressEvent | None:
    """Put the step back as it was before its latest change; return the undone event."""
    event = progress.events.filter(undone=False).order_by("-at", "-id").select_for_update().first()
    if event is None:
        return None
    for field, value in event.previous.items():
        if field in ("started_on", "completed_on"):
            value = dt.date.fromisoformat(value) if value else None
        setattr(progress, field, value)
    progress.save()
    recorded, event.recorded_credential = event.recorded_credential, None
    if recorded:
        forget_credential(recorded)
    event.undone = True
    event.save(update_fields=["undone", "recorded_credential"])
    return event


@transaction.atomic
def record_credential(user: User, credential: Credential, *, earned_on: dt.date) -> HeldCredential | None:
    """Record ``credential`` as held from ``earned_on``; a credential it replaces ends that day.

    Returns the new holding, or None when the person already holds it.
    """
    if HeldCredential.objects.filter(user=user, credential=credential, ended_on__isnull=True).exists():
        return None
    if credential.replaces_id:
        HeldCredential.objects.filter(user=user, credential=credential.replaces_id, ended_on__isnull=True).update(
            ended_on=earned_on, end_reason=HeldCredential.EndReason.REPLACED
        )
    return HeldCredential.objects.create(user=user, credential=credential, earned_on=earned_on)


@transaction.atomic
def forget_credential(held: HeldCredential) -> None:
    """Remove a holding recorded by mistake; a credential it had replaced is held again."""
    if held.credential.replaces_id:
        HeldCredential.objects.filter(
            user=held.user_id,
            credential=held.credential.replaces_id,
            ended_on=held.earned_on,
            end_reason=HeldCredential.EndReason.REPLACED,
        ).update(ended_on=None, end_reason="")
    held.delete()


def _snapshot(progress: StepProgress) -> dict[str, str | None]:
    return {
        field: value.isoformat() if isinstance(value, dt.date) else value
        for field in PROGRESS_FIELDS
        for value in [getattr(progress, field)]
    }


@transaction.atomic
def make_share_link(user: User) -> str:
    """A new read-only share link for the person (any earlier one stops working); returns its token,
    which is shown once: only its hash is kept."""
    token = secrets.token_urlsafe(24)
    ShareLink.objects.update_or_create(user=user, defaults={"token_hash": ShareLink.digest(token)})
    return token


def revoke_share_link(user: User) -> bool:
    """The link stops working at once. False when there was none."""
    deleted, _ = ShareLink.objects.filter(user=user).delete()
    return bool(deleted)


def user_for_share_token(token: str) -> User | None:
    link = ShareLink.objects.filter(token_hash=ShareLink.digest(token)).select_related("user").first()
    return link.user if link else None
