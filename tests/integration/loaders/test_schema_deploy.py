"""`Stames_Id__c` as `loaders.schema` renders it, deployed to the Salesforce emulator and used the
way CONTRACT.md says an External ID field is used: upsert keys and parent references."""

from __future__ import annotations

from pathlib import Path

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from emulators.salesforce.http.server import RunningServer
from loaders.schema import write_stames_id_field


@pytest.fixture
def stames_id_sf(sf_server: RunningServer, sf: Salesforce, tmp_path: Path) -> Salesforce:
    package = tmp_path / "force-app" / "main" / "default"
    for sobject in ("Account", "Case"):
        write_stames_id_field(package, sobject)
    result = sf_server.org.deploy(tmp_path / "force-app")
    assert result.success, result.errors
    return sf


def test_describe_shows_a_unique_case_sensitive_external_id(stames_id_sf: Salesforce) -> None:
    fields = {field["name"]: field for field in stames_id_sf.Case.describe()["fields"]}
    field = fields["Stames_Id__c"]
    assert (field["type"], field["length"]) == ("string", 64)
    assert field["byteLength"] == 3 * 64  # byteLength is 3x length for text fields
    assert (field["externalId"], field["unique"], field["caseSensitive"]) == (True, True, True)
    assert field["nillable"] is True


def test_upsert_keys_and_parent_references_go_through_the_field(stames_id_sf: Salesforce) -> None:
    sf = stames_id_sf
    created = sf.Account.upsert("Stames_Id__c/5521", {"Name": "Ana Pérez"}, raw_response=True)
    assert created.status_code == 201
    updated = sf.Account.upsert("Stames_Id__c/5521", {"Name": "Ana Perez"}, raw_response=True)
    assert updated.status_code == 200
    case = sf.Case.create(
        {"Subject": "Pantalla rota", "Stames_Id__c": "10234", "Account": {"Stames_Id__c": "5521"}}
    )
    assert sf.Case.get(case["id"])["AccountId"] == created.json()["id"]
    with pytest.raises(SalesforceMalformedRequest) as taken:
        sf.Case.create({"Subject": "Copy", "Stames_Id__c": "10234"})
    assert taken.value.content[0]["errorCode"] == "DUPLICATE_VALUE"


def test_ids_differing_only_in_case_are_two_records(stames_id_sf: Salesforce) -> None:
    # custom-object record ids are opaque strings: wr_a1 and WR_A1 are two Stames records
    sf = stames_id_sf
    lower = sf.Account.upsert("Stames_Id__c/wr_a1", {"Name": "Lower"}, raw_response=True)
    upper = sf.Account.upsert("Stames_Id__c/WR_A1", {"Name": "Upper"}, raw_response=True)
    assert (lower.status_code, upper.status_code) == (201, 201)
    assert lower.json()["id"] != upper.json()["id"]
    again = sf.Account.upsert("Stames_Id__c/wr_a1", {"Name": "Lower again"}, raw_response=True)
    assert (again.status_code, again.json()["id"]) == (200, lower.json()["id"])
    assert sf.Account.get_by_custom_id("Stames_Id__c", "WR_A1")["Name"] == "Upper"
    with pytest.raises(SalesforceMalformedRequest) as taken:
        sf.Account.create({"Name": "Copy", "Stames_Id__c": "wr_a1"})
    assert taken.value.content[0]["errorCode"] == "DUPLICATE_VALUE"
