"""Tickets, their messages and status history (API.md §2.7 #6–12)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from emulators.stames_api.errors import gone, not_found
from emulators.stames_api.listing import RowFilter, incremental_list, ordered_list
from emulators.stames_api.paging import PageRequest, parse_bool, parse_int
from emulators.stames_api.render import Renderer
from emulators.stames_api.server import Server
from emulators.stames_api.store import MessageAttrs, Store, TicketAttrs


def renderer(request: Request, server: Server) -> Renderer:
    return Renderer(server.store, server.signer, str(request.base_url), server.clock.now_ms())


def path_int(request: Request, name: str, what: str) -> int:
    """An integer path id; anything else cannot name a record, so 404."""
    try:
        return int(request.path_params[name])
    except ValueError as exc:
        raise not_found(what) from exc


def visible_ticket_row(request: Request, store: Store) -> int:
    """Row of the ticket in the path: 404 unknown, 410 soft-deleted unless include_deleted=true."""
    ticket_id = path_int(request, "ticket_id", "ticket")
    row = store.tickets.find(ticket_id)
    if row is None:
        raise not_found(f"ticket {ticket_id}")
    attrs: TicketAttrs = store.tickets.attrs[row]
    include_deleted = request.query_params.get("include_deleted", "").lower() in {"true", "1"}
    if attrs.deleted and not include_deleted:
        raise gone(f"ticket {ticket_id}")
    return row


def _ticket_filter(page: PageRequest, store: Store) -> RowFilter:
    statuses = set(page.all("status"))
    category = page.first("status_category")
    channel = page.first("channel")
    customer_id = parse_int(page, "customer_id")
    assignee_id = parse_int(page, "assignee_id")
    include_deleted = parse_bool(page, "include_deleted", False)
    include_spam = parse_bool(page, "include_spam", False)
    attrs_of = store.tickets.attrs

    def accept(row: int) -> bool:
        attrs: TicketAttrs = attrs_of[row]
        return (
            (include_deleted or not attrs.deleted)
            and (include_spam or not attrs.spam)
            and (not statuses or attrs.status in statuses)
            and (category is None or attrs.status_category == category)
            and (channel is None or attrs.channel_type == channel)
            and (customer_id is None or attrs.customer_id == customer_id)
            and (assignee_id is None or attrs.assignee_id == assignee_id)
        )

    return accept


async def list_tickets(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    return incremental_list(
        request, server, store.tickets, "tickets", lambda page: _ticket_filter(page, store), lambda r: r
    )


async def get_ticket(request: Request, server: Server) -> dict[str, Any]:
    return server.store.tickets.record(visible_ticket_row(request, server.store))


def _message_flags(page: PageRequest) -> tuple[bool, bool]:
    return parse_bool(page, "include_private", True), parse_bool(page, "include_system", True)


def _feed_message_filter(page: PageRequest, store: Store) -> RowFilter:
    include_private, include_system = _message_flags(page)
    include_deleted = parse_bool(page, "include_deleted", False)
    ticket_id = parse_int(page, "ticket_id")
    attrs_of = store.messages.attrs

    def ticket_deleted(candidate: Any) -> bool:
        row = store.tickets.find(candidate)
        return row is not None and store.tickets.attrs[row].deleted

    def accept(row: int) -> bool:
        attrs: MessageAttrs = attrs_of[row]
        return (
            (include_private or not attrs.private)
            and (include_system or not attrs.system)
            and (ticket_id is None or attrs.ticket_id == ticket_id)
            and (include_deleted or not ticket_deleted(attrs.ticket_id))
        )

    return accept


async def list_messages(request: Request, server: Server) -> dict[str, Any]:
    store, render = server.store, renderer(request, server)
    return incremental_list(
        request,
        server,
        store.messages,
        "messages",
        lambda page: _feed_message_filter(page, store),
        lambda record: render.message(record, list_view=True),
        narrow=lambda page: _one_ticket(page, store.messages_by_ticket),
    )


async def ticket_messages(request: Request, server: Server) -> dict[str, Any]:
    store, render = server.store, renderer(request, server)
    ticket_row = visible_ticket_row(request, store)
    ticket_id = store.tickets.record(ticket_row).get("id")
    attrs_of = store.messages.attrs
    rows = store.messages_by_ticket.get(ticket_id, [])
    entries = sorted((attrs_of[row].thread_key, row) for row in rows)

    def make_filter(page: PageRequest) -> RowFilter:
        include_private, include_system = _message_flags(page)
        return lambda row: (
            (include_private or not attrs_of[row].private) and (include_system or not attrs_of[row].system)
        )

    return ordered_list(
        request,
        server,
        f"tickets/{ticket_id}/messages",
        entries,
        make_filter,
        lambda row: render.message(store.messages.record(row), list_view=True),
        "created_at,id",
    )


async def get_message(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    ticket_row = visible_ticket_row(request, store)
    message_id = path_int(request, "message_id", "message")
    row = store.messages.find(message_id)
    if row is None or store.messages.attrs[row].ticket_id != store.tickets.record(ticket_row).get("id"):
        raise not_found(f"message {message_id}")
    return renderer(request, server).message(store.messages.record(row), list_view=False)


def _one_ticket(page: PageRequest, rows_by_ticket: dict[Any, list[int]]) -> list[int] | None:
    """With `ticket_id`, only that ticket's rows can match: scan them instead of the whole feed."""
    ticket_id = parse_int(page, "ticket_id")
    return None if ticket_id is None else rows_by_ticket.get(ticket_id, [])


def _change_filter(page: PageRequest, store: Store) -> RowFilter:
    ticket_id = parse_int(page, "ticket_id")
    attrs_of = store.status_changes.attrs
    return lambda row: ticket_id is None or attrs_of[row][0] == ticket_id


async def list_status_changes(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    return incremental_list(
        request,
        server,
        store.status_changes,
        "status_changes",
        lambda page: _change_filter(page, store),
        lambda record: record,
        narrow=lambda page: _one_ticket(page, store.changes_by_ticket),
    )


async def ticket_status_changes(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    ticket_row = visible_ticket_row(request, store)
    ticket_id = store.tickets.record(ticket_row).get("id")
    attrs_of = store.status_changes.attrs
    entries = sorted((attrs_of[row][1], row) for row in store.changes_by_ticket.get(ticket_id, []))
    return ordered_list(
        request,
        server,
        f"tickets/{ticket_id}/status_changes",
        entries,
        lambda _page: lambda _row: True,
        lambda row: store.status_changes.record(row),
        "changed_at,id",
    )
