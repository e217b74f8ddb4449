"""The range of dates the site stores, and date arithmetic that never raises.

Every date a person or a school enters (a career start, a credential's dates, a step's dates, a CEU
activity, a cohort's dates, target dates) lies between EARLIEST_DATE and LATEST_DATE: no coding
career began before 1900, and a deadline after 2100 is a typing mistake. Each such model field
carries ``validate_date_in_range`` and a ``date_in_range`` check constraint, and forms use
``DateInRangeField`` so the message sits next to the field.

Rows written before the constraint existed may still hold any date Python allows (year 1 to 9999):
the arithmetic here and in roadmap.rules copes with those too.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
DATE_RANGE_MESSAGE = "Enter a date between Jan 1, 1900 and Dec 31, 2100."


def is_in_range(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def validate_date_in_range(day: dt.date | None) -> None:
    """Model and form validator: None passes (emptiness is the field's own business)."""
    if day is not None and not is_in_range(day):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


def date_in_range(field: str, *, name: str) -> models.CheckConstraint:
    """The database's own copy of the rule, so a row written around the forms (the admin, a shell, a
    bulk update) cannot hold a date the pages would choke on. NULL passes, as in SQL."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_DATE}),
        name=name,
        violation_error_message=DATE_RANGE_MESSAGE,
    )


class DateInput(forms.DateInput):
    input_type = "date"


class DateInRangeField(forms.DateField):
    """A date input that refuses dates outside the site's range with a message next to the field;
    the browser's date picker is bounded the same way."""

    widget = DateInput
    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}


def clamp(day: dt.date) -> dt.date:
    """The nearest date in the site's range: how the data migration mends rows stored before the
    range existed (the order between two dates of a row is kept, so "ends after it starts" holds)."""
    return min(max(day, EARLIEST_DATE), LATEST_DATE)


def day_after(day: dt.date) -> dt.date | None:
    """The next day, or None after 9999-12-31 (there is no next date to compute)."""
    return None if day == dt.date.max else day + dt.timedelta(days=1)


def mend_rows_out_of_range(model, fields: list[str]) -> int:
    """For data migrations: move every date of ``fields`` outside the range to the nearest bound, and
    return how many rows changed. A row's dates change in one UPDATE, so its own ordering rules
    ("ends after it starts") hold throughout; such rows are rare, hence one UPDATE each."""
    outside = models.Q()
    for name in fields:
        outside |= models.Q(**{f"{name}__lt": EARLIEST_DATE}) | models.Q(**{f"{name}__gt": LATEST_DATE})
    mended = 0
    for row in model.objects.filter(outside).only("pk", *fields).iterator():
        for name in fields:
            if (value := getattr(row, name)) is not None:
                setattr(row, name, clamp(value))
        row.save(update_fields=fields)
        mended += 1
    return mended
