"""Choice fields over model rows refuse ids no database can hold, before any query (lib.ids)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ceu.models import CeuEntry
from content.models import Credential
from lib.ids import MAX_ID, IdChoiceField, IdMultipleChoiceField, is_valid_id
from roadmap import services
from roadmap.models import Roadmap

OUT_OF_RANGE = ["99999999999999999999", str(MAX_ID + 1), "0", "-1", "1e309", "NaN", "1.0", " 1", "+1", "١", "abc"]


@pytest.mark.parametrize("text", ["1", "42", "007", str(MAX_ID)])
def test_ids_from_one_to_the_largest_bigint_are_valid(text):
    assert is_valid_id(text)


@pytest.mark.parametrize("text", [*OUT_OF_RANGE, "", "1\x00", "x" * 100_000])
def test_anything_else_is_not_an_id(text):
    assert not is_valid_id(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_a_single_choice_refuses_it_without_a_query(django_assert_num_queries, text):
    field = IdChoiceField(queryset=Roadmap.objects.all())

    with django_assert_num_queries(0), pytest.raises(ValidationError, match="not one of the available choices"):
        field.clean(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_a_multiple_choice_refuses_it_among_good_ids_without_a_query(ladder, django_assert_num_queries, text):
    field = IdMultipleChoiceField(queryset=Roadmap.objects.all())
    good = str(Roadmap.objects.first().pk)

    with django_assert_num_queries(0), pytest.raises(ValidationError, match="not one of the available choices"):
        field.clean([good, text])


@pytest.mark.django_db
def test_real_ids_still_choose_their_rows(ladder):
    first, second = Roadmap.objects.all()[:2]

    assert IdChoiceField(queryset=Roadmap.objects.all()).clean(str(first.pk)) == first
    assert set(IdMultipleChoiceField(queryset=Roadmap.objects.all()).clean([first.pk, str(second.pk)])) == {
        first,
        second,
    }
    assert IdChoiceField(queryset=Roadmap.objects.all(), required=False).clean("") is None


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["CPC\x00", "C" * 21, "x" * 100_000])
def test_a_text_key_refuses_nul_and_what_the_column_cannot_hold(ladder, django_assert_num_queries, text):
    field = IdChoiceField(queryset=Credential.objects.all(), to_field_name="code")

    with django_assert_num_queries(0), pytest.raises(ValidationError, match="not one of the available choices"):
        field.clean(text)
    assert field.clean("CPC") == Credential.objects.get(code="CPC")


@time_machine.travel(dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC))
@pytest.mark.parametrize("credential", ["99999999999999999999", str(MAX_ID + 1), "-1", "1e309", "NaN"])
def test_a_huge_credential_id_in_the_ceu_form_is_refused_next_to_the_field(client, student, ladder, credential):
    services.record_credential(student, Credential.objects.get(code="CPC"), earned_on=dt.date(2025, 1, 1))
    client.force_login(student)

    response = client.post(
        "/ceu/",
        {"completed_on": "2026-10-01", "hours": "1", "activity": "Webinar", "category": "general"}
        | {"credentials": credential},
    )

    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert not CeuEntry.objects.exists()
