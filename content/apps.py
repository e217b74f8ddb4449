from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Career ladder reference data"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the rule-change announcements)
        from .edition import connect_content_models

        # Every model of this app is reference data: any change to it makes a new edition.
        connect_content_models()
