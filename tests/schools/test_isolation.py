"""Tenant isolation: every school and cohort URL, crawled from the URLconf with foreign ids, is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse
from django.utils import timezone

from roadmap.models import Enrollment, Roadmap
from schools import services
from schools.models import Assignment, Cohort, Invitation, Membership, School, SchoolRoadmap, Submission
from schools.urls import urlpatterns

# URLs anyone signed in may use: they look nothing up by a school's id.
OPEN = {"mine", "join", "join-code", "accept"}
# A student's own pages: they look a step up among the roadmaps the signed-in person follows.
STUDENT = {"sharing", "my-comment", "my-step", "record-attempt", "submit-evidence", "my-evidence-file"}
POST_DATA = {
    "name": "Hijack",
    "email": "x@example.com",
    "role": "school_admin",
    "code": "X",
    "direction": "up",
    "weekly_digest": "on",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-01",
    "start_on": "2026-01-01",
    "title": "Hijack",
    "kind": "experience",
}


def scoped_patterns() -> list[URLPattern]:
    return [p for p in urlpatterns if p.name not in OPEN | STUDENT]


def with_foreign_ids(*names: str) -> list[URLPattern]:
    """The school-scoped URLs that also take the id of a cohort, roadmap or step."""
    return [p for p in scoped_patterns() if set(p.pattern.converters) & set(names)]


def test_the_crawl_covers_every_school_scoped_url():
    """A new school URL must take a school slug, so the crawl below reaches it with foreign ids."""
    for pattern in scoped_patterns():
        assert "slug" in pattern.pattern.converters, pattern.name


@pytest.fixture
def riverside_roadmap(school, ladder):
    return services.copy_roadmap(school, Roadmap.objects.get(key="outpatient-aapc"), name="Riverside path")


@pytest.fixture
def assigned(cohort, ladder):
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=cohort.starts_on)
    return cohort


def crawl(client, *, slug: str, cohort: Cohort, roadmap: Roadmap, patterns=None) -> dict[str, int]:
    """GET and POST every school-scoped URL (or the given ones), filled with the given (foreign) ids."""
    invitation = cohort.invitations.first() or Invitation.objects.create(
        cohort=cohort,
        email="pending@example.com",
        token_hash="0" * 64,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    submission = cohort.submissions.first() or Submission.objects.create(
        cohort=cohort,
        user=cohort.students.first(),
        step=roadmap.steps.first(),
        number="CPC-0001",
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
    )
    ids = {
        "submission_pk": submission.pk,
        "student_pk": cohort.students.first().pk,
        "slug": slug,
        "pk": cohort.pk,
        "key": roadmap.key,
        "step_pk": roadmap.steps.first().pk,
        "invitation_pk": invitation.pk,
    }
    statuses = {}
    assignment = Assignment.objects.filter(cohort=cohort).first()
    for pattern in patterns or scoped_patterns():
        kwargs = {k: ids[k] for k in pattern.pattern.converters}
        if pattern.name == "comments" and assignment:  # a thread is about a step of the cohort's roadmap
            kwargs["step_pk"] = assignment.roadmap.steps.first().pk
        url = reverse(f"schools:{pattern.name}", kwargs=kwargs)
        get = client.get(url).status_code
        # A POST-only view refuses a GET before it looks anything up, for everyone: that tells nothing.
        if get != 405:
            statuses[f"GET {pattern.name}"] = get
        statuses[f"POST {pattern.name}"] = client.post(url, POST_DATA).status_code
    return statuses


def test_the_crawl_reaches_every_page_for_the_schools_own_admin(client, admin, assigned, riverside_roadmap):
    """The control: with the same ids, the school's admin finds every page, so a 404 below means refused."""
    client.force_login(admin)

    statuses = crawl(client, slug="riverside", cohort=assigned, roadmap=riverside_roadmap)

    assert len(statuses) >= len(scoped_patterns())
    assert 404 not in statuses.values(), statuses


def assert_nothing_changed(school: School, cohort: Cohort, roadmap: Roadmap) -> None:
    assert not Cohort.objects.filter(name="Hijack").exists()
    assert not Membership.objects.filter(user__email="x@example.com").exists()
    assert not roadmap.steps.filter(title="Hijack").exists()
    assert not Assignment.objects.filter(cohort=cohort, start_on="2026-01-01").exists()
    assert list(roadmap.steps.values_list("key", flat=True)) == list(
        Roadmap.objects.get(key="outpatient-aapc").steps.values_list("key", flat=True)
    )


def test_staff_of_another_school_get_404_on_every_url(
    client, stranger, school, assigned, riverside_roadmap, other_school_cohort
):
    client.force_login(stranger)

    statuses = crawl(client, slug="riverside", cohort=assigned, roadmap=riverside_roadmap)

    assert set(statuses.values()) == {404}, statuses
    assert_nothing_changed(school, assigned, riverside_roadmap)


