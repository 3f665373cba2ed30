import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from emulators.serving import serve_in_thread


def test_served_app_answers_over_real_http_and_stops():
    app = Starlette(routes=[Route("/ping", lambda request: PlainTextResponse("pong"))])
    with serve_in_thread(app) as port:
        assert httpx.get(f"http://127.0.0.1:{port}/ping").text == "pong"
    try:
        httpx.get(f"http://127.0.0.1:{port}/ping", timeout=1)
        raise AssertionError("server still answering after exit")
    except httpx.ConnectError:
        pass
