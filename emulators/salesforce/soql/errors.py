"""SOQL errors and their messages, worded as Salesforce words them.

Messages marked [recall] were written from memory of real org responses, not checked against the
documentation; they are kept together here so they are easy to correct.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SoqlError(Exception):
    """A query the org refuses. `code` is the REST `errorCode` (MALFORMED_QUERY, INVALID_FIELD, ...)."""

    code: str
    message: str

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message}")

    def rest_body(self) -> list[dict[str, str]]:
        """The REST error body: a JSON array with one `{"message", "errorCode"}` element."""
        return [{"message": self.message, "errorCode": self.code}]


def located(soql: str, offset: int, text: str) -> str:
    """Prefix `text` with the query line, a caret and `ERROR at Row:r:Column:c`, as the org does.

    [recall] Real responses quote the query near the error, point at it with `^` and give a
    1-based row and column, then the reason on the last line.
    """
    before = soql[:offset]
    row = before.count("\n") + 1
    line_start = before.rfind("\n") + 1
    line_end = soql.find("\n", offset)
    line = soql[line_start : len(soql) if line_end < 0 else line_end]
    column = offset - line_start + 1
    return f"\n{line}\n{' ' * (column - 1)}^\nERROR at Row:{row}:Column:{column}\n{text}"


def unexpected_token(soql: str, offset: int, token_text: str | None) -> SoqlError:
    """MALFORMED_QUERY for a token the grammar does not allow here; None means end of input."""
    shown = "<EOF>" if token_text is None else token_text
    return SoqlError("MALFORMED_QUERY", located(soql, offset, f"unexpected token: '{shown}'"))


def malformed(soql: str, offset: int, text: str) -> SoqlError:
    """MALFORMED_QUERY with a free-form reason."""
    return SoqlError("MALFORMED_QUERY", located(soql, offset, text))


def no_such_column(soql: str, offset: int, column: str, sobject: str) -> SoqlError:
    """INVALID_FIELD for an unknown field (wording from the issue text and the contract §2.4)."""
    text = (
        f"No such column '{column}' on entity '{sobject}'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
        "describe call for the appropriate names."
    )
    return SoqlError("INVALID_FIELD", located(soql, offset, text))


def unknown_relationship(soql: str, offset: int, relationship: str) -> SoqlError:
    """INVALID_FIELD for a path through a relationship the object does not have. [recall]"""
    text = (
        f"Didn't understand relationship '{relationship}' in field path. If you are attempting to use "
        "a custom relationship, be sure to append the '__r' after the custom relationship name. Please "
        "reference your WSDL or the describe call for the appropriate names."
    )
    return SoqlError("INVALID_FIELD", located(soql, offset, text))


def unsupported_type(soql: str, offset: int, sobject: str) -> SoqlError:
    """INVALID_TYPE for an unknown object in FROM (wording: contract §2.4 plus [recall] tail)."""
    text = (
        f"sObject type '{sobject}' is not supported. If you are attempting to use a custom object, be "
        "sure to append the '__c' after the entity name. Please reference your WSDL or the describe "
        "call for the appropriate names."
    )
    return SoqlError("INVALID_TYPE", located(soql, offset, text))


def wrong_literal_type(soql: str, offset: int, field_name: str, soap_type: str, quoted: bool) -> SoqlError:
    """INVALID_FIELD when a filter value has the wrong type for its field. [recall]"""
    quoting = "should be enclosed in quotes" if soap_type == "string" else "should not be enclosed in quotes"
    text = f"value of filter criterion for field '{field_name}' must be of type {soap_type} and {quoting}"
    del quoted  # the org words both cases the same way
    return SoqlError("INVALID_FIELD", located(soql, offset, text))


def invalid_id(soql: str, offset: int, value: str) -> SoqlError:
    """A malformed Id literal in a filter on an id/reference field. Code as clients handle it for
    bad Ids; wording [recall]."""
    return SoqlError("INVALID_QUERY_FILTER_OPERATOR", located(soql, offset, f"invalid ID field: {value}"))


def not_filterable(soql: str, offset: int, field_name: str) -> SoqlError:
    """INVALID_FIELD for a WHERE on a field whose describe says `filterable: false`. [recall]"""
    return SoqlError(
        "INVALID_FIELD", located(soql, offset, f"field '{field_name}' can not be filtered in a query call")
    )


def not_sortable(soql: str, offset: int, field_name: str) -> SoqlError:
    """INVALID_FIELD for an ORDER BY on a field whose describe says `sortable: false`. [recall]"""
    return SoqlError(
        "INVALID_FIELD", located(soql, offset, f"field '{field_name}' can not be sorted in a query call")
    )


def duplicate_field(field_name: str) -> SoqlError:
    """The same field twice in SELECT: code and wording as in the SOQL guide's FIELDS() example."""
    return SoqlError("INVALID_FIELD", f"duplicate field selected: {field_name}")


def fields_needs_limit(soql: str, offset: int) -> SoqlError:
    """FIELDS(ALL) or FIELDS(CUSTOM) without `LIMIT` of at most 200. [recall] wording."""
    return SoqlError(
        "MALFORMED_QUERY", located(soql, offset, "The SOQL FIELDS function must have a LIMIT of at most 200")
    )


def offset_too_large() -> SoqlError:
    """OFFSET above 2,000: code and wording as in a recorded org response (third-party test suite)."""
    return SoqlError("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000")


CONTENT_DOCUMENT_LINK_FILTER = (
    "Implementation restriction: ContentDocumentLink requires a filter by a single Id on "
    "ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator."
)
"""Quoted from real org error bodies (Data Loader logs and API clients), code MALFORMED_QUERY."""


CONTENT_DOCUMENT_LINK_NON_ID_FILTER = (
    "Implementation restriction: filtering on non-id fields is only permitted when filtering by "
    "ContentDocumentLink.LinkedEntityId using the equals operator."
)
"""Quoted from a real error reported in a public project's notes, code MALFORMED_QUERY [recall]."""


def content_document_link_non_id_filter() -> SoqlError:
    """ContentDocumentLink filtered on a non-Id field without `LinkedEntityId = '...'`."""
    return SoqlError("MALFORMED_QUERY", CONTENT_DOCUMENT_LINK_NON_ID_FILTER)


def content_document_link_unfiltered() -> SoqlError:
    """ContentDocumentLink queried without an Id/ContentDocumentId/LinkedEntityId filter (contract §4.4)."""
    return SoqlError("MALFORMED_QUERY", CONTENT_DOCUMENT_LINK_FILTER)
