"""Exam attempts and reviewed milestones: the student's page for one step, and the instructors'
review queue. Every lookup is scoped (a step of a roadmap the student follows; a submission of a
cohort the staff member may see), so a foreign id is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.selectors import local_today
from accounts.services import profile_of
from lib.uploads import download_name, serve
from roadmap.models import Step, StepProgress

from . import access, comments, reviews
from .forms import CommentForm, DecisionForm, EvidenceForm, ExamAttemptForm
from .models import CohortStudent, Submission


def _student_step(request, step_pk: int) -> Step:
    """A step of a roadmap the signed-in person follows; 404 for any other."""
    return get_object_or_404(
        Step.objects.select_related("roadmap", "credential"), pk=step_pk, roadmap__enrollments__user=request.user
    )


def _today(request):
    return local_today(profile_of(request.user), timezone.now())


def _my_step_context(request, step: Step, **forms) -> dict:
    cohort = reviews.reviewing_cohort(request.user, step)
    submissions = list(Submission.objects.filter(user=request.user, step=step).prefetch_related("decisions__reviewer"))
    progress = StepProgress.objects.filter(enrollment__user=request.user, step=step).first()
    awaiting = any(s.state == Submission.State.AWAITING for s in submissions)
    thread_cohort = comments.thread_cohort(request.user, step)
    return {
        "thread": _thread_context(
            thread_cohort,
            request.user,
            step,
            reverse("schools:my-comment", args=[step.pk]) if thread_cohort else "",
            forms.get("comment_form"),
        ),
        "step": step,
        "progress": progress,
        "is_exam": reviews.is_exam(step),
        "attempts": reviews.attempts_of(request.user, step) if reviews.is_exam(step) else [],
        "attempt_form": forms.get("attempt_form") or ExamAttemptForm(initial={"taken_on": _today(request)}),
        "cohort": cohort,
        "submissions": submissions,
        "can_submit": cohort is not None and not awaiting,
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
    }


@login_required
def my_step(request, step_pk: int):
    step = _student_step(request, step_pk)
    return render(request, "schools/my_step.html", _my_step_context(request, step))


@login_required
@require_POST
def record_attempt(request, step_pk: int):
    step = _student_step(request, step_pk)
    if not reviews.is_exam(step):
        raise Http404("Only an exam step has attempts.")
    form = ExamAttemptForm(request.POST)
    if form.is_valid():
        try:
            attempt, problem = reviews.record_attempt(request.user, step, today=_today(request), **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Attempt of {attempt.taken_on:%b %-d, %Y} recorded.")
            if attempt.passed and problem:
                messages.warning(request, f"The step is not marked done yet: {problem}")
            return redirect("schools:my-step", step.pk)
    return render(request, "schools/my_step.html", _my_step_context(request, step, attempt_form=form))


@login_required
@require_POST
def submit_evidence(request, step_pk: int):
    step = _student_step(request, step_pk)
    cohort = reviews.reviewing_cohort(request.user, step)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and cohort is not None:
        try:
            reviews.submit_evidence(request.user, step, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Sent: {step.title} is awaiting review by {cohort.school.name}.")
            return redirect("schools:my-step", step.pk)
    elif form.is_valid():
        form.add_error(None, "No cohort of yours reviews this step.")
    return render(request, "schools/my_step.html", _my_step_context(request, step, evidence_form=form))


@login_required
def my_evidence_file(request, step_pk: int, submission_pk: int):
    step = _student_step(request, step_pk)
    submission = get_object_or_404(Submission.objects.exclude(file=""), pk=submission_pk, user=request.user, step=step)
    return _serve(submission)


def _serve(submission: Submission):
    extension = submission.file.name.rsplit(".", 1)[-1]
    return serve(submission.file, filename=download_name(submission.file_name, extension, "evidence"))


# Staff -------------------------------------------------------------------------------------------


def _submission_for(request, slug: str, pk: int, submission_pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    submission = get_object_or_404(
        Submission.objects.select_related("user", "step").prefetch_related("decisions__reviewer"),
        pk=submission_pk,
        cohort=cohort,
    )
    return membership, cohort, submission


@login_required
def review_queue(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    submissions = Submission.objects.filter(cohort=cohort).select_related("user", "step").order_by("submitted_at")
    context = {
        "school": membership.school,
        "cohort": cohort,
        "awaiting": [s for s in submissions if s.state == Submission.State.AWAITING],
        "decided": [s for s in submissions if s.state != Submission.State.AWAITING][::-1][:50],
    }
    return render(request, "schools/review_queue.html", context)


@login_required
def review(request, slug: str, pk: int, submission_pk: int):
    membership, cohort, submission = _submission_for(request, slug, pk, submission_pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.decide(
                submission,
                reviewer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            verb = "approved" if submission.state == Submission.State.APPROVED else "returned"
            messages.success(request, f"{submission.step.title} of {submission.user.email} {verb}; they are emailed.")
            return redirect("schools:reviews", slug, pk)
    history = Submission.objects.filter(user=submission.user, step=submission.step, cohort=cohort).prefetch_related(
        "decisions__reviewer"
    )
    context = {"school": membership.school, "cohort": cohort, "submission": submission, "form": form}
    return render(request, "schools/review.html", context | {"history": history})


@login_required
def review_file(request, slug: str, pk: int, submission_pk: int):
    _, _, submission = _submission_for(request, slug, pk, submission_pk)
    if not submission.file:
        raise Http404("This submission has no file.")
    return _serve(submission)


# Comments ----------------------------------------------------------------------------------------


def _thread_context(cohort, student, step, action: str, form=None) -> dict:
    return {
        "cohort": cohort,
        "student": student,
        "comments": comments.thread(cohort, student, step) if cohort else [],
        "action": action,
        "form": form or CommentForm(),
    }


def _render_thread(request, context: dict, page: str, page_context: dict):
    """htmx: the thread alone (an invalid form comes back with status 200, so htmx swaps it in);
    otherwise the whole page."""
    if request.htmx:
        return render(request, "schools/_comments.html", {"thread": context})
    return render(request, page, page_context)


@login_required
@require_POST
def my_comment(request, step_pk: int):
    step = _student_step(request, step_pk)
    cohort = comments.thread_cohort(request.user, step)
    if cohort is None:
        raise Http404("No cohort of yours follows this roadmap.")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comments.add_comment(
                cohort, request.user, step, author=request.user, body=form.cleaned_data["body"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if not request.htmx:
                messages.success(request, "Sent to your instructors.")
                return redirect(f"{reverse('schools:my-step', args=[step.pk])}#comments")
            form = CommentForm()
    action = reverse("schools:my-comment", args=[step.pk])
    context = _thread_context(cohort, request.user, step, action, form)
    return _render_thread(request, context, "schools/my_step.html", _my_step_context(request, step, comment_form=form))


def _staff_thread(request, slug: str, pk: int, student_pk: int, step_pk: int):
    """A student of a cohort the staff member sees (a graduate only while they share), and a step of
    the cohort's roadmap; 404 otherwise."""
    membership, cohort = access.cohort_for(request, slug, pk)
    places = CohortStudent.objects.filter(cohort=cohort, user=student_pk).select_related("user")
    if cohort.ends_on < timezone.localdate():
        places = places.filter(shares_after=True)
    place = get_object_or_404(places)
    step = get_object_or_404(Step, pk=step_pk, roadmap__assignments__cohort=cohort)
    return membership, cohort, place.user, step


@login_required
def staff_comments(request, slug: str, pk: int, student_pk: int, step_pk: int):
    membership, cohort, student, step = _staff_thread(request, slug, pk, student_pk, step_pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comments.add_comment(
                cohort, student, step, author=request.user, body=form.cleaned_data["body"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if not request.htmx:
                messages.success(request, f"Sent to {student.get_full_name() or student.email}.")
                return redirect(request.path)
            form = CommentForm()
    action = reverse("schools:comments", args=[slug, pk, student.pk, step.pk])
    context = _thread_context(cohort, student, step, action, form)
    page_context = {"school": membership.school, "cohort": cohort, "student": student, "step": step, "thread": context}
    return _render_thread(request, context, "schools/comments.html", page_context)
