"""The pure parsers: formats, paging, revocations, malformed rows, and hostile input."""

from __future__ import annotations

import io
import json

import pytest

from tests.discovery.conftest import ENTRA, FIXTURES, GOOGLE_DIRECTORY, GOOGLE_TOKENS, PROXY
from vendorvet.engine.discovery import DiscoveryInputError, parse_files
from vendorvet.engine.discovery.jsonstream import JsonStream

SLACK = "1003567891234-9kq3v0fsl0d8bhn0bq2ljj8cbkb8q7sd.apps.googleusercontent.com"
MERGE = "557101234987-mailmergepro7c1c1a5u2vq2m3f2.apps.googleusercontent.com"


def test_google_token_log_json_pages_lines_and_german_csv():
    r = parse_files("google_tokens", GOOGLE_TOKENS)
    names = {a.name for a in r.apps.values()}
    assert names == {"Slack", "Zoom for Google Workspace", "Mail Merge Pro", "Calendly", "iOS Account Manager",
                     "Lucidchart"}
    slack = r.apps[("google", SLACK)]
    assert slack.first_seen == "2024-04-02T07:58:11Z" and slack.last_seen == "2024-05-02T08:13:05Z"
    assert set(slack.grants) == {("jana.schulz@nordlicht-maschinenbau.de", "delegated"),
                                 ("ole.jansen@nordlicht-maschinenbau.de", "delegated"),
                                 ("tim.becker@nordlicht-maschinenbau.de", "delegated")}
    merge = r.apps[("google", MERGE)]
    lea = merge.grants[("lea.hoffmann@nordlicht-maschinenbau.de", "delegated")]
    tim = merge.grants[("tim.becker@nordlicht-maschinenbau.de", "delegated")]
    assert lea.revoked and not tim.revoked
    assert "https://www.googleapis.com/auth/gmail.send" in lea.scopes  # read from scope_data
    # malformed rows are skipped with a reason, not fatal
    assert r.skipped == 3
    assert any("without client_id" in w for w in r.warnings)
    assert any("2 columns instead of 7" in w for w in r.warnings)
    assert not any("not understood" in w for w in r.warnings)  # "02.04.2024 09:58:11 MESZ" is understood


def test_google_directory_tokens():
    r = parse_files("google_directory", GOOGLE_DIRECTORY)
    assert {a.name for a in r.apps.values()} == {"Zoom for Google Workspace", "Slack", "Miro"}
    assert all(g.listed and not g.revoked for a in r.apps.values() for g in a.grants.values())


def test_entra_files_in_any_order_resolve_app_roles_and_skip_first_party():
    r = parse_files("entra", ENTRA)
    by_name = {a.name: a for a in r.apps.values()}
    assert "Microsoft Graph" not in by_name and "Office 365 Exchange Online" not in by_name
    hr = by_name["HR-Sync (Personio)"]
    assert set(hr.grants[("*", "application")].scopes) == {"Directory.ReadWrite.All", "User.Read.All"}
    assert hr.grants[("*", "application")].scopes["User.Read.All"] == "Microsoft Graph"
    mailsync = by_name["MailSync Helper"]
    assert mailsync.verified_publisher is False
    assert "http://mailsync-helper.example/oauth/callback" in mailsync.reply_urls
    assert by_name["Adobe Acrobat Sign"].verified_publisher is True
    assert any("not in the export" in w for w in r.warnings)
    assert r.skipped == 1


def test_proxy_logs_squid_csv_and_domain_list():
    r = parse_files("proxy_log", PROXY)
    apps = {a.client_id: a for a in r.apps.values()}
    assert {"slack", "wetransfer", "openai", "deepl", "asana", "personio", "anydesk", "notion", "miro"} <= set(apps)
    assert apps["slack"].hits == 2 and apps["slack"].clients == {"jana.schulz"}
    assert apps["asana"].clients == {"10.20.1.17", "10.20.1.18"} and apps["asana"].bytes == 2000
    assert apps["wetransfer"].bytes == 1048576 + 5120
    assert any("not in the SaaS catalogue" in w for w in r.warnings)


