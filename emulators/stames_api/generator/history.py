"""Status history of one ticket, with the anomalies of §3 #17 and #19."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from emulators.stames_api.generator import profile
from emulators.stames_api.generator.catalog import STATUS_CATEGORY, VIA_BY_CHANNEL, Record
from emulators.stames_api.generator.timeline import HISTORY_START_MS, iso


@dataclass(frozen=True)
class HistoryPlan:
    ticket_id: int
    status: str
    fate: str
    channel_type: str
    customer_id: int
    agent_id: int | None
    created_ms: int
    end_ms: int
    merged_at_ms: int | None = None


@dataclass
class History:
    changes: list[Record] = field(default_factory=list)


class StatusChangeIds:
    def __init__(self) -> None:
        self.next_id = profile.FIRST_STATUS_CHANGE_ID

    def take(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def _path_to(rng: random.Random, status: str) -> list[str]:
    """Plausible statuses after `open` on the way to `status`."""
    middle = rng.choice(([], ["pending"], ["pending", "open"], ["on_hold"], ["awaiting_parts", "open"]))
    if status in ("closed",):
        return [*middle, "solved", "closed"]
    if status in ("new", "open"):
        return [] if status == "new" else [*middle[:1], "open"] if middle else []
    return [*middle, status]


def build_history(rng: random.Random, plan: HistoryPlan, ids: StatusChangeIds) -> History:
    """Transitions ordered by id; times are drawn between creation and the last activity."""
    history = History()
    agent = (
        {"type": "agent", "id": plan.agent_id}
        if plan.agent_id is not None
        else {"type": "system", "id": None}
    )
    steps: list[tuple[str | None, str, dict[str, object], str]] = []
    if plan.created_ms < HISTORY_START_MS:
        first = plan.status if plan.status in ("closed", "solved") else "open"
        steps.append((None, first, {"type": "system", "id": None}, "import"))
        if first != plan.status and plan.status != "deleted":
            steps.append((first, plan.status, agent, "web"))
    else:
        via = VIA_BY_CHANNEL[plan.channel_type]
        steps.append((None, "new", {"type": "customer", "id": plan.customer_id}, via))
        if plan.status == "spam":
            steps.append(("new", "spam", agent, "web"))
        elif plan.status != "new":
            steps.append(("new", "open", {"type": "system", "id": None}, "automation"))
            targets = _path_to(rng, plan.status if plan.fate != "merged" else "open")
            if rng.random() < profile.HISTORY_ESCALATED_TIER2:
                targets = ["escalated_tier2", "open", *targets]
            if plan.status in ("solved", "closed") and rng.random() < profile.HISTORY_FLAPPING:
                targets = [*targets[:-1], "solved", "reopened", "open", "solved"][: len(targets) + 4]
                if plan.status == "closed":
                    targets.append("closed")
            previous = "open"
            for target in targets:
                if target != previous:
                    steps.append((previous, target, agent, "web"))
                    previous = target
            if plan.fate == "merged":
                steps.append((previous, "closed", agent, "merge"))
    times = _times(rng, plan, len(steps))
    if rng.random() < profile.HISTORY_DISAGREES and plan.fate == "normal" and len(steps) >= 2:
        steps.pop()
    if len(steps) >= 3 and rng.random() < profile.HISTORY_MISSED_EVENT:
        position = rng.randrange(2, len(steps))
        _, after, who, via = steps[position]
        missed = [key for key in ("pending", "on_hold", "open") if key not in (steps[position - 1][1], after)]
        steps[position] = (rng.choice(missed), after, who, via)  # the event in between was never recorded
    for (before, after, who, via), changed_ms in zip(steps, times, strict=False):
        stamp = iso(changed_ms)
        history.changes.append(
            {
                "id": ids.take(),
                "ticket_id": plan.ticket_id,
                "from_status": before,
                "to_status": after,
                "from_category": STATUS_CATEGORY.get(before) if before else None,
                "to_category": STATUS_CATEGORY[after],
                "changed_by": who,
                "via": via,
                "changed_at": stamp,
                "updated_at": stamp,
            }
        )
    return history


def _times(rng: random.Random, plan: HistoryPlan, count: int) -> list[int]:
    start = max(plan.created_ms, HISTORY_START_MS) if plan.created_ms < HISTORY_START_MS else plan.created_ms
    end = max(start + count, plan.end_ms)
    if plan.created_ms < HISTORY_START_MS:
        middle = sorted(rng.randrange(start + 1, end + 2) for _ in range(count - 1))
        return [HISTORY_START_MS, *middle]
    same_ms = rng.random() < 0.6  # new→open by automation in the same millisecond
    middle = sorted(rng.randrange(start + 1, end + 2) for _ in range(max(0, count - 2)))
    second = [start if same_ms else start + rng.randrange(1, 2_000)] if count >= 2 else []
    times = [start, *second, *middle]
    if plan.merged_at_ms is not None and times:
        times[-1] = max(times[-1], plan.merged_at_ms)
    return times
