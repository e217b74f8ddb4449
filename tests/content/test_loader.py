from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from content.loader import DATA_DIR, LadderDataError, load_ladder
from content.models import Credential, SalaryFigure, Source
from roadmap.models import Roadmap, Step


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the real data files that a test may change."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Source, Credential, SalaryFigure, Roadmap, Step)}


def test_second_load_changes_nothing(ladder):
    before = row_counts()

    report = load_ladder()

    assert not report.changed
    assert sum(report.unchanged.values()) > 100
    assert row_counts() == before


def test_changed_value_updates_the_row_in_place(ladder, data_dir):
    replace_in(data_dir / "salary_figures.yaml", "value: 48780", "value: 49000")

    report = load_ladder(data_dir)

    assert report.updated["salary figures"] == 1
    assert SalaryFigure.objects.get(key="bls-2023-national-median-annual").value == Decimal("49000")
    assert sum(report.created.values()) == 0


def test_a_field_removed_from_an_entry_returns_to_its_default(ladder, data_dir):
    replace_in(data_dir / "credentials.yaml", "  specific_ceus: 16\n", "")

    load_ladder(data_dir)

    assert Credential.objects.get(code="CPMA").specific_ceus is None


def test_changed_step_prerequisites_are_relinked(ladder, data_dir):
    replace_in(data_dir / "roadmaps.yaml", "requires: [cpma]", "requires: [specialty]")

    report = load_ladder(data_dir)

    auditor = Step.objects.get(roadmap__key="outpatient-aapc", key="auditor")
    assert [step.key for step in auditor.prerequisites.all()] == ["specialty"]
    assert report.updated["steps"] == 1


@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        (
            "salary_figures.yaml",
            "source: bls-oews-2023\n  kind: median\n  value: 48780",
            "source: no-such-source\n  kind: median\n  value: 48780",
            "salary_figures.yaml, entry 1 (bls-2023-national-median-annual): source 'no-such-source' does not exist",
        ),
        (
            "salary_figures.yaml",
            "value: 48780",
            "value: forty-eight",
            "salary_figures.yaml, entry 1 (bls-2023-national-median-annual): value:",
        ),
        (
            "salary_figures.yaml",
            "kind: median\n  value: 48780",
            "kind: modal\n  value: 48780",
            "salary_figures.yaml, entry 1 (bls-2023-national-median-annual): kind: Value 'modal' is not a valid choice",
        ),
        (
            "credentials.yaml",
            "  suits: Coders in physician offices",
            "  colour: blue\n  suits: Coders in physician offices",
            "credentials.yaml, entry 2 (CPC): unknown field(s) colour",
        ),
        (
            "credentials.yaml",
            "  prerequisites: [CPC-A]",
            "  prerequisites: [CPC-Z]",
            "credentials.yaml, entry 2 (CPC): prerequisites 'CPC-Z' not in credentials.yaml",
        ),
        (
            "credentials.yaml",
            "- code: CPC\n",
            "- code: CPC-A\n",
            "credentials.yaml, entry 2: code 'CPC-A' appears twice",
        ),
        (
            "roles.yaml",
            "name: Coder I, band: entry",
            "name: '', band: entry",
            "roles.yaml, entry 2 (coder-1): name: This field cannot be blank",
        ),
        (
            "roadmaps.yaml",
            "      requires: [certificate]\n    - key: coder-1",
            "      requires: [coding-manager]\n    - key: coder-1",
            "roadmaps.yaml, entry 1 (outpatient-aapc): prerequisites form a cycle",
        ),
        (
            "roadmaps.yaml",
            "requires: [rhia]",
            "requires: [cpma]",
            "step coding-manager: requires 'cpma', not a step of this roadmap",
        ),
        ("regions.yaml", "- {key: us,", "- {key: us, :::", "regions.yaml: not valid YAML"),
    ],
)
def test_malformed_file_is_rejected_with_file_and_entry_named(ladder, data_dir, filename, old, new, message):
    replace_in(data_dir / filename, old, new)

    with pytest.raises(LadderDataError) as error:
        load_ladder(data_dir)

    assert message in str(error.value)


def test_rejected_load_leaves_the_database_as_it_was(ladder, data_dir):
    # An early file changes validly, a late file is broken: nothing of either may be written.
    replace_in(data_dir / "sources.yaml", "publisher: Payscale", "publisher: Payscale Inc.")
    replace_in(data_dir / "roadmaps.yaml", "kind: role\n      role: coding-manager", "kind: role\n      role: nobody")
    before = row_counts()

    with pytest.raises(LadderDataError, match="role 'nobody' does not exist"):
        load_ladder(data_dir)

    assert Source.objects.get(key="payscale-2023").publisher == "Payscale"
    assert row_counts() == before


def test_a_file_that_is_not_a_list_is_rejected(ladder, data_dir):
    (data_dir / "bodies.yaml").write_text("code: AAPC\n")

    with pytest.raises(LadderDataError, match="bodies.yaml: the file must be a list of entries"):
        load_ladder(data_dir)


def test_command_reports_what_it_did(ladder, capsys):
    call_command("load_ladder")

    out = capsys.readouterr().out
    assert "salary figures: 0 created, 0 updated, 48 unchanged" in out
    assert "already up to date" in out


def test_command_fails_with_a_clear_message_on_bad_data(ladder, data_dir):
    (data_dir / "work_settings.yaml").unlink()

    with pytest.raises(CommandError, match="Nothing was loaded: work_settings.yaml: file is missing"):
        call_command("load_ladder", data_dir=data_dir)
