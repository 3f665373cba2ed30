"""SOQL for the org emulator: parse a query, check it against the org's describe data the way
Salesforce does, and evaluate it over a `RecordStore` (REST query/queryAll and Bulk 2.0 query)."""

from emulators.salesforce.soql.bulk import bulk_supported, bulk_unsupported_reason
from emulators.salesforce.soql.errors import SoqlError
from emulators.salesforce.soql.evaluator import execute
from emulators.salesforce.soql.result import QueryResult, csv_rows

__all__ = ["QueryResult", "SoqlError", "bulk_supported", "bulk_unsupported_reason", "csv_rows", "execute"]
