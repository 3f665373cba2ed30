"""Account, agents and customers (API.md §2.7 #1–5)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request

from emulators.stames_api.errors import invalid_parameter, not_found
from emulators.stames_api.listing import RowFilter, incremental_list
from emulators.stames_api.paging import PageRequest, parse_bool
from emulators.stames_api.routes_tickets import path_int
from emulators.stames_api.server import Server
from emulators.stames_api.store import Store
from emulators.stames_api.table import Table

AGENT_STATUSES = {"all": None, "active": True, "deactivated": False}


async def get_account(_request: Request, server: Server) -> dict[str, Any]:
    return server.store.account


def _agent_filter(page: PageRequest, store: Store) -> RowFilter:
    status = page.first("status") or "all"
    if status not in AGENT_STATUSES:
        raise invalid_parameter("status", "invalid_value", "status must be all, active or deactivated")
    wanted_active = AGENT_STATUSES[status]
    email = page.first("email")
    wanted_email = email.lower() if email is not None else None
    attrs_of = store.agents.attrs

    def accept(row: int) -> bool:
        active, agent_email = attrs_of[row]
        return (wanted_active is None or active == wanted_active) and (
            wanted_email is None or agent_email == wanted_email
        )

    return accept


async def list_agents(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    return incremental_list(
        request, server, store.agents, "agents", lambda page: _agent_filter(page, store), lambda r: r
    )


def _record_by_path_id(request: Request, table: Table, name: str, what: str) -> dict[str, Any]:
    record_id = path_int(request, name, what)
    row = table.find(record_id)
    if row is None:
        raise not_found(f"{what} {record_id}")
    return table.record(row)


async def get_agent(request: Request, server: Server) -> dict[str, Any]:
    """Hard-deleted agents are simply absent from the dataset, hence 404 (§3 #7)."""
    return _record_by_path_id(request, server.store.agents, "agent_id", "agent")


def _customer_filter(page: PageRequest, store: Store) -> RowFilter:
    email = page.first("email")
    wanted_email = email.lower() if email is not None else None
    phone = page.first("phone")
    wanted_phone = re.sub(r"\D", "", phone) if phone is not None else None
    include_merged = parse_bool(page, "include_merged", False)
    attrs_of = store.customers.attrs

    def accept(row: int) -> bool:
        customer_email, phones, merged = attrs_of[row]
        return (
            (include_merged or not merged)
            and (wanted_email is None or customer_email == wanted_email)
            and (wanted_phone is None or wanted_phone in phones)
        )

    return accept


async def list_customers(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    return incremental_list(
        request, server, store.customers, "customers", lambda page: _customer_filter(page, store), lambda r: r
    )


async def get_customer(request: Request, server: Server) -> dict[str, Any]:
    return _record_by_path_id(request, server.store.customers, "customer_id", "customer")
