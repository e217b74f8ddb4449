"""The site's allauth adapter: where people land after signing in, and addresses vouched for."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from .hooks import landing_page_for


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """School staff land on their school; everyone else on their dashboard. A ``next`` address
        (a page that asked them to sign in) still comes first: allauth checks it before this."""
        return landing_page_for(request.user) or super().get_login_redirect_url(request)

    def unstash_verified_email(self, request) -> str | None:
        """An address stashed as verified (an invitation link reached it) is prefilled on the sign-up
        form and counts as verified only if it is the address the person signs up with
        (``is_email_verified``). allauth would otherwise add it to every new account, whatever
        address was typed, so nothing is handed over here; ``forget_verified_email`` clears it."""
        return None

    def forget_verified_email(self, request) -> None:
        request.session.pop("account_verified_email", None)
