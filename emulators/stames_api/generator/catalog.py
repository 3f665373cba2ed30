"""Account settings: the small, fixed collections (statuses, channels, fields, object types)."""

from __future__ import annotations

from typing import Any

from emulators.stames_api.generator.timeline import ACCOUNT_TIMEZONE

Record = dict[str, Any]

ACCOUNT: Record = {
    "id": 77,
    "subdomain": "acme",
    "name": "ACME Devices S.L.",
    "timezone": ACCOUNT_TIMEZONE,
    "locale": "es-ES",
    "plan": "growth",
    "api_rate_limit_rps": 10,
    "legacy_import": {
        "source": "OldDesk",
        "imported_at": "2019-04-01T00:00:00.000Z",
        "timestamps_local_time": True,
    },
    "created_at": "2018-11-20T09:00:00.000Z",
}

# (key, label, category, system, active, position)
_STATUSES: tuple[tuple[str, str, str, bool, bool, int], ...] = (
    ("new", "Nuevo", "new", True, True, 1),
    ("open", "Abierto", "open", True, True, 2),
    ("pending", "Pendiente", "pending", True, True, 3),
    ("on_hold", "En espera", "on_hold", True, True, 4),
    ("awaiting_parts", "Esperando piezas", "pending", False, True, 5),
    ("escalated_tier2", "Escalado N2", "open", False, False, 6),
    ("waiting_on_3rd_party", "Esperando a terceros", "on_hold", False, True, 7),
    ("reopened", "Reabierto", "open", False, True, 8),
    ("solved", "Resuelto", "solved", True, True, 9),
    ("closed", "Cerrado", "closed", True, True, 10),
    ("spam", "Spam", "closed", True, True, 11),
    ("deleted", "Eliminado", "closed", True, True, 12),
)
TICKET_STATUSES: list[Record] = [
    {
        "key": key,
        "label": label,
        "category": category,
        "system": system,
        "active": active,
        "position": position,
    }
    for key, label, category, system, active, position in _STATUSES
]
STATUS_CATEGORY: dict[str, str] = {status["key"]: status["category"] for status in TICKET_STATUSES}
CUSTOM_STATUSES: tuple[str, ...] = ("awaiting_parts", "escalated_tier2", "waiting_on_3rd_party", "reopened")

CHANNELS: list[Record] = [
    {"id": 1, "name": "Soporte email", "type": "email", "address": "soporte@acme.example", "active": True},
    {"id": 2, "name": "Support email EN", "type": "email", "address": "support@acme.example", "active": True},
    {"id": 3, "name": "WhatsApp ES", "type": "whatsapp", "address": "+34910000000", "active": True},
    {"id": 4, "name": "Instagram", "type": "instagram", "address": "@acme_devices", "active": True},
    {"id": 5, "name": "Facebook", "type": "facebook", "address": "page:1029384756", "active": False},
    {"id": 6, "name": "SMS", "type": "sms", "address": "+34910000001", "active": True},
    {
        "id": 7,
        "name": "Formulario web",
        "type": "web_form",
        "address": "https://acme.example/contacto",
        "active": True,
    },
    {"id": 8, "name": "Integración ERP", "type": "api", "address": None, "active": True},
]
CHANNEL_TYPES: tuple[str, ...] = ("email", "whatsapp", "web_form", "instagram", "facebook", "sms", "api")
CHANNEL_WEIGHTS: tuple[int, ...] = (45, 22, 10, 8, 6, 5, 4)
INBOXES_BY_TYPE: dict[str, tuple[int, ...]] = {
    "email": (1, 2),
    "whatsapp": (3,),
    "instagram": (4,),
    "facebook": (5,),
    "sms": (6,),
    "web_form": (7,),
    "api": (8,),
}
MESSAGING_CHANNELS: frozenset[str] = frozenset({"whatsapp", "sms", "instagram", "facebook"})
VIA_BY_CHANNEL: dict[str, str] = {
    "email": "email",
    "whatsapp": "whatsapp",
    "instagram": "instagram",
    "facebook": "facebook",
    "sms": "sms",
    "api": "api",
    "web_form": "web",
}

CONTACT_REASONS: tuple[str, ...] = ("billing", "returns", "tech", "warranty", "shipping")
UNKNOWN_CONTACT_REASONS: tuple[str, ...] = ("returns_legacy", "Otros", "garantia_old")
FEATURES: tuple[str, ...] = ("camera", "battery", "screen", "wifi", "bluetooth", "charging")
LOYALTY_TIERS: tuple[str, ...] = ("bronze", "silver", "gold")


