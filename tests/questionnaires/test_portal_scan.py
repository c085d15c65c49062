"""Our own scanner, pointed at the vendor portal: the pages pass the TLS, header and CSP checks vendorvet applies to
vendors — served over TLS on loopback with a test CA (production HTTPS settings), grade A or better."""

from __future__ import annotations

import ssl
import threading
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core import mail

from tests.engine.conftest import by_id, scan_local
from tests.engine.servers import server_context
from tests.questionnaires.conftest import link_of, path_of

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]

HOST = "api.vendor.test"  # the name the test CA's "good" certificate is for


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

    def handle(self):
        from django.db import connections

        try:
            super().handle()
        finally:
            connections.close_all()  # this thread's connection, so the test database can be dropped

    def get_environ(self):
        env = super().get_environ()
        env["HTTPS"] = "on"  # served over TLS: Django sees a secure request
        return env


class _TlsServer(WSGIServer):
    context: ssl.SSLContext

    def get_request(self):
        sock, addr = super().get_request()
        return self.context.wrap_socket(sock, server_side=True), addr

    def handle_error(self, request, client_address):  # the scanner probes old protocols on purpose
        pass


@contextmanager
def serve_portal(context: ssl.SSLContext):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, StaticFilesHandler(get_wsgi_application()), server_class=_TlsServer,
                         handler_class=_Quiet)
    server.context = context
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def https_settings(settings):
    """What a production installation behind HTTPS sets (vendorvet.web.settings with VENDORVET_HTTPS)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = [HOST, "127.0.0.1", "localhost"]
    return settings


def test_the_portal_earns_grade_a_from_our_own_scanner(pki, https_settings, send):
    q = send(points=["cert.pentest"])
    path = path_of(link_of(mail.outbox[-1]))
    with serve_portal(server_context(*pki.good)) as port:
        result = scan_local(port, ca_file=pki.ca_pem, checks=["tls", "http.headers", "http.hsts"], path=path)
        refused = scan_local(port, ca_file=pki.ca_pem, checks=["http.headers"], path="/q/not-a-link/")
    headers = by_id(result)["http.headers"]
    assert headers.status.value == "pass", headers.evidence
    assert headers.evidence["grade"] in ("A+", "A"), headers.evidence
    assert headers.evidence["tests"]["content-security-policy"]["result"].startswith("csp-implemented"), \
        headers.evidence["tests"]["content-security-policy"]
    assert by_id(result)["http.hsts"].status.value == "pass"
    [target] = result.targets if hasattr(result, "targets") else [result]
    assert target.grade in ("A+", "A"), (target.grade, [d.reason for d in result.deductions])
    assert by_id(refused)["http.headers"].evidence["grade"] in ("A+", "A")  # the neutral refusal page too
    q.refresh_from_db()
    assert q.status == "opened"  # the scanner really read the questionnaire page through the link
