from __future__ import annotations

import base64
import datetime as dt
import json
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from emulators.salesforce.http.auth_store import AuthStore, JwtRejectedError, verify_jwt_assertion

AUDIENCES = ("https://login.salesforce.com",)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jwt(key: rsa.RSAPrivateKey, claims: dict, alg: str = "RS256") -> str:
    header = _b64url(json.dumps({"alg": alg}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{_b64url(signature)}"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def certificate(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "t")])
    now = dt.datetime.now(dt.UTC)
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return built.public_bytes(serialization.Encoding.PEM).decode()


def _claims(**overrides: object) -> dict:
    return {
        "iss": "client",
        "sub": "u@example.com",
        "aud": AUDIENCES[0],
        "exp": int(time.time()) + 60,
    } | overrides


def test_a_valid_assertion_yields_its_subject(key: rsa.RSAPrivateKey, certificate: str) -> None:
    assert verify_jwt_assertion(_jwt(key, _claims()), certificate, "client", AUDIENCES) == "u@example.com"


@pytest.mark.parametrize(
    ("claims", "alg", "reason"),
    [
        (_claims(iss="other"), "RS256", "invalid client credentials"),
        (_claims(aud="https://evil.example"), "RS256", "audience is invalid"),
        (_claims(exp=int(time.time()) - 1), "RS256", "expired authorization code"),
        (_claims(), "HS256", "invalid assertion"),
    ],
)
def test_bad_assertions_are_refused_with_the_oauth_reason(
    key: rsa.RSAPrivateKey, certificate: str, claims: dict, alg: str, reason: str
) -> None:
    with pytest.raises(JwtRejectedError, match=reason):
        verify_jwt_assertion(_jwt(key, claims, alg), certificate, "client", AUDIENCES)


def test_a_tampered_payload_breaks_the_signature(key: rsa.RSAPrivateKey, certificate: str) -> None:
    header, _, signature = _jwt(key, _claims()).split(".")
    forged = _b64url(json.dumps(_claims(sub="admin@example.com")).encode())
    with pytest.raises(JwtRejectedError, match="invalid assertion"):
        verify_jwt_assertion(f"{header}.{forged}.{signature}", certificate, "client", AUDIENCES)


def test_tokens_look_like_salesforce_ones_and_survive_a_reload(tmp_path: Path) -> None:
    store = AuthStore(tmp_path)
    token = store.issue("00D8d0000000001AAA", "0058d0000000001AAA")
    assert token.startswith("00D8d0000000001!")
    reloaded = AuthStore(tmp_path)
    session = reloaded.session(token)
    assert session is not None
    assert session.user_id == "0058d0000000001AAA"
    assert reloaded.connected_app.client_secret == store.connected_app.client_secret
    assert reloaded.session(token + "x") is None


def test_unknown_connected_app_settings_are_refused(tmp_path: Path) -> None:
    store = AuthStore(tmp_path)
    with pytest.raises(KeyError):
        store.update_connected_app({"client_sekret": "typo"})
    store.update_connected_app({"passwords": {"Agent@Example.com": "pw"}})
    assert AuthStore(tmp_path).connected_app.password_of("agent@example.com") == "pw"
