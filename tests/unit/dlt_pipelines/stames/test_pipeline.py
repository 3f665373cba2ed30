import pytest

from dlt_pipelines.stames import endpoint_resources
from dlt_pipelines.stames.pipeline import resolve_connection


def test_explicit_connection_values_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCES__STAMES__BASE_URL", "http://127.0.0.1:1/api/v1")
    monkeypatch.setenv("SOURCES__STAMES__API_KEY", "sk_test_from_env")
    assert resolve_connection("http://127.0.0.1:2/api/v1", "sk_test_explicit") == (
        "http://127.0.0.1:2/api/v1",
        "sk_test_explicit",
    )


def test_connection_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCES__STAMES__BASE_URL", "http://127.0.0.1:3/api/v1")
    monkeypatch.setenv("SOURCES__STAMES__API_KEY", "sk_test_from_env")
    assert resolve_connection(None, None) == ("http://127.0.0.1:3/api/v1", "sk_test_from_env")


def test_a_missing_key_is_an_error_not_a_silent_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCES__STAMES__API_KEY", raising=False)
    with pytest.raises(ValueError, match="API key"):
        resolve_connection("http://127.0.0.1:3/api/v1", None)


def test_every_collection_has_a_resource_and_custom_objects_one_each() -> None:
    resources = endpoint_resources("http://127.0.0.1:1/api/v1", ["warranty", "odd key/x"])
    names = [resource["name"] for resource in resources]
    assert names == sorted(set(names), key=names.index), "resource names must be unique"
    assert {"account", "agents", "customers", "tickets", "status_changes", "deleted_records"} <= set(names)
    assert {"tags", "ticket_statuses", "channels", "custom_fields", "custom_objects"} <= set(names)
    by_name = {resource["name"]: resource for resource in resources}
    assert by_name["tickets"]["endpoint"]["params"] == {"include_deleted": "true", "include_spam": "true"}
    assert by_name["tickets"]["endpoint"]["incremental"]["start_param"] == "updated_since"
    assert by_name["deleted_records"]["endpoint"]["incremental"]["start_param"] == "deleted_since"
    assert by_name["custom_object_records_warranty"]["endpoint"]["path"] == "custom_objects/warranty/records"
    # The key is quoted in the path; dlt normalises the resource name into a table name.
    assert by_name["custom_object_records_odd key/x"]["endpoint"]["path"] == (
        "custom_objects/odd%20key%2Fx/records"
    )
    assert all(by_name[name]["write_disposition"] == "replace" for name in ("tags", "channels", "account"))


def test_custom_object_keys_that_snake_case_alike_get_their_own_tables() -> None:
    keys = ["Warranty-Plus", "warranty_plus", "WarrantyPlus", "subscription"]
    resources = endpoint_resources("http://127.0.0.1:1/api/v1", keys)
    tables = {resource["name"]: resource["table_name"] for resource in resources if "table_name" in resource}
    assert len(set(tables.values())) == len(keys), tables
    # A key already in snake case keeps the plain name the rest of the project expects.
    assert tables["custom_object_records_warranty_plus"] == "custom_object_records_warranty_plus"
    assert tables["custom_object_records_subscription"] == "custom_object_records_subscription"
    # The suffixed names do not depend on the order the keys were listed in.
    reordered = endpoint_resources("http://127.0.0.1:1/api/v1", list(reversed(keys)))
    assert {r["name"]: r["table_name"] for r in reordered if "table_name" in r} == tables
