"""Every extension point calls its plug-ins: one test each, with a probe plugged in for the test.

The apps depend one way (lib.hooks); a lower app reaches what a higher one knows only through these
hooks, so each test proves the lower app really asks them, where it says it does.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse

from accounts import hooks as accounts_hooks
from ceu import delivery
from ceu import hooks as ceu_hooks
from ceu import services as ceu_services
from ceu.models import Reminder
from content import hooks as content_hooks
from content.loader import DATA_DIR, load_ladder
from lib.hooks import Section
from roadmap import hooks as roadmap_hooks
from roadmap.demo import load_demo
from roadmap.models import Enrollment, Roadmap

from .ceu.conftest import NOW, hold

pytestmark = pytest.mark.django_db


class Probe:
    """A plug-in that remembers how it was called and answers ``answer``."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def __call__(self, *args):
        self.calls.append(args)
        return self.answer


@pytest.fixture
def signed_in(client, student, ladder):
    client.force_login(student)
    return client


def test_load_ladder_runs_the_data_loaders_inside_its_transaction(ladder):
    probe = Probe(None)
    with content_hooks.data_loaders.plugged(probe):
        report = load_ladder()

    ((data_dir, passed_report),) = probe.calls
    assert (data_dir, passed_report) == (DATA_DIR, report)


def test_a_credential_page_lists_the_roadmaps_the_plug_ins_name(client, ladder):
    class Named:
        name = "A probe roadmap"

        def get_absolute_url(self):
            return "/probe/"

    probe = Probe([Named()])
    with content_hooks.roadmaps_including.plugged(probe):
        html = client.get("/credentials/CPC/").content.decode()

    assert '<a href="/probe/">A probe roadmap</a>' in html
    assert probe.calls[0][0].code == "CPC"


def test_the_profile_page_draws_the_sections_of_the_plug_ins(signed_in):
    probe = Probe(Section("hook_probe.html", {"probe": "A section from above"}))
    with accounts_hooks.profile_sections.plugged(probe):
        html = signed_in.get("/account/profile/").content.decode()

    assert '<section id="probe">A section from above</section>' in html
    request, bound = probe.calls[0]
    assert request.user.email == "student@example.com" and bound == {}


def test_the_profile_page_lists_the_downloads_of_the_plug_ins(signed_in, student):
    probe = Probe([("Download the probe", "/probe.csv")])
    with accounts_hooks.downloads.plugged(probe):
        html = signed_in.get("/account/profile/").content.decode()

    assert '<a href="/probe.csv">Download the probe</a>' in html
    assert probe.calls == [(student,)]


def test_the_data_export_includes_what_the_plug_ins_keep(signed_in, student):
    probe = Probe({"probe_records": [1, 2]})
    with accounts_hooks.personal_data.plugged(probe):
        data = json.loads(signed_in.get("/account/export/").content)

    assert data["probe_records"] == [1, 2]
    assert probe.calls == [(student,)]


def test_the_delete_page_says_what_the_plug_ins_delete(signed_in, student):
    probe = Probe(["the probe's records"])
    with accounts_hooks.deletion_summary.plugged(probe):
        html = signed_in.get("/account/delete/").content.decode()

    assert "<li>The probe&#x27;s records</li>" in html
    assert probe.calls == [(student,)]


def test_the_dashboard_dates_steps_by_the_plug_ins_earliest_target(signed_in, student):
    from roadmap import services

    enrollment = services.follow_roadmap(student, Roadmap.objects.get(key="outpatient-aapc"))
    certificate = enrollment.roadmap.steps.get(key="certificate")
    later, earlier = Probe({certificate.pk: dt.date(2031, 3, 1)}), Probe({certificate.pk: dt.date(2030, 6, 1)})

    with roadmap_hooks.step_targets.plugged(later), roadmap_hooks.step_targets.plugged(earlier):
        assert roadmap_hooks.targets_for(student) == {certificate.pk: dt.date(2030, 6, 1)}
        html = signed_in.get("/dashboard/").content.decode()

    assert "Jun 1, 2030" in html and "Mar 1, 2031" not in html
    assert Enrollment.objects.filter(user=student).count() == 1


def test_the_dashboard_draws_the_badges_of_the_plug_ins_on_their_steps(signed_in, student):
    from roadmap import services

    enrollment = services.follow_roadmap(student, Roadmap.objects.get(key="outpatient-aapc"))
    certificate = enrollment.roadmap.steps.get(key="certificate")
    first = Probe({certificate.pk: roadmap_hooks.StepBadge("Probe badge", "/probe/", "awaiting")})
    second = Probe({certificate.pk: roadmap_hooks.StepBadge("Second badge", "/second/", "approved")})

    with roadmap_hooks.step_badges.plugged(first), roadmap_hooks.step_badges.plugged(second):
        html = signed_in.get("/dashboard/").content.decode()

    assert '<a href="/probe/">Probe badge' in html and "Second badge" not in html
    assert first.calls == [(student,)]


def test_the_dashboard_draws_the_sections_of_the_plug_ins(signed_in):
    probe = Probe(Section("hook_probe.html", {"probe": "A box from above"}))
    with roadmap_hooks.dashboard_sections.plugged(probe):
        html = signed_in.get("/dashboard/").content.decode()

    assert '<section id="probe">A box from above</section>' in html
    request, today = probe.calls[0]
    assert isinstance(today, dt.date)


def test_load_demo_runs_the_demo_loaders(ladder):
    probe = Probe(["probe demo loaded"])
    with roadmap_hooks.demo_loaders.plugged(probe):
        lines = load_demo(today=dt.date(2026, 11, 25))

    assert "probe demo loaded" in lines and probe.calls == [()]


def test_the_sweep_creates_the_reminders_of_the_sources(student, ladder):
    held = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2030, 1, 1))
    probe = Probe([Reminder(user=student, held=held, kind=Reminder.Kind.APPRENTICE, due_on=NOW.date(), threshold=0)])

    with ceu_hooks.reminder_sources.plugged(probe):
        ceu_services.sweep(NOW)

    assert probe.calls == [(NOW.date(),)]
    assert Reminder.objects.filter(user=student, kind="apprentice", due_on=NOW.date()).exists()


def test_a_reminder_email_asks_its_kinds_plug_in_for_its_words(student, ladder):
    hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    ceu_services.sweep(NOW)
    (reminder,) = Reminder.objects.all()
    real = ceu_hooks.reminder_emails.get(Reminder.Kind.RENEWAL)
    calls = []

    def probe(reminder, today):
        calls.append((reminder.pk, today))
        return real(reminder, today)

    with ceu_hooks.reminder_emails.plugged(Reminder.Kind.RENEWAL, probe):
        assert delivery.deliver_due(today=NOW.date()) == {delivery.SENT: 1}

    assert calls == [(reminder.pk, NOW.date())]
    assert "CEUs remaining" in mail.outbox[0].body


def test_the_calendar_feed_lists_the_deadlines_of_the_plug_ins(signed_in, student):
    probe = Probe([ceu_hooks.Deadline("Probe deadline", dt.date(2030, 1, 2), "probe-1", NOW)])
    secret = ceu_services.rotate_calendar_token(student)

    with ceu_hooks.calendar_events.plugged(probe):
        feed = signed_in.get(reverse("ceu:feed", args=[secret])).content.decode()

    assert "SUMMARY:Probe deadline" in feed and "DTSTART;VALUE=DATE:20300102" in feed
    assert probe.calls == [(student,)]
