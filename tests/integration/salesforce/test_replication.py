"""getUpdated / getDeleted through simple-salesforce's `updated()` and `deleted()`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import trusting_session


def test_updated_and_deleted_report_the_records_of_the_window(sf: Salesforce) -> None:
    before = datetime.now(UTC) - timedelta(minutes=1)
    kept = sf.Account.create({"Name": "Kept"})
    gone = sf.Account.create({"Name": "Gone"})
    sf.Account.delete(gone["id"])
    after = datetime.now(UTC) + timedelta(minutes=1)

    changed = sf.Account.updated(before, after)
    assert kept["id"] in changed["ids"]
    assert gone["id"] not in changed["ids"]
    removed = sf.Account.deleted(before, after)
    assert [row["id"] for row in removed["deletedRecords"]] == [gone["id"]]

    earlier = sf.Account.updated(before - timedelta(days=2), before - timedelta(days=1))
    assert kept["id"] not in earlier["ids"]


def test_a_window_ending_before_it_starts_is_refused(sf: Salesforce) -> None:
    now = datetime.now(UTC)
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Account.updated(now, now - timedelta(hours=1))
    assert raised.value.content[0]["errorCode"] == "INVALID_REPLICATION_DATE"


def test_the_version_root_lists_the_resources(sf_server: RunningServer) -> None:
    response = trusting_session(sf_server).get(
        f"{sf_server.instance_url}/services/data/v{sf_server.api_version}",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.json()["sobjects"] == f"/services/data/v{sf_server.api_version}/sobjects"
