import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from emulators.serving import bind_loopback, is_bind_error, serve_in_thread


def test_served_app_answers_over_real_http_and_stops():
    app = Starlette(routes=[Route("/ping", lambda request: PlainTextResponse("pong"))])
    with serve_in_thread(app) as port:
        assert httpx.get(f"http://127.0.0.1:{port}/ping").text == "pong"
    try:
        httpx.get(f"http://127.0.0.1:{port}/ping", timeout=1)
        raise AssertionError("server still answering after exit")
    except httpx.ConnectError:
        pass


def test_a_port_bound_for_a_server_cannot_be_taken_by_another():
    with bind_loopback() as held:
        port = held.getsockname()[1]
        try:
            bind_loopback(port).close()
            raise AssertionError("a second server bound the same port")
        except OSError as error:
            assert is_bind_error(error)
