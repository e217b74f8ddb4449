"""Every date a person or a school enters refuses 1899 and 2101 with the same message next to the
field, and writes nothing; the ends of the range themselves are accepted."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from lib.dates import DATE_RANGE_MESSAGE
from roadmap.models import StepProgress
from schools.models import Assignment, Cohort, StepTarget
from tests.test_bad_input import table_counts, valid_payloads
from tests.world import build_world, url_for

NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
OUTSIDE = ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"]


def date_fields(world) -> list[tuple[str, str, str]]:
    """(URL name, field, a date at the end of the range that the form accepts)."""
    prefix = f"e{world.enrollment.pk}-s{world.step.pk}"
    first_step = world.default_roadmap.steps.order_by("order").first()
    return [
        ("accounts:profile", "career_start", "1900-01-01"),
        ("roadmap:add-credential", "earned_on", "1900-01-01"),
        ("roadmap:change-step", f"{prefix}-started_on", "1900-01-01"),
        ("roadmap:change-step", f"{prefix}-completed_on", "1900-01-01"),
        ("ceu:index", "completed_on", None),  # must also be inside the current cycle
        ("ceu:edit-entry", "completed_on", None),
        ("ceu:cycle-end", "cycle_ends_on", "2100-12-31"),
        ("schools:create-cohort", "starts_on", "1900-01-01"),
        ("schools:create-cohort", "ends_on", "2100-12-31"),
        ("schools:assign", "start_on", "2100-12-31"),
        ("schools:targets", f"step_{first_step.pk}", "2100-12-31"),
    ]


def post(client, world, name, data):
    """The POST, then the page it leads to, in a savepoint rolled back afterwards."""
    url = url_for(world, name)
    with transaction.atomic():
        before = table_counts()
        response = client.post(url, data, follow=True)
        changed = table_counts() != before
        transaction.set_rollback(True)
    return response, changed


@pytest.fixture
def world(client, ladder):
    with time_machine.travel(NOW):
        world = build_world()
        client.force_login(world.person)
        yield world


@time_machine.travel(NOW)
def test_every_date_field_refuses_dates_outside_1900_to_2100_next_to_the_field(client, world):
    payloads = valid_payloads(world)
    for name, field, _ in date_fields(world):
        for day in OUTSIDE:
            data = payloads[name] | {field: day}
            if field.endswith("completed_on") and name == "roadmap:change-step":
                data[field.replace("completed_on", "status")] = "done"
            response, changed = post(client, world, name, data)

            assert DATE_RANGE_MESSAGE in response.content.decode(), (name, field, day)
            assert not changed, (name, field, day)


@time_machine.travel(NOW)
def test_the_ends_of_the_range_are_accepted(client, world):
    payloads = valid_payloads(world)
    for name, field, day in date_fields(world):
        if day is None:
            continue
        data = payloads[name] | {field: day}
        if field.endswith("completed_on") and name == "roadmap:change-step":
            data |= {field.replace("completed_on", "status"): "done", field.replace("completed", "started"): day}
        response, _ = post(client, world, name, data)

        assert response.redirect_chain, (name, field, day)
        assert DATE_RANGE_MESSAGE not in response.content.decode(), (name, field, day)


@time_machine.travel(NOW)
def test_a_start_late_in_2100_stops_the_derived_targets_at_the_end_of_2100(client, world):
    client.post(
        url_for(world, "schools:assign"),
        {"roadmap": world.default_roadmap.pk, "start_on": "2100-12-31"},
    )

    assignment = Assignment.objects.get(cohort=world.cohort)
    assert assignment.start_on == dt.date(2100, 12, 31)
    assert set(StepTarget.objects.filter(assignment=assignment).values_list("target_on", flat=True)) == {
        dt.date(2100, 12, 31)
    }


@time_machine.travel(NOW)
def test_a_cohort_start_of_9999_is_refused_and_no_cohort_is_made(client, world):
    response = client.post(
        url_for(world, "schools:create-cohort"),
        {"name": "Far", "starts_on": "9999-12-31", "ends_on": "9999-12-31"},
    )

    assert response.status_code == 200 and DATE_RANGE_MESSAGE in response.content.decode()
    assert not Cohort.objects.filter(name="Far").exists()
    assert StepProgress.objects.count() == 1
