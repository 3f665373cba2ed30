import json

import requests

from dlt_pipelines.stames.attachments import refusal_message


def _response(status: int, body: dict[str, object], url: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.url = url
    return response


def test_a_missing_scope_names_the_scope_and_not_the_url() -> None:
    url = "http://127.0.0.1:8790/api/v1/attachments/77001"
    body = {"error": {"code": "insufficient_scope", "message": "nope", "request_id": "r1"}}
    message = refusal_message(_response(403, body, url))
    assert "attachments:read" in message
    assert "403 insufficient_scope" in message
    assert "77001" not in message
    assert "http" not in message


def test_a_refused_key_says_so_without_naming_a_scope() -> None:
    body = {"error": {"code": "unauthorized", "message": "missing or unknown key", "request_id": "r2"}}
    message = refusal_message(_response(401, body, "http://127.0.0.1:8790/api/v1/attachments/1"))
    assert "401 unauthorized" in message
    assert "scope" not in message
