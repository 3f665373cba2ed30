"""What a fresh org holds: the Organization, profiles, a support queue, users (some matching a
Stames dataset's agents, with deliberate near-misses) and pre-existing records no migration may touch."""

from __future__ import annotations

from typing import Any

from emulators.salesforce.describe import recorded_json
from emulators.salesforce.org.database import Database
from emulators.salesforce.org.repository import OrgRepository

PRE_EXISTING = "Pre-existing — do not touch"
"""Prefix of every seeded business record's name or subject."""

DEFAULT_AGENT_EMAILS = [
    "ana.garcia@example.com",
    "ben.okafor@example.com",
    "chloe.martin@example.com",
    "dev.patel@example.com",
    "emma.schulz@example.com",
]
"""Agent emails used when no dataset is given."""

UNMATCHED_USER_EMAILS = ["former.agent@legacy-helpdesk.example", "night.shift@legacy-helpdesk.example"]
"""Users in the org that match no agent (one of them inactive)."""

ADMIN_USERNAME = "admin@stames-sf.example.org"
INTEGRATION_USERNAME = "integration@stames-sf.example.org"
USERNAME_SUFFIX = ".stames-sandbox"


def seed_org(org: OrgRepository, database: Database, agent_emails: list[str] | None) -> None:
    """Create the seed records and remember the Ids other parts look up (admin, queue, org)."""
    organization_id = org.system_insert("Organization", _organization_fields(org), "")
    admin_profile = org.system_insert("Profile", {"Name": "System Administrator", "UserType": "Standard"}, "")
    standard_profile = org.system_insert("Profile", {"Name": "Standard User", "UserType": "Standard"}, "")
    admin_id = org.system_insert("User", _user_fields(ADMIN_USERNAME, ADMIN_USERNAME, admin_profile, 0), "")
    for record_id in (organization_id, admin_profile, standard_profile, admin_id):
        _attribute_to(org, record_id, admin_id)
    database.set_setting("org_id", organization_id)
    database.set_setting("admin_user_id", admin_id)
    org.grant(admin_id, set_audit_fields=True, bypass_automation=True, hard_delete=True)
    integration_id = org.system_insert(
        "User", _user_fields(INTEGRATION_USERNAME, INTEGRATION_USERNAME, admin_profile, 1), admin_id
    )
    database.set_setting("integration_user_id", integration_id)
    org.grant(integration_id, set_audit_fields=True, hard_delete=True)
    queue_id = org.system_insert(
        "Group",
        {
            "Name": "Support Queue",
            "DeveloperName": "Support_Queue",
            "Type": "Queue",
            "Email": "support-queue@stames-sf.example.org",
            "OwnerId": admin_id,
        },
        admin_id,
    )
    database.set_setting("support_queue_id", queue_id)
    seed_agent_users(
        org, agent_emails if agent_emails is not None else DEFAULT_AGENT_EMAILS, standard_profile
    )
    _seed_business_records(org, admin_id)


def seed_agent_users(org: OrgRepository, agent_emails: list[str], profile_id: str | None = None) -> None:
    """Users for agents, deterministically: sorted by email, the 2nd gets an inactive user, the 3rd a
    user whose email differs only in case, every 4th none at all; the rest an exact match. Users that
    already exist (same Username) are left alone, so an existing org can take a dataset's agents."""
    admin_id = org.admin_user_id
    if profile_id is None:
        profile_id = next(row["Id"] for row in org.scan("Profile") if row["Name"] == "Standard User")
    existing = {str(row["Username"]).lower() for row in org.scan("User")}
    ordinal = 10
    for index, email in enumerate(sorted({email.strip() for email in agent_emails if email.strip()})):
        if index % 4 == 3 or email.lower() + USERNAME_SUFFIX in existing:
            continue
        stored_email = _case_variant(email) if index == 2 else email
        fields = _user_fields(email.lower() + USERNAME_SUFFIX, stored_email, profile_id, ordinal)
        fields["IsActive"] = index != 1
        org.system_insert("User", fields, admin_id)
        ordinal += 1
    for offset, email in enumerate(UNMATCHED_USER_EMAILS):
        if email + USERNAME_SUFFIX in existing:
            continue
        fields = _user_fields(email + USERNAME_SUFFIX, email, profile_id, ordinal + offset)
        fields["IsActive"] = offset == 0
        org.system_insert("User", fields, admin_id)


def _seed_business_records(org: OrgRepository, admin_id: str) -> None:
    accounts = [
        org.system_insert("Account", {"Name": f"{PRE_EXISTING}: {name}", "Industry": industry}, admin_id)
        for name, industry in (("Northwind Traders", "Retail"), ("Globex Corporation", "Manufacturing"))
    ]
    contacts = [
        org.system_insert(
            "Contact",
            {"FirstName": first, "LastName": f"{PRE_EXISTING}: {last}", "Email": email, "AccountId": account},
            admin_id,
        )
        for (first, last, email), account in zip(
            (
                ("Nancy", "Davolio", "nancy.davolio@northwind.example"),
                ("Hank", "Scorpio", "hank.scorpio@globex.example"),
            ),
            accounts,
            strict=True,
        )
    ]
    for subject, status, contact, account in (
        ("Printer jams on every second page", "New", contacts[0], accounts[0]),
        ("Invoice copy requested", "Closed", contacts[1], accounts[1]),
    ):
        org.system_insert(
            "Case",
            {
                "Subject": f"{PRE_EXISTING}: {subject}",
                "Status": status,
                "Origin": "Phone",
                "ContactId": contact,
                "AccountId": account,
            },
            admin_id,
        )


def _organization_fields(org: OrgRepository) -> dict[str, Any]:
    recorded = recorded_json("Organization_record")
    schema = org.schema("Organization")
    fields = {
        name: value
        for name, value in recorded.items()
        if schema.rule(name) is not None
        and name not in ("Id", "CreatedById", "LastModifiedById")
        and not name.endswith("Date")
        and name != "SystemModstamp"
    }
    fields.update(
        Name="Stames Migration Sandbox",
        InstanceName="LOCAL1",
        OrganizationType="Enterprise Edition",
        TrialExpirationDate=None,
        IsSandbox=True,
    )
    return fields


def _user_fields(username: str, email: str, profile_id: str, ordinal: int) -> dict[str, Any]:
    local = email.split("@", 1)[0]
    parts = [part.capitalize() for part in local.replace("_", ".").split(".") if part]
    first, last = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (None, parts[0] if parts else "User")
    return {
        "Username": username,
        "Email": email,
        "FirstName": first,
        "LastName": last,
        "Alias": (local.replace(".", "")[:6] + f"{ordinal:02d}")[:8],
        "TimeZoneSidKey": "Europe/Berlin",
        "LocaleSidKey": "en_US",
        "EmailEncodingKey": "UTF-8",
        "LanguageLocaleKey": "en_US",
        "ProfileId": profile_id,
        "IsActive": True,
    }


def _case_variant(email: str) -> str:
    """The same address with its local part's first letter and the domain upper-cased."""
    local, _, domain = email.partition("@")
    return f"{local[:1].upper()}{local[1:]}@{domain.upper()}"


def _attribute_to(org: OrgRepository, record_id: str, user_id: str) -> None:
    found = org.live_record(record_id)
    if found is None:
        return
    sobject, data = found
    data.update(CreatedById=user_id, LastModifiedById=user_id)
    org.write_existing(org.schema(sobject), data)
