"""The short thread about one step between a student and their cohort's staff: each message is
emailed to the other side (the student, or the cohort's instructors), once the message is saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from lib.urls import absolute_url
from roadmap.models import Step

from .models import Cohort, StepComment

MAX_COMMENTS_PER_THREAD = 200  # a short thread: a runaway one is refused, not grown forever


def thread_cohort(student: User, step: Step) -> Cohort | None:
    """The student's cohort that follows the step's roadmap (the latest started, if several)."""
    return (
        Cohort.objects.filter(students=student, assignment__roadmap=step.roadmap_id)
        .select_related("school")
        .order_by("-starts_on", "-pk")
        .first()
    )


def thread(cohort: Cohort, student: User, step: Step) -> list[StepComment]:
    return list(StepComment.objects.filter(cohort=cohort, student=student, step=step).select_related("author"))


@transaction.atomic
def add_comment(cohort: Cohort, student: User, step: Step, *, author: User, body: str, request=None) -> StepComment:
    """Keep the message and email the other side: staff's to the student, the student's to the
    cohort's instructors."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    if StepComment.objects.filter(cohort=cohort, student=student, step=step).count() >= MAX_COMMENTS_PER_THREAD:
        raise ValidationError("This thread is full: talk it over in person or by email.")
    comment = StepComment.objects.create(cohort=cohort, student=student, step=step, author=author, body=body)
    from_student = author.pk == student.pk
    if from_student:
        recipients = list(cohort.instructors.values_list("email", flat=True))
        url = reverse("schools:comments", args=[cohort.school.slug, cohort.pk, student.pk, step.pk])
    else:
        recipients = [student.email]
        url = reverse("schools:my-step", args=[step.pk])
    context = {
        "comment": comment,
        "step": step,
        "cohort": cohort,
        "author": author.get_full_name() or author.email,
        "url": absolute_url(url, request),
    }
    subject = f"[Coding Career Roadmap] {context['author']} on “{step.title}”"
    message = render_to_string("emails/step_comment_body.txt", context)
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)
        )
    return comment
