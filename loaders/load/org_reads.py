"""What the load reads from the org: describes, limits, who is loading, and the records it may
touch (by `Stames_Id__c`, or by Id for an existing record it adopts)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from loaders.load.http import OrgHttp
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

IDS_PER_QUERY = 200


@dataclass(frozen=True)
class DailyAllowance:
    max: int
    remaining: int


@dataclass(frozen=True)
class Identity:
    user_id: str | None
    organization_id: str | None


def query_all(http: OrgHttp, soql: str) -> Iterator[dict]:
    page = http.json("GET", "query", params={"q": soql})
    while True:
        for record in page.get("records", []):
            record.pop("attributes", None)
            yield record
        next_url = page.get("nextRecordsUrl")
        if page.get("done", True) or not next_url:
            return
        page = http.json("GET", f"{http.instance_url}{next_url}")


def describe(http: OrgHttp, sobject: str) -> dict | None:
    from loaders.load.http import OrgError

    try:
        return http.json("GET", f"sobjects/{sobject}/describe")
    except OrgError as error:
        if error.status == 404:
            return None
        raise


def available_objects(http: OrgHttp) -> set[str]:
    return {item["name"] for item in http.json("GET", "sobjects")["sobjects"]}


def daily_allowance(http: OrgHttp) -> DailyAllowance:
    daily = http.json("GET", "limits")["DailyApiRequests"]
    return DailyAllowance(int(daily["Max"]), int(daily["Remaining"]))


def identity(http: OrgHttp) -> Identity:
    """The loading user and org, from the identity URL (`.../id/<orgId>/<userId>`)."""
    url = (http.json("GET", "") or {}).get("identity") or ""
    parts = url.rstrip("/").split("/")
    return Identity(parts[-1] if len(parts) >= 2 else None, parts[-2] if len(parts) >= 2 else None)


def records_with_stames_id(
    http: OrgHttp, sobject: str, fields: Sequence[str]
) -> Iterator[tuple[str, str, dict]]:
    """(Id, Stames_Id__c, values of `fields`) of every record of `sobject` that has a Stames id."""
    selected = _select(fields, with_key=True)
    for record in query_all(http, f"SELECT {selected} FROM {sobject} WHERE {STAMES_ID} != null"):
        yield record["Id"], record[STAMES_ID], {name: record.get(name) for name in fields}


def all_records(
    http: OrgHttp, sobject: str, fields: Sequence[str], *, keyed: bool
) -> Iterator[tuple[str, str | None, dict]]:
    """(Id, Stames_Id__c or None, values of `fields`) of every live record of `sobject`."""
    selected = _select(fields, with_key=keyed)
    for record in query_all(http, f"SELECT {selected} FROM {sobject}"):
        yield _row(record, fields, keyed)


def records_by_id(
    http: OrgHttp, sobject: str, ids: Iterable[str], fields: Sequence[str], *, keyed: bool = True
) -> Iterator[tuple[str, str | None, dict]]:
    """(Id, Stames_Id__c, values) of the records of `sobject` with these Ids."""
    wanted = sorted(set(ids))
    selected = _select(fields, with_key=keyed)
    for start in range(0, len(wanted), IDS_PER_QUERY):
        quoted = ", ".join(f"'{value}'" for value in wanted[start : start + IDS_PER_QUERY])
        for record in query_all(http, f"SELECT {selected} FROM {sobject} WHERE Id IN ({quoted})"):
            yield _row(record, fields, keyed)


def _row(record: dict, fields: Sequence[str], keyed: bool) -> tuple[str, str | None, dict]:
    """(Id, Stames_Id__c or None, values of `fields`) of one queried record."""
    return record["Id"], record.get(STAMES_ID) if keyed else None, {name: record.get(name) for name in fields}


def _select(fields: Sequence[str], with_key: bool) -> str:
    names = ["Id", *([STAMES_ID] if with_key else []), *fields]
    return ", ".join(dict.fromkeys(names))
