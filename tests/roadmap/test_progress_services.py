"""The rules that keep a person's record true, tested on the services directly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from content.models import Credential
from roadmap import services
from roadmap.models import Enrollment, HeldCredential, ProgressEvent, Roadmap, Status, Step

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def outpatient(ladder):
    return Roadmap.objects.get(key="outpatient-aapc")


@pytest.fixture
def enrollment(student, outpatient):
    return services.follow_roadmap(student, outpatient)


def step(roadmap, key) -> Step:
    return roadmap.steps.get(key=key)


def done(enrollment, key, on=TODAY):
    return services.change_step(
        enrollment, step(enrollment.roadmap, key), status=Status.DONE, completed_on=on, today=TODAY
    )


def test_first_roadmap_followed_is_primary_and_following_twice_changes_nothing(student, outpatient, ladder):
    first = services.follow_roadmap(student, outpatient)
    again = services.follow_roadmap(student, outpatient)
    other = services.follow_roadmap(student, Roadmap.objects.get(key="inpatient-ahima"))

    assert first == again and first.is_primary
    assert not other.is_primary
    assert Enrollment.objects.filter(user=student).count() == 2


def test_making_another_roadmap_primary_moves_the_flag(student, enrollment):
    other = services.follow_roadmap(student, Roadmap.objects.get(key="inpatient-ahima"))

    services.make_primary(other)

    assert list(Enrollment.objects.filter(user=student, is_primary=True)) == [other]


def test_unfollowing_the_primary_roadmap_promotes_the_next(student, enrollment):
    other = services.follow_roadmap(student, Roadmap.objects.get(key="inpatient-ahima"))

    services.unfollow(enrollment)

    other.refresh_from_db()
    assert other.is_primary


def test_a_step_cannot_be_done_before_its_prerequisites(enrollment):
    with pytest.raises(ValidationError) as error:
        done(enrollment, "cpc-a")

    assert "Finish Complete a certificate or diploma program first" in error.value.message_dict["status"][0]
    assert not enrollment.progress.exists()


def test_skipped_prerequisite_counts_as_met(enrollment):
    services.change_step(enrollment, step(enrollment.roadmap, "certificate"), status=Status.SKIPPED, today=TODAY)

    done(enrollment, "cpc-a")

    assert enrollment.progress.get(step__key="cpc-a").status == Status.DONE


@pytest.mark.parametrize(
    ("started", "completed", "field", "message"),
    [
        (None, TODAY + dt.timedelta(days=1), "completed_on", "cannot be in the future"),
        (dt.date(2026, 5, 1), dt.date(2026, 4, 1), "completed_on", "cannot be before the start date"),
        (TODAY + dt.timedelta(days=3), None, "started_on", "cannot be in the future"),
    ],
)
def test_impossible_dates_are_refused_and_nothing_changes(enrollment, started, completed, field, message):
    certificate = step(enrollment.roadmap, "certificate")

    with pytest.raises(ValidationError) as error:
        services.change_step(
            enrollment, certificate, status=Status.DONE, started_on=started, completed_on=completed, today=TODAY
        )

    assert message in error.value.message_dict[field][0]
    assert not ProgressEvent.objects.exists()


def test_completing_a_credential_step_records_the_credential(student, enrollment):
    done(enrollment, "certificate", dt.date(2025, 6, 1))
    done(enrollment, "cpc-a", dt.date(2025, 7, 15))

    held = HeldCredential.objects.get(user=student)
    assert (held.credential.code, held.earned_on) == ("CPC-A", dt.date(2025, 7, 15))


def test_earning_the_cpc_ends_the_apprentice_credential(student, enrollment):
    for key, on in [
        ("certificate", dt.date(2024, 1, 1)),
        ("cpc-a", dt.date(2024, 2, 1)),
        ("coder-1", dt.date(2024, 3, 1)),
        ("cpc", dt.date(2026, 3, 1)),
    ]:
        done(enrollment, key, on)

    active = HeldCredential.objects.filter(user=student, ended_on__isnull=True).values_list(
        "credential__code", flat=True
    )
    assert list(active) == ["CPC"]
    apprentice = HeldCredential.objects.get(user=student, credential__code="CPC-A")
    assert (apprentice.ended_on, apprentice.end_reason) == (dt.date(2026, 3, 1), "replaced")


def test_undo_restores_the_step_and_forgets_the_credential_it_recorded(student, enrollment):
    done(enrollment, "certificate", dt.date(2024, 1, 1))
    done(enrollment, "cpc-a", dt.date(2024, 2, 1))
    progress = enrollment.progress.get(step__key="cpc-a")

    services.undo_last_change(progress)

    progress.refresh_from_db()
    assert progress.status == Status.NOT_STARTED and progress.completed_on is None
    assert not HeldCredential.objects.filter(user=student, credential__code="CPC-A").exists()
    assert progress.events.get().undone


def test_undoing_the_cpc_gives_the_apprentice_credential_back(student, enrollment):
    for key, on in [
        ("certificate", dt.date(2024, 1, 1)),
        ("cpc-a", dt.date(2024, 2, 1)),
        ("coder-1", dt.date(2024, 3, 1)),
        ("cpc", dt.date(2026, 3, 1)),
    ]:
        done(enrollment, key, on)

    services.undo_last_change(enrollment.progress.get(step__key="cpc"))

    active = HeldCredential.objects.filter(user=student, ended_on__isnull=True).values_list(
        "credential__code", flat=True
    )
    assert list(active) == ["CPC-A"]


def test_undo_goes_back_one_change_at_a_time(enrollment):
    certificate = step(enrollment.roadmap, "certificate")
    services.change_step(
        enrollment, certificate, status=Status.IN_PROGRESS, started_on=dt.date(2026, 1, 5), today=TODAY
    )
    services.change_step(
        enrollment,
        certificate,
        status=Status.DONE,
        started_on=dt.date(2026, 1, 5),
        completed_on=dt.date(2026, 10, 1),
        today=TODAY,
    )
    progress = enrollment.progress.get()

    services.undo_last_change(progress)
    progress.refresh_from_db()
    assert (progress.status, progress.started_on, progress.completed_on) == (
        Status.IN_PROGRESS,
        dt.date(2026, 1, 5),
        None,
    )

    services.undo_last_change(progress)
    progress.refresh_from_db()
    assert progress.status == Status.NOT_STARTED
    assert services.undo_last_change(progress) is None


def test_quick_changes_fill_in_the_obvious_dates(enrollment):
    certificate = step(enrollment.roadmap, "certificate")

    started = services.change_step(enrollment, certificate, status=Status.IN_PROGRESS, today=TODAY)
    assert started.started_on == TODAY
    finished = services.change_step(enrollment, certificate, status=Status.DONE, started_on=TODAY, today=TODAY)
    assert finished.completed_on == TODAY
    reset = services.change_step(enrollment, certificate, status=Status.NOT_STARTED, today=TODAY)
    assert (reset.started_on, reset.completed_on) == (None, None)


def test_a_step_of_another_roadmap_is_refused(enrollment):
    foreign = Roadmap.objects.get(key="inpatient-ahima").steps.first()

    with pytest.raises(ValidationError, match="not part of this roadmap"):
        services.change_step(enrollment, foreign, status=Status.IN_PROGRESS, today=TODAY)


def test_recording_a_held_credential_twice_is_a_no_op(student, ladder):
    ccs = Credential.objects.get(code="CCS")

    assert services.record_credential(student, ccs, earned_on=dt.date(2025, 1, 1)) is not None
    assert services.record_credential(student, ccs, earned_on=dt.date(2025, 2, 1)) is None
