from django.apps import AppConfig


class CeuConfig(AppConfig):
    name = "ceu"
    verbose_name = "CEUs and renewal reminders"