def _field(
    field_id: int,
    object_type: str,
    key: str,
    label: str,
    field_type: str,
    *,
    active: bool = True,
    required: bool = False,
    options: list[Record] | None = None,
    lookup: Record | None = None,
    created_at: str = "2020-01-10T10:00:00.000Z",
    updated_at: str | None = None,
) -> Record:
    return {
        "id": field_id,
        "object_type": object_type,
        "key": key,
        "label": label,
        "type": field_type,
        "required": required,
        "active": active,
        "options": options,
        "lookup": lookup,
        "created_at": created_at,
        "updated_at": updated_at or created_at,
    }


def _options(
    values: tuple[str, ...], labels: tuple[str, ...], inactive: tuple[str, ...] = ()
) -> list[Record]:
    return [
        {"value": value, "label": label, "active": value not in inactive}
        for value, label in zip(values, labels, strict=True)
    ]


CUSTOM_FIELDS: list[Record] = [
    _field(41, "ticket", "product_model", "Modelo", "text"),
    _field(42, "ticket", "purchase_date", "Fecha de compra", "date"),
    _field(
        43,
        "ticket",
        "warranty_record",
        "Garantía",
        "lookup",
        lookup={"target": "custom_object", "object_key": "warranty"},
        created_at="2022-05-01T10:00:00.000Z",
    ),
    _field(
        44,
        "ticket",
        "contact_reason",
        "Motivo",
        "dropdown",
        required=True,
        options=_options(
            CONTACT_REASONS,
            ("Facturación", "Devoluciones", "Técnico", "Garantía", "Envío"),
            inactive=("tech",),
        ),
        updated_at="2023-09-12T08:00:00.000Z",
    ),
    _field(
        45,
        "ticket",
        "refund_amount",
        "Importe",
        "decimal",
        active=False,
        updated_at="2022-01-01T00:00:00.000Z",
    ),
    _field(46, "ticket", "units", "Unidades", "number"),
    _field(47, "ticket", "is_business", "Cliente empresa", "checkbox"),
    _field(
        48,
        "ticket",
        "affected_features",
        "Funciones afectadas",
        "multi_select",
        options=_options(
            FEATURES,
            ("Cámara", "Batería", "Pantalla", "Wi-Fi", "Bluetooth", "Carga"),
            inactive=("bluetooth",),
        ),
    ),
    _field(49, "ticket", "steps_to_reproduce", "Pasos", "textarea"),
    _field(
        50,
        "ticket",
        "escalation_agent",
        "Agente N2",
        "lookup",
        lookup={"target": "agent", "object_key": None},
        created_at="2021-06-01T10:00:00.000Z",
    ),
    _field(61, "customer", "signed_up_at", "Alta", "text", created_at="2019-04-01T00:00:00.000Z"),
    _field(
        62,
        "customer",
        "loyalty_tier",
        "Nivel",
        "dropdown",
        options=_options(LOYALTY_TIERS, ("Bronce", "Plata", "Oro")),
    ),
    _field(63, "customer", "newsletter", "Boletín", "checkbox"),
    _field(64, "customer", "vat_number", "NIF", "text", active=False, updated_at="2021-03-01T00:00:00.000Z"),
]
FIELD_IDS: dict[str, int] = {field["key"]: field["id"] for field in CUSTOM_FIELDS}

CUSTOM_OBJECTS: list[Record] = [
    {
        "key": "warranty",
        "name": "Warranty",
        "name_plural": "Warranties",
        "fields": [
            {"key": "serial_number", "label": "Serial", "type": "text", "required": True},
            {"key": "expires_on", "label": "Expires", "type": "date", "required": False},
            {
                "key": "plan",
                "label": "Plan",
                "type": "dropdown",
                "required": False,
                "options": [{"value": "basic", "label": "Basic"}, {"value": "gold", "label": "Gold"}],
            },
        ],
        "created_at": "2022-05-01T10:00:00.000Z",
        "updated_at": "2023-02-01T10:00:00.000Z",
    },
    {
        "key": "subscription",
        "name": "Subscription",
        "name_plural": "Subscriptions",
        "fields": [
            {"key": "plan_code", "label": "Plan", "type": "text", "required": True},
            {"key": "renews_at", "label": "Renews", "type": "date", "required": False},
            {"key": "mrr", "label": "MRR", "type": "decimal", "required": False},
        ],
        "created_at": "2023-01-01T10:00:00.000Z",
        "updated_at": "2023-01-01T10:00:00.000Z",
    },
]
