from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Career ladder reference data"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the rule-change announcements)
