"""A ticket's tags and custom field values, with the §3 #15 and #24 cases."""

from __future__ import annotations

import random

from emulators.stames_api.generator import profile
from emulators.stames_api.generator.catalog import (
    CONTACT_REASONS,
    FEATURES,
    FIELD_IDS,
    UNKNOWN_CONTACT_REASONS,
    Record,
)
from emulators.stames_api.generator.timeline import DAY_MS, iso_date

# Tag vocabulary stored verbatim: case, trailing space, accent and separator variants.
TAGS: tuple[str, ...] = (
    "vip",
    "VIP",
    "vip ",
    "garantía",
    "garantia",
    "Garantia",
    "screen",
    "battery",
    "envío",
    "envio",
    "devolución",
    "b2b",
    "urgente",
    "Urgente",
    "pantalla,bateria",
    "a,b",
    "follow-up",
    "Follow Up",
)
_TAG_WEIGHTS: tuple[int, ...] = (30, 4, 1, 20, 8, 3, 15, 12, 10, 4, 10, 6, 8, 2, 1, 1, 5, 2)


def pick_tags(rng: random.Random) -> list[str]:
    count = rng.choices((0, 1, 2, 3, 4), weights=(30, 35, 20, 10, 5))[0]
    tags: list[str] = []
    for tag in rng.choices(TAGS, weights=_TAG_WEIGHTS, k=count):
        if tag not in tags:
            tags.append(tag)
    return tags


def _field(key: str, value: object) -> Record:
    return {"field_id": FIELD_IDS[key], "key": key, "value": value}


def _locale_amount(rng: random.Random) -> object:
    amount = rng.randrange(100, 250_000) / 100
    return rng.choice(
        (
            f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),  # "1.234,50"
            f"{amount:.2f}",
            amount,
            f"{amount:.2f} €",
        )
    )


def custom_field_values(
    rng: random.Random,
    product: str,
    created_ms: int,
    *,
    unknown_dropdown: bool,
    warranty_value: str | None,
    escalation_agent: int | None,
) -> list[Record]:
    """Every field with a stored value, including inactive fields and off-list dropdown values."""
    fields: list[Record] = [
        _field("product_model", product if rng.random() < 0.9 else f" {product.lower()} ")
    ]
    if rng.random() < 0.6:
        fields.append(_field("purchase_date", iso_date(created_ms - rng.randrange(1, 700) * DAY_MS)))
    if warranty_value is not None:
        fields.append(_field("warranty_record", warranty_value))
    reason = rng.choice(UNKNOWN_CONTACT_REASONS) if unknown_dropdown else rng.choice(CONTACT_REASONS)
    fields.append(_field("contact_reason", reason))
    if rng.random() < 0.05:
        fields.append(_field("refund_amount", _locale_amount(rng)))
    if rng.random() < 0.3:
        fields.append(_field("units", rng.choice((1, 2, 3, "2", "10", 1.0))))
    if rng.random() < 0.5:
        fields.append(_field("is_business", rng.choice(("true", "1", True, False, "false", "0"))))
    if rng.random() < 0.25:
        features = rng.sample(FEATURES, rng.randint(1, 3))
        if rng.random() < 0.05:
            features.append("nfc")  # an option that never existed
        fields.append(_field("affected_features", features))
    if rng.random() < 0.1:
        fields.append(_field("steps_to_reproduce", "1. Encender\n2. Conectar cargador\n3. Se reinicia"))
    if escalation_agent is not None:
        fields.append(_field("escalation_agent", escalation_agent))
    return fields


def unknown_dropdown(rng: random.Random) -> bool:
    return rng.random() < profile.TICKET_UNKNOWN_DROPDOWN
