"""HTTP facts through httpx: headers of the API, plain-HTTP redirect, CORS probe, security.txt.

Every connection goes through :class:`PinnedBackend`: the host of each request — the
target and every redirect hop — is resolved once and vetted by the SSRF guard before a
socket is opened, and every read and write is bounded by a deadline, so a server that
trickles bytes (slowloris) or streams headers forever cannot hold the scanner. Redirects
are followed by hand (capped), response bodies are read raw (no decompression bombs)
and capped, and header blocks are capped by h11.
"""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from vendorvet.engine.facts import Fetch, HttpExchange, HttpFacts
from vendorvet.engine.models import Attempt, Target
from vendorvet.engine.net import Deadline, PolicyRefused, Resolver

USER_AGENT = "vendorvet-scan/0.1 (+https://github.com/vendorvet; third-party security vetting)"
PROBE_ORIGIN = "https://vendorvet-cors-probe.example"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class HttpOptions:
    timeout: float = 10.0  # connect/read/write, per operation
    request_budget: float = 20.0  # wall time for one fetch including its redirects
    max_redirects: int = 5
    max_body: int = 256 * 1024
    plain_http_port: int | None = 80  # None: don't try plain HTTP
    ca_file: Path | None = None


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline):
        self._inner, self._deadline = inner, deadline

    def _bounded(self, timeout: float | None, error) -> float:
        remaining = self._deadline.remaining()
        if remaining <= 0:
            raise error("the total time allowed for this request ran out")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        inner = self._inner.start_tls(ssl_context, server_hostname, self._bounded(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the resolver vetted, and bounds every operation by ``deadline``."""

    def __init__(self, resolver: Resolver):
        self.resolver = resolver
        self.deadline = Deadline(30)
        self.connected: list[tuple[str, str, int]] = []
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.resolver.vetted(host, port)  # PolicyRefused propagates untouched
        last: Exception | None = None
        for address in addresses:
            remaining = self.deadline.remaining()
            if remaining <= 0:
                raise httpcore.ConnectTimeout("the total time allowed for this request ran out")
            try:
                stream = self._inner.connect_tcp(address, port, timeout=min(timeout or remaining, remaining),
                                                 local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            self.connected.append((host, address, port))
            return _DeadlineStream(stream, self.deadline)
        raise last or httpcore.ConnectError(f"no address to connect to for {host}")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: PinnedBackend, ssl_context: ssl.SSLContext):
        super().__init__(verify=ssl_context, trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, max_connections=1,
                                             max_keepalive_connections=1, network_backend=backend, retries=0)


@lru_cache(maxsize=8)
def _ssl_context(verify: bool, ca_file: Path | None) -> ssl.SSLContext:
    """One client context per trust configuration for the whole scan, shared by every target's session.

    Loading the system and certifi roots costs milliseconds of CPU and megabytes of native OpenSSL memory
    per context; building one per target made a 200-target scan's peak memory grow by hundreds of MB.
    Nothing changes it after it is built, except httpcore setting the same ALPN list ("http/1.1") per connection.
    """
    if not verify:
        # Only used to read headers after the verified attempt failed: accept what the server speaks,
        # the TLS checks judge the configuration. The failure is recorded in HttpFacts.tls_verify_error.
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        try:
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except ssl.SSLError:  # pragma: no cover - OpenSSL without security levels
            pass
        return ctx
    ctx = ssl.create_default_context()
    try:
        import certifi

        ctx.load_verify_locations(certifi.where())
    except ImportError:  # pragma: no cover - httpx depends on certifi
        pass
    if ca_file:
        ctx.load_verify_locations(str(ca_file))
    return ctx


class HttpSession:
    """One target's HTTP work: a single connection at a time, a capped number of requests."""

    MAX_REQUESTS = 24

    def __init__(self, resolver: Resolver, options: HttpOptions, verify: bool = True):
        self.options = options
        self.backend = PinnedBackend(resolver)
        self.requests = 0
        self._lock = threading.Lock()
        timeout = httpx.Timeout(options.timeout)
        self.client = httpx.Client(
            transport=_PinnedTransport(self.backend, _ssl_context(verify, options.ca_file)),
            timeout=timeout, follow_redirects=False, trust_env=False,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept": "*/*"},
        )

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Fetch:
        hops: list[HttpExchange] = []
        self.backend.deadline = Deadline(self.options.request_budget)
        current, seen = url, set()
        try:
            while True:
                if self.requests >= self.MAX_REQUESTS:
                    return Fetch(url, tuple(hops), "request budget for this host is used up", "budget")
                self.requests += 1
                exchange = self._one(current, headers or {})
                hops.append(exchange)
                location = exchange.header("location")
                if exchange.status not in REDIRECT_STATUSES or not location:
                    return Fetch(url, tuple(hops))
                nxt = urljoin(current, location.split(",")[0].strip())
                if urlsplit(nxt).scheme not in ("http", "https"):
                    return Fetch(url, tuple(hops), f"redirect to unsupported scheme: {nxt}", "protocol")
                if nxt in seen or len(hops) > self.options.max_redirects:
                    return Fetch(url, tuple(hops), f"more than {self.options.max_redirects} redirects "
                                 f"(last to {nxt})", "too_many_redirects")
                seen.add(current)
                current = nxt
        except PolicyRefused as exc:
            return Fetch(url, tuple(hops), f"{current}: {exc}", "refused_by_policy")
        except httpx.TimeoutException as exc:
            return Fetch(url, tuple(hops), f"{current}: timed out ({exc or 'no answer in time'})", "timeout")
        except httpx.ConnectError as exc:
            reason = "tls" if "SSL" in str(exc) or "TLS" in str(exc) else "connectivity"
            return Fetch(url, tuple(hops), f"{current}: {exc}", reason)
        except (httpx.HTTPError, httpcore.ProtocolError, ssl.SSLError, ValueError) as exc:
            return Fetch(url, tuple(hops), f"{current}: {type(exc).__name__}: {exc}", "protocol")
        except OSError as exc:  # name resolution or socket errors outside httpx's mapping
            return Fetch(url, tuple(hops), f"{current}: {exc}", "connectivity")
        except Exception as exc:  # noqa: BLE001 - report, never crash the scan
            return Fetch(url, tuple(hops), f"{current}: {type(exc).__name__}: {exc}", "protocol")

    def _one(self, url: str, headers: dict[str, str], method: str = "GET", body: bytes | None = None) -> HttpExchange:
        request = self.client.build_request(method, url, headers=headers, content=body)
        response = self.client.send(request, stream=True)
        try:
            body = bytearray()
            truncated = False
            for chunk in response.iter_raw():
                body.extend(chunk)
                if len(body) > self.options.max_body:
                    truncated = True
                    del body[self.options.max_body:]
                    break
            return HttpExchange(
                method=method, url=url, status=response.status_code,
                headers=tuple((k.decode("latin-1").lower(), v.decode("latin-1"))
                              for k, v in response.headers.raw),
                body=bytes(body), body_truncated=truncated,
                request_headers=tuple(headers.items()),
            )
        finally:
            response.close()


HttpError = httpx.HTTPError  # what send() raises on network trouble (callers need not import httpx)


def send(method: str, url: str, body: bytes, headers: dict[str, str], resolver: Resolver,
         timeout: float = 10.0, max_body: int = 64 * 1024) -> HttpExchange:
    """One request (e.g. a webhook POST) through the same hardened client the scans use: the host vetted by the
    SSRF guard and pinned, every operation within ``timeout`` and the whole exchange within ``2 × timeout``,
    no redirects followed, the response body capped. Errors propagate (:class:`PolicyRefused`, ``httpx``)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url}")
    session = HttpSession(resolver, HttpOptions(timeout=timeout, request_budget=2 * timeout, max_body=max_body))
    try:
        session.backend.deadline = Deadline(session.options.request_budget)
        return session._one(url, headers, method=method, body=body)
    finally:
        session.close()


def collect_http(target: Target, resolver: Resolver, options: HttpOptions) -> Attempt[HttpFacts]:
    """Fetch the target over HTTPS (verified; unverified again if the certificate fails), plain HTTP,
    a CORS probe and /.well-known/security.txt — sequentially, one connection at a time."""
    session = HttpSession(resolver, options, verify=True)
    verified, verify_error = True, ""
    try:
        main = session.fetch(target.url)
        if main.error_reason == "tls" and not main.hops:
            verified, verify_error = False, main.error
            session.close()
            session = HttpSession(resolver, options, verify=False)
            main = session.fetch(target.url)
        if not main.hops:
            return Attempt.failure(main.error_reason or "connectivity", main.error or "no response")
        plain = None
        if options.plain_http_port:
            port = "" if options.plain_http_port == 80 else f":{options.plain_http_port}"
            plain = session.fetch(f"http://{target.url_host}{port}{target.path}")
        cors = session.fetch(target.url, {"Origin": PROBE_ORIGIN})
        security_txt = session.fetch(target.base_url + "/.well-known/security.txt")
    finally:
        session.close()
    return Attempt.success(HttpFacts(
        base_url=target.base_url, main=main, plain=plain, cors_probe=cors, security_txt=security_txt,
        probe_origin=PROBE_ORIGIN, tls_verified=verified, tls_verify_error=verify_error,
        checked_at=dt.datetime.now(dt.timezone.utc),
    ))
