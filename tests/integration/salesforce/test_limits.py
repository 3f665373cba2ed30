"""API usage: the `Sforce-Limit-Info` header, `/limits`, the daily limit and injected 503s."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceRefusedRequest

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import admin_call


def test_simple_salesforce_parses_the_usage_header(sf: Salesforce) -> None:
    sf.describe()
    first_used, maximum = sf.api_usage["api-usage"]
    sf.query("SELECT Id FROM Account LIMIT 1")
    second_used, _ = sf.api_usage["api-usage"]
    assert maximum == 15000
    assert second_used == first_used + 1


def test_limits_report_what_remains(sf: Salesforce) -> None:
    limits = sf.limits()
    daily = limits["DailyApiRequests"]
    assert daily["Max"] == 15000
    assert 0 < daily["Max"] - daily["Remaining"] <= 5
    for name in ("DailyBulkV2QueryJobs", "DailyBulkV2QueryFileStorageMB", "DailyBulkApiBatches"):
        assert limits[name]["Remaining"] <= limits[name]["Max"]


def test_a_spent_daily_limit_is_403_request_limit_exceeded(sf_server: RunningServer, sf: Salesforce) -> None:
    assert admin_call(sf_server, "POST", "/__admin/toggles", json={"daily_api_limit": 3}).status_code == 200
    assert admin_call(sf_server, "POST", "/__admin/api-usage", json={"used": 3}).status_code == 200
    with pytest.raises(SalesforceRefusedRequest) as raised:
        sf.Account.describe()
    assert raised.value.status == 403
    assert raised.value.content[0] == {
        "message": "TotalRequests Limit exceeded.",
        "errorCode": "REQUEST_LIMIT_EXCEEDED",
    }
    assert (
        admin_call(sf_server, "POST", "/__admin/toggles", json={"daily_api_limit": 15000}).status_code == 200
    )
    assert sf.Account.describe()["name"] == "Account"


def test_fault_503_rate_answers_503(sf_server: RunningServer, sf: Salesforce) -> None:
    admin_call(sf_server, "POST", "/__admin/toggles", json={"fault_503_rate": 1.0})
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.Account.describe()
    assert raised.value.status == 503
    admin_call(sf_server, "POST", "/__admin/toggles", json={"fault_503_rate": 0.0})
    assert sf.Account.describe()["name"] == "Account"
