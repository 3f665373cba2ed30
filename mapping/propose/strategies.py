"""The choices that shape whole objects: object map, notes and tags strategies, message routes,
owners, custom objects, exclusions and the handoff list, each with the reason it was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mapping.agents import StamesAgent, match_agent, users_by_email
from mapping.model import (
    CHANNEL_SOURCE_FIELD,
    DEFAULT_INTERNAL_NOTES,
    CustomField,
    CustomObjectMapping,
    Evidence,
    ExclusionRule,
    ManualItem,
    MessageRoute,
    ObjectMapping,
    Owners,
    SourceInfo,
    Strategies,
    TargetInfo,
)
from mapping.org import OrgSnapshot
from mapping.propose.raw import RawTables, open_raw
from mapping.propose.types import custom_object_name
from mapping.propose.values import count_of, tag_spellings
from mapping.tags import PICKLIST_SEPARATOR, picklist_blockers, tag_key

TAG_FIELD = "Case.Stames_Tags__c"
STATUS_HISTORY_OBJECT = "Stames_Status_Change__c"
CUSTOM_OBJECT_PREFIX = "Stames_"

# --- strategies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagUsage:
    """What decides between a multi-select picklist and Topics."""

    assignments: int
    distinct_values: int
    max_per_ticket: int
    longest: int
    with_separator: int

    @property
    def blockers(self) -> list[str]:
        return picklist_blockers(self.distinct_values, self.max_per_ticket, self.longest, self.with_separator)


def tag_usage(raw: RawTables) -> TagUsage:
    spellings = tag_spellings(raw)
    per_ticket = 0
    if spellings and raw.has("tickets__tags", "_dlt_parent_id"):
        per_ticket = int(
            raw.rows(
                f"SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM {raw.table('tickets__tags')} "
                "GROUP BY _dlt_parent_id)"
            )[0][0]
        )
    return TagUsage(
        assignments=sum(uses for _, uses in spellings),
        # Counted by tag_key, as discovery counts them, so the scope report and the strategy agree.
        distinct_values=len({tag_key(tag) for tag, _ in spellings}),
        max_per_ticket=per_ticket,
        longest=max((len(tag) for tag, _ in spellings), default=0),
        with_separator=sum(1 for tag, _ in spellings if PICKLIST_SEPARATOR in tag),
    )


def tag_strategy(usage: TagUsage) -> tuple[str, str | None, Evidence]:
    """(strategy, tag field, evidence): a multi-select picklist unless a limit or `;` rules it out."""
    if not usage.assignments:
        return "none", None, Evidence(confidence=1.0, reasons=["no ticket carries a tag"])
    if usage.blockers:
        reasons = ["a multi-select picklist cannot hold these tags: " + "; ".join(usage.blockers)]
        reasons.append("Topics take any number of tags; one TopicAssignment per ticket-tag pair")
        return "topics", None, Evidence(confidence=0.9, reasons=reasons)
    reasons = [
        f"{usage.distinct_values:,} normalised values (limit 500), at most {usage.max_per_ticket} per ticket "
        "(limit 100): a multi-select picklist holds them and reports can filter on it"
    ]
    return "multipicklist", TAG_FIELD, Evidence(confidence=0.9, reasons=reasons)


INTERNAL_NOTES_EVIDENCE = Evidence(
    confidence=0.9,
    reasons=[
        "a completed Task on the Case keeps the note's author as owner, its date and stays internal",
        "the stated alternative is CaseComment (IsPublished false): set internal_notes to CaseComment",
    ],
)


def propose_strategies(warehouse: Path, org: OrgSnapshot) -> Strategies:
    """Notes as Tasks; tags as a multi-select picklist or Topics, chosen from the data."""
    with open_raw(warehouse) as raw:
        usage = tag_usage(raw)
    tags, tag_field, tag_evidence = tag_strategy(usage)
    accounts = Evidence(
        confidence=0.9,
        reasons=[
            "a company becomes one business Account (names compared normalised); a customer without "
            "one gets an Account named after them",
            "Accounts already in the org are matched by normalised name"
            if org.has_object("Account")
            else "the org snapshot has no Account describe; matching is checked at load",
        ],
    )
    history = Evidence(
        confidence=1.0, reasons=["CaseHistory cannot be inserted; the history needs a custom object"]
    )
    return Strategies(
        internal_notes=DEFAULT_INTERNAL_NOTES,
        tags=tags,
        tag_field=tag_field,
        status_history_object=STATUS_HISTORY_OBJECT,
        evidence={
            "internal_notes": INTERNAL_NOTES_EVIDENCE,
            "tags": tag_evidence,
            "accounts": accounts,
            "status_history_object": history,
        },
    )


# --- message routes -----------------------------------------------------------------------------

AUTHOR_ORDER = ("customer", "agent", "bot", "system")
DIRECTION_ORDER = ("inbound", "outbound", "internal")
EMAIL_STATUS_READ = "1"
EMAIL_STATUS_SENT = "3"
"""EmailMessage.Status codes (CONTRACT §4.1): 1 Read for what arrived, 3 Sent for what went out."""


def _route(author: str, direction: str, messages: int, internal_notes: str) -> MessageRoute:
    counted = count_of(messages, "message")
    every_channel = f"every public message of every channel; the channel is kept in {CHANNEL_SOURCE_FIELD}"
    if author == "system":
        reason = "system notes repeat the status history (kept in its own object)"
        evidence = Evidence(confidence=0.8, reasons=[counted, reason])
        return MessageRoute(
            author_type=author, direction=direction, target="skip", skip_reason=reason, evidence=evidence
        )
    if direction == "internal":
        evidence = Evidence(confidence=0.9, reasons=[counted, f"internal notes become {internal_notes}"])
        if author != "agent":
            evidence = evidence.model_copy(
                update={"confidence": 0.6, "warnings": [f"an internal note by a {author}"]}
            )
        return MessageRoute(author_type=author, direction=direction, target=internal_notes, evidence=evidence)
    incoming = direction == "inbound"
    status = EMAIL_STATUS_READ if incoming else EMAIL_STATUS_SENT
    meaning = "Incoming, Status 1 (Read)" if incoming else "not Incoming, Status 3 (Sent)"
    confidence = {("customer", "inbound"): 1.0, ("agent", "outbound"): 1.0, ("bot", "outbound"): 0.9}.get(
        (author, direction), 0.6
    )
    warnings = (
        [] if confidence > 0.6 else [f"a {author} message {direction}: unusual, routed by its direction"]
    )
    evidence = Evidence(confidence=confidence, reasons=[counted, every_channel, meaning], warnings=warnings)
    return MessageRoute(
        author_type=author,
        direction=direction,
        target="EmailMessage",
        incoming=incoming,
        status=status,
        evidence=evidence,
    )


def message_routes(warehouse: Path, *, internal_notes: str = DEFAULT_INTERNAL_NOTES) -> list[MessageRoute]:
    """One route per (author type, direction) found in the messages."""
    with open_raw(warehouse) as raw:
        pairs = (
            raw.rows(
                f"SELECT author__type, direction, count(*) FROM {raw.table('messages')} "
                "WHERE author__type IS NOT NULL AND direction IS NOT NULL GROUP BY 1, 2"
            )
            if raw.has("messages", "author__type", "direction")
            else []
        )
    known = [(a, d, n) for a, d, n in pairs if a in AUTHOR_ORDER and d in DIRECTION_ORDER]
    known.sort(key=lambda row: (AUTHOR_ORDER.index(row[0]), DIRECTION_ORDER.index(row[1])))
    return [_route(author, direction, int(messages), internal_notes) for author, direction, messages in known]


# --- owners -------------------------------------------------------------------------------------


AGENT_REFERENCES: tuple[tuple[str, str, str | None], ...] = (
    ("tickets", "assignee_id", None),
    ("messages", "author__id", "author__type"),
    ("status_changes", "changed_by__id", "changed_by__type"),
)
"""Where records name an agent: (table, id column, the column saying the id is an agent's)."""


def stames_agents(raw: RawTables) -> list[StamesAgent]:
    """Agents listed by /agents, then agent ids referenced by tickets, messages or history but not listed."""
    agents: dict[int, StamesAgent] = {}
    if raw.has("agents", "id"):
        email = "email" if raw.has("agents", "email") else "NULL"
        name = "name" if raw.has("agents", "name") else "NULL"
        active = "active" if raw.has("agents", "active") else "TRUE"
        deleted = "deleted" if raw.has("agents", "deleted") else "FALSE"
        for agent_id, agent_email, agent_name, is_active, is_deleted in raw.rows(
            f"SELECT id, {email}, {name}, {active}, {deleted} FROM {raw.table('agents')} ORDER BY id"
        ):
            agents[int(agent_id)] = StamesAgent(
                int(agent_id),
                agent_email,
                agent_name or f"agent {agent_id}",
                is_active is not False,
                is_deleted is True,
                True,
            )
    referenced: set[int] = set()
    for table, column, type_column in AGENT_REFERENCES:
        if type_column is None and raw.has(table, column):
            found = raw.distinct(table, column)
        elif type_column is not None and raw.has(table, column, type_column):
            found = raw.distinct(table, column, f"{type_column} = 'agent'")
        else:
            continue
        referenced |= {int(value) for value in found if value is not None}
    for agent_id in sorted(referenced - set(agents)):
        agents[agent_id] = StamesAgent(agent_id, None, f"agent {agent_id}", False, False, False)
    return [agents[agent_id] for agent_id in sorted(agents)]


def propose_owners(warehouse: Path, org: OrgSnapshot) -> Owners:
    """Agents → Users by email; the integration user (else the first queue) owns the rest."""
    with open_raw(warehouse) as raw:
        agents = stames_agents(raw)
    by_email = users_by_email(org.users)
    fallback_id: str | None = None
    fallback_name = "the integration user"
    integration = next((user for user in org.users if user.id == org.integration_user_id), None)
    if org.integration_user_id:
        fallback_id = org.integration_user_id
        fallback_name = f"{integration.name} (the integration user)" if integration else fallback_name
    elif org.queues:
        queue = sorted(org.queues, key=lambda queue: queue.developer_name)[0]
        fallback_id, fallback_name = queue.id, f"{queue.name} (queue)"
    return Owners(
        fallback_owner_id=fallback_id,
        fallback_owner_name=fallback_name,
        agents=[match_agent(agent, by_email) for agent in agents],
    )


# --- objects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StamesObjectType:
    key: str
    name: str
    plural: str
    records: int
    multi_ticket_records: int


def custom_object_types(raw: RawTables) -> list[StamesObjectType]:
    if not raw.has("custom_objects", "key"):
        return []
    name = "name" if raw.has("custom_objects", "name") else "key"
    plural = "name_plural" if raw.has("custom_objects", "name_plural") else "NULL"
    types = []
    for key, object_name, object_plural in raw.rows(
        f"SELECT key, {name}, {plural} FROM {raw.table('custom_objects')} ORDER BY key"
    ):
        records_table = f"custom_object_records_{key}"
        links = f"{records_table}__ticket_ids"
        multi = 0
        if raw.has(links, "_dlt_parent_id"):
            multi = int(
                raw.rows(
                    f"SELECT count(*) FROM (SELECT _dlt_parent_id FROM {raw.table(links)} "
                    "GROUP BY 1 HAVING count(*) > 1)"
                )[0][0]
            )
        types.append(
            StamesObjectType(
                key, object_name, object_plural or f"{object_name}s", raw.count(records_table), multi
            )
        )
    return types


def _lookup(api_name: str, label: str, parent: str, relationship: str) -> CustomField:
    return CustomField(
        api_name=api_name, label=label, type="Lookup", reference_to=parent, relationship_name=relationship
    )


def propose_custom_objects(warehouse: Path) -> list[CustomObjectMapping]:
    """Each Stames custom object type → a custom object with lookups to Case and Contact; the status
    history → its own custom object."""
    with open_raw(warehouse) as raw:
        types = custom_object_types(raw)
    mappings = []
    for kind in types:
        api_name = custom_object_name(kind.key)
        relationship = CUSTOM_OBJECT_PREFIX + "_".join(
            word.capitalize() for word in "".join(c if c.isalnum() else " " for c in kind.plural).split()
        )
        reasons = [count_of(kind.records, "record"), "loaded after the Cases and Contacts it points at"]
        warnings = []
        if kind.multi_ticket_records:
            warnings.append(
                f"{count_of(kind.multi_ticket_records, 'record')} link more than one ticket: the first "
                "becomes the Case lookup, the others are listed in the load report"
            )
        mappings.append(
            CustomObjectMapping(
                source_key=kind.key,
                api_name=api_name,
                label=kind.name,
                plural_label=kind.plural,
                lookups=[
                    _lookup("Case__c", "Case", "Case", relationship),
                    _lookup("Contact__c", "Contact", "Contact", relationship),
                ],
                evidence=Evidence(confidence=0.9, reasons=reasons, warnings=warnings),
            )
        )
    mappings.append(
        CustomObjectMapping(
            source_key="status_change",
            api_name=STATUS_HISTORY_OBJECT,
            label="Stames Status Change",
            plural_label="Stames Status Changes",
            evidence=Evidence(
                confidence=1.0, reasons=["CaseHistory cannot be inserted; the history needs a custom object"]
            ),
        )
    )
    return mappings


def propose_objects(strategies: Strategies, custom_objects: list[CustomObjectMapping]) -> list[ObjectMapping]:
    """The object map in load order: every object after the parents its lookups point at."""
    notes_parents = ["Case", "Contact"] if strategies.internal_notes == "Task" else ["Case"]
    notes_rule = (
        "one completed Task per internal note"
        if strategies.internal_notes == "Task"
        else ("one private CaseComment per internal note")
    )
    planned: list[tuple[str, str, str, list[str]]] = [
        (
            "customer",
            "Account",
            "one business Account per normalised company name; an Account named after the "
            "customer when there is no company",
            [],
        ),
        ("customer", "Contact", "one Contact per surviving customer", ["Account"]),
        ("ticket", "Case", "one Case per ticket that is not spam or deleted", ["Account", "Contact"]),
        ("status_change", strategies.status_history_object, "one record per status change", ["Case"]),
        (
            "attachment",
            "ContentVersion",
            "one ContentVersion per stored attachment; its ContentDocument is linked to the Case "
            "(ContentDocumentLink)",
            ["Case"],
        ),
        (
            "message",
            "EmailMessage",
            "one EmailMessage per public message of every channel",
            ["Case", "ContentVersion"],
        ),
        ("message", strategies.internal_notes, notes_rule, notes_parents),
    ]
    if strategies.tags == "topics":
        planned += [
            ("tag", "Topic", "one Topic per normalised tag", []),
            ("tag", "TopicAssignment", "one TopicAssignment per ticket-tag pair", ["Case", "Topic"]),
        ]
    planned += [
        (
            f"custom_object.{mapping.source_key}",
            mapping.api_name,
            f"one record per {mapping.label}",
            ["Case", "Contact"],
        )
        for mapping in custom_objects
        if mapping.api_name != strategies.status_history_object
    ]
    return [
        ObjectMapping(source=source, target=target, load_order=order, rule=rule, parents=parents)
        for order, (source, target, rule, parents) in enumerate(planned, start=1)
    ]


# --- exclusions, handoff, source and target -----------------------------------------------------

EXCLUSIONS = (
    ExclusionRule(name="spam", source="ticket", condition="is_spam is true"),
    ExclusionRule(
        name="deleted",
        source="ticket",
        condition="deleted_at is set or a tombstone with reason deleted or gdpr_erasure",
    ),
    ExclusionRule(
        name="merged",
        source="customer",
        condition="merged_into_id is set; the customer's records follow the survivor",
    ),
    ExclusionRule(name="system_note", source="message", condition="author type system (see message_routes)"),
)

MANUAL_ITEMS = (
    ManualItem(
        topic="Self-service portal",
        what="theme, forms and article layout",
        why="the Stames API does not expose the portal",
    ),
    ManualItem(
        topic="SMS notifications",
        what="rebuild status texts as a Flow",
        why="Stames_SMS_Notification__c keeps the flag only",
    ),
    ManualItem(
        topic="SLAs and reminders",
        what="rebuild as Entitlements and Milestones",
        why="only the due times are migrated",
    ),
    ManualItem(
        topic="Notification triggers",
        what="rebuild reminder and notification triggers as record-triggered and scheduled Flows",
        why="trigger definitions are not in the API; the Stames_Reminder_* fields keep each ticket's values",
    ),
)


def propose_manual(owners: Owners) -> list[ManualItem]:
    """The fixed handoff items, plus the agents without a usable user when there are any."""
    unmatched = [agent for agent in owners.agents if agent.state != "matched"]
    items = list(MANUAL_ITEMS)
    if unmatched:
        items.append(
            ManualItem(
                topic="Agents without an active user",
                what=f"create or activate users for {count_of(len(unmatched), 'agent')}, "
                "or accept the fallback owner",
                why=f"their records go to {owners.fallback_owner_name or 'the fallback owner'} until then",
            )
        )
    return items


def source_info(warehouse: Path) -> SourceInfo:
    with open_raw(warehouse) as raw:
        account, timezone, legacy = "unknown", "UTC", False
        if raw.has("account", "subdomain"):
            local = "legacy_import__timestamps_local_time"
            rows = raw.rows(
                f"SELECT subdomain, {'timezone' if raw.has('account', 'timezone') else 'NULL'}, "
                f"{local if raw.has('account', local) else 'FALSE'} FROM {raw.table('account')} LIMIT 1"
            )
            if rows:
                account, timezone, legacy = rows[0][0] or account, rows[0][1] or timezone, rows[0][2] is True
    return SourceInfo(account=account, timezone=timezone, legacy_timestamps_local_time=legacy)


def target_info(org: OrgSnapshot) -> TargetInfo:
    return TargetInfo(
        instance_url=org.instance_url, organization_id=org.organization_id, api_version=org.api_version
    )
