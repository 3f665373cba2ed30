"""The store as a whole: persistence, transactions, toggles, reads, threads, reset."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import TOGGLES, OpContext


def test_state_survives_reopen(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = Org.open(state)
    ctx = OpContext(user_id=first.admin_user_id)
    created = first.insert("Account", {"Name": "Persisted"}, ctx)
    first.set_toggles({"automation_enabled": False, "daily_api_limit": 42})
    admin_id = first.admin_user_id
    first.close()

    reopened = Org.open(state)
    assert reopened.admin_user_id == admin_id
    record = reopened.get(created.id)
    assert record is not None
    assert record["Name"] == "Persisted"
    assert reopened.toggle("automation_enabled") is False
    assert reopened.toggle("daily_api_limit") == 42
    later = reopened.insert("Account", {"Name": "After reopen"}, ctx)
    assert later.id != created.id
    assert len(list(reopened.scan("Organization"))) == 1
    reopened.close()


def test_deployed_metadata_survives_reopen(deployed_org: Org) -> None:
    state = deployed_org.state_dir
    deployed_org.close()
    reopened = Org.open(state)
    assert "Ticket_Event__c" in reopened.sobject_names()
    assert reopened.find_ids("Case", "Stames_Id__c", "none") == []
    assert "Solved" in reopened.closed_values("Case")
    reopened.close()


def test_atomic_rolls_back_every_write_on_error(org: Org, admin: OpContext) -> None:
    before = len(list(org.scan("Account")))
    with pytest.raises(RuntimeError), org.atomic():
        assert org.insert("Account", {"Name": "One"}, admin).success
        assert org.insert("Account", {"Name": "Two"}, admin).success
        raise RuntimeError("all or none")
    assert len(list(org.scan("Account"))) == before


def test_atomic_commits_together(org: Org, admin: OpContext) -> None:
    with org.atomic():
        ids = [org.insert("Account", {"Name": f"A{n}"}, admin).id for n in range(3)]
    assert all(org.get(record_id) for record_id in ids)


def test_failed_record_inside_atomic_leaves_no_trace(org: Org, admin: OpContext) -> None:
    with org.atomic():
        failed = org.insert(
            "ContentVersion", {"Title": "t", "PathOnClient": "a.txt", "VersionData": "@@@"}, admin
        )
        ok = org.insert("Account", {"Name": "kept"}, admin)
    assert not failed.success
    assert ok.success
    assert list(org.scan("ContentDocument")) == []


def test_toggles_default_and_validate(org: Org) -> None:
    assert {name: org.toggle(name) for name in TOGGLES} == TOGGLES
    with pytest.raises(KeyError):
        org.toggle("no_such_switch")
    with pytest.raises(KeyError):
        org.set_toggles({"no_such_switch": 1})


def test_get_accepts_15_and_any_case_18(org: Org, admin: OpContext) -> None:
    created = org.insert("Account", {"Name": "Acme"}, admin)
    assert created.id is not None
    for variant in (created.id, created.id[:15], created.id.lower()):
        record = org.get(variant)
        assert record is not None
        assert record["Id"] == created.id
        assert record["attributes"]["type"] == "Account"
        assert record["attributes"]["url"].endswith(f"/sobjects/Account/{created.id}")
    assert org.get("001000000000000AAA") is None
    assert org.get("garbage") is None


def test_records_carry_every_field_in_rest_form(org: Org, admin: OpContext) -> None:
    created = org.insert("Contact", {"LastName": "Li", "FirstName": "Wei", "Birthdate": "1990-02-03"}, admin)
    record = org.get(created.id)
    assert record is not None
    described = [item["name"] for item in org.describe("Contact")["fields"]]
    assert [key for key in record if key != "attributes"] == described
    assert record["Name"] == "Wei Li"
    assert record["Birthdate"] == "1990-02-03"
    assert record["CreatedDate"].endswith("+0000")
    assert record["OwnerId"] == org.admin_user_id


def test_find_ids_on_id_lookup_fields(org: Org, admin: OpContext) -> None:
    created = org.insert("Contact", {"LastName": "Li", "Email": "Wei.Li@Example.com"}, admin)
    assert org.find_ids("Contact", "Email", "wei.li@example.com") == [created.id]
    assert org.find_ids("User", "Username", "ADMIN@stames-sf.example.org") == [org.admin_user_id]
    assert org.find_ids("Contact", "Id", created.id[:15]) == [created.id]
    assert org.find_ids("Contact", "NoSuchField", "x") == []


def test_export_lists_every_object_with_deleted_records(org: Org, admin: OpContext) -> None:
    created = org.insert("Account", {"Name": "Gone"}, admin)
    org.delete(created.id, admin)
    exported = org.export()
    assert set(exported) == set(org.sobject_names())
    gone = [row for row in exported["Account"] if row["Id"] == created.id]
    assert gone[0]["IsDeleted"] is True


def test_concurrent_writers_do_not_lose_records(org: Org, admin: OpContext) -> None:
    failures: list[str] = []

    def load(prefix: str) -> None:
        for number in range(50):
            with org.atomic():
                result = org.insert("Account", {"Name": f"{prefix}-{number}"}, admin)
            if not result.success:
                failures.append(str(result))

    threads = [threading.Thread(target=load, args=(f"t{index}",)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    names = {row["Name"] for row in org.scan("Account")}
    assert {f"t{index}-{number}" for index in range(4) for number in range(50)} <= names


def test_reader_thread_sees_committed_state_only(org: Org, admin: OpContext) -> None:
    seen: list[int] = []
    with org.atomic():
        org.insert("Account", {"Name": "uncommitted"}, admin)
        reader = threading.Thread(target=lambda: seen.append(len(list(org.scan("Account")))))
        reader.start()
        reader.join()
    assert seen == [len(list(org.scan("Account"))) - 1]


def test_reset_returns_to_the_seed(deployed_org: Org, admin: OpContext) -> None:
    org = deployed_org
    org.insert("Account", {"Name": "temporary"}, admin)
    org.set_toggles({"automation_enabled": False})
    seeded_accounts = 2
    org.reset()
    assert len(list(org.scan("Account"))) == seeded_accounts
    assert "Ticket_Event__c" not in org.sobject_names()
    assert org.toggle("automation_enabled") is True
    assert org.user(org.admin_user_id).set_audit_fields


def test_global_describe_lists_every_object(deployed_org: Org) -> None:
    described = deployed_org.global_describe()
    names = [entry["name"] for entry in described["sobjects"]]
    assert sorted(names) == sorted(deployed_org.sobject_names())
    assert described["maxBatchSize"] == 200
    custom = next(entry for entry in described["sobjects"] if entry["name"] == "Ticket_Event__c")
    assert custom["custom"] is True
    assert custom["keyPrefix"].startswith("a")
