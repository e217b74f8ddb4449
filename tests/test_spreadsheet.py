"""CSV downloads open as data, never as formulas (lib.spreadsheet)."""

from __future__ import annotations

import csv
import io

import pytest

from lib.spreadsheet import csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\x00x", "'\x00x"),
        ("-", "'-"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Kim Lee", "Kim Lee"),
        ("kim@example.com", "kim@example.com"),
        ("1+1", "1+1"),  # an operator inside the text is harmless
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-5, "'-5"),  # a negative number reads as a formula too: kept as text
    ],
)
def test_a_harmless_cell_is_left_as_it_is(value, expected):
    assert safe_cell(value) == expected


def test_the_download_escapes_every_cell_but_not_the_header():
    response = csv_response("x.csv", ["email", "name"], [["=cmd()", "+Kim"], ["ok@example.com", "Lou"]])

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["email", "name"], ["'=cmd()", "'+Kim"], ["ok@example.com", "Lou"]]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
