from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and cohorts"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed, user_signed_up

        from accounts import hooks as accounts_hooks
        from ceu import hooks as ceu_hooks
        from ceu.models import Reminder
        from lib.uploads import delete_file_with
        from roadmap import hooks as roadmap_hooks

        from . import demo, export, receivers, reminders, reviews, selectors, services, views
        from .models import Submission
        from .versions import connect

        roadmap_hooks.step_targets.register(services.step_targets_for)
        roadmap_hooks.step_badges.register(reviews.step_badges)
        roadmap_hooks.demo_loaders.register(demo.load_demo)
        accounts_hooks.profile_sections.register(views.sharing_section)
        accounts_hooks.personal_data.register(export.personal_data)
        accounts_hooks.deletion_summary.register(export.deletion_summary)
        accounts_hooks.landing_pages.register(receivers.landing_page)
        ceu_hooks.reminder_sources.register(reminders.due)
        ceu_hooks.reminder_emails.register(Reminder.Kind.TARGET, reminders.target_email)
        ceu_hooks.reminder_emails.register(Reminder.Kind.COHORT_DIGEST, reminders.digest_email)
        ceu_hooks.reminder_emails.register(Reminder.Kind.STEP_REVIEW, reviews.review_email)
        ceu_hooks.calendar_events.register(selectors.target_deadlines)
        # Evidence files go with their submission (a deleted account, a deleted cohort).
        delete_file_with(Submission, "file")

        # An invitation opened before signing up is accepted once the account exists.
        user_signed_up.connect(receivers.accept_invitation_from_session, dispatch_uid="schools-invitation-signup")
        email_confirmed.connect(receivers.accept_after_email_confirmed, dispatch_uid="schools-invitation-confirmed")

        # Cohort dashboards are cached under a version that every change to the cohort moves on.
        connect()
