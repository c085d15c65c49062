"""Test settings: the production settings, with a throwaway data directory.

Set before ``vendorvet.web.settings`` is imported, so no test run touches the
developer's real data directory, secret key or demo database.
"""

import os
import tempfile

os.environ["VENDORVET_DATA_DIR"] = os.environ.get("VENDORVET_TEST_DATA_DIR") or tempfile.mkdtemp(
    prefix="vendorvet-test-"
)

from vendorvet.web.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production keeps PBKDF2
DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not keep the test database open  # noqa: F405
# The whole suite talks to the API from 127.0.0.1 within minutes: production rates would throttle unrelated tests.
# tests/accounts_security/test_throttling.py sets the real limits it checks.
VENDORVET_API_RATES = {"token": "100000/min", "client": "100000/min", "anon": "100000/min"}  # noqa: F405
# Test-only operator override: the suite's scan targets and webhook receivers are loopback servers. Production
# settings never read it; 'vendorvet check-config' refuses it (tests/scans/test_outbound_policy.py).
# Off by default (the production policy); the 'allow_private' fixtures switch it on for loopback servers.
VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # tests/support/pgtest: flush by DELETE instead of TRUNCATE (the empty-the-database step after every
    # transactional test; see its docstring). The product's settings keep Django's backend.
    DATABASES["default"]["ENGINE"] = "tests.support.pgtest"  # noqa: F405
    # A test database is thrown away: commits need not wait for the WAL to reach the disk (the migrations, the
    # live-server and transactional tests commit thousands of times). Durability only; every query, constraint and
    # isolation level is PostgreSQL's as configured.
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = (_options.get("options", "") + " -c synchronous_commit=off").strip()
