from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmaps"

    def ready(self) -> None:
        from accounts import hooks as accounts_hooks
        from accounts.versions import connect_user_models
        from content import hooks as content_hooks
        from content.edition import connect_models

        from . import account_views
        from .ladder_views import roadmaps_including
        from .loader import load_roadmaps
        from .models import Enrollment, HeldCredential, ProgressEvent, Roadmap, ShareLink, Step, StepProgress

        accounts_hooks.profile_sections.register(account_views.held_credentials_section)
        accounts_hooks.downloads.register(account_views.downloads)
        accounts_hooks.personal_data.register(account_views.personal_data)
        accounts_hooks.deletion_summary.register(account_views.deletion_summary)
        content_hooks.data_loaders.register(load_roadmaps)
        content_hooks.roadmaps_including.register(roadmaps_including)
        # Roadmaps and their steps are reference data: a change makes a new edition of the public
        # pages (and of the reference figures each process keeps).
        connect_models([Roadmap, Step])
        # A person's progress and credentials are theirs: a change moves their version on.
        connect_user_models(
            {
                Enrollment: lambda enrollment: enrollment.user_id,
                StepProgress: _progress_owner,
                ProgressEvent: lambda event: _progress_owner(event.progress),
                HeldCredential: lambda held: held.user_id,
                ShareLink: lambda link: link.user_id,
            }
        )


def _progress_owner(progress) -> int | None:
    """The owner without a query where the enrolment came along (it does in the services)."""
    from .models import Enrollment

    enrollment = progress._state.fields_cache.get("enrollment")
    if enrollment is not None:
        return enrollment.user_id
    return Enrollment.objects.filter(pk=progress.enrollment_id).values_list("user_id", flat=True).first()
