"""Custom object records (warranty, subscription) written alongside the tickets they mention."""

from __future__ import annotations

import random
from dataclasses import dataclass

from emulators.stames_api.generator import profile
from emulators.stames_api.generator.timeline import DAY_MS, LATEST_MS, iso, iso_date
from emulators.stames_api.generator.writer import JsonlWriter


@dataclass
class RecordSinks:
    warranty: JsonlWriter
    subscription: JsonlWriter
    dangling: int = 0

    def _ticket_ids(self, rng: random.Random, ticket_id: int, ticket_count: int) -> list[int]:
        ids = [ticket_id]
        if rng.random() < profile.RECORD_DANGLING_TICKET:
            ids.append(
                rng.choice(
                    (
                        profile.NEVER_EXISTING_TICKET_ID,
                        profile.FIRST_TICKET_ID + ticket_count + rng.randrange(1, 5000),
                    )
                )
            )
            self.dangling += 1
        return ids

    def add_warranty(
        self, rng: random.Random, *, ticket_id: int, ticket_count: int, customer_id: int, created_ms: int
    ) -> str:
        record_id = f"wr_{self.warranty.count + 1:06d}"
        updated_ms = min(LATEST_MS, created_ms + rng.randrange(0, 200) * DAY_MS)
        self.warranty.write(
            {
                "id": record_id,
                "object_key": "warranty",
                "name": record_id.upper().replace("_", "-"),
                "fields": {
                    "serial_number": f"SN-{rng.randrange(16**4):04X}",
                    "expires_on": iso_date(created_ms + rng.randrange(180, 1100) * DAY_MS),
                    "plan": rng.choice(("basic", "gold", "gold", "platinum")),
                },
                "customer_id": customer_id,
                "ticket_ids": self._ticket_ids(rng, ticket_id, ticket_count),
                "created_at": iso(created_ms),
                "updated_at": iso(updated_ms),
            }
        )
        return record_id

    def add_subscription(
        self, rng: random.Random, *, ticket_id: int, ticket_count: int, customer_id: int, created_ms: int
    ) -> None:
        record_id = f"sub_{self.subscription.count + 1:06d}"
        mrr = rng.choice((9.99, 19.99, 49.0))
        self.subscription.write(
            {
                "id": record_id,
                "object_key": "subscription",
                "name": record_id.upper().replace("_", "-"),
                "fields": {
                    "plan_code": rng.choice(("CARE_BASIC", "CARE_PLUS", "CARE_PRO")),
                    "renews_at": iso_date(created_ms + rng.randrange(1, 365) * DAY_MS),
                    "mrr": rng.choice((mrr, f"{mrr:.2f}".replace(".", ","))),
                },
                "customer_id": customer_id,
                "ticket_ids": self._ticket_ids(rng, ticket_id, ticket_count),
                "created_at": iso(created_ms),
                "updated_at": iso(min(LATEST_MS, created_ms + rng.randrange(0, 100) * DAY_MS)),
            }
        )
