"""A live server like pytest-django's, but served by waitress (the production WSGI server) on 127.0.0.1.

Tests reach it as ``http://localhost:PORT`` (WebAuthn needs a host name, not an IP, as relying-party id).
Requests are handled one at a time in waitress's worker thread, which shares the test's in-memory SQLite
connection like Django's own live server does.
"""

from __future__ import annotations

import threading

import pytest


class _ClosingBody:
    """The response body; when waitress closes it, the worker thread's own database connections close too (so the
    test database can be dropped at the end)."""

    def __init__(self, body, shared: set[str]):
        self._body, self._shared = body, shared

    def __iter__(self):
        return iter(self._body)

    def close(self) -> None:
        from django.db import connections

        try:
            if hasattr(self._body, "close"):
                self._body.close()
        finally:
            for conn in connections.all(initialized_only=True):
                if conn.alias not in self._shared:
                    conn.close()


class _WaitressHttpd:
    def __init__(self, host: str, port: int, overrides: dict | None):
        import waitress
        from waitress import wasyncore

        self._wasyncore = wasyncore
        self._overrides = overrides or {}
        self._app = None
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self.server = waitress.create_server(self._call, host="127.0.0.1", port=port, threads=1,
                                             ident="vendorvet-test", clear_untrusted_proxy_headers=True)
        self.server_address = ("127.0.0.1", self.server.effective_port)

    def _call(self, environ, start_response):
        from django.db import connections

        for alias, conn in self._overrides.items():
            connections[alias] = conn
        return _ClosingBody(self._app(environ, start_response), set(self._overrides))

    def set_app(self, app) -> None:
        self._app = app

    def serve_forever(self) -> None:
        try:
            while not self._stop.is_set():
                self._wasyncore.loop(timeout=0.1, map=self.server._map, count=1)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait(10)

    def server_close(self) -> None:
        self.server.task_dispatcher.shutdown()
        self._wasyncore.close_all(self.server._map)


@pytest.fixture
def waitress_server(transactional_db):
    """Yields the base URL (``http://localhost:PORT``) of vendorvet served by waitress."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    class Thread(LiveServerThread):
        def _create_server(self, connections_override=None):
            return _WaitressHttpd(self.host, self.port, connections_override)

    overrides = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = Thread("127.0.0.1", StaticFilesHandler, connections_override=overrides)
    thread.daemon = True
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for conn in overrides.values():
            conn.dec_thread_sharing()


@pytest.fixture
def release_test_connections():
    """Request it after ``browser_page``: its teardown runs while Playwright's event loop still runs, and closes the
    database connection the test's own ORM calls opened in that context (else PostgreSQL cannot drop the test
    database at the end). In-memory SQLite stays open: closing it would drop it."""
    yield
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if not (conn.vendor == "sqlite" and conn.is_in_memory_db()):
            conn.close()
