"""The signed-in person's row comes from the cache, under their version: any change to it is seen
on the next request."""

from __future__ import annotations

from django.core.cache import cache

from accounts.versions import user_version, user_version_key
from lib import versions


def test_the_signed_in_person_costs_no_query_once_cached(client, student, django_assert_num_queries):
    client.force_login(student)
    client.get("/account/profile/")  # makes the profile: a write, which moves the version on
    client.get("/ladder/")

    with django_assert_num_queries(0):
        assert client.get("/ladder/").status_code == 200


def test_a_new_password_signs_out_the_other_sessions_at_once(client, student):
    client.force_login(student)
    assert client.get("/dashboard/").status_code == 200

    student.set_password("another-long-password")
    student.save()

    assert client.get("/dashboard/").status_code == 302


def test_a_deactivated_or_deleted_account_is_signed_out_at_once(client, student, classmate):
    client.force_login(student)
    client.get("/dashboard/")
    student.is_active = False
    student.save()
    assert client.get("/dashboard/").status_code == 302

    client.force_login(classmate)
    client.get("/dashboard/")
    classmate.delete()
    assert client.get("/dashboard/").status_code == 302


def test_a_lost_version_comes_back_as_a_new_one_never_an_old_one(student):
    first = user_version(student.pk)
    cache.clear()
    second = user_version(student.pk)
    versions.bump([user_version_key(student.pk)])

    assert len({first, second, user_version(student.pk)}) == 3
