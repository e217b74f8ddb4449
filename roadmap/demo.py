"""The demo data set that `make run` loads, so a first visit shows a working site.

Every demo account uses DEMO_PASSWORD; the README lists them. Never run this in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_PASSWORD = "roadmap-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    is_staff: bool = False


DEMO_ACCOUNTS = (DemoAccount("editor@example.com", "Edith", is_staff=True),)


@transaction.atomic
def load_demo() -> list[str]:
    """Create the demo accounts that are missing; return a line per account for the console."""
    User = get_user_model()
    lines = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={"first_name": account.first_name, "is_staff": account.is_staff, "is_superuser": account.is_staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        lines.append(f"{'created' if created else 'exists '} {account.email}")
    return lines
