"""One signed-in person who owns one of everything: a roadmap with progress, a credential, a CEU entry,
a calendar feed, and a school (as its admin) with a cohort that follows a roadmap and a school
roadmap of its own. Crawls fill every URL of the site with these real ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from accounts.services import profile_of
from ceu import audit
from ceu import services as ceu_services
from ceu.emails import unsubscribe_token
from ceu.models import AuditPack, CeuEntry
from content.models import Credential, EducationPath, Role
from roadmap import services as roadmap_services
from roadmap.models import Enrollment, HeldCredential, Roadmap, Step
from schools import reviews
from schools import services as school_services
from schools.models import Cohort, Invitation, Membership, School, Submission
from schools.models import Role as SchoolRole
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 25)
# The Django admin is for staff only and made of Django's own forms: crawls leave it out.
EXCLUDED_NAMESPACES = {"admin"}
PASSWORD = "a-long-test-password"
CERTIFICATE_PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@dataclass
class World:
    person: User
    colleague: User  # staff of the same school, to add as an instructor
    enrollment: Enrollment
    step: Step  # a step of the followed roadmap
    held: HeldCredential
    apprentice: HeldCredential  # a CPC-A, for the apprentice tracker
    entry: CeuEntry
    audit_pack: AuditPack  # ready to download
    feed_secret: str
    unsubscribe: str
    school: School
    cohort: Cohort
    school_roadmap: Roadmap
    school_step: Step
    invitation: str
    default_roadmap: Roadmap
    share_token: str
    exam_step: Step  # an exam step of the followed roadmap, reviewed by the cohort
    own_submission: Submission  # the person's evidence, returned (so they may send it again)
    awaiting_submission: Submission  # a classmate's evidence, awaiting the person's review


def build_world() -> World:
    person = make_user("owner@example.com", first_name="Olive")
    profile_of(person)
    colleague = make_user("colleague@example.com")
    default_roadmap = Roadmap.objects.get(key="outpatient-aapc")
    enrollment = roadmap_services.follow_roadmap(person, default_roadmap)
    step = default_roadmap.steps.order_by("order").first()
    roadmap_services.change_step(enrollment, step, status="in_progress", today=TODAY, started_on=dt.date(2026, 1, 5))
    held = roadmap_services.record_credential(person, Credential.objects.get(code="CPC"), earned_on=dt.date(2025, 3, 1))
    apprentice = roadmap_services.record_credential(
        person, Credential.objects.get(code="CPC-A"), earned_on=dt.date(2025, 1, 5)
    )
    entry = CeuEntry.objects.create(
        user=person, completed_on=dt.date(2026, 1, 10), hours=Decimal(2), activity="Webinar"
    )
    entry.credentials.set([held])
    entry.certificate.save("upload.pdf", ContentFile(CERTIFICATE_PDF), save=False)
    entry.certificate_name = "webinar.pdf"
    entry.save()
    audit_pack = AuditPack.objects.create(
        user=person, held=held, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2027, 3, 1)
    )
    audit.build_pack(audit_pack.pk)
    school = School.objects.create(name="Riverside", slug="riverside")
    Membership.objects.create(school=school, user=person, role=SchoolRole.SCHOOL_ADMIN)
    Membership.objects.create(school=school, user=colleague, role=SchoolRole.INSTRUCTOR)
    cohort = Cohort.objects.create(
        school=school, name="Fall", starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2027, 6, 30)
    )
    school_services.assign_roadmap(cohort, default_roadmap, start_on=cohort.starts_on)
    school_roadmap = school_services.copy_roadmap(school, default_roadmap, name="Riverside path")
    invitation = school_services.invite(cohort, email=person.email, invited_by=person)
    classmate = make_user("classmate.world@example.com")
    school_services.add_students(cohort, [person, classmate])
    exam_step = default_roadmap.steps.get(key="cpc-a")
    pdf = b"%PDF-1.4 score report"
    own = reviews.submit_evidence(
        person, exam_step, cohort=cohort, number="1234", file=ContentFile(pdf, name="report.pdf")
    )
    reviews.decide(own, reviewer=colleague, approve=False, comment="The number is missing a digit.", today=TODAY)
    awaiting = reviews.submit_evidence(
        classmate, exam_step, cohort=cohort, number="5678", file=ContentFile(pdf, name="card.pdf")
    )
    return World(
        person=person,
        colleague=colleague,
        enrollment=enrollment,
        step=step,
        held=held,
        apprentice=apprentice,
        entry=entry,
        audit_pack=audit_pack,
        feed_secret=ceu_services.rotate_calendar_token(person),
        unsubscribe=unsubscribe_token(person.pk),
        school=school,
        cohort=cohort,
        school_roadmap=school_roadmap,
        school_step=school_roadmap.steps.order_by("order").last(),
        invitation=invitation,
        default_roadmap=default_roadmap,
        share_token=roadmap_services.make_share_link(person),
        exam_step=exam_step,
        own_submission=own,
        awaiting_submission=awaiting,
    )


def url_kwargs(world: World, name: str) -> dict[str, object]:
    """Every URL kwarg of the site, by URL name and kwarg, filled with the world's own objects."""
    w = world
    by_name: dict[str, dict[str, object]] = {
        "roadmap:detail": {"key": w.default_roadmap.key},
        "content:credential": {"code": "CPC"},
        "content:role": {"key": Role.objects.first().key},
        "content:education": {"key": EducationPath.objects.first().key},
        "roadmap:follow": {"key": Roadmap.objects.filter(is_default=True).exclude(pk=w.default_roadmap.pk).first().key},
        "roadmap:make-primary": {"enrollment_pk": w.enrollment.pk},
        "roadmap:unfollow": {"enrollment_pk": w.enrollment.pk},
        "roadmap:change-step": {"enrollment_pk": w.enrollment.pk, "step_pk": w.step.pk},
        "roadmap:undo-step": {"enrollment_pk": w.enrollment.pk, "step_pk": w.step.pk},
        "roadmap:remove-credential": {"pk": w.held.pk},
        "ceu:edit-entry": {"pk": w.entry.pk},
        "ceu:delete-entry": {"pk": w.entry.pk},
        "ceu:certificate": {"pk": w.entry.pk},
        "ceu:apprentice": {"pk": w.apprentice.pk},
        "ceu:audit-pack": {"pk": w.audit_pack.pk},
        "ceu:audit-download": {"pk": w.audit_pack.pk},
        "ceu:audit-pdf": {"pk": w.audit_pack.pk},
        "ceu:audit-csv": {"pk": w.audit_pack.pk},
        "ceu:cycle-end": {"pk": w.held.pk},
        "ceu:renew": {"pk": w.held.pk},
        "ceu:lapse": {"pk": w.held.pk},
        "ceu:feed": {"secret": w.feed_secret},
        "ceu:unsubscribe": {"token": w.unsubscribe},
        "schools:join-code": {"code": w.cohort.join_code},
        "schools:accept": {"token": w.invitation},
        "roadmap:shared": {"token": w.share_token},
        "schools:roadmap": {"slug": w.school.slug, "key": w.school_roadmap.key},
        "schools:move-step": {"slug": w.school.slug, "key": w.school_roadmap.key, "step_pk": w.school_step.pk},
        "schools:my-step": {"step_pk": w.exam_step.pk},
        "schools:my-comment": {"step_pk": w.exam_step.pk},
        "schools:comments": {
            "slug": w.school.slug,
            "pk": w.cohort.pk,
            "student_pk": w.awaiting_submission.user_id,
            "step_pk": w.exam_step.pk,
        },
        "schools:record-attempt": {"step_pk": w.exam_step.pk},
        "schools:submit-evidence": {"step_pk": w.exam_step.pk},
        "schools:my-evidence-file": {"step_pk": w.exam_step.pk, "submission_pk": w.own_submission.pk},
        "account_confirm_email": {"key": "not-a-real-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-key"},
    }
    if name in by_name:
        return by_name[name]
    if name.startswith("schools:"):
        invitation = Invitation.objects.filter(cohort=w.cohort).first()
        return {
            "slug": w.school.slug,
            "pk": w.cohort.pk,
            "invitation_pk": invitation.pk,
            "submission_pk": w.awaiting_submission.pk,
        }
    return {}


def url_patterns(patterns=None, namespace: str = ""):
    """(full name, pattern) for every named URL of the site, outside the excluded namespaces."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def url_for(world: World, name: str) -> str:
    """The URL ``name`` filled with the world's own objects."""
    pattern = dict(url_patterns())[name]
    known = url_kwargs(world, name)
    return reverse(name, kwargs={key: known[key] for key in kwarg_names(pattern)})
