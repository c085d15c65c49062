"""Runs the real OpenID Connect provider (``tests/support/oidc/provider.mjs``, panva's oidc-provider on Node.js)
on a free loopback port, with one test client and accounts whose groups a test can change between logins."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "vendorvet-test"
CLIENT_SECRET = "test-client-secret-5f1c2a9e"  # a test-only client of a throwaway provider


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OidcProvider:
    def __init__(self, redirect_uri: str, workdir: Path):
        node = shutil.which("node")
        if node is None:
            pytest.fail("Node.js is needed for the single sign-on tests (apt-get install nodejs)")
        if not (HERE / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("oidc-provider is not installed: run 'npm ci' in tests/support/oidc (scripts/test does)")
        self.accounts_file = workdir / "accounts.json"
        self.accounts: dict[str, dict] = {}
        self._write()
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        env = {"PATH": "/usr/bin:/bin", "OIDC_PORT": str(self.port), "OIDC_CLIENT_ID": CLIENT_ID,
               "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_REDIRECT_URI": redirect_uri,
               "OIDC_ACCOUNTS": str(self.accounts_file)}
        self.log = open(workdir / "provider.log", "w+b")
        self.process = subprocess.Popen([node, str(HERE / "provider.mjs")], cwd=HERE, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        self.log.seek(0)
        pytest.fail(f"the OIDC provider did not start: {self.log.read()[-2000:]!r}")

    def _write(self) -> None:
        self.accounts_file.write_text(json.dumps(self.accounts), encoding="utf-8")

    def set_account(self, login: str, email: str, groups: list[str], name: str = "") -> None:
        self.accounts[login] = {"email": email, "groups": groups, "name": name or login}
        self._write()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()
