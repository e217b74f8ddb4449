"""Assignments, targets, rosters, invitations, the dashboard and its export."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from content.page_cache import forget_local_copies
from roadmap import services as roadmap_services
from roadmap.models import Enrollment, Roadmap, Status, Step
from schools import services
from schools.models import CohortStudent, Invitation, StepTarget
from tests.conftest import make_user


@pytest.fixture
def outpatient(ladder):
    return Roadmap.objects.get(key="outpatient-aapc")


def cohort_url(cohort, name="schools:cohort"):
    return reverse(name, args=[cohort.school.slug, cohort.pk])


def test_assigning_a_roadmap_reaches_every_student_and_later_joiners(cohort, student, classmate, outpatient, stranger):
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    services.add_students(cohort, [stranger])

    for person in (student, classmate, stranger):
        enrollment = Enrollment.objects.get(user=person)
        assert enrollment.roadmap == outpatient and enrollment.is_primary


def test_changing_the_assignment_reaches_everyone(cohort, student, outpatient):
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    inpatient = Roadmap.objects.get(key="inpatient-ahima")

    services.assign_roadmap(cohort, inpatient, start_on=dt.date(2026, 2, 1))

    assert Enrollment.objects.filter(user=student, roadmap=inpatient).exists()
    assert set(StepTarget.objects.values_list("step__roadmap__key", flat=True)) == {"inpatient-ahima"}


def test_targets_follow_the_start_date_and_typical_months_unless_set(cohort, outpatient):
    steps = {s.key: s for s in outpatient.steps.all()}
    services.assign_roadmap(
        cohort, outpatient, start_on=dt.date(2026, 1, 5), targets={steps["cpc-a"].pk: dt.date(2027, 3, 1)}
    )

    targets = dict(StepTarget.objects.values_list("step__key", "target_on"))
    assert targets["certificate"] == dt.date(2027, 1, 5)  # 12 months
    assert targets["cpc-a"] == dt.date(2027, 3, 1)  # set explicitly
    # 12 months, the exam and the first job 3 planning months each (no source gives them), then 24
    assert targets["cpc"] == dt.date(2029, 7, 5)


@time_machine.travel(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC))
def test_the_dashboard_flags_students_behind_schedule(client, instructor, cohort, student, classmate, outpatient):
    later = {outpatient.steps.get(key=key).pk: dt.date(2027, 6, 1) for key in ("cpc-a", "coder-1")}
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5), targets=later)
    enrollment = Enrollment.objects.get(user=student)
    roadmap_services.change_step(
        enrollment,
        outpatient.steps.get(key="certificate"),
        status=Status.DONE,
        completed_on=dt.date(2026, 12, 1),
        today=dt.date(2027, 2, 1),
    )
    client.force_login(instructor)

    response = client.get(cohort_url(cohort), {"behind": "1"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="student-table"')
    assert "classmate@example.com" in html and "student@example.com" not in html


def test_the_students_dashboard_shows_the_schools_target_dates(client, cohort, student, outpatient):
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    client.force_login(student)

    assert "target Jan 5, 2027" in client.get("/dashboard/").content.decode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def roster_file(text: str, name="roster.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_a_roster_with_bad_rows_is_reported_and_nothing_is_imported(client, instructor, cohort):
    client.force_login(instructor)
    text = (
        "email,first_name,last_name\nnew.one@example.com,New,One\nnot-an-email,Bad,Row\n,No,Email\n"
        "new.one@example.com,Dup,Licate\n"
    )

    html = client.post(cohort_url(cohort, "schools:roster"), {"file": roster_file(text)}, follow=True).content.decode()

    assert "Nothing was imported" in html
    assert "Line 3: &#x27;not-an-email&#x27; is not a valid email address." in html
    assert "Line 4: The email is missing." in html
    assert "Line 5: new.one@example.com is already on line 2." in html
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_clean_roster_is_previewed_then_imported_in_one_go(
    client, instructor, cohort, stranger, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    text = "\ufeffemail,first_name,last_name\nStranger@Example.com,Stan,Ger\nbrand.new@example.com,Bran,New\n"

    preview = client.post(
        cohort_url(cohort, "schools:roster"), {"file": roster_file(text)}, follow=True
    ).content.decode()
    assert "The file is clean: 2 students" in preview and not CohortStudent.objects.filter(user=stranger).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(cohort_url(cohort, "schools:roster"), {"confirm": "yes", "sha256": sha256(text.encode())})

    assert CohortStudent.objects.filter(cohort=cohort, user=stranger).exists()
    invitation = Invitation.objects.get()
    assert invitation.email == "brand.new@example.com"
    assert len(mail.outbox) == 1 and "/invitations/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"email;first_name\n" + b"x", "The first line must be the headers"),
        ("email,first_name,last_name\nan@example.com,Zo\xe9,X\n".encode("latin-1"), "not UTF-8"),
        (b"email,first_name,last_name\n" + b"a@example.com,A,B\n" * 0 + b"x" * 300_000, "larger than 256 KB"),
        (
            b"email,first_name,last_name\n" + b"".join(f"p{i}@example.com,P,{i}\n".encode() for i in range(1001)),
            "at most 1000 rows",
        ),
    ],
)
def test_unreadable_rosters_are_refused_with_a_reason(client, instructor, cohort, content, message):
    client.force_login(instructor)

    upload = SimpleUploadedFile("roster.csv", content, content_type="text/csv")
    html = client.post(cohort_url(cohort, "schools:roster"), {"file": upload}, follow=True).content.decode()

    assert message in html
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"email,first_name,last_name\na@example.com,Nul\x00,B\n",
            "Line 2: The first name contains a control character.",
        ),
        (
            b"email,first_name,last_name\na@example.com," + b"n" * 151 + b",B\n",
            "Line 2: The first name is longer than 150 characters.",
        ),
        (b"email,first_name,last_name\na@example.com,A," + b"x" * 200_000 + b"\n", "cannot be read as CSV after line"),
        (b"email,first_name,last_name\n\n\nlate@,A,B\n", "Line 4: &#x27;late@&#x27; is not a valid email address."),
        (b"email,first_name,last_name\n", "The file has no students."),
    ],
)
def test_rows_the_database_would_refuse_are_reported_by_line(client, instructor, cohort, content, message):
    client.force_login(instructor)

    upload = SimpleUploadedFile("roster.csv", content, content_type="text/csv")
    response = client.post(cohort_url(cohort, "schools:roster"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert message in response.content.decode() and "Nothing was imported" in response.content.decode()


def test_spreadsheet_style_headers_are_understood():
    check = services.check_roster(b"Email,First Name,Last-Name\r\nKim@Example.com,Kim,Lee\r\n")

    assert check.ok and check.rows[0].email == "kim@example.com" and check.rows[0].last_name == "Lee"


def test_importing_an_updated_roster_invites_only_the_new_people(
    instructor, cohort, django_capture_on_commit_callbacks
):
    first = services.check_roster(b"email,first_name,last_name\nkim@example.com,Kim,Lee\n").rows
    updated = services.check_roster(b"email,first_name,last_name\nkim@example.com,Kim,Lee\nlou@example.com,Lou,Ng\n")

    with django_capture_on_commit_callbacks(execute=True):
        services.import_roster(cohort, first, invited_by=instructor)
        assert services.import_roster(cohort, updated.rows, invited_by=instructor) == (0, 1)

    assert [m.to for m in mail.outbox] == [["kim@example.com"], ["lou@example.com"]]


def test_an_invitation_works_once_for_its_address(client, instructor, cohort):
    token = services.invite(cohort, email="invitee@example.com", invited_by=instructor)
    invitee, other = make_user("invitee@example.com"), make_user("someone.else@example.com")

    client.force_login(other)
    client.post(f"/invitations/{token}/")
    assert not cohort.students.filter(pk=other.pk).exists()

    client.force_login(invitee)
    client.post(f"/invitations/{token}/")
    assert cohort.students.filter(pk=invitee.pk).exists()
    assert services.accept_invitation(token, invitee) is None  # single use


def test_the_invitation_page_says_what_the_link_is_for(client, instructor, cohort):
    token = services.invite(cohort, email="invitee@example.com", invited_by=instructor)

    client.force_login(make_user("invitee@example.com"))
    page = client.get(f"/invitations/{token}/").content.decode()
    assert "Riverside Community College invites you to its cohort <strong>Fall</strong>" in page
    assert "Accept the invitation" in page
    client.force_login(make_user("someone.else@example.com"))
    assert (
        "This invitation was sent to <strong>invitee@example.com</strong>"
        in client.get(f"/invitations/{token}/").content.decode()
    )
    assert "This invitation no longer works" in client.get("/invitations/not-a-token/").content.decode()


def test_an_expired_invitation_is_refused(instructor, cohort):
    token = services.invite(cohort, email="late@example.com", invited_by=instructor)
    Invitation.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    assert services.accept_invitation(token, make_user("late@example.com")) is None


def test_export_is_safe_against_formula_injection(client, admin, cohort):
    evil = make_user("evil@example.com", first_name='=HYPERLINK("http://x")')
    services.add_students(cohort, [evil])
    client.force_login(admin)

    response = client.get(cohort_url(cohort, "schools:export"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "email"
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])


def test_a_school_roadmap_is_a_copy_and_the_default_never_changes(client, admin, school, outpatient):
    before = list(outpatient.steps.values_list("key", flat=True))
    copy = services.copy_roadmap(school, outpatient, name="Riverside outpatient")
    services.add_step(
        copy,
        title="Complete a 160-hour externship",
        kind="experience",
        typical_months=2,
        after=copy.steps.get(key="certificate"),
    )

    assert list(outpatient.steps.values_list("key", flat=True)) == before
    titles = list(copy.steps.order_by("order").values_list("title", flat=True))
    assert titles[1] == "Complete a 160-hour externship"
    assert [p.title for p in copy.steps.get(key="cpc-a").prerequisites.all()] == ["Complete a 160-hour externship"]


def test_the_cohort_page_runs_the_same_queries_for_5_and_500_students(
    client, instructor, cohort, outpatient, django_assert_num_queries, django_assert_max_num_queries
):
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    client.force_login(instructor)

    def grow_to(n):
        users = User.objects.bulk_create(
            User(email=f"s{i}-{n}@example.com", password="!") for i in range(n - cohort.students.count())
        )
        services.add_students(cohort, users)
        for enrollment in Enrollment.objects.filter(user__in=users)[:10]:
            roadmap_services.change_step(
                enrollment,
                outpatient.steps.get(key="certificate"),
                status=Status.DONE,
                completed_on=dt.date(2026, 3, 1),
                today=dt.date(2026, 3, 1),
            )

    pages = {
        "page": lambda: client.get(cohort_url(cohort)),
        "sorted, behind only, htmx": lambda: client.get(
            cohort_url(cohort), {"sort": "progress", "behind": "1"}, headers={"HX-Request": "true"}
        ),
        "export": lambda: client.get(cohort_url(cohort, "schools:export")),
    }

    def built(get):
        cache.clear()  # the page as built from the database, not from the page cache
        forget_local_copies()
        return get()

    grow_to(5)
    counts, cached_counts = {}, {}
    for name, get in pages.items():
        built(get)
        # 22: the roadmap's reviewed steps and the evidence awaiting review are one query each.
        with django_assert_max_num_queries(22) as five:
            built(get)
        counts[name] = len(five.captured_queries)
        get()
        with django_assert_max_num_queries(20) as five_cached:
            get()
        cached_counts[name] = len(five_cached.captured_queries)
    grow_to(500)
    for name, get in pages.items():
        with django_assert_num_queries(counts[name]):
            assert built(get).status_code == 200, name
        get()
        with django_assert_num_queries(cached_counts[name]):
            assert get().status_code == 200, name
    # From the cache (the signed-in person, the access check and the page itself), no query at all.
    assert cached_counts["page"] == cached_counts["sorted, behind only, htmx"] == 0, (counts, cached_counts)


def test_a_school_can_reorder_its_roadmap_but_never_before_a_prerequisite(client, admin, school, outpatient):
    copy = services.copy_roadmap(school, outpatient, name="Ours")
    extra = services.add_step(copy, title="Shadow a coder", kind="experience", typical_months=1, after=None)
    client.force_login(admin)

    client.post(reverse("schools:move-step", args=["riverside", copy.key, extra.pk]), {"direction": "down"})
    assert list(copy.steps.order_by("order").values_list("key", flat=True))[:2] == ["certificate", extra.key]

    cpc_a = copy.steps.get(key="cpc-a")
    client.post(
        reverse("schools:move-step", args=["riverside", copy.key, cpc_a.pk]), {"direction": "up"}
    )  # past the extra
    response = client.post(
        reverse("schools:move-step", args=["riverside", copy.key, cpc_a.pk]), {"direction": "up"}, follow=True
    )
    assert "cannot move there" in response.content.decode()
    assert list(outpatient.steps.order_by("order").values_list("key", flat=True))[0] == "certificate"


def test_changing_the_roadmap_moves_the_students_primary_roadmap_and_keeps_their_progress(
    cohort, student, classmate, outpatient
):
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    done = roadmap_services.change_step(
        Enrollment.objects.get(user=student),
        outpatient.steps.get(key="certificate"),
        status=Status.DONE,
        completed_on=dt.date(2026, 6, 1),
        today=dt.date(2026, 6, 1),
    )
    inpatient = Roadmap.objects.get(key="inpatient-ahima")

    services.assign_roadmap(cohort, inpatient, start_on=dt.date(2026, 2, 1))

    for person in (student, classmate):
        assert Enrollment.objects.get(user=person, is_primary=True).roadmap == inpatient
    assert Enrollment.objects.get(user=student, roadmap=outpatient).progress.get().pk == done.pk


def test_a_roadmap_the_student_chose_stays_primary_when_a_cohort_assigns_another(cohort, student, outpatient):
    inpatient = Roadmap.objects.get(key="inpatient-ahima")
    roadmap_services.follow_roadmap(student, inpatient)

    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))

    assert Enrollment.objects.get(user=student, is_primary=True).roadmap == inpatient
    assert Enrollment.objects.filter(user=student, roadmap=outpatient).exists()


def test_step_targets_for_takes_the_earlier_date_of_two_cohorts_in_one_query(
    school, cohort, student, outpatient, django_assert_num_queries
):
    from schools.models import Cohort

    evening = Cohort.objects.create(school=school, name="Evening", starts_on=cohort.starts_on, ends_on=cohort.ends_on)
    services.add_students(evening, [student])
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    services.assign_roadmap(evening, outpatient, start_on=dt.date(2025, 9, 1))
    certificate = outpatient.steps.get(key="certificate")

    with django_assert_num_queries(1):
        targets = services.step_targets_for(student)

    assert targets[certificate.pk] == dt.date(2026, 9, 1)
    assert len(targets) == outpatient.steps.count()


def test_derived_targets_add_up_typical_months_in_order(outpatient):
    steps = list(outpatient.steps.order_by("order").prefetch_related("prerequisites"))

    targets = services.derived_targets(steps, dt.date(2026, 1, 31))

    assert targets[steps[0].pk] == dt.date(2027, 1, 31)
    assert list(targets.values()) == sorted(targets.values())


def test_derived_targets_never_put_two_steps_of_a_path_on_one_day(outpatient):
    steps = list(outpatient.steps.order_by("order").prefetch_related("prerequisites"))

    targets = services.derived_targets(steps, dt.date(2026, 1, 12))

    by_key = {step.key: targets[step.pk] for step in steps}
    assert by_key["certificate"] == dt.date(2027, 1, 12)  # its typical 12 months
    assert by_key["cpc-a"] == dt.date(2027, 4, 12)  # an exam with no known duration: 3 planning months
    assert by_key["coder-1"] == dt.date(2027, 7, 12)  # a first job: 3 planning months
    assert len(set(targets.values())) == len(steps)


def test_derived_targets_start_a_step_when_its_last_prerequisite_is_due(outpatient):
    """Two steps that both need only the first run side by side; a step needing both waits for the later."""
    first, exam, course, final = (
        Step(pk=1, order=0, kind="education", typical_months=6),
        Step(pk=2, order=1, kind="credential", typical_months=None),
        Step(pk=3, order=2, kind="education", typical_months=12),
        Step(pk=4, order=3, kind="role", typical_months=1),
    )
    requires = {1: [], 2: [first], 3: [first], 4: [exam, course]}
    for step in (first, exam, course, final):
        step._prefetched_objects_cache = {"prerequisites": requires[step.pk]}

    targets = services.derived_targets([final, course, exam, first], dt.date(2026, 1, 1))

    assert targets == {1: dt.date(2026, 7, 1), 2: dt.date(2026, 10, 1), 3: dt.date(2027, 7, 1), 4: dt.date(2027, 8, 1)}


def test_a_cohort_ending_before_it_starts_is_refused_next_to_the_field(client, admin, school):
    client.force_login(admin)

    response = client.post(
        reverse("schools:create-cohort", args=["riverside"]),
        {"name": "Backwards", "starts_on": "2026-09-01", "ends_on": "2026-01-01"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_ends_on_error">The end date cannot be before the start date.' in html
    assert 'value="Backwards"' in html  # nothing typed is lost
    assert not school.cohorts.exists()


def test_an_invalid_invitation_is_shown_again_with_its_error(client, instructor, cohort):
    client.force_login(instructor)

    response = client.post(cohort_url(cohort, "schools:invite"), {"email": "not-an-email", "first_name": "Kim"})

    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode() and 'value="Kim"' in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_student_table_pages_through_a_large_cohort_with_sort_kept(client, instructor, cohort, outpatient):
    services.assign_roadmap(cohort, outpatient, start_on=dt.date(2026, 1, 5))
    users = User.objects.bulk_create(User(email=f"p{i:02}@example.com", password="!") for i in range(58))
    services.add_students(cohort, users)
    client.force_login(instructor)

    first = client.get(cohort_url(cohort), {"sort": "progress"}).content.decode()
    second = client.get(cohort_url(cohort), {"sort": "progress", "page": "2"}, headers={"HX-Request": "true"})

    assert "60 students, page 1 of 2" in first
    assert 'href="?sort=progress&amp;page=2"' in first and 'hx-get="?sort=progress&amp;page=2"' in first
    html = second.content.decode()
    assert html.lstrip().startswith('<div id="student-table"') and "page 2 of 2" in html
    assert html.count('<th scope="row">') == 10


def test_sort_and_filter_work_as_a_plain_form_too(client, instructor, cohort):
    client.force_login(instructor)

    html = client.get(cohort_url(cohort), {"sort": "activity", "behind": "1"}).content.decode()

    assert "<h1>Fall</h1>" in html
    assert '<option value="activity" selected>' in html and 'name="behind" value="1" checked' in html
    assert "No student is behind schedule." in html


def test_the_admin_lists_schools_cohorts_and_invitations(admin_client, cohort, instructor):
    services.invite(cohort, email="someone@example.com", invited_by=instructor)

    for model in ("school", "membership", "cohort", "invitation", "assignment", "schoolroadmap"):
        assert admin_client.get(f"/admin/schools/{model}/").status_code == 200, model
    assert admin_client.get(f"/admin/schools/cohort/{cohort.pk}/change/").status_code == 200
