"""The demo data set that `make run` loads, so a first visit shows a working site.

Every demo account uses DEMO_PASSWORD; the README lists them. Never run this in production.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from accounts.services import profile_of
from content.models import Credential, Region, WorkSetting

from . import hooks, services
from .models import Roadmap, Status

DEMO_PASSWORD = "roadmap-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    is_staff: bool = False


EDITOR = DemoAccount("editor@example.com", "Edith", is_staff=True)
STUDENT = DemoAccount("student@example.com", "Sam")
CODER = DemoAccount("coder@example.com", "Corey")


def demo_user(account: DemoAccount) -> tuple[User, bool]:
    """The account, created with a verified address if missing."""
    user, created = User.objects.get_or_create(
        email=account.email,
        defaults={"first_name": account.first_name, "is_staff": account.is_staff, "is_superuser": account.is_staff},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user, created


@transaction.atomic
def load_demo(today: dt.date | None = None) -> list[str]:
    """Create the demo accounts that are missing; return a line per account for the console."""
    today = today or dt.date.today()
    lines = []
    for account, fill in ((EDITOR, None), (STUDENT, _student_progress), (CODER, _working_coder)):
        user, created = demo_user(account)
        if created and fill:
            fill(user, today)
        lines.append(f"{'created' if created else 'exists '} {account.email}")
    for load_more in hooks.demo_loaders:  # the working coder's CEUs, the demo school
        lines.extend(load_more())
    return lines


def _student_progress(user: User, today: dt.date) -> None:
    """A student a year into the outpatient path: certificate and CPC-A done, first job started."""
    profile = profile_of(user)
    profile.region = Region.objects.get(key="nj")
    profile.work_setting = WorkSetting.objects.get(key="physician-offices")
    profile.career_start = today - dt.timedelta(days=200)
    profile.apprentice_education_credits = 1
    profile.save()
    enrollment = services.follow_roadmap(user, Roadmap.objects.get(key="outpatient-aapc"))
    steps = {step.key: step for step in enrollment.roadmap.steps.all()}
    for key, status, days_ago in (("certificate", Status.DONE, 400), ("cpc-a", Status.DONE, 230)):
        services.change_step(
            enrollment, steps[key], status=status, completed_on=today - dt.timedelta(days=days_ago), today=today
        )
    services.change_step(
        enrollment, steps["coder-1"], status=Status.IN_PROGRESS, started_on=profile.career_start, today=today
    )


def _working_coder(user: User, today: dt.date) -> None:
    """A working coder with two AAPC credentials to keep alive."""
    profile = profile_of(user)
    profile.region = Region.objects.get(key="ca")
    profile.work_setting = WorkSetting.objects.get(key="hospitals")
    profile.career_start = today - dt.timedelta(days=365 * 6)
    profile.save()
    services.record_credential(user, Credential.objects.get(code="CPC"), earned_on=today - dt.timedelta(days=365 * 4))
    services.record_credential(user, Credential.objects.get(code="CCC"), earned_on=today - dt.timedelta(days=500))