def test_foreign_ids_under_the_strangers_own_school_are_404_too(
    client, stranger, school, assigned, riverside_roadmap, other_school_cohort
):
    client.force_login(stranger)

    statuses = crawl(
        client,
        slug="elsewhere",
        cohort=assigned,
        roadmap=riverside_roadmap,
        patterns=with_foreign_ids("pk", "key", "step_pk", "submission_pk", "student_pk"),
    )

    assert set(statuses.values()) == {404}, statuses
    assert_nothing_changed(school, assigned, riverside_roadmap)


def test_a_foreign_step_under_the_schools_own_roadmap_is_404(client, admin, school, riverside_roadmap, ladder):
    other = services.copy_roadmap(
        School.objects.create(name="Elsewhere", slug="elsewhere"), riverside_roadmap, name="Theirs"
    )
    client.force_login(admin)

    url = reverse("schools:move-step", args=["riverside", riverside_roadmap.key, other.steps.first().pk])

    assert client.post(url, {"direction": "down"}).status_code == 404


def test_students_get_404_on_every_school_url(client, student, school, assigned, riverside_roadmap):
    client.force_login(student)

    statuses = crawl(client, slug="riverside", cohort=assigned, roadmap=riverside_roadmap)

    assert set(statuses.values()) == {404}, statuses
    assert_nothing_changed(school, assigned, riverside_roadmap)


def test_a_student_sees_no_other_student(client, student, classmate, assigned):
    client.force_login(student)

    for url in ("/dashboard/", reverse("schools:mine"), reverse("schools:join")):
        html = client.get(url).content.decode()
        assert "classmate@example.com" not in html and "Casey" not in html, url


def test_an_instructor_sees_only_the_cohorts_they_teach(client, other_instructor, school, assigned, riverside_roadmap):
    client.force_login(other_instructor)

    statuses = crawl(
        client, slug="riverside", cohort=assigned, roadmap=riverside_roadmap, patterns=with_foreign_ids("pk")
    )

    assert set(statuses.values()) == {404}, statuses
    html = client.get(reverse("schools:school", args=["riverside"])).content.decode()
    assert "Fall" not in html


def test_the_instructor_and_the_school_admin_see_the_cohort(client, instructor, admin, cohort):
    for person in (instructor, admin):
        client.force_login(person)
        html = client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).content.decode()
        assert "student@example.com" in html and "classmate@example.com" in html


def test_a_school_admin_sees_every_cohort_of_the_school(client, admin, school, cohort, other_instructor):
    other = Cohort.objects.create(school=school, name="Evening", starts_on=cohort.starts_on, ends_on=cohort.ends_on)
    other.instructors.add(other_instructor)
    client.force_login(admin)

    html = client.get(reverse("schools:school", args=["riverside"])).content.decode()

    assert "Fall" in html and "Evening" in html


def test_only_school_admins_manage_staff(client, instructor, cohort):
    client.force_login(instructor)

    response = client.post(
        reverse("schools:add-staff", args=["riverside"]), {"email": "instructor@example.com", "role": "school_admin"}
    )

    assert response.status_code == 404
    assert Membership.objects.get(user=instructor).role == "instructor"


def test_an_instructor_cannot_add_staff_of_another_school_to_a_cohort(
    client, instructor, cohort, stranger, other_school_cohort
):
    client.force_login(instructor)

    response = client.post(
        reverse("schools:add-instructor", args=["riverside", cohort.pk]), {"instructor": stranger.pk}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not cohort.instructors.filter(pk=stranger.pk).exists()


def test_a_school_cannot_assign_another_schools_roadmap(client, admin, cohort, stranger, ladder):
    theirs = services.copy_roadmap(
        School.objects.create(name="Elsewhere", slug="elsewhere"), Roadmap.objects.get(key="outpatient-aapc"), name="X"
    )
    client.force_login(admin)

    response = client.post(
        reverse("schools:assign", args=["riverside", cohort.pk]), {"roadmap": theirs.pk, "start_on": "2026-01-05"}
    )

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()
    assert SchoolRoadmap.objects.filter(school__slug="riverside").count() == 0


def test_joining_with_a_code_enrols_in_the_cohort_only(client, stranger, cohort):
    client.force_login(stranger)

    client.post("/join/", {"code": cohort.join_code.lower()})

    assert cohort.students.filter(pk=stranger.pk).exists()
    assert Membership.objects.get(user=stranger, school=cohort.school).role == "student"
    assert client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).status_code == 404
    assert not Enrollment.objects.filter(user=stranger).exists()  # no roadmap assigned yet