@pytest.mark.parametrize("text, message", [
    ('{"kind":"admin#reports#activities","items":[{"id":{"time":"2024-01-01T00:00:00Z"},"events":[', "truncated"),
    ('{"items": [1, 2', "ends too early"),
    ("[1, 2, }", "invalid"),
])
def test_truncated_or_invalid_json_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(DiscoveryInputError, match=message) as exc:
        parse_files("google_tokens", [path])
    assert "broken.json" in str(exc.value) and "at character" in str(exc.value)


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04" + b"\x00" * 100, "ZIP"),
    (b"%PDF-1.7\n", "PDF"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00>\x00", "binary"),
])
def test_wrong_file_types_are_named(tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(DiscoveryInputError, match=message):
        parse_files("entra", [path])


def test_other_audit_logs_and_wrong_documents_are_refused(tmp_path):
    login = tmp_path / "login.json"
    login.write_text(json.dumps({"items": [{"id": {"applicationName": "login", "time": "2024-01-01T00:00:00Z"},
                                            "events": [{"name": "login_success"}]}]}))
    with pytest.raises(DiscoveryInputError, match="'login' audit log"):
        parse_files("google_tokens", [login])
    with pytest.raises(DiscoveryInputError, match="not a token audit export"):
        parse_files("google_tokens", [FIXTURES / "dns_hosts.csv"])
    with pytest.raises(DiscoveryInputError, match="this is JSON"):
        parse_files("proxy_log", [FIXTURES / "google_directory_tokens.json"])
    with pytest.raises(DiscoveryInputError, match="not a Microsoft Graph export"):
        parse_files("entra", [login])


def test_size_cap_is_checked_before_reading(tmp_path):
    big = tmp_path / "huge.log"
    with open(big, "wb") as fh:  # sparse: 2 GB on paper, nothing on disk
        fh.truncate(2 * 1024 ** 3)
    with pytest.raises(DiscoveryInputError, match="larger than the limit of 1.0 GB"):
        parse_files("proxy_log", [big])


def test_one_huge_record_is_refused_without_reading_everything():
    endless = io.StringIO('{"items": ["' + "x" * (3 * 1024 * 1024))
    with pytest.raises(DiscoveryInputError, match="larger than 1 MB"):
        list(JsonStream(endless, "endless.json", max_value_chars=1024 * 1024))


def test_utf16_exports_read_like_utf8(tmp_path):
    """Windows tools save UTF-16: with a BOM (PowerShell's Out-File) or without; both read as UTF-8 does."""
    expected = parse_files("entra", ENTRA)
    copies = []
    for i, path in enumerate(ENTRA):
        copy = tmp_path / path.name
        text = path.read_text(encoding="utf-8")
        copy.write_bytes(text.encode("utf-16") if i % 2 else text.encode("utf-16-le"))  # BOM / no BOM
        copies.append(copy)
    got = parse_files("entra", copies)
    assert {k: (a.name, sorted(a.grants)) for k, a in got.apps.items()} == \
        {k: (a.name, sorted(a.grants)) for k, a in expected.apps.items()}
    csv_path = tmp_path / "audit.csv"
    csv_path.write_bytes(GOOGLE_TOKENS[2].read_text(encoding="utf-8-sig").encode("utf-16"))
    assert {a.name for a in parse_files("google_tokens", [csv_path]).apps.values()} == \
        {a.name for a in parse_files("google_tokens", [GOOGLE_TOKENS[2]]).apps.values()}


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("host\nmüller.example\n".encode("latin-1") * 10)
    with pytest.raises(DiscoveryInputError, match="not UTF-8"):
        parse_files("proxy_log", [path])


def test_json_stream_handles_every_page_shape():
    text = ('[{"value": [{"a": 1}, {"a": 2}], "@odata.nextLink": "n"}, {"value": [{"a": 3}]}]\n'
            '{"a": 4}\n{"kind": "k", "items": [{"a": 5}]}{"items": []}')
    got = [(rec["a"], meta.get("kind")) for rec, meta in JsonStream(io.StringIO(text), "x")]
    assert got == [(1, None), (2, None), (3, None), (4, None), (5, "k")]
