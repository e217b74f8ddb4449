"""Everything the site keeps about a person, for "download my data": the account and profile here,
the rest from every app that keeps personal data (accounts.hooks.personal_data)."""

from __future__ import annotations

from . import hooks
from .models import Profile, User


def personal_data(user: User) -> dict:
    profile = Profile.objects.filter(user=user).select_related("region", "work_setting").first()
    data = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": _profile(profile),
    }
    for part in hooks.personal_data:
        data.update(part(user))
    return data


def iso(value) -> str | None:
    return value.isoformat() if value else None


def _profile(profile: Profile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "region": profile.region.name if profile.region else None,
        "work_setting": profile.work_setting.name if profile.work_setting else None,
        "career_start": iso(profile.career_start),
        "education": [e.name for e in profile.education.all()],
        "apprentice_education_credits": profile.apprentice_education_credits,
        "time_zone": profile.time_zone,
        "reminder_emails": profile.reminder_emails,
    }
