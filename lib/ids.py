"""Choice fields over model rows that check the submitted id before any query.

A browser only ever sends the ids it was offered; anything else was typed by hand. Databases
differ in what they do with an id they cannot hold (SQLite raises OverflowError for
99999999999999999999, PostgreSQL refuses a NUL in a text key), so these fields refuse such a value
themselves, with the form's usual "not one of the choices" message, before a query is built.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

MAX_ID = 2**63 - 1  # the largest value of a 64-bit id column (PostgreSQL bigint, SQLite INTEGER)
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def is_valid_id(text: str) -> bool:
    """Digits only (no sign, exponent or space), between 1 and MAX_ID."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


class _CheckedKeys:
    """Shared by both fields: whether a submitted key can be looked up at all."""

    queryset: models.QuerySet
    to_field_name: str | None

    def key_is_sane(self, value: object) -> bool:
        if isinstance(value, models.Model):
            return True
        meta = self.queryset.model._meta
        column = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        text = str(value)
        if isinstance(column, models.IntegerField | models.AutoField):
            return is_valid_id(text)
        max_length = getattr(column, "max_length", None)
        return "\x00" not in text and (max_length is None or len(text) <= max_length)


class IdChoiceField(_CheckedKeys, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not self.key_is_sane(value):
            raise ValidationError(INVALID_CHOICE, code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(_CheckedKeys, forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, list | tuple) and not all(self.key_is_sane(key) for key in value):
            raise ValidationError(INVALID_CHOICE, code="invalid_choice")
        return super().clean(value)
