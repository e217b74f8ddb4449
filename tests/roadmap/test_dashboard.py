"""The dashboard and step changes through the web, with and without htmx."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.services import profile_of
from roadmap import services
from roadmap.models import Enrollment, Roadmap, Status, StepProgress

HX = {"HX-Request": "true"}


@pytest.fixture
def enrollment(student, ladder):
    return services.follow_roadmap(student, Roadmap.objects.get(key="outpatient-aapc"))


def step_url(enrollment, key, action="roadmap:change-step"):
    step = enrollment.roadmap.steps.get(key=key)
    return reverse(action, args=[enrollment.pk, step.pk])


def post_step(client, enrollment, key, headers=None, **fields):
    step = enrollment.roadmap.steps.get(key=key)
    prefix = f"e{enrollment.pk}-s{step.pk}-"
    data = {prefix + name: value for name, value in {"status": "not_started", **fields}.items()}
    return client.post(step_url(enrollment, key), data, headers=headers or {})


def test_dashboard_needs_a_login(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_new_person_is_offered_roadmaps_to_follow(client, student, ladder):
    client.force_login(student)

    html = client.get("/dashboard/").content.decode()

    assert "Choose a roadmap to follow" in html
    assert 'action="/roadmaps/outpatient-aapc/follow/"' in html


def test_following_from_the_roadmap_page(client, student, ladder):
    client.force_login(student)

    response = client.post("/roadmaps/outpatient-aapc/follow/")

    assert response.status_code == 302
    assert Enrollment.objects.get(user=student).roadmap.key == "outpatient-aapc"


def test_dashboard_shows_steps_progress_and_next_step(client, student, enrollment):
    client.force_login(student)
    services.change_step(
        enrollment,
        enrollment.roadmap.steps.get(key="certificate"),
        status=Status.DONE,
        completed_on=dt.date(2025, 6, 1),
        today=dt.date(2025, 6, 1),
    )

    html = client.get("/dashboard/").content.decode()

    assert "1 of 8 steps (12%)" in html
    assert "<strong>Next step:</strong> Pass the CPC exam (CPC-A)" in html
    assert "completed Jun 1, 2025" in html
    assert "What you did" in html


@time_machine.travel(dt.datetime(2026, 3, 10, 15, tzinfo=dt.UTC))
def test_marking_a_step_with_htmx_swaps_only_that_roadmap(client, student, enrollment):
    client.force_login(student)

    response = post_step(client, enrollment, "certificate", headers=HX, status="done", completed_on="2026-03-01")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section class="enrollment" id="enrollment-{enrollment.pk}"')
    assert "<html" not in html
    assert "completed Mar 1, 2026" in html and "Undo last change" in html


def test_marking_a_step_without_javascript_redirects_back(client, student, enrollment):
    client.force_login(student)

    response = post_step(client, enrollment, "certificate", status="in_progress", note="Evening classes")

    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/#enrollment-{enrollment.pk}"
    progress = StepProgress.objects.get(enrollment=enrollment)
    assert (progress.status, progress.note) == ("in_progress", "Evening classes")


@pytest.mark.parametrize("headers", [HX, {}])
def test_a_broken_rule_is_explained_next_to_the_field_and_nothing_is_lost(client, student, enrollment, headers):
    client.force_login(student)

    response = post_step(client, enrollment, "cpc-a", headers=headers, status="done", evidence="Exam 2026-01-12")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Finish Complete a certificate or diploma program first" in html
    assert 'value="Exam 2026-01-12"' in html  # what the person typed is still there
    assert not StepProgress.objects.exists()


def test_a_future_completion_date_is_refused(client, student, enrollment):
    client.force_login(student)

    response = post_step(client, enrollment, "certificate", headers=HX, status="done", completed_on="2099-01-01")

    assert "The completion date cannot be in the future." in response.content.decode()


def test_undo_from_the_dashboard(client, student, enrollment):
    client.force_login(student)
    post_step(client, enrollment, "certificate", status="done")

    response = client.post(step_url(enrollment, "certificate", "roadmap:undo-step"), headers=HX)

    assert response.status_code == 200
    assert StepProgress.objects.get(enrollment=enrollment).status == "not_started"


def test_apprentice_step_shows_when_the_designation_can_be_removed(client, student, enrollment):
    profile = profile_of(student)
    profile.career_start, profile.apprentice_education_credits = dt.date(2025, 2, 1), 1
    profile.save()
    client.force_login(student)

    html = client.get("/dashboard/").content.decode()

    assert "remove the apprentice designation from <strong>Feb 1, 2026</strong>" in html


@pytest.mark.parametrize(
    "url",
    [
        "roadmap:change-step",
        "roadmap:undo-step",
    ],
)
def test_the_stranger_cannot_change_the_students_progress(client, stranger, enrollment, url):
    client.force_login(stranger)

    response = client.post(step_url(enrollment, "certificate", url), {"status": "done"})

    assert response.status_code == 404
    assert not StepProgress.objects.exists()


@pytest.mark.parametrize("action", ["roadmap:make-primary", "roadmap:unfollow"])
def test_the_stranger_cannot_touch_the_students_enrollment(client, stranger, enrollment, action):
    client.force_login(stranger)

    assert client.post(reverse(action, args=[enrollment.pk]), {"confirm": "yes"}).status_code == 404
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_a_step_of_another_roadmap_in_the_url_is_404(client, student, enrollment):
    client.force_login(student)
    foreign = Roadmap.objects.get(key="inpatient-ahima").steps.first()

    assert client.post(reverse("roadmap:change-step", args=[enrollment.pk, foreign.pk])).status_code == 404


def test_unfollow_needs_confirmation(client, student, enrollment):
    client.force_login(student)

    client.post(reverse("roadmap:unfollow", args=[enrollment.pk]))
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()

    client.post(reverse("roadmap:unfollow", args=[enrollment.pk]), {"confirm": "yes"})
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_dashboard_queries_do_not_grow_with_steps_and_history(
    client, student, enrollment, django_assert_max_num_queries
):
    client.force_login(student)
    client.get("/dashboard/")  # warm the session and profile
    with django_assert_max_num_queries(30) as small:
        client.get("/dashboard/")

    for roadmap in Roadmap.objects.exclude(pk=enrollment.roadmap_id):
        services.follow_roadmap(student, roadmap)
    certificate = enrollment.roadmap.steps.get(key="certificate")
    for _ in range(15):
        services.change_step(enrollment, certificate, status=Status.IN_PROGRESS, today=dt.date(2026, 1, 1))
        services.change_step(enrollment, certificate, status=Status.NOT_STARTED, today=dt.date(2026, 1, 1))

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/dashboard/").status_code == 200


def test_the_step_form_is_a_fragment_for_htmx_and_a_page_without(client, student, enrollment):
    client.force_login(student)

    fragment = client.get(step_url(enrollment, "certificate"), headers=HX).content.decode()
    page = client.get(step_url(enrollment, "certificate")).content.decode()

    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert "<h1>Complete a certificate or diploma program</h1>" in page and 'name="e' in page


def test_the_stranger_cannot_open_the_students_step_form(client, stranger, enrollment):
    client.force_login(stranger)

    assert client.get(step_url(enrollment, "certificate")).status_code == 404


def test_dashboard_shows_the_projection_now_and_after_the_next_step(client, student, enrollment):
    client.force_login(student)

    html = client.get("/dashboard/").content.decode()

    assert "Projected salary now: <strong>$51,699</strong>" in html
    assert "after “Complete a certificate or diploma program”" in html
    assert 'href="/projection/?roadmap=outpatient-aapc' in html


def test_dashboard_projection_counts_what_the_person_has_done(client, student, enrollment):
    steps = {s.key: s for s in enrollment.roadmap.steps.all()}
    for key in ("certificate", "cpc-a"):
        services.change_step(
            enrollment, steps[key], status=Status.DONE, completed_on=dt.date(2025, 6, 1), today=dt.date(2025, 6, 1)
        )
    client.force_login(student)

    html = client.get("/dashboard/").content.decode()

    # The CPC-A is an apprentice credential: the projection waits for the full CPC (see roadmap.projection).
    assert "Projected salary now: <strong>$51,699</strong>" in html
    assert "after “Work as a Coder I”" in html  # the steps done are behind the person, not ahead


def test_dashboard_lists_renewals_with_ceus_to_go(client, student, ladder):
    from content.models import Credential

    held = services.record_credential(student, Credential.objects.get(code="CCS"), earned_on=dt.date(2026, 1, 10))
    assert held
    client.force_login(student)

    html = client.get("/dashboard/").content.decode()

    assert "<strong>CCS</strong>: cycle ends Jan 10, 2028 — 0 of 20 CEUs logged, <strong>20 to go</strong>" in html


def test_a_credential_step_saved_with_htmx_updates_every_part_of_the_page_it_changes(
    client, student, enrollment, django_assert_max_num_queries
):
    client.force_login(student)
    post_step(client, enrollment, "certificate", headers=HX, status="done", completed_on="2026-01-10")

    with django_assert_max_num_queries(
        50
    ):  # the save (with the reminder plan marked stale), then the roadmap, about you and renewals redrawn
        response = post_step(client, enrollment, "cpc-a", headers=HX, status="done", completed_on="2026-02-01")

    html = response.content.decode()
    about, sections, notices = (
        html[html.index('id="about-you-box"') :],
        html[html.index('id="dashboard-sections"') :],
        html[html.index('<div id="messages"') :],
    )
    assert 'id="about-you-box" aria-labelledby="about-you" hx-swap-oob="true"' in html
    assert ">CPC-A</a> (since Feb 2026)" in about  # no longer "None yet"
    assert 'id="dashboard-sections" hx-swap-oob="true"' in html and "Renewals" in sections
    assert 'hx-swap-oob="true"' in notices and "Saved: Pass the CPC exam (CPC-A) is now done." in notices
    assert "CPC-A is now among your credentials" in notices


def test_without_javascript_the_same_notices_come_as_messages(client, student, enrollment):
    client.force_login(student)

    response = post_step(client, enrollment, "certificate", status="done", completed_on="2026-01-10")

    page = client.get(response["Location"]).content.decode()
    assert "Saved: Complete a certificate or diploma program is now done." in page
