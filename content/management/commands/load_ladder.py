from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.loader import DATA_DIR, LadderDataError, load_ladder


class Command(BaseCommand):
    help = "Load the career ladder (content/data/*.yaml) into the database; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="Folder of the data files.")

    def handle(self, *args, data_dir: Path, **options):
        try:
            report = load_ladder(data_dir)
        except LadderDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        for line in report.lines():
            self.stdout.write(line)
        summary = "The ladder is loaded." if report.changed else "The ladder was already up to date."
        self.stdout.write(self.style.SUCCESS(summary))
