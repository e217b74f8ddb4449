from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and cohorts"

    def ready(self) -> None:
        from .versions import connect

        # Cohort dashboards are cached under a version that every change to the cohort moves on.
        connect()
