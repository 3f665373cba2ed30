"""Findings about customers (API.md §3 #1–#5)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from stames_sf.discovery.findings.base import Finding, empty, rows_finding
from stames_sf.discovery.warehouse import RawWarehouse, text


def customers_without_email(warehouse: RawWarehouse) -> Finding:
    title = "Customers without email"
    if warehouse.has("customers") and not warehouse.has("customers", "email"):
        # dlt creates no column when every value is null.
        return Finding(
            1, title, warehouse.count("customers"), "customers", warehouse.first_id("customers", "TRUE")
        )
    return rows_finding(warehouse, 1, title, "customers", "customers", ("email",), empty("email"))


def normalised_email(email: str) -> str:
    """The matching key of §3 #2: NFKC (folds `＠`), trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def duplicate_customers(warehouse: RawWarehouse) -> Finding:
    """Customers sharing an email once case, whitespace and look-alikes are normalised."""
    title = "Duplicate customers (same email up to case, whitespace, look-alikes)"
    if not warehouse.has("customers", "id", "email"):
        return Finding(2, title, None if not warehouse.has("customers") else 0, "customers", None)
    groups: dict[str, list[str]] = defaultdict(list)
    for customer_id, email in warehouse.rows(
        f"SELECT CAST(id AS VARCHAR), {text('email')} FROM {warehouse.table('customers')} "
        f"WHERE NOT {empty('email')} ORDER BY id"
    ):
        groups[normalised_email(email)].append(customer_id)
    clustered = [ids for ids in groups.values() if len(ids) > 1]
    extra = sum(len(ids) - 1 for ids in clustered)
    example = min((ids[1] for ids in clustered), key=int, default=None)
    return Finding(2, title, extra, "customers", example, f"{len(clustered):,} email clusters")


def merged_customers(warehouse: RawWarehouse) -> Finding:
    return rows_finding(
        warehouse,
        3,
        "Customers merged in the source",
        "customers",
        "customers",
        ("merged_into_id",),
        "merged_into_id IS NOT NULL",
    )


LEGAL_SUFFIXES = re.compile(r"\b(s\.?l\.?u?|s\.?a\.?|ltd|limited|inc|llc|gmbh|co)\b\.?")


def company_key(company: str) -> str:
    """Company spellings that name the same firm map to one key (§3 #4)."""
    folded = unicodedata.normalize("NFKD", company).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", LEGAL_SUFFIXES.sub(" ", folded)).split())


def company_variants(warehouse: RawWarehouse) -> Finding:
    title = "Company names written several ways"
    if not warehouse.has("customers", "company"):
        return Finding(4, title, None if not warehouse.has("customers") else 0, "spellings", None)
    spellings: dict[str, set[str]] = defaultdict(set)
    for (company,) in warehouse.rows(
        f"SELECT DISTINCT {text('company')} FROM {warehouse.table('customers')} WHERE company IS NOT NULL"
    ):
        spellings[company_key(company)].add(company)
    varied = {key: names for key, names in spellings.items() if key and len(names) > 1}
    example = min(varied, default=None)
    return Finding(
        4,
        title,
        sum(len(names) for names in varied.values()),
        "spellings",
        example,
        f"{len(varied):,} companies with more than one spelling",
    )


def unparsed_phones(warehouse: RawWarehouse) -> Finding:
    where = "phone_raw IS NOT NULL AND trim(CAST(phone_raw AS VARCHAR)) <> '' AND phone IS NULL"
    if warehouse.has("customers", "phone_raw") and not warehouse.has("customers", "phone"):
        where = "phone_raw IS NOT NULL AND trim(CAST(phone_raw AS VARCHAR)) <> ''"
    return rows_finding(
        warehouse, 5, "Phone numbers typed but not parseable", "customers", "customers", ("phone_raw",), where
    )
