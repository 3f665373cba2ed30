"""Who may call the emulator: the connected app's settings and the issued access tokens.

Both live as JSON files in the state folder, so a token in `connection.json` keeps working after a
restart, and tests or users can change the connected app without touching code.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from emulators.salesforce.http import error_messages

DEFAULT_PASSWORD = "emulator-password"  # noqa: S105 (a documented local-only default)
JWT_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com")


@dataclass
class ConnectedApp:
    """The one connected app the org knows: OAuth client and JWT-bearer certificate."""

    client_id: str
    client_secret: str
    jwt_certificate_pem: str | None = None
    client_credentials_username: str | None = None
    default_password: str = DEFAULT_PASSWORD
    passwords: dict[str, str] = field(default_factory=dict)

    def password_of(self, username: str) -> str:
        return self.passwords.get(username.lower(), self.default_password)


@dataclass(frozen=True)
class Session:
    """An authenticated caller, put on `request.state.session` by the middleware."""

    user_id: str
    token: str


def _new_connected_app() -> ConnectedApp:
    return ConnectedApp(
        client_id="3MVG9" + secrets.token_urlsafe(60).replace("-", "A").replace("_", "z")[:80],
        client_secret=secrets.token_hex(32).upper(),
    )


class AuthStore:
    """Connected-app settings and tokens of one state folder (thread-safe)."""

    def __init__(self, state_dir: Path) -> None:
        self._app_file = state_dir / "connected_app.json"
        self._sessions_file = state_dir / "sessions.json"
        self._lock = threading.Lock()
        state_dir.mkdir(parents=True, exist_ok=True)
        self._app = self._load_app()
        self._tokens: dict[str, str] = self._load_tokens()

    def _load_app(self) -> ConnectedApp:
        if self._app_file.exists():
            return ConnectedApp(**json.loads(self._app_file.read_text()))
        app = _new_connected_app()
        self._write_json(self._app_file, asdict(app))
        return app

    def _load_tokens(self) -> dict[str, str]:
        if not self._sessions_file.exists():
            return {}
        return dict(json.loads(self._sessions_file.read_text()))

    @staticmethod
    def _write_json(path: Path, payload: Any) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(payload, indent=2, sort_keys=True))
        temporary.chmod(0o600)
        temporary.replace(path)

    @property
    def connected_app(self) -> ConnectedApp:
        return self._app

    def update_connected_app(self, changes: dict[str, Any]) -> ConnectedApp:
        """Change settings; unknown keys raise KeyError so typos do not pass silently."""
        known = set(asdict(self._app))
        unknown = set(changes) - known
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        with self._lock:
            merged = {**asdict(self._app), **changes}
            merged["passwords"] = {k.lower(): v for k, v in dict(merged["passwords"]).items()}
            self._app = ConnectedApp(**merged)
            self._write_json(self._app_file, asdict(self._app))
        return self._app

    def issue(self, org_id: str, user_id: str) -> str:
        """A new access token shaped like Salesforce's (`00D…!…`, which sfdx-core checks)."""
        token = f"{org_id[:15]}!AQ.{secrets.token_hex(40)}"
        with self._lock:
            self._tokens[token] = user_id
            self._write_json(self._sessions_file, self._tokens)
        return token

    def token_for(self, user_id: str) -> str | None:
        """An existing token of `user_id` (the admin token in connection.json stays stable)."""
        with self._lock:
            return next((token for token, owner in self._tokens.items() if owner == user_id), None)

    def session(self, token: str) -> Session | None:
        with self._lock:
            user_id = self._tokens.get(token)
        return Session(user_id=user_id, token=token) if user_id else None

    def owners(self) -> set[str]:
        """User Ids that hold at least one token."""
        with self._lock:
            return set(self._tokens.values())

    def reassign(self, new_owner: dict[str, str | None]) -> None:
        """Move tokens to other user Ids (an org reset re-creates its users under new Ids);
        tokens of users mapped to None are revoked."""
        with self._lock:
            self._tokens = {
                token: new_owner.get(owner, owner)
                for token, owner in self._tokens.items()
                if new_owner.get(owner, owner) is not None
            }
            self._write_json(self._sessions_file, self._tokens)

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()
            self._write_json(self._sessions_file, self._tokens)


class JwtRejectedError(Exception):
    """A JWT-bearer assertion the token endpoint refuses; the message is the OAuth description."""


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def verify_jwt_assertion(
    assertion: str, certificate_pem: str, client_id: str, audiences: tuple[str, ...]
) -> str:
    """Check an RS256 JWT-bearer assertion the way Salesforce does; returns its `sub` (username)."""
    try:
        header_b64, claims_b64, signature_b64 = assertion.split(".")
        header = json.loads(_b64url_decode(header_b64))
        claims = json.loads(_b64url_decode(claims_b64))
        signature = _b64url_decode(signature_b64)
    except ValueError as error:
        raise JwtRejectedError(error_messages.JWT_INVALID) from error
    if header.get("alg") != "RS256":
        raise JwtRejectedError(error_messages.JWT_INVALID)
    public_key = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise JwtRejectedError(error_messages.JWT_INVALID)
    try:
        signed = f"{header_b64}.{claims_b64}".encode()
        public_key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as error:
        raise JwtRejectedError(error_messages.JWT_INVALID) from error
    if claims.get("iss") != client_id:
        raise JwtRejectedError(error_messages.JWT_WRONG_ISSUER)
    claimed_audiences = claims.get("aud")
    claimed = claimed_audiences if isinstance(claimed_audiences, list) else [claimed_audiences]
    if not any(str(value).rstrip("/") in audiences for value in claimed):
        raise JwtRejectedError(error_messages.JWT_WRONG_AUDIENCE)
    expiry = claims.get("exp")
    if not isinstance(expiry, int | float) or expiry <= time.time():
        raise JwtRejectedError(error_messages.JWT_EXPIRED)
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise JwtRejectedError(error_messages.JWT_INVALID)
    return subject
