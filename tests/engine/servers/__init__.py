"""Real loopback servers for engine tests: TLS+HTTP with configurable responses, plain HTTP, hostile.

Everything listens on 127.0.0.1 with an OS-chosen port and stops when the context exits.
"""

from __future__ import annotations

import datetime as dt
import contextlib
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

Response = tuple[int, list[tuple[str, str]], bytes]
Route = Response | Callable[[BaseHTTPRequestHandler], Response]


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    default: Response = (200, [("Content-Type", "application/json")], b"{}")
    seen: list[tuple[str, str, dict]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testsrv"
    sys_version = ""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _respond(self):
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.seen.append((self.command, self.path, dict(self.headers)))
        route = site.routes.get(self.path.split("?", 1)[0], site.default)
        status, headers, body = route(self) if callable(route) else route
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_OPTIONS = _respond


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    ssl_context: ssl.SSLContext | None = None

    def get_request(self):
        sock, addr = super().get_request()
        sock.settimeout(10)
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):  # scanners send odd handshakes on purpose
        pass


@contextmanager
def serve(site: Site | None = None, context: ssl.SSLContext | None = None,
          host: str = "127.0.0.1", port: int = 0) -> Iterator[tuple[int, Site]]:
    site = site or Site()
    server = _Server((host, port), _Handler)
    server.ssl_context = context
    server.site = site  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], site
    finally:
        server.shutdown()
        server.server_close()


def server_context(cert_pem: Path, key_pem: Path, *, minimum=ssl.TLSVersion.TLSv1_2,
                   maximum=ssl.TLSVersion.MAXIMUM_SUPPORTED, ciphers: str | None = None,
                   chain_pem: Path | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if ciphers:
        ctx.set_ciphers(ciphers)
    ctx.minimum_version = minimum
    ctx.maximum_version = maximum
    ctx.load_cert_chain(str(chain_pem or cert_pem), str(key_pem))
    return ctx


# --- certificates -------------------------------------------------------------------------------

def make_leaf(ca, tmp: Path, name: str, hosts: list[str], *, key_bits: int = 2048, hash_name: str = "sha256",
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
              self_signed: bool = False, include_chain: bool = True) -> tuple[Path, Path]:
    """A leaf certificate signed by the trustme CA (or by itself), with the flaw asked for.

    Returns (certificate-chain PEM, key PEM).
    """
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    ca_key = serialization.load_pem_private_key(ca.private_key_pem.bytes(), password=None)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    sans = []
    for h in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            sans.append(x509.DNSName(h))
    issuer_name = subject if self_signed else ca_cert.subject
    signing_key = key if self_signed else ca_key
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if not self_signed:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    cert_path, key_path = tmp / f"{name}.pem", tmp / f"{name}.key"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    if hash_name == "sha256":
        cert_path.write_bytes(builder.sign(signing_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
        return cert_path, key_path
    # cryptography refuses to sign with SHA-1 (rightly); the openssl command line still can.
    import subprocess

    csr = (x509.CertificateSigningRequestBuilder().subject_name(subject)
           .add_extension(x509.SubjectAlternativeName(sans), critical=False).sign(key, hashes.SHA256()))
    (tmp / f"{name}.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    ca.cert_pem.write_to_path(str(tmp / f"{name}-ca.pem"))
    ca.private_key_pem.write_to_path(str(tmp / f"{name}-ca.key"))
    (tmp / f"{name}.ext").write_text(
        "subjectAltName=" + ",".join(("IP:" if isinstance(s, x509.IPAddress) else "DNS:") + str(s.value) for s in sans)
        + "\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    subprocess.run(["openssl", "x509", "-req", "-in", str(tmp / f"{name}.csr"), "-CA", str(tmp / f"{name}-ca.pem"),
                    "-CAkey", str(tmp / f"{name}-ca.key"), "-CAcreateserial", f"-{hash_name}", "-days", "90",
                    "-extfile", str(tmp / f"{name}.ext"), "-out", str(cert_path)],
                   check=True, capture_output=True, timeout=60)
    return cert_path, key_path


# --- hostile servers --------------------------------------------------------------------------------

@contextmanager
def hostile(behaviour: str, stop_after: float = 30.0, host: str = "127.0.0.1") -> Iterator[int]:
    """A plain-TCP server that misbehaves: ``slowloris`` (one header byte every 0.2 s),
    ``endless_headers`` (header lines forever), ``silent`` (accepts, never answers),
    ``redirect_loop`` (301 to itself forever), ``redirect_loopback`` (301 to http://127.0.0.1)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))
    listener.listen(16)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def talk(conn: socket.socket) -> None:
        end = time.monotonic() + stop_after
        try:
            conn.settimeout(2)
            conn.recv(4096)
            if behaviour == "slowloris":
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                while not stop.is_set() and time.monotonic() < end:
                    conn.sendall(b"X")
                    time.sleep(0.2)
            elif behaviour == "endless_headers":
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                i = 0
                while not stop.is_set() and time.monotonic() < end:
                    conn.sendall(b"X-Filler-%d: %s\r\n" % (i, b"a" * 100))
                    i += 1
            elif behaviour == "silent":
                stop.wait(stop_after)
            elif behaviour in ("redirect_loop", "redirect_loopback"):
                location = (f"http://{host}:{port}/again" if behaviour == "redirect_loop"
                            else "http://127.0.0.1/admin")
                conn.sendall(f"HTTP/1.1 301 Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n"
                             "Connection: close\r\n\r\n".encode())
        except OSError:
            pass
        finally:
            conn.close()

    with accepting(listener, talk, stop):
        yield port


@contextlib.contextmanager
def accepting(listener: socket.socket, talk, stop: threading.Event):
    """Serve each connection of ``listener`` (with a short accept timeout) by ``talk`` on its own thread until
    the block ends; then ``stop`` is set and the listener closed."""
    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            threading.Thread(target=talk, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
