"""Settings for the ``vendorvet worker`` subprocesses of the multi-worker tests: the test settings plus the
engine options the test passes in the environment (its loopback DNS server and test CA)."""

import json
import os

from tests.settings import *  # noqa: F401,F403

VENDORVET_SCAN_OPTIONS = json.loads(os.environ.get("VENDORVET_TEST_SCAN_OPTIONS") or "{}")
# the workers scan the loopback vendor server and deliver to the loopback receiver: the test-only operator override
VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = True
