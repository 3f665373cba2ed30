"""Read the target org's describes, users and queues into a `mapping.org.OrgSnapshot`."""

from __future__ import annotations

from collections.abc import Iterable

from simple_salesforce import Salesforce

from loaders.agents import fetch_org_owners
from mapping.org import TARGET_OBJECTS, OrgSnapshot


def fetch_org_snapshot(client: Salesforce, extra_objects: Iterable[str] = ()) -> OrgSnapshot:
    """Describe the standard target objects (and `extra_objects` the org has), list users and queues."""
    available = {item["name"] for item in client.describe()["sobjects"]}
    wanted = [name for name in (*TARGET_OBJECTS, *extra_objects) if name in available]
    describes = {name: getattr(client, name).describe() for name in dict.fromkeys(wanted)}
    owners = fetch_org_owners(client)
    organization = client.query("SELECT Id FROM Organization")["records"]
    return OrgSnapshot(
        instance_url=client.base_url.split("/services")[0],
        organization_id=organization[0]["Id"] if organization else None,
        api_version=client.sf_version,
        describes=describes,
        users=owners.users,
        queues=owners.queues,
        integration_user_id=current_user_id(client),
    )


def current_user_id(client: Salesforce) -> str | None:
    """The Id of the user the session belongs to: the last segment of the identity URL
    (`https://<host>/id/<orgId>/<userId>`) that `GET /services/data/vXX.X/` names."""
    response = client.restful("", method="GET")
    identity_url = response.get("identity") if isinstance(response, dict) else None
    return identity_url.rstrip("/").rsplit("/", 1)[-1] if identity_url else None
