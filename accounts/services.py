"""Writes to a person's account that other apps share."""

from __future__ import annotations

from django.db import transaction

from .models import Profile, User


def profile_of(user: User) -> Profile:
    """The person's profile, made with the defaults on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person and everything that is theirs (every app's rows go with the user)."""
    user.delete()
