"""Everything the site keeps about a person, for "download my data"."""

from __future__ import annotations

from importlib import import_module

from roadmap.models import Enrollment, HeldCredential, ProgressEvent

from .models import Profile, User

# Apps that keep more personal data add a `personal_data(user) -> dict` in their export module.
OTHER_EXPORTS = ("ceu.export", "schools.export")


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
        "roadmaps": [
            _enrollment(e)
            for e in Enrollment.objects.filter(user=user).select_related("roadmap").prefetch_related("progress__step")
        ],
        "credentials_held": [
            {
                "credential": h.credential.code,
                "earned_on": _date(h.earned_on),
                "cycle_ends_on": _date(h.cycle_ends_on),
                "ended_on": _date(h.ended_on),
                "end_reason": h.end_reason,
            }
            for h in HeldCredential.objects.filter(user=user).select_related("credential")
        ],
        "timeline": [
            {"at": e.at.isoformat(), "step": e.progress.step.title, "status": e.status, "undone": e.undone}
            for e in ProgressEvent.objects.filter(progress__enrollment__user=user).select_related("progress__step")
        ],
    }
    for module_name in OTHER_EXPORTS:
        data.update(import_module(module_name).personal_data(user))
    return data


def progress_rows(user: User) -> list[list[object]]:
    rows = []
    for enrollment in Enrollment.objects.filter(user=user).select_related("roadmap").prefetch_related("progress__step"):
        for p in enrollment.progress.all():
            rows.append(
                [
                    enrollment.roadmap.name,
                    p.step.title,
                    p.get_status_display(),
                    _date(p.started_on),
                    _date(p.completed_on),
                    p.evidence,
                    p.note,
                ]
            )
    return rows


PROGRESS_HEADER = ["roadmap", "step", "status", "started_on", "completed_on", "evidence", "note"]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _profile(profile: Profile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "region": profile.region.name if profile.region else None,
        "work_setting": profile.work_setting.name if profile.work_setting else None,
        "career_start": _date(profile.career_start),
        "education": [e.name for e in profile.education.all()],
        "apprentice_education_credits": profile.apprentice_education_credits,
        "time_zone": profile.time_zone,
        "reminder_emails": profile.reminder_emails,
    }


def _enrollment(enrollment: Enrollment) -> dict:
    return {
        "roadmap": enrollment.roadmap.name,
        "primary": enrollment.is_primary,
        "steps": [
            {
                "step": p.step.title,
                "status": p.status,
                "started_on": _date(p.started_on),
                "completed_on": _date(p.completed_on),
                "note": p.note,
                "evidence": p.evidence,
            }
            for p in enrollment.progress.all()
        ],
    }
