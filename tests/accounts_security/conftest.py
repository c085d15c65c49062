"""A real HTTP server (waitress on 127.0.0.1) for the front-door tests, and a client that speaks to it like a browser."""

from __future__ import annotations

import re
import threading

import httpx
import pytest


@pytest.fixture
def http_server(transactional_db):
    import waitress

    from vendorvet.web.wsgi import application

    from waitress import wasyncore

    server = waitress.create_server(application, host="127.0.0.1", port=0, threads=4, ident="vendorvet-test",
                                    clear_untrusted_proxy_headers=True)
    stop = threading.Event()

    def run():
        # waitress's own run() waits up to 1 s in select() (an integer timeout), so closing the server at teardown
        # cost a second per test; this loop looks at ``stop`` every 0.1 s (as tests/support/live_waitress.py does)
        try:
            while not stop.is_set():
                wasyncore.loop(timeout=0.1, map=server._map, count=1)
        except OSError:  # the listening socket closed under select() at teardown: the server has stopped
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


class Browser:
    """Cookies, CSRF tokens from the forms, no redirects followed unless asked."""

    def __init__(self, base: str, user_agent: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
        self.base = base
        self.http = httpx.Client(base_url=base, headers={"User-Agent": user_agent}, timeout=20)

    def get(self, path, **kw):
        return self.http.get(path, **kw)

    def post_form(self, page: str, data: dict, action: str | None = None):
        html = self.http.get(page, follow_redirects=True).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.http.post(action or page, data={"csrfmiddlewaretoken": token, **data},
                              headers={"Referer": self.base + page})

    def login(self, username: str, password: str):
        return self.post_form("/accounts/login/", {"username": username, "password": password})

    def close(self):
        self.http.close()


@pytest.fixture
def browser(http_server):
    made = []

    def make(**kw) -> Browser:
        b = Browser(http_server, **kw)
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()
