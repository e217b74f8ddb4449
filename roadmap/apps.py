from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmaps"

    def ready(self) -> None:
        from content import models as content

        from .projection_inputs import forget_reference

        # A change to the figures the projection reads forgets this process's cached copy.
        for model in (
            content.SalaryFigure,
            content.Credential,
            content.ExperienceBand,
            content.Region,
            content.WorkSetting,
            content.Role,
            content.Source,
            content.IssuingBody,
        ):
            post_save.connect(forget_reference, sender=model, dispatch_uid=f"forget-reference-{model.__name__}")
            post_delete.connect(forget_reference, sender=model, dispatch_uid=f"forget-reference-del-{model.__name__}")
