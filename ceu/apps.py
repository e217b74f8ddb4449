from django.apps import AppConfig


class CeuConfig(AppConfig):
    name = "ceu"
    verbose_name = "CEUs and renewal reminders"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (keeps reminder plans current)
