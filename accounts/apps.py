from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from .models import Profile, User
        from .versions import connect_user_models

        # A person's name, email or profile shows on their own pages and their cohort's.
        connect_user_models({User: lambda user: user.pk, Profile: lambda profile: profile.user_id})
