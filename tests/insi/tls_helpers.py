"""A test PKI (a CA, a server certificate for 127.0.0.1, client certificates) and a local HTTPS INSi server."""

from __future__ import annotations

import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from insi.backends.simulator import Simulator
from insi.protocol import (
    ACTION_TRAITS,
    ACTION_VITALE,
    build_fault,
    build_result_response,
    parse_envelope,
    read_traits_request,
    read_vitale_request,
)


def _name(cn: str, ou: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if ou:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    return x509.Name(parts)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class Authority:
    """A test certificate authority that signs server and client certificates."""

    name: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    def __post_init__(self) -> None:
        now = datetime.now(UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(self.name))
            .issuer_name(_name(self.name))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def issue(self, cn: str, *, ou: str = "", days: int = 365, server: bool = False):
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(cn, ou))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days))
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
            )
        return key, builder.sign(self.key, hashes.SHA256())

    def write_bundle(self, path: Path) -> str:
        path.write_bytes(_pem(self.cert))
        return str(path)


def write_pkcs12(path: Path, key, cert, passphrase: str) -> str:
    data = pkcs12.serialize_key_and_certificates(
        b"insi", key, cert, None, serialization.BestAvailableEncryption(passphrase.encode())
    )
    path.write_bytes(data)
    return str(path)


def write_pem(directory: Path, key, cert) -> tuple[str, str]:
    cert_path, key_path = directory / "client.crt", directory / "client.key"
    cert_path.write_bytes(_pem(cert))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_path), str(key_path)


class InsiHttpsServer:
    """The simulator behind real TLS on 127.0.0.1, requiring a client certificate signed by the test CA."""

    def __init__(self, tmp: Path, authority: Authority, *, require_client_cert: bool = True) -> None:
        self.requests: list[bytes] = []
        self.client_subjects: list[str] = []
        key, cert = authority.issue("127.0.0.1", server=True)
        cert_path, key_path = tmp / "server.crt", tmp / "server.key"
        cert_path.write_bytes(_pem(cert))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert_path), str(key_path))
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(cadata=_pem(authority.cert).decode())
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                owner.requests.append(body)
                peer = self.connection.getpeercert() or {}
                owner.client_subjects.append(str(peer.get("subject", "")))
                action, element = parse_envelope(body)
                if action in (ACTION_TRAITS, ACTION_VITALE):
                    if action == ACTION_TRAITS:
                        reply = Simulator().answer_traits(read_traits_request(element))
                    else:
                        reply = Simulator().answer_vitale(read_vitale_request(element))
                    if reply.result is not None and reply.failure is None:
                        status, answer = 200, build_result_response(reply.result)
                    else:
                        status, answer = 500, build_fault("siram_40", "insi_102", "Service indisponible")
                else:
                    status, answer = 500, build_fault("", "", "Opération inconnue.", sender=True)
                self.send_response(status)
                self.send_header("Content-Type", "application/soap+xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}/lps"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> InsiHttpsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
