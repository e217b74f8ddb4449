"""The program outcomes report: pass rates with first attempts apart, months to milestones, work
after the program, credentials in good standing; small groups hidden, graduates only by consent,
and the same number of queries for 50 students or 5,000."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from roadmap.models import Roadmap
from schools import reviews, services
from schools.models import Cohort, CohortStudent, Membership, Role, School
from schools.outcomes import on_track, outcomes
from tests.schools.outcome_population import populate

TODAY = dt.date(2026, 11, 25)


def report_for(cohort, today=TODAY):
    return outcomes(CohortStudent.objects.filter(cohort=cohort), today=today)


def test_pass_rates_count_attempts_and_first_attempts_apart(school, ladder):
    cohort = populate(school, 8)  # students 0 and 4 fail first, then pass

    exam = report_for(cohort).exams[0]

    assert (exam.code, exam.people, exam.attempts, exam.passes) == ("CPC-A", 8, 10, 8)
    assert (exam.first_attempts, exam.first_passes, exam.first_rate, exam.rate) == (8, 6, 75, 80)
    assert exam.verified_people == 4


def test_months_to_each_milestone_median_and_middle_half(school, ladder):
    cohort = populate(school, 6)  # certificates 6, 7, 8, 9, 10, 11 months after the start

    program = report_for(cohort).milestones[0]

    assert program.milestone.label == "Program completed"
    assert program.self_reported.people == 6
    assert 8 <= program.self_reported.median <= 9
    assert program.self_reported.low < program.self_reported.median < program.self_reported.high
    assert not program.verified.shown and program.verified.people == 0  # certificates are not reviewed


def test_groups_under_five_show_no_numbers(client, admin, school, ladder):
    cohort = populate(school, 4)
    client.force_login(admin)

    page = client.get(reverse("schools:outcomes", args=["riverside", cohort.pk])).content.decode()

    assert "Not shown: fewer than 5 people" in page
    assert "75%" not in page and "<svg" not in page


def test_employment_six_and_twelve_months_after_the_program(school, ladder):
    cohort = populate(school, 10)

    six, twelve = report_for(cohort).employment

    # Students 0-2 and 5-7 of each five reach a role 2-8 months after their certificate.
    assert six.eligible == twelve.eligible == 10
    assert 0 < six.employed <= twelve.employed == 6
    assert six.employed_verified == 0  # role steps are not reviewed by default


def test_graduates_count_only_while_they_share_and_the_report_says_so(client, admin, school, ladder):
    sharing = populate(school, 5, name="Sharing")
    populate(school, 3, name="Private", sharing=False)
    client.force_login(admin)

    report = outcomes(CohortStudent.objects.filter(cohort__school=school), today=TODAY)
    page = client.get(reverse("schools:school-outcomes", args=["riverside"])).content.decode()

    assert (report.students, report.graduates, report.not_sharing) == (5, 5, 3)
    assert "3 graduates chose not to share their outcomes after the program and are not counted." in page
    CohortStudent.objects.filter(cohort=sharing).update(shares_after=False)
    assert report_for(sharing).students == 0


def test_students_of_a_running_cohort_count_without_being_asked(cohort, ladder):
    assert report_for(cohort, today=dt.date(2026, 3, 1)).students == 2


def test_graduates_whose_ceus_keep_pace_are_in_good_standing(school, ladder):
    cohort = populate(school, 5)

    standing = report_for(cohort, today=dt.date(2025, 6, 1)).standing

    assert standing.holders == 5 and standing.shown
    assert 0 <= standing.in_good_standing <= 5


def test_a_cycle_is_on_track_while_the_ceus_keep_pace():
    from decimal import Decimal

    from ceu.cycles import Cycle, Holding

    holding = Holding(
        id=1,
        earned_on=dt.date(2024, 1, 1),
        cycle_ends_on=None,
        code="CPC",
        body="AAPC",
        method="by_count",
        cycle_months=24,
        ceus_by_count=(36,),
        additional_per_credential=None,
        maximum_ceus=None,
        ceus_single=None,
    )
    cycle = Cycle(holding, dt.date(2024, 1, 1), dt.date(2026, 1, 1), False, 36, Decimal(18))

    assert on_track(cycle, dt.date(2024, 12, 1))  # 18 of 36 logged, under half the cycle gone
    assert not on_track(cycle, dt.date(2025, 6, 1))  # three quarters gone
    assert not on_track(cycle, dt.date(2026, 2, 1))  # the cycle ended short


def test_the_school_report_filters_by_start_year(client, admin, school, ladder):
    populate(school, 5)
    Cohort.objects.create(school=school, name="Next", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 12, 1))
    client.force_login(admin)
    url = reverse("schools:school-outcomes", args=["riverside"])

    assert "5 students counted" in client.get(url, {"year": "2024"}).content.decode()
    assert "0 students counted" in client.get(url, {"year": "2027"}).content.decode()
    assert "5 students counted" in client.get(url, {"year": "1999"}).content.decode()  # unknown: every year


def test_an_instructor_sees_only_the_cohorts_they_teach_in_the_school_report(client, instructor, school, ladder):
    populate(school, 5)
    client.force_login(instructor)

    page = client.get(reverse("schools:school-outcomes", args=["riverside"])).content.decode()

    assert "0 students counted" in page


def test_the_csv_export_has_every_measure_and_hides_small_groups(client, admin, school, ladder):
    cohort = populate(school, 6)
    client.force_login(admin)

    response = client.get(reverse("schools:outcomes-csv", args=["riverside", cohort.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["section", "item", "measure", "value", "people"]
    assert ["exam", "CPC-A", "first-attempt pass rate %", "67", "6"] in rows
    assert any(r[0] == "milestone" and r[3] == "not shown: fewer than 5 people" for r in rows)


def test_a_verified_pass_counts_once_approved(client, admin, instructor, school, ladder):
    cohort = populate(school, 5)
    student = cohort.students.get(email__endswith="-1@example.com")  # odd: not approved yet
    step = Roadmap.objects.get(key="outpatient-aapc").steps.get(key="cpc-a")
    assert report_for(cohort).exams[0].verified_people == 3

    submission = reviews.submit_evidence(student, step, cohort=cohort, number="X1")
    reviews.decide(submission, reviewer=admin, approve=True, comment="", today=TODAY)

    assert report_for(cohort).exams[0].verified_people == 4


@pytest.mark.parametrize("name", ["schools:outcomes", "schools:outcomes-csv"])
def test_the_cohort_report_runs_the_same_queries_for_50_and_5000_students(
    client, admin, school, ladder, name, django_assert_num_queries, django_assert_max_num_queries
):
    small, large = populate(school, 50, name="Small"), populate(school, 5000, name="Large")
    client.force_login(admin)
    client.get(reverse(name, args=["riverside", small.pk]))

    with django_assert_max_num_queries(14) as at_50:
        assert client.get(reverse(name, args=["riverside", small.pk])).status_code == 200
    with django_assert_num_queries(len(at_50.captured_queries)):
        assert client.get(reverse(name, args=["riverside", large.pk])).status_code == 200


def test_the_school_report_runs_the_same_queries_for_50_and_5000_students(
    client, admin, school, ladder, django_assert_num_queries, django_assert_max_num_queries
):
    populate(school, 50, name="Small")
    other = School.objects.create(name="Large College", slug="large")
    Membership.objects.create(school=other, user=admin, role=Role.SCHOOL_ADMIN)
    populate(other, 5000, name="Large")
    client.force_login(admin)
    client.get(reverse("schools:school-outcomes", args=["riverside"]))

    with django_assert_max_num_queries(14) as at_50:
        assert client.get(reverse("schools:school-outcomes", args=["riverside"])).status_code == 200
    with django_assert_num_queries(len(at_50.captured_queries)):
        assert client.get(reverse("schools:school-outcomes", args=["large"])).status_code == 200


def test_assigning_again_keeps_the_outcomes(school, ladder):
    cohort = populate(school, 5)
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=cohort.starts_on)

    assert report_for(cohort).exams[0].attempts == 7
