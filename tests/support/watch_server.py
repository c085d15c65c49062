"""A loopback HTTP server whose pages a test changes between fetches (the vendor's published pages).

``pages[path] = (status, headers, body)``; a body may be a callable returning bytes. Special behaviours per path:
``stall`` (answers nothing until the test ends), ``huge`` (streams 50 MB). Honours If-None-Match with the ETag it
sends. Requests are counted per path so tests can see what was fetched.
"""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        server = self.server
        path = self.path.split("?")[0]
        with server.lock:
            server.hits[path] = server.hits.get(path, 0) + 1
            server.request_headers.setdefault(path, []).append(dict(self.headers))
        if path in server.stall:
            server.stopping.wait(30)
            return
        if path in server.huge:
            size = 50 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        page = server.pages.get(path)
        if page is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, headers, body = page
        body = body() if callable(body) else body
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if status == 200 and server.etags and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status == 200 and server.etags:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class WatchServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages: dict[str, tuple] = {}
        self.stall: set[str] = set()
        self.huge: set[str] = set()
        self.hits: dict[str, int] = {}
        self.request_headers: dict[str, list] = {}
        self.etags = True
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def html(self, path: str, html: str, status: int = 200, **headers):
        self.pages[path] = (status, {"Content-Type": "text/html; charset=utf-8", **headers}, html.encode())

    def redirect(self, path: str, location: str):
        self.pages[path] = (302, {"Location": location}, b"")

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.stopping.set()
        self.shutdown()
        self.server_close()
        time.sleep(0)


def subprocessor_page(rows, stamp="Last updated: 3 March 2025", intro="Our sub-processors") -> str:
    """A realistic sub-processor page: navigation, a timestamp, a table, a footer and a cache-busted script."""
    body = "".join(f"<tr><td>{n}</td><td>{p}</td><td>{c}</td></tr>" for n, p, c in rows)
    return (
        "<!doctype html><html><head><title>Sub-processors</title>"
        "<script src='/app.js?v=8f3a9c2b7d1e4f60a9b8'></script><style>td{padding:1px}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/trust'>Trust</a></nav>"
        f"<main><h1>{intro}</h1><p>{stamp}</p>"
        "<p>We use the following sub-processors to provide the service.</p>"
        "<table><thead><tr><th>Sub-processor</th><th>Purpose</th><th>Country</th></tr></thead>"
        f"<tbody>{body}</tbody></table></main>"
        "<footer>© 2025 Example GmbH · build 4f9a2c7e1b3d5a6f</footer></body></html>")
