"""Run the reminder sweep synchronously (the embedded default has no worker): create the due
reminders and send them now. With --date, sweep as if it were that day (noon UTC)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ceu import services


class Command(BaseCommand):
    help = "Create the renewal reminders that are due and send them now."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Sweep as of this day, YYYY-MM-DD (default: now).")

    def handle(self, *args, date: str | None = None, **options):
        now = dt.datetime.now(dt.UTC)
        if date:
            try:
                now = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(12), tzinfo=dt.UTC)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a date like 2026-11-25.") from None
        pending = services.sweep(now)
        outcomes: dict[str, int] = {}
        for reminder_id in pending:
            try:
                outcome = services.send_reminder(reminder_id, now)
            except OSError as error:
                outcome = "left pending (mail server unreachable)"
                self.stderr.write(f"reminder {reminder_id}: {error}")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items()) or "nothing due"
        self.stdout.write(f"Reminders as of {now.date()}: {summary}.")
