from __future__ import annotations

import ipaddress
from pathlib import Path

from cryptography import x509

from emulators.salesforce.http.tls import ensure_tls


def test_server_certificate_is_signed_by_the_ca_and_names_loopback(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path)
    ca = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
    server = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    server.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert ipaddress.IPv4Address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_the_ca_is_created_once_per_state_folder(tmp_path: Path) -> None:
    first = ensure_tls(tmp_path).ca_file.read_bytes()
    second = ensure_tls(tmp_path).ca_file.read_bytes()
    assert first == second
    assert ensure_tls(tmp_path / "other").ca_file.read_bytes() != first
