"""Customers as a pure function of their index, so tickets can rebuild any customer on demand.

Duplicates (§3 #2) copy the identity of the customer just before them; merges (§3 #3) point to
the customer just after them, which makes chains (A→B→C) possible and cycles impossible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from emulators.stames_api.generator import profile, text
from emulators.stames_api.generator import vocabulary as vocab
from emulators.stames_api.generator.catalog import FIELD_IDS, LOYALTY_TIERS, Record
from emulators.stames_api.generator.seeding import chance, rng_for
from emulators.stames_api.generator.timeline import (
    DAY_MS,
    FIRST_TICKET_MS,
    LATEST_MS,
    created_stamp,
    iso,
)

FORCED_CHAIN_START = 7  # customers 7→8→9: a guaranteed multi-hop merge chain


@dataclass(frozen=True)
class Identity:
    """What a customer is before duplicate or merge rules are applied."""

    language: str
    name: str
    email_local: str
    email_domain: str
    national_number: str
    created_ms: int


def customer_id(index: int) -> int:
    return profile.FIRST_CUSTOMER_ID + index


def mailer_daemon_index(count: int) -> int:
    """The last customer is the bounce-loop sender (§3 #18)."""
    return count - 1


def created_ms_for(seed: int, index: int, count: int) -> int:
    """Customers sign up spread over the account's life, in index order."""
    span = LATEST_MS - 60 * DAY_MS - FIRST_TICKET_MS
    jitter = rng_for(seed, "customer-created", index).random()
    return FIRST_TICKET_MS + int((index + jitter) / count * span)


def _identity(seed: int, index: int, count: int) -> Identity:
    rng = rng_for(seed, "customer-identity", index)
    language = text.pick_language(rng)
    first, last = text.person_name(rng, language)
    local = f"{text.ascii_slug(first)}.{text.ascii_slug(last)}{index}"  # the index keeps addresses unique
    return Identity(
        language=language,
        name=f"{first} {last}",
        email_local=local,
        email_domain=rng.choice(vocab.EMAIL_DOMAINS),
        national_number=f"6{rng.randrange(10_000_000, 99_999_999)}",
        created_ms=created_ms_for(seed, index, count),
    )


def language_of(seed: int, index: int, count: int) -> str:
    """The language a customer writes in (a duplicate writes like the customer it copies)."""
    if index == mailer_daemon_index(count):
        return "en"
    source = index - 1 if is_duplicate(seed, index, count) else index
    return _identity(seed, source, count).language


def is_duplicate(seed: int, index: int, count: int) -> bool:
    """A second record for the customer at `index - 1`, with a case/space/look-alike email."""
    if index < 1 or index >= mailer_daemon_index(count) or index - 1 == mailer_daemon_index(count):
        return False
    return chance(rng_for(seed, "customer-duplicate", index), profile.CUSTOMER_DUPLICATE)


def is_merged(seed: int, index: int, count: int) -> bool:
    if index >= mailer_daemon_index(count) - 1:
        return False
    if count > FORCED_CHAIN_START + 4 and index in (FORCED_CHAIN_START, FORCED_CHAIN_START + 1):
        return True
    return chance(rng_for(seed, "customer-merged", index), profile.CUSTOMER_MERGED)


def merged_at_ms(seed: int, index: int, count: int) -> int:
    """When customer `index` was merged into `index + 1`: after both existed."""
    later_created = max(created_ms_for(seed, index, count), created_ms_for(seed, index + 1, count))
    room = max(1, LATEST_MS - later_created)
    return later_created + rng_for(seed, "customer-merge-time", index).randrange(room)


def has_email(seed: int, index: int, count: int) -> bool:
    if index == mailer_daemon_index(count) or is_duplicate(seed, index, count):
        return True
    if index + 1 < count and is_duplicate(seed, index + 1, count):
        return True
    return not chance(rng_for(seed, "customer-no-email", index), profile.CUSTOMER_NO_EMAIL)


def _duplicate_email(rng: random.Random, email: str) -> str:
    """The same address written differently: other case, stray spaces or a full-width ＠."""
    variant = rng.choice(("case", "whitespace", "fullwidth_at"))
    local, domain = email.split("@")
    if variant == "case":
        return f"{local.title()}@{domain.capitalize()}"
    if variant == "whitespace":
        return f" {email} " if rng.random() < 0.3 else f"{email} "
    return f"{local}＠{domain}"


def _phone(rng: random.Random, national: str) -> tuple[str | None, str | None]:
    """(best-effort E.164 or None, what was typed) in the many shapes of §3 #5."""
    shape = rng.randrange(9)
    spaced = f"{national[:3]} {national[3:5]} {national[5:7]} {national[7:]}"
    typed = (
        spaced,
        f"0034{national}",
        f"+34 {national[:3]}-{national[3:6]}-{national[6:]}",
        f"34{national}",
        f"+34{national}",
        f"{national} x{rng.randrange(10, 999)}",
        "n/a",
        f"+34 {spaced}",
        national,
    )[shape]
    return (None if shape == 6 else f"+34{national}"), typed


def build_customer(seed: int, index: int, count: int) -> Record:
    """The customer record at `index` of `count`, as `GET /customers` returns it."""
    rng = rng_for(seed, "customer", index)
    if index == mailer_daemon_index(count):
        return _mailer_daemon(seed, index, count)
    duplicate = is_duplicate(seed, index, count)
    identity = _identity(seed, index - 1 if duplicate else index, count)
    own = _identity(seed, index, count)
    email: str | None = f"{identity.email_local}@{identity.email_domain}"
    if duplicate:
        email = _duplicate_email(rng, email)
    elif not has_email(seed, index, count):
        email = None
    name = identity.name
    if chance(rng, profile.CUSTOMER_NAME_DAMAGED):
        name = text.damage(rng, name)
    has_phone = (email is not None and rng.random() < 0.6) or (email is None and rng.random() < 0.7)
    phone, phone_raw = _phone(rng, identity.national_number) if has_phone else (None, None)
    identities = _identities(rng, email, phone, identity.national_number, customer_id(index))
    if index > 0 and is_merged(seed, index - 1, count):
        loser = build_customer(seed, index - 1, count)
        identities.extend({**entry, "primary": False} for entry in loser["identities"])
    merged = is_merged(seed, index, count)
    created_ms = own.created_ms
    updated_ms = created_ms + rng.randrange(max(1, LATEST_MS - created_ms))
    if merged:
        updated_ms = merged_at_ms(seed, index, count)
    elif index > 0 and is_merged(seed, index - 1, count):
        updated_ms = max(updated_ms, merged_at_ms(seed, index - 1, count) + 1)
    return {
        "id": customer_id(index),
        "name": name,
        "email": email,
        "phone": phone,
        "phone_raw": phone_raw,
        "company": _company(rng),
        "identities": identities,
        "custom_fields": _custom_fields(rng, created_ms),
        "merged_into_id": customer_id(index + 1) if merged else None,
        "created_at": created_stamp(created_ms),
        "updated_at": iso(updated_ms),
    }


def _identities(
    rng: random.Random, email: str | None, phone: str | None, national: str, own_id: int
) -> list[Record]:
    identities: list[Record] = []
    if email is not None:
        identities.append({"type": "email", "value": email, "primary": True, "verified": rng.random() < 0.8})
    if phone is not None and rng.random() < 0.7:
        identities.append(
            {"type": "whatsapp", "value": f"34{national}", "primary": email is None, "verified": True}
        )
    if (email is None and not identities) or rng.random() < 0.1:
        platform = rng.choice(("instagram", "facebook"))
        prefix = "ig_sid:178414" if platform == "instagram" else "psid:"
        identities.append(
            {
                "type": platform,
                "value": f"{prefix}{own_id:011d}",
                "primary": not identities,
                "verified": False,
            }
        )
    return identities


def _company(rng: random.Random) -> str | None:
    if rng.random() >= profile.CUSTOMER_HAS_COMPANY:
        return None
    if rng.random() < 0.05:
        return ""
    return rng.choice(rng.choice(vocab.COMPANY_VARIANTS))


def _signed_up(rng: random.Random, created_ms: int) -> str:
    """dd/mm/yyyy, the customer field's house format; now and then an impossible date."""
    if rng.random() < 0.005:
        return "31/02/2022"
    return iso(created_ms)[:10].split("-")[2] + "/" + iso(created_ms)[5:7] + "/" + iso(created_ms)[:4]


def _custom_fields(rng: random.Random, created_ms: int) -> list[Record]:
    fields: list[Record] = [
        {"field_id": FIELD_IDS["signed_up_at"], "key": "signed_up_at", "value": _signed_up(rng, created_ms)}
    ]
    if rng.random() < 0.4:
        fields.append(
            {"field_id": FIELD_IDS["loyalty_tier"], "key": "loyalty_tier", "value": rng.choice(LOYALTY_TIERS)}
        )
    if rng.random() < 0.5:
        fields.append(
            {
                "field_id": FIELD_IDS["newsletter"],
                "key": "newsletter",
                "value": rng.choice((True, False, "true", "1", "0")),
            }
        )
    if rng.random() < 0.05:
        fields.append(
            {
                "field_id": FIELD_IDS["vat_number"],
                "key": "vat_number",
                "value": f"B{rng.randrange(10_000_000, 99_999_999)}",
            }
        )
    return fields


def _mailer_daemon(seed: int, index: int, count: int) -> Record:
    created_ms = created_ms_for(seed, 0, count)
    return {
        "id": customer_id(index),
        "name": "Mail Delivery Subsystem",
        "email": "MAILER-DAEMON@mx.example.net",
        "phone": None,
        "phone_raw": None,
        "company": None,
        "identities": [
            {"type": "email", "value": "MAILER-DAEMON@mx.example.net", "primary": True, "verified": False}
        ],
        "custom_fields": [],
        "merged_into_id": None,
        "created_at": created_stamp(created_ms),
        "updated_at": iso(LATEST_MS - DAY_MS),
    }
