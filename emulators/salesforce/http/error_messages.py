"""Error messages of the HTTP layer (OAuth, REST, the oldest served version) that the contract
marks [recall] (remembered from practice, not checked against the documentation). They live here so
a check against a real org can correct them in one place.
"""

from __future__ import annotations

# OAuth token endpoint: `{"error", "error_description"}` pairs.
BAD_CLIENT_ID = ("invalid_client_id", "client identifier invalid")
BAD_CLIENT_SECRET = ("invalid_client", "invalid client credentials")
BAD_PASSWORD = ("invalid_grant", "authentication failure")
NO_CLIENT_CREDENTIALS_USER = ("invalid_grant", "no client credentials user enabled")
JWT_USER_UNKNOWN = ("invalid_grant", "user hasn't approved this consumer")
UNSUPPORTED_GRANT = ("unsupported_grant_type", "grant type not supported")

# JWT-bearer `error_description`s (the error is always `invalid_grant`).
JWT_INVALID = "invalid assertion"
JWT_WRONG_ISSUER = "invalid client credentials"
JWT_WRONG_AUDIENCE = "audience is invalid"
JWT_EXPIRED = "expired authorization code"

# REST errors.
SESSION_INVALID = "Session expired or invalid"
LIMIT_EXCEEDED = "TotalRequests Limit exceeded."
ROLLED_BACK = (
    "Record rolled back because not all records were valid and the request was using AllOrNone header"
)
TOO_MANY_RECORDS = (
    "EXCEEDED_ID_LIMIT",
    "record limit reached. cannot submit more than 200 records into this call",
)
MISSING_TYPE = ("INVALID_TYPE", "Must specify a type in attributes")
MISSING_ID = ("MISSING_ARGUMENT", "Id not specified in an update call")
BAD_QUERY_LOCATOR = ("INVALID_QUERY_LOCATOR", "invalid query locator")
SERVER_UNAVAILABLE = ("SERVER_UNAVAILABLE", "Service temporarily unavailable")

OLDEST_VERSION = 31
"""Versions 21.0-30.0 were retired in Summer '25; older ones answer 410 as well."""
