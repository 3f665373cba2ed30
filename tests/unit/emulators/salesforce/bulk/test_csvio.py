"""The Bulk 2.0 CSV reader and writer on their own."""

from __future__ import annotations

import csv
import io

import pytest

from emulators.salesforce.bulk.csvio import (
    DELIMITERS,
    CsvDialect,
    CsvRowError,
    all_quoted_line,
    iter_records,
    line_ending_matches,
    parse_record,
    result_line,
)


def _records(text: str, dialect: CsvDialect) -> list[str]:
    return list(iter_records(io.StringIO(text, newline=""), dialect))


@pytest.mark.parametrize("name", sorted(DELIMITERS))
def test_every_delimiter_splits_plain_and_quoted_values(name: str) -> None:
    char = DELIMITERS[name]
    record = char.join(["a", f'"b{char}c"', '"say ""hi"""', ""])
    assert parse_record(record, char) == ["a", f"b{char}c", 'say "hi"', ""]


def test_values_are_not_trimmed() -> None:
    assert parse_record("  a , b ", ",") == ["  a ", " b "]


@pytest.mark.parametrize("record", ['a, "b"', '"a" ,b', '"a"x,b', 'a"b,c', '"open,b'])
def test_space_or_text_next_to_a_quote_is_a_row_error(record: str) -> None:
    with pytest.raises(CsvRowError):
        parse_record(record, ",")


def test_quoted_newlines_join_physical_lines_into_one_record() -> None:
    text = 'Name,Description\nAcme,"line one\nline two"\nBeta,plain\n'
    records = _records(text, CsvDialect())
    assert records == ["Name,Description", 'Acme,"line one\nline two"', "Beta,plain"]
    assert parse_record(records[1], ",") == ["Acme", "line one\nline two"]


def test_crlf_records_lose_their_terminator_but_keep_quoted_crlf() -> None:
    text = 'A,B\r\n"x\r\ny",z\r\n'
    records = _records(text, CsvDialect(line_ending="CRLF"))
    assert [parse_record(record, ",") for record in records] == [["A", "B"], ["x\r\ny", "z"]]


def test_blank_lines_are_skipped() -> None:
    assert _records("A\n\n1\n\n", CsvDialect()) == ["A", "1"]


def test_line_ending_check_compares_the_header_line_with_the_job() -> None:
    assert line_ending_matches("A,B\n", CsvDialect(line_ending="LF"))
    assert not line_ending_matches("A,B\r\n", CsvDialect(line_ending="LF"))
    assert not line_ending_matches("A,B\n", CsvDialect(line_ending="CRLF"))
    assert line_ending_matches("A,B", CsvDialect(line_ending="CRLF"))


def test_result_header_quotes_sf_columns_and_echoes_caller_headers() -> None:
    line = result_line(["sf__Id", "sf__Created"], ["name", "Account.Ext__c"], CsvDialect())
    assert line == '"sf__Id","sf__Created",name,Account.Ext__c\n'


def test_result_rows_quote_everything_and_round_trip_through_csv() -> None:
    values = ["001", 'a "quoted", value', "multi\nline", ""]
    line = all_quoted_line(values, CsvDialect(column_delimiter="PIPE", line_ending="CRLF"))
    assert line.endswith("\r\n")
    assert line.startswith('"001"|')
    parsed = next(csv.reader(io.StringIO(line, newline=""), delimiter="|"))
    assert parsed == values
