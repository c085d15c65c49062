"""One polite, conditional fetch of a published page through the engine's one SSRF-safe client.

Every hop — the page, each redirect, robots.txt — goes through :func:`vendorvet.engine.collectors.http.send`,
so the resolver vets and pins each host again (a redirect to loopback or a metadata address is refused unless
the operator's policy allows it). The body is capped (a larger page is refused, not truncated and compared),
each operation is bounded by a timeout and the whole exchange by twice that, robots.txt is honoured for our
user agent, and a per-host limiter keeps us to a few connections at a time with a pause between requests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from vendorvet.engine.collectors.http import HttpError, send
from vendorvet.engine.net import PolicyRefused, Resolver

USER_AGENT = "vendorvet-watch/0.1 (+https://github.com/vendorvet; watches vendors' published terms)"
ROBOTS_AGENT = "vendorvet-watch"
MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10.0
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class PageFetch:
    state: str  # "fetched" | "not_modified" | "error"
    url: str
    final_url: str = ""
    http_status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    reason: str = ""  # why it could not be checked (state "error")

    @property
    def ok(self) -> bool:
        return self.state != "error"


class HostLimiter:
    """At most ``per_host`` requests to one host at a time, and ``interval`` seconds between their starts."""

    def __init__(self, per_host: int = 2, interval: float = 0.0):
        self.per_host, self.interval = per_host, interval
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._last: dict[str, float] = {}

    def __call__(self, host: str):
        limiter = self

        class _Slot:
            def __enter__(self):
                with limiter._lock:
                    sem = limiter._slots.setdefault(host, threading.BoundedSemaphore(limiter.per_host))
                sem.acquire()
                if limiter.interval:
                    with limiter._lock:
                        wait = limiter._last.get(host, 0.0) + limiter.interval - time.monotonic()
                        limiter._last[host] = time.monotonic() + max(wait, 0.0)
                    if wait > 0:
                        time.sleep(wait)
                self.sem = sem

            def __exit__(self, *exc):
                self.sem.release()

        return _Slot()


class Robots:
    """robots.txt per origin for one round of checks (fetched once through the same client)."""

    def __init__(self):
        self._cache: dict[str, RobotFileParser | None] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str, resolver: Resolver, timeout: float) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = origin in self._cache
            parser = self._cache.get(origin)
        if not known:
            parser = self._load(origin, resolver, timeout)
            with self._lock:
                self._cache[origin] = parser
        return True if parser is None else parser.can_fetch(ROBOTS_AGENT, url)

    @staticmethod
    def _load(origin: str, resolver: Resolver, timeout: float) -> RobotFileParser | None:
        try:
            answer = send("GET", origin + "/robots.txt", b"", {"User-Agent": USER_AGENT,
                          "Accept-Encoding": "identity"}, resolver, timeout=timeout, max_body=512 * 1024)
        except (PolicyRefused, HttpError, OSError, ValueError):
            return None  # no robots.txt to read: the page fetch itself says what went wrong
        parser = RobotFileParser()
        if answer.status in (401, 403):
            parser.disallow_all = True
        elif 200 <= answer.status < 300:
            parser.parse(answer.body.decode("utf-8", "replace").splitlines())
        else:
            return None  # 404 and friends: no rules
        return parser


def fetch(url: str, resolver: Resolver, *, etag: str = "", last_modified: str = "", max_bytes: int = MAX_BYTES,
          timeout: float = TIMEOUT, robots: Robots | None = None, limiter: HostLimiter | None = None) -> PageFetch:
    """GET ``url`` conditionally (``If-None-Match``/``If-Modified-Since``), following up to five redirects by hand.

    Never raises for network trouble: a refused, stalled, oversized or failed fetch comes back as state
    ``error`` with the reason (the caller keeps what it stored before)."""
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return PageFetch("error", url, current, reason=f"not an http(s) address: {current[:200]}")
        if parts.username or parts.password:
            return PageFetch("error", url, current, reason="addresses with credentials are not fetched")
        if robots is not None and not robots.allowed(current, resolver, timeout):
            return PageFetch("error", url, current, reason=f"robots.txt of {parts.hostname} does not allow "
                                                            "fetching this page")
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                   "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        slot = limiter(parts.hostname) if limiter is not None else None
        try:
            if slot is not None:
                slot.__enter__()
            answer = send("GET", current, b"", headers, resolver, timeout=timeout, max_body=max_bytes + 1)
        except PolicyRefused as exc:
            return PageFetch("error", url, current, reason=f"refused by the network policy: {str(exc)[:200]}")
        except HttpError as exc:
            kind = "timed out (the server did not answer in time)" if "Timeout" in type(exc).__name__ \
                else f"failed ({type(exc).__name__})"
            return PageFetch("error", url, current, reason=f"the request to {parts.hostname} {kind}")
        except (OSError, ValueError) as exc:
            return PageFetch("error", url, current, reason=f"{parts.hostname} could not be reached "
                                                            f"({type(exc).__name__})")
        finally:
            if slot is not None:
                slot.__exit__(None, None, None)
        location = answer.header("location")
        if answer.status in REDIRECTS and location:
            current = urljoin(current, location.split(",")[0].strip())
            continue
        if answer.status == 304:
            return PageFetch("not_modified", url, current, 304, etag=answer.header("etag") or etag,
                             last_modified=answer.header("last-modified") or last_modified)
        if answer.body_truncated or len(answer.body) > max_bytes:
            return PageFetch("error", url, current, answer.status,
                             reason=f"the page is larger than {max_bytes // (1024 * 1024)} MB and was not read")
        if not 200 <= answer.status < 300:
            return PageFetch("error", url, current, answer.status,
                             reason=f"the server answered HTTP {answer.status}")
        encoding = (answer.header("content-encoding") or "identity").strip().lower()
        if encoding not in ("", "identity"):
            return PageFetch("error", url, current, answer.status,
                             reason=f"the server sent a {encoding}-compressed body although none was asked for")
        return PageFetch("fetched", url, current, answer.status, answer.body, answer.header("content-type") or "",
                         answer.header("etag") or "", answer.header("last-modified") or "")
    return PageFetch("error", url, current, reason=f"more than {MAX_REDIRECTS} redirects")
