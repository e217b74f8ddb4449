"""The cohort dashboard's projected gain follows each student's place: the area and work setting on
their profile (national where it says nothing, or names a place without figures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.services import profile_of
from content.models import Region, WorkSetting
from roadmap.models import Roadmap
from schools import services
from schools.selectors import cohort_dashboard

TODAY = dt.date(2026, 3, 1)


def place(user, region: str | None, setting: str | None = None) -> None:
    profile = profile_of(user)
    profile.region = Region.objects.get(key=region) if region else None
    profile.work_setting = WorkSetting.objects.get(key=setting) if setting else None
    profile.save()


def test_each_student_counts_where_they_work_and_the_average_is_of_those_gains(cohort, student, classmate):
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=dt.date(2026, 1, 5))
    place(student, "texas", "hospitals")

    dashboard = cohort_dashboard(cohort, today=TODAY)

    gains = {row.user.email: row.gain for row in dashboard["rows"]}
    # Nothing done yet: from 51,699 (without certification) to the coding manager's 85,081 at the end.
    # The classmate, national: 85,081 - 51,699 = 33,382.
    # The student, a hospital coder in Texas (factor (52,880 x 62,270) / 56,790^2 = 1.0210020):
    # 85,081 x 1.0210020 = 86,867.87 -> 86,868 and 51,699 x 1.0210020 = 52,784.78 -> 52,785: 34,083.
    assert gains == {classmate.email: Decimal(33382), student.email: Decimal(34083)}
    # (34,083 + 33,382) / 2 = 33,732.5 -> 33,732 (to the even dollar).
    assert dashboard["average_gain"] == Decimal(33732)


def test_a_place_without_figures_counts_as_national(cohort, student, classmate):
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=dt.date(2026, 1, 5))
    place(student, "elmira-ny")  # BLS released no wage for coders there

    gains = {row.user.email: row.gain for row in cohort_dashboard(cohort, today=TODAY)["rows"]}

    assert gains[student.email] == gains[classmate.email] == Decimal(33382)


def test_the_cohort_page_says_where_the_gains_are_projected(client, instructor, cohort, student):
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=dt.date(2026, 1, 5))
    place(student, "texas", "hospitals")
    client.force_login(instructor)

    html = client.get(f"/schools/{cohort.school.slug}/cohorts/{cohort.pk}/").content.decode()

    assert "$33,732" in html and "where their profile says they work" in html


def test_a_student_moving_changes_the_cached_cohort_page_at_once(client, instructor, cohort, student):
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=dt.date(2026, 1, 5))
    client.force_login(instructor)
    url = f"/schools/{cohort.school.slug}/cohorts/{cohort.pk}/"
    assert "$33,382" in client.get(url).content.decode()  # both national

    place(student, "texas", "hospitals")

    assert "$33,732" in client.get(url).content.decode()
