"""Registry contract, target parsing, and the engine's independence from Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from vendorvet.engine import registry
from vendorvet.engine.models import TargetError, parse_target

CONTRACT_IDS = {
    "tls.protocol.legacy", "tls.protocol.tls12", "tls.protocol.tls13", "tls.cipher.weak",
    "tls.cipher.forward_secrecy", "tls.kex.weak_dh", "tls.cert.expired", "tls.cert.expiring", "tls.cert.hostname",
    "tls.cert.trust", "tls.cert.signature", "tls.cert.key", "tls.vuln.heartbleed", "tls.vuln.robot",
    "tls.vuln.ccs_injection", "tls.vuln.renegotiation", "tls.vuln.compression", "http.hsts", "http.redirect_https",
    "http.cors", "disclosure.security_txt", "api.ratelimit.headers", "api.ratelimit.retry_after",
    "api.lifecycle.deprecation",
}


def test_engine_imports_without_django():
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        import vendorvet.engine as engine
        for info in pkgutil.walk_packages(engine.__path__, prefix="vendorvet.engine."):
            importlib.import_module(info.name)
        from vendorvet.engine import registry
        assert registry.all_checks()
        assert "django" not in sys.modules, sorted(m for m in sys.modules if m.startswith("django"))
        print("ok", len(registry.all_checks()))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


def test_every_contract_check_is_registered_with_metadata():
    checks = registry.all_checks()
    assert CONTRACT_IDS <= set(checks)
    for spec in checks.values():
        assert spec.title and spec.risk and spec.remediation and spec.requires


def test_metadata_is_validated_at_load(tmp_path, monkeypatch):
    pkg = tmp_path / "fakechecks" / "tls"
    pkg.mkdir(parents=True)
    (tmp_path / "fakechecks" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text(textwrap.dedent("""
        METADATA = {"id": "tls.other", "severity": "high", "title": "t", "risk": "r", "remediation": "x",
                    "requires": ["tls"]}
        def check(facts): pass
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(registry.RegistryError, match="must equal the module path"):
        registry.discover("fakechecks")
    (pkg / "bad.py").write_text(textwrap.dedent("""
        METADATA = {"id": "tls.bad", "severity": "urgent", "title": "t", "risk": "r", "remediation": "x",
                    "requires": ["tls"]}
        def check(facts): pass
    """))
    sys.modules.pop("fakechecks.tls.bad", None)
    with pytest.raises(registry.RegistryError, match="unknown severity"):
        registry.discover("fakechecks")


def test_select_by_family_prefix():
    ids = {s.id for s in registry.select(["tls.cert"])}
    assert ids == {i for i in CONTRACT_IDS if i.startswith("tls.cert.")}
    with pytest.raises(registry.RegistryError):
        registry.select(["nothing.like.this"])


@pytest.mark.parametrize("raw, host, port, path", [
    ("api.vendor.example", "api.vendor.example", 443, "/"),
    ("API.Vendor.example:8443", "api.vendor.example", 8443, "/"),
    ("https://api.vendor.example/v2/health?x=1", "api.vendor.example", 443, "/v2/health?x=1"),
    ("https://[2001:db8::1]:8443/", "2001:db8::1", 8443, "/"),
    ("203.0.113.5", "203.0.113.5", 443, "/"),
])
def test_parse_target(raw, host, port, path):
    target = parse_target(raw)
    assert (target.host, target.port, target.path) == (host, port, path)


@pytest.mark.parametrize("raw", ["http://api.vendor.example", "ftp://x", "user:pw@host", "https://a b",
                                 "https://host:99999", "bad_host!", ""])
def test_invalid_targets_are_refused(raw):
    with pytest.raises(TargetError):
        parse_target(raw)
