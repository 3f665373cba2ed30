"""Bulk API 2.0 for the Salesforce org emulator: ingest and query jobs over the shared OrgStore."""

from emulators.salesforce.bulk.routes import routes
from emulators.salesforce.bulk.service import BulkError, BulkService

__all__ = ["BulkError", "BulkService", "routes"]
