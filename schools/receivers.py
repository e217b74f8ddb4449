"""Sign-up and email verification carry an invitation through: the invited person lands in the cohort."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.urls import reverse

from . import services
from .models import STAFF_ROLES, Membership

INVITATION_SESSION_KEY = "schools-invitation"


def accept_invitation_from_session(sender, request, user, **kwargs) -> None:
    """After sign-up (or confirming an address): accept the invitation the person opened before,
    if it was sent to their address. Anything else leaves it for them to accept by hand."""
    if request is None or not hasattr(request, "session"):
        return
    adapter = get_adapter(request)
    if hasattr(adapter, "forget_verified_email"):
        adapter.forget_verified_email(request)
    token = request.session.get(INVITATION_SESSION_KEY)
    if not token:
        return
    cohort = services.accept_invitation(token, user)
    if cohort is not None:
        request.session.pop(INVITATION_SESSION_KEY, None)
        request.session.pop("invitation_label", None)
        messages.success(request, f"Welcome! You joined {cohort.name} at {cohort.school.name}.")


def accept_after_email_confirmed(sender, request, email_address, **kwargs) -> None:
    accept_invitation_from_session(sender, request=request, user=email_address.user)


def landing_page(user) -> str | None:
    """School staff land on their school (or their list of schools) after signing in."""
    schools = list(
        Membership.objects.filter(user=user, role__in=STAFF_ROLES).values_list("school__slug", flat=True)[:2]
    )
    if not schools:
        return None
    return reverse("schools:school", args=[schools[0]]) if len(schools) == 1 else reverse("schools:mine")
