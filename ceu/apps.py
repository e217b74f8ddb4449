from django.apps import AppConfig


class CeuConfig(AppConfig):
    name = "ceu"
    verbose_name = "CEUs and renewal reminders"

    def ready(self) -> None:
        from accounts.versions import connect_user_models

        from . import receivers  # noqa: F401  (keeps reminder plans current)
        from .models import CeuEntry

        # A logged, edited or deleted CEU moves its owner's version on (their CEU page and dashboard).
        connect_user_models({CeuEntry: lambda entry: entry.user_id})
