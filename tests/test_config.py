"""Production readiness report and ``vendorvet check-config``."""

from __future__ import annotations

import json

import pytest

from vendorvet.cli.main import main
from vendorvet.web.config import production_report

STRONG_KEY = "k9T$2vQ!x7Lm#4pR8zW@1nB6cY^3fH0jD5sG&uE*aK+oI=eN-Vb7Zq1Xw"  # 57 characters, varied
PRODUCTION_ENV = {
    "SECRET_KEY": STRONG_KEY,
    "DATABASE_URL": "postgres://vendorvet@db.internal:5432/vendorvet",
    "VENDORVET_ALLOWED_HOSTS": "vendorvet.example.com",
    "VENDORVET_CSRF_TRUSTED_ORIGINS": "https://vendorvet.example.com",
    "VENDORVET_HTTPS": "true",
    "VENDORVET_DATA_DIR": "/var/lib/vendorvet",
    "VENDORVET_BASE_URL": "https://vendorvet.example.com",
    "EMAIL_HOST": "smtp.example.com",
}
CONFIG_VARS = ["SECRET_KEY", "VENDORVET_SECRET_KEY", "DATABASE_URL", "VENDORVET_DEBUG", "VENDORVET_ALLOWED_HOSTS",
               "VENDORVET_HTTPS", "VENDORVET_CSRF_TRUSTED_ORIGINS", "VENDORVET_DATA_DIR", "VENDORVET_BASE_URL",
               "EMAIL_HOST", "VENDORVET_MFA_REQUIRE"]


def levels(report) -> dict[str, str]:
    return {p.setting: p.level for p in report.problems}


def test_empty_environment_is_not_production_ready():
    report = production_report({})
    assert not report.ok
    found = levels(report)
    assert found["SECRET_KEY"] == "error"
    assert found["VENDORVET_ALLOWED_HOSTS"] == "error"
    assert found["DATABASE_URL"] == "warning"
    assert found["VENDORVET_HTTPS"] == "warning"


def test_complete_production_environment_has_no_problems():
    report = production_report(PRODUCTION_ENV)
    assert report.ok
    assert report.problems == []


@pytest.mark.parametrize("override, setting, level", [
    ({"SECRET_KEY": "short"}, "SECRET_KEY", "error"),
    ({"SECRET_KEY": "a" * 60}, "SECRET_KEY", "error"),
    ({"VENDORVET_DEBUG": "1"}, "VENDORVET_DEBUG", "error"),
    ({"VENDORVET_ALLOWED_HOSTS": "*"}, "VENDORVET_ALLOWED_HOSTS", "error"),
    ({"DATABASE_URL": "sqlite:////var/lib/vendorvet/db.sqlite3"}, "DATABASE_URL", "warning"),
    ({"VENDORVET_HTTPS": "no", "VENDORVET_MFA_REQUIRE": "admins"}, "VENDORVET_HTTPS", "warning"),
    ({"VENDORVET_MFA_REQUIRE": "none"}, "VENDORVET_MFA_REQUIRE", "error"),
])
def test_single_weakness_is_reported(override, setting, level):
    report = production_report({**PRODUCTION_ENV, **override})
    assert levels(report) == {setting: level}
    assert report.ok is (level != "error")


def test_vendorvet_secret_key_is_accepted_as_alias():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    assert production_report({**env, "VENDORVET_SECRET_KEY": STRONG_KEY}).ok


@pytest.fixture
def clean_env(monkeypatch):
    for name in CONFIG_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_check_config_fails_without_production_settings(clean_env, capsys):
    assert main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert "ERROR    SECRET_KEY:" in out
    assert "ERROR    VENDORVET_ALLOWED_HOSTS:" in out
    assert "ERROR    VENDORVET_MFA_REQUIRE: administrators are not required to use a second factor" in out
    assert out.strip().splitlines()[-1].startswith("Not ready for production: 3 errors")


def _current_osv_data(env, tmp_path):
    """A data directory holding a freshly imported OSV database (empty vulnerability data is a warning)."""
    from pathlib import Path

    from vendorvet.engine.supplychain.store import OsvStore

    with OsvStore(tmp_path / "osv.sqlite3") as store:
        store.import_path(Path(__file__).parent / "fixtures" / "osv")
    env.setenv("VENDORVET_DATA_DIR", str(tmp_path))


def test_check_config_passes_with_warnings_only(clean_env, capsys, tmp_path):
    for name, value in PRODUCTION_ENV.items():
        clean_env.setenv(name, value)
    _current_osv_data(clean_env, tmp_path)
    clean_env.delenv("VENDORVET_HTTPS")
    clean_env.setenv("VENDORVET_MFA_REQUIRE", "admins")  # without production mode it is not the default
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "WARNING  VENDORVET_HTTPS:" in out
    assert out.strip().splitlines()[-1] == "Ready for production (1 warning to look at)."


def test_check_config_json(clean_env, capsys, tmp_path):
    for name, value in PRODUCTION_ENV.items():
        clean_env.setenv(name, value)
    _current_osv_data(clean_env, tmp_path)
    clean_env.setenv("VENDORVET_DEBUG", "yes")
    assert main(["check-config", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["problems"] == [{"setting": "VENDORVET_DEBUG", "level": "error",
                                 "message": data["problems"][0]["message"]}]
    assert "debug" in data["problems"][0]["message"]

    clean_env.delenv("VENDORVET_DEBUG")
    assert main(["check-config", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "errors": 0, "warnings": 0, "problems": []}


def test_production_mode_requires_a_second_factor_for_administrators_by_default():
    from vendorvet.web.config import mfa_minimum

    assert mfa_minimum({"VENDORVET_HTTPS": "true"}) == "admins"
    assert mfa_minimum({}) == "none"
    assert mfa_minimum({"VENDORVET_MFA_REQUIRE": "all"}) == "all"
    assert mfa_minimum({"VENDORVET_MFA_REQUIRE": "sometimes"}) == "admins"  # unknown: fail closed


def test_check_config_blocks_in_production_when_administrators_have_no_second_factor(clean_env, capsys):
    for name, value in PRODUCTION_ENV.items():
        clean_env.setenv(name, value)
    clean_env.setenv("VENDORVET_MFA_REQUIRE", "none")
    assert main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert "ERROR    VENDORVET_MFA_REQUIRE: administrators are not required to use a second factor" in out
    assert out.strip().splitlines()[-1].startswith("Not ready for production: 1 error")
    clean_env.setenv("VENDORVET_MFA_REQUIRE", "admins")
    assert main(["check-config"]) == 0
