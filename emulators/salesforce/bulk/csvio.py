"""Bulk 2.0 CSV: the job's dialect, a strict record reader and the all-quoted result writer.

Salesforce does not trim values and rejects a row with a space next to a quote, so the reader is a
small tokenizer of its own rather than the lenient `csv` module: a bad row becomes a row error
while the rest of the file still loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

DELIMITERS: dict[str, str] = {
    "BACKQUOTE": "`",
    "CARET": "^",
    "COMMA": ",",
    "PIPE": "|",
    "SEMICOLON": ";",
    "TAB": "\t",
}
LINE_ENDINGS: dict[str, str] = {"LF": "\n", "CRLF": "\r\n"}
NULL_MARKER = "#N/A"


class CsvRowError(ValueError):
    """One CSV record that cannot be tokenized; it fails alone, the job goes on."""


@dataclass(frozen=True)
class CsvDialect:
    """Column delimiter and line ending of one job, by their Bulk 2.0 names."""

    column_delimiter: str = "COMMA"
    line_ending: str = "LF"

    @property
    def delimiter(self) -> str:
        return DELIMITERS[self.column_delimiter]

    @property
    def terminator(self) -> str:
        return LINE_ENDINGS[self.line_ending]


def _field_pattern(delimiter: str) -> re.Pattern[str]:
    escaped = re.escape(delimiter)
    return re.compile(rf'(?:"((?:[^"]|"")*)"|([^"{escaped}\r\n]*))({escaped}|\Z)', re.DOTALL)


_PATTERNS: dict[str, re.Pattern[str]] = {char: _field_pattern(char) for char in DELIMITERS.values()}


def parse_record(record: str, delimiter: str) -> list[str]:
    """Split one logical record (no line terminator) into its values."""
    if '"' not in record and "\r" not in record:
        return record.split(delimiter)
    pattern = _PATTERNS[delimiter]
    values: list[str] = []
    position = 0
    while True:
        match = pattern.match(record, position)
        if match is None:
            raise CsvRowError(f"unexpected character at position {position}")
        quoted, plain, separator = match.groups()
        values.append(quoted.replace('""', '"') if quoted is not None else plain)
        position = match.end()
        if not separator:
            if position != len(record):
                raise CsvRowError(f"unexpected character at position {position}")
            return values


def iter_records(lines: Iterable[str], dialect: CsvDialect) -> Iterator[str]:
    """Logical records from physical lines (read with `newline=""`), joining quoted newlines.

    The job's line ending is removed; blank lines are skipped. A record whose quotes never close
    is yielded as it is, so the tokenizer reports it as a row error.
    """
    terminator = dialect.terminator
    pending: list[str] = []
    quotes = 0
    for line in lines:
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2:
            continue
        record = "".join(pending)
        pending.clear()
        quotes = 0
        if record.endswith(terminator):
            record = record[: -len(terminator)]
        elif record.endswith("\n"):
            record = record[:-1]
        if record:
            yield record
    if pending:
        yield "".join(pending)


def line_ending_matches(first_line: str, dialect: CsvDialect) -> bool:
    """Whether the header line ends the way the job said lines end (a one-line file always does)."""
    if not first_line.endswith("\n"):
        return True
    return first_line.endswith("\r\n") == (dialect.line_ending == "CRLF")


def quote(value: str) -> str:
    """Salesforce quotes every result value, doubling embedded quotes."""
    return '"' + value.replace('"', '""') + '"'


def result_line(quoted_values: Iterable[str], plain_values: Iterable[str], dialect: CsvDialect) -> str:
    """One result line: `quoted_values` always quoted, `plain_values` quoted only when needed.

    Result headers quote the `sf__` columns but echo the caller's own header names unquoted.
    """
    delimiter = dialect.delimiter
    cells = [quote(value) for value in quoted_values]
    cells.extend(_quote_if_needed(value, delimiter) for value in plain_values)
    return delimiter.join(cells) + dialect.terminator


def all_quoted_line(values: Iterable[str], dialect: CsvDialect) -> str:
    """A line with every value quoted (result rows, query results)."""
    return dialect.delimiter.join(quote(value) for value in values) + dialect.terminator


def _quote_if_needed(value: str, delimiter: str) -> str:
    if any(char in value for char in (delimiter, '"', "\n", "\r")):
        return quote(value)
    return value
