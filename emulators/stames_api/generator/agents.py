"""Agents: a small roster, built in memory, with the §3 #6-#8 cases at exact shares."""

from __future__ import annotations

import random
from dataclasses import dataclass

from emulators.stames_api.generator import profile, text
from emulators.stames_api.generator.catalog import Record
from emulators.stames_api.generator.seeding import rng_for
from emulators.stames_api.generator.timeline import ACCOUNT_CREATED_MS, DAY_MS, LATEST_MS, iso

_PERMISSIONS: dict[str, list[str]] = {
    "owner": ["account.manage", "tickets.view_all", "tickets.merge", "customers.edit", "settings.edit"],
    "admin": ["tickets.view_all", "tickets.merge", "customers.edit", "settings.edit"],
    "supervisor": ["tickets.view_all", "tickets.merge", "customers.edit"],
    "agent": ["tickets.view_all", "tickets.merge", "customers.edit"],
    "light_agent": ["tickets.view_assigned", "tickets.comment_private"],
}


@dataclass(frozen=True)
class Roster:
    """The agents file plus what tickets need to reference agents."""

    records: list[Record]
    names: dict[int, str]
    assignable_ids: list[int]
    author_ids: list[int]
    hard_deleted_ids: list[int]


def _exact_share(rng: random.Random, candidates: list[int], rate: float, minimum: int = 1) -> set[int]:
    count = min(len(candidates), max(minimum, round(rate * len(candidates))))
    return set(rng.sample(candidates, count))


def build_roster(seed: int, agent_count: int) -> Roster:
    """`agent_count` listed agents plus two hard-deleted ids that only tickets remember."""
    rng = rng_for(seed, "agents")
    all_ids = list(range(1, agent_count + profile.HARD_DELETED_AGENTS + 1))
    hard_deleted = sorted(rng.sample(all_ids[2:], profile.HARD_DELETED_AGENTS))
    listed = [agent_id for agent_id in all_ids if agent_id not in hard_deleted]
    others = listed[1:]
    light = _exact_share(rng, others, profile.AGENT_LIGHT)
    not_light = [agent_id for agent_id in others if agent_id not in light]
    anonymised = _exact_share(rng, not_light, profile.AGENT_ANONYMISED)
    deactivated = _exact_share(
        rng, [agent_id for agent_id in not_light if agent_id not in anonymised], profile.AGENT_DEACTIVATED
    )
    twin_ids = (others[1], others[-1])  # two agents share one display name (§3 #8)
    records: list[Record] = []
    names: dict[int, str] = {}
    used_emails: set[str] = set()
    for position, agent_id in enumerate(listed):
        role = _role(rng, position, agent_id in light)
        language = text.pick_language(rng) if rng.random() < 0.3 else "es"
        first, last = text.person_name(rng, language)
        name = f"{first} {last}"
        if agent_id == twin_ids[1]:
            name = names[twin_ids[0]]
        email = _unique_email(f"{text.ascii_slug(first)}.{text.ascii_slug(last)}", used_emails)
        if position == 2:
            name, email = "Soporte", "soporte@acme.example"  # a shared login
        records.append(
            _agent_record(rng, agent_id, name, email, role, agent_id in deactivated, agent_id in anonymised)
        )
        names[agent_id] = records[-1]["name"]
    for agent_id in hard_deleted:
        names[agent_id] = f"{text.person_name(rng, 'es')[0]} (baja)"
    assignable = [r["id"] for r in records if r["role"] != "light_agent" and not r["deleted"]]
    return Roster(records, names, assignable, [r["id"] for r in records], hard_deleted)


def _role(rng: random.Random, position: int, is_light: bool) -> str:
    if position == 0:
        return "owner"
    if is_light:
        return "light_agent"
    return rng.choices(("admin", "supervisor", "agent"), weights=(5, 10, 85))[0]


def _unique_email(local: str, used: set[str]) -> str:
    candidate, suffix = f"{local}@acme.example", 2
    while candidate in used:
        candidate, suffix = f"{local}{suffix}@acme.example", suffix + 1
    used.add(candidate)
    return candidate


def _agent_record(
    rng: random.Random, agent_id: int, name: str, email: str, role: str, deactivated: bool, anonymised: bool
) -> Record:
    created_ms = ACCOUNT_CREATED_MS + rng.randrange(0, 4 * 365) * DAY_MS
    last_login_ms = rng.randrange(max(created_ms, LATEST_MS - 30 * DAY_MS), LATEST_MS)
    deactivated_at = None
    if deactivated or anonymised:
        deactivated_ms = rng.randrange(created_ms + DAY_MS, LATEST_MS - 30 * DAY_MS)
        last_login_ms = deactivated_ms - rng.randrange(DAY_MS)
        deactivated_at = iso(deactivated_ms)
    updated_ms = last_login_ms
    if anonymised:
        updated_ms = deactivated_ms + rng.randrange(DAY_MS, 20 * DAY_MS)
    return {
        "id": agent_id,
        "email": None if anonymised else email,
        "name": f"Deleted user {agent_id}" if anonymised else name,
        "role": role,
        "permissions": [] if anonymised else list(_PERMISSIONS[role]),
        "active": not (deactivated or anonymised),
        "deleted": anonymised,
        "deactivated_at": deactivated_at,
        "team_ids": [] if anonymised else sorted(rng.sample((1, 2, 3, 4), rng.randint(1, 2))),
        "timezone": None if anonymised else rng.choice(("Europe/Madrid", "Europe/Madrid", "Europe/Lisbon")),
        "last_login_at": None if anonymised else iso(last_login_ms),
        "created_at": iso(created_ms),
        "updated_at": iso(updated_ms),
    }
