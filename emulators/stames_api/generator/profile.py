"""Volumes and edge-case rates: the seed profile of the API contract (§3), in one place.

Tests read these same constants to know what rate to expect, then measure the written files.
"""

from __future__ import annotations

from dataclasses import dataclass

# Customers
CUSTOMER_NO_EMAIL = 0.25
CUSTOMER_DUPLICATE = 0.02
CUSTOMER_MERGED = 0.01
CUSTOMER_NAME_DAMAGED = 0.02
CUSTOMER_HAS_COMPANY = 0.45

# Agents
AGENT_DEACTIVATED = 0.10
AGENT_ANONYMISED = 0.03
AGENT_LIGHT = 0.15
HARD_DELETED_AGENTS = 2

# Tickets
TICKET_CUSTOM_STATUS = 0.15
TICKET_UNKNOWN_DROPDOWN = 0.03
TICKET_SOFT_DELETED = 0.02
TICKET_MERGED = 0.02
TICKET_SPAM = 0.01
TICKET_BOUNCE = 0.01
TICKET_HARD_DELETED_ASSIGNEE = 0.01
TICKET_UNASSIGNED = 0.08
TICKET_STALE_REQUESTER = 0.05
TICKET_DANGLING_WARRANTY = 0.01

# Threads and messages
THREAD_IDENTICAL_TIMESTAMPS = 0.05
THREAD_BACKDATED = 0.02
EMAIL_DATA_URI = 0.03
EMAIL_DATA_URI_HUGE = 0.25  # share of data-URI messages pushed over 500 KB
MESSAGE_HUGE = 0.005
MESSAGE_DAMAGED = 0.02
MESSAGE_REDACTED = 0.002
MESSAGE_ERASED = 0.001
MESSAGE_ATTACHMENT = 0.12

# Status history
HISTORY_FLAPPING = 0.05
HISTORY_MISSED_EVENT = 0.02
HISTORY_DISAGREES = 0.01
HISTORY_ESCALATED_TIER2 = 0.03

# Attachments
ATTACHMENT_ZERO_BYTE = 0.01
ATTACHMENT_BIG = 0.003
ATTACHMENT_PURGED = 0.01
ATTACHMENT_QUARANTINED = 0.002
ATTACHMENT_HOSTILE_NAME = 0.01
ATTACHMENT_REUSED = 0.02
BIG_FILE_POOL = 12
SMALL_FILE_MAX_BYTES = 16 * 1024

# Custom objects
RECORD_DANGLING_TICKET = 0.05


@dataclass(frozen=True)
class Volumes:
    """How many of each top-level collection a dataset of `tickets` tickets holds (§2.8)."""

    tickets: int
    customers: int
    agents: int

    @classmethod
    def for_tickets(cls, tickets: int) -> Volumes:
        """3,000 tickets -> 1,500 customers and 40 agents, scaled linearly with floors."""
        return cls(tickets=tickets, customers=max(10, tickets // 2), agents=max(8, round(tickets / 75)))


FIRST_TICKET_ID = 10001
FIRST_CUSTOMER_ID = 5001
FIRST_MESSAGE_ID = 900001
FIRST_STATUS_CHANGE_ID = 450001
FIRST_ATTACHMENT_ID = 77001
NEVER_EXISTING_TICKET_ID = 99999999
