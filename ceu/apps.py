from django.apps import AppConfig


class CeuConfig(AppConfig):
    name = "ceu"
    verbose_name = "CEUs and renewal reminders"

    def ready(self) -> None:
        from accounts import hooks as accounts_hooks
        from accounts.versions import connect_user_models
        from lib.uploads import delete_file_with
        from roadmap import hooks as roadmap_hooks

        from . import (
            demo,
            emails,
            export,
            hooks,
            receivers,  # noqa: F401  (connects the signals that keep reminder plans current)
            views,
        )
        from .models import AuditPack, CeuEntry, Reminder

        hooks.reminder_emails.register(Reminder.Kind.RENEWAL, emails.credential_context)
        hooks.reminder_emails.register(Reminder.Kind.APPRENTICE, emails.credential_context)
        roadmap_hooks.dashboard_sections.register(views.renewals_section)
        roadmap_hooks.demo_loaders.register(demo.load_demo)
        accounts_hooks.personal_data.register(export.personal_data)
        accounts_hooks.deletion_summary.register(export.deletion_summary)

        # A certificate goes when its entry (or the account) goes, or when it is replaced.
        delete_file_with(CeuEntry, "certificate")
        delete_file_with(AuditPack, "file")
        # A logged, edited or deleted CEU moves its owner's version on (their CEU page and dashboard).
        connect_user_models({CeuEntry: lambda entry: entry.user_id})
