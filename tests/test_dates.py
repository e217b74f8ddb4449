"""The site's date range (lib.dates): one rule, enforced by the models, the database and the forms."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from lib.dates import (
    DATE_RANGE_MESSAGE,
    EARLIEST_DATE,
    LATEST_DATE,
    DateInRangeField,
    clamp,
    day_after,
    validate_date_in_range,
)
from tests.dates_cast import row_of
from tests.unchecked import store_unchecked

D = dt.date
OUTSIDE = [D(1, 1, 1), D(1899, 12, 31), D(2101, 1, 1), D(9999, 12, 31)]
INSIDE = [D(1900, 1, 1), D(2026, 2, 28), D(2100, 12, 31)]
# Dates the site computes rather than receives: a reminder's due day follows a stored date.
COMPUTED = {("ceu", "Reminder", "due_on"), ("ceu", "PlannedReminder", "due_on")}
# The reference data's dates come from the versioned data files, checked by their loader.
PERSONAL_APPS = ("accounts", "roadmap", "ceu", "schools")


def entered_date_fields() -> list[tuple[type[models.Model], models.DateField]]:
    return [
        (model, field)
        for app in PERSONAL_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField)
        and not isinstance(field, models.DateTimeField)
        and (app, model.__name__, field.name) not in COMPUTED
    ]


@pytest.mark.parametrize("day", INSIDE)
def test_dates_from_1900_to_2100_pass(day):
    validate_date_in_range(day)
    assert DateInRangeField().clean(day.isoformat()) == day


@pytest.mark.parametrize("day", OUTSIDE)
def test_dates_outside_1900_to_2100_are_refused_with_the_message(day):
    with pytest.raises(ValidationError, match="between Jan 1, 1900 and Dec 31, 2100"):
        validate_date_in_range(day)
    with pytest.raises(ValidationError, match="between Jan 1, 1900 and Dec 31, 2100"):
        DateInRangeField().clean(day.isoformat())


def test_an_empty_date_is_the_fields_own_business():
    validate_date_in_range(None)
    assert DateInRangeField(required=False).clean("") is None


def test_the_date_picker_is_bounded_the_same_way():
    html = str(DateInRangeField().widget.render("day", None, attrs=DateInRangeField().widget_attrs(None)))

    assert 'type="date"' in html and 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(1, 1, 1), EARLIEST_DATE), (D(1899, 12, 31), EARLIEST_DATE), (D(1900, 1, 1), D(1900, 1, 1))]
    + [(D(2100, 12, 31), D(2100, 12, 31)), (D(2101, 1, 1), LATEST_DATE), (D(9999, 12, 31), LATEST_DATE)],
)
def test_clamp_moves_a_date_to_the_nearest_end_of_the_range(day, expected):
    assert clamp(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2024, 2, 28), D(2024, 2, 29)), (D(2100, 12, 31), D(2101, 1, 1)), (D(1, 1, 1), D(1, 1, 2))]
    + [(D(9999, 12, 30), D(9999, 12, 31)), (D(9999, 12, 31), None)],
)
def test_the_day_after_is_none_only_after_the_last_date_python_knows(day, expected):
    assert day_after(day) == expected


def test_every_entered_date_column_is_in_the_list():
    """A new date column joins the checks below by itself; this guards the list's own sanity."""
    names = {f"{model.__name__}.{field.name}" for model, field in entered_date_fields()}

    assert {"Profile.career_start", "HeldCredential.cycle_ends_on", "CeuEntry.completed_on"} <= names
    assert {"StepProgress.started_on", "Cohort.ends_on", "Assignment.start_on", "StepTarget.target_on"} <= names
    assert {"ExamAttempt.taken_on", "AuditPack.starts_on", "ApprenticeTracker.practicode_completed_on"} <= names
    assert len(names) == 18, names


@pytest.mark.parametrize(
    ("model", "field"), entered_date_fields(), ids=lambda x: getattr(x, "__name__", getattr(x, "name", x))
)
def test_every_entered_date_has_the_validator_and_a_database_constraint(model, field):
    assert validate_date_in_range in field.validators
    constraints = [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]
    checked = [c for c in constraints if c.name.endswith("_in_range") and field.name in str(c.condition)]
    assert len(checked) == 1, constraints


@pytest.mark.parametrize(("model", "field"), entered_date_fields(), ids=lambda x: getattr(x, "name", "model"))
@pytest.mark.parametrize("day", [D(1899, 12, 31), D(2101, 1, 1)])
def test_the_model_and_the_database_refuse_a_date_outside_the_range(ladder, model, field, day):
    row = row_of(model)
    setattr(row, field.name, day)

    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert refused.value.message_dict[field.name] == [DATE_RANGE_MESSAGE]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field.name: day})


@pytest.mark.django_db
def test_the_migration_mends_rows_stored_before_the_range_existed(ladder):
    from roadmap.models import ProgressEvent, StepProgress

    progress = row_of(StepProgress)
    store_unchecked(
        StepProgress.objects.filter(pk=progress.pk), started_on=D(1, 1, 1), completed_on=D(1850, 6, 1), status="done"
    )
    event = ProgressEvent.objects.create(
        progress=progress, status="done", previous={"status": "in_progress", "started_on": "0001-01-01"}
    )
    migration = importlib.import_module("roadmap.migrations.0004_dates_in_range")

    migration.mend_dates_out_of_range(apps, None)

    progress.refresh_from_db()
    event.refresh_from_db()
    # Both dates move to 1900-01-01: the completion is still not before the start.
    assert (progress.started_on, progress.completed_on) == (EARLIEST_DATE, EARLIEST_DATE)
    assert event.previous["started_on"] == "1900-01-01"


def test_the_form_message_says_which_dates_are_allowed():
    assert DATE_RANGE_MESSAGE == "Enter a date between Jan 1, 1900 and Dec 31, 2100."
