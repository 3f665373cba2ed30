"""The one SOAP call the REST API has no counterpart for: `undelete()`, at
`POST /services/Soap/u/{version}` (partner WSDL). The session id travels in the `SessionHeader`
[doc: SOAP API, undelete(); UndeleteResult {id, success, errors[]}]. Any other call is a fault."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
PARTNER = "urn:partner.soap.sforce.com"
MAX_IDS = 200
XML = "text/xml; charset=utf-8"


def soap_routes() -> list[Route]:
    return [Route("/services/Soap/u/{version}", soap_call, methods=["POST"])]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _fault(code: str, message: str) -> Response:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{ENVELOPE}" '
        f'xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>sf:{escape(code)}</faultcode>"
        f"<faultstring>{escape(code)}: {escape(message)}</faultstring>"
        "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    return Response(body, status_code=500, media_type=XML)


async def soap_call(request: Request) -> Response:
    try:
        # A local test server bound to 127.0.0.1; the stdlib parser expands no external entities.
        root = ElementTree.fromstring(await request.body())  # noqa: S314
    except ElementTree.ParseError:
        return _fault("INVALID_REQUEST", "the body is not XML")
    elements = list(root.iter())
    token = next((item.text or "" for item in elements if _local(item.tag) == "sessionId"), "")
    state = request.app.state
    session = state.auth.session(token.strip()) if token.strip() else None
    if session is None or not state.org.user(session.user_id).is_active:
        return _fault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader")
    body = next((item for item in elements if _local(item.tag) == "Body"), None)
    call = next(iter(body), None) if body is not None else None
    if call is None or _local(call.tag) != "undelete":
        name = _local(call.tag) if call is not None else "nothing"
        return _fault("UNKNOWN_EXCEPTION", f"the local org answers undelete only, not {name}")
    ids = [(item.text or "").strip() for item in call if _local(item.tag) == "ids"]
    if len(ids) > MAX_IDS:
        return _fault("EXCEEDED_ID_LIMIT", f"more than {MAX_IDS} ids")
    if not state.usage.try_spend(int(state.org.toggle("daily_api_limit"))):
        return _fault("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    results = await run_in_threadpool(lambda: [state.org.undelete(record_id) for record_id in ids])
    return Response(_answer(ids, results), media_type=XML)


def _answer(ids: list[str], results: list[Any]) -> str:
    parts = []
    for record_id, result in zip(ids, results, strict=True):
        errors = "".join(
            f"<errors><message>{escape(error.message)}</message><statusCode>{escape(error.code)}"
            "</statusCode></errors>"
            for error in result.errors
        )
        parts.append(
            f"<result>{errors}<id>{escape(result.id or record_id)}</id>"
            f"<success>{'true' if result.success else 'false'}</success></result>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{ENVELOPE}" '
        f'xmlns="{PARTNER}"><soapenv:Body><undeleteResponse>{"".join(parts)}</undeleteResponse>'
        "</soapenv:Body></soapenv:Envelope>"
    )
