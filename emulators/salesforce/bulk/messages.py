"""Bulk 2.0 error codes and messages, in one place so each can be checked and corrected.

Marks follow the contract notes: [doc] is from the Bulk API 2.0 guide, [page] from a recorded real
answer quoted on a public page, [recall] is remembered practice that still needs checking against
a real org. Only this module should need editing when a [recall] fact turns out wrong.
"""

from __future__ import annotations

NOT_FOUND = ("NOT_FOUND", "The requested resource does not exist")  # [doc]

# Job creation (400 unless noted).
INVALID_JOB = "INVALIDJOB"  # [page] upper-case code with "InvalidJob : " message prefix
INVALID_EXTERNAL_ID = (
    "InvalidJob : Field name provided, {field} does not match an External ID, Salesforce Id, "
    "or indexed field for {sobject}"
)  # [page]
UNKNOWN_OBJECT = "InvalidJob : Unable to find object: {sobject}"  # [recall]
MISSING_FIELD = "InvalidJob : Field {name} is required"  # [recall]
BAD_OPERATION = "InvalidJob : Invalid operation: {operation}"  # [recall]
BAD_OPTION = "InvalidJob : Invalid value for {name}: {value}"  # [recall]
HARD_DELETE_CODE = "FEATURENOTENABLED"  # [src: plugin-data bulkIngest.ts treats it as missing permission]
HARD_DELETE_MESSAGE = "Bulk API Hard Delete permission is required for hardDelete operation"  # [recall]
CONCURRENT_LIMIT = (
    "REQUEST_LIMIT_EXCEEDED",
    "ConcurrentRequests (Concurrent Bulk API 2.0 Jobs) Limit exceeded.",
)  # [recall] 403, shaped like the documented concurrent-request limit error

# Upload and state changes.
INVALID_JOB_STATE = "INVALIDJOBSTATE"  # [doc]
UPLOAD_NOT_OPEN = "Job is not in Open state; data can only be uploaded to an Open job"  # [recall]
SECOND_UPLOAD = "Found multiple uploads for this job. Only one upload per job is allowed"  # [recall]
UPLOAD_TOO_LARGE = (
    "CLIENTINPUTERROR",
    "ClientInputError : Upload exceeds the 150 MB limit for a single job",
)  # [recall] the cap itself is [doc]
ABORT_COMPLETED = "Aborting already Completed Job not allowed"  # [doc]
BAD_STATE_CHANGE = "Invalid state change from {current} to {wanted}"  # [recall]
DELETE_NOT_TERMINATED = (
    "API_ERROR",
    "Error encountered when deleting the job because the job is not terminated",
)  # [doc]
NO_RESULTS_YET = "Results are not available until the job is in a terminal state"  # [recall]

# Job-level failures (errorMessage of a Failed job).
# [recall]
LINE_ENDING = "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is {ending}"
UNKNOWN_COLUMN = "InvalidBatch : Field name not found : {name}"  # [page: a Bulk 2.0 user's job error]
DUPLICATE_COLUMN = "InvalidBatch : Duplicate field name : {name}"  # [recall]
# [doc: that omitting the prefix is an error] [recall: its wording]
POLYMORPHIC_PREFIX_MISSING = (
    "InvalidBatch : Polymorphic relationship {name} requires an object type prefix, like User:{name}"
)
PREFIX_ON_PLAIN = (
    "InvalidBatch : Relationship {name} is not polymorphic; remove the object type prefix"  # [recall]
)
NOT_INDEXED = (
    "InvalidBatch : Field name provided, {field} does not match an External ID, Salesforce Id, "
    "or indexed field for {sobject}"
)  # [recall] same wording as the job-creation check
DELETE_NEEDS_ID = "InvalidBatch : Field name not found : Id"  # [recall]
EMPTY_UPLOAD = "InvalidBatch : No data in the uploaded file"  # [recall]
FAILED_FAULT = "InternalServerError : Job failed after retrying its batches"  # [recall] emulated fault

# Row-level errors (sf__Error of failedResults).
LOCK_ROW = ("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")  # [doc: code]
PARENT_NOT_FOUND = (
    "INVALID_FIELD",
    "Foreign key external ID: {value} not found for field {field} in entity {sobject}",
)  # [page: message as reported by integration vendors]
PARENT_SEVERAL = (
    "DUPLICATE_EXTERNAL_ID",
    "Foreign key external ID: {value} matched more than one record for field {field} in entity {sobject}",
)  # [recall]
BAD_CSV_ROW = ("INVALID_FIELD", "CSV row is malformed: {reason}")  # [recall]
ID_MISSING = ("MISSING_ARGUMENT", "Id not specified in an {operation} call")  # [recall]
COLUMN_COUNT = ("INVALID_FIELD", "Row has {found} values but the header has {expected} columns")  # [recall]

# Query jobs: SOQL the org refuses, or Bulk 2.0 cannot run, is refused at creation with 400
# INVALIDJOB and the SOQL error's own message [recall: synchronous refusal and code].
BAD_HEADER = "InvalidBatch : Failed to parse the header row: {reason}"  # [recall]
NOT_UTF8 = "ClientInputError : The uploaded data is not valid UTF-8"  # [recall]
INTERRUPTED = "InternalServerError : The job was interrupted by a server restart"  # emulator-only
INTERNAL_ERROR = "InternalServerError"  # emulator-only: an unexpected error while processing
MULTIPART_TOO_LARGE = "ClientInputError : Multipart job data is limited to 100,000 characters"  # [doc: limit]
BAD_JSON = ("INVALIDJOB", "InvalidJob : The request body is not a valid job definition")  # [recall]
BAD_LOCATOR = ("INVALIDLOCATOR", "The locator is not valid for this job")  # [recall]
BAD_MAX_RECORDS = ("INVALIDJOB", "maxRecords must be a positive integer")  # [recall]
VERSION_MISMATCH = ("API_ERROR", "The API version does not match the version that created the job")
# [doc: status 409] [recall: code and text]
