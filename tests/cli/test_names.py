"""One style on the command line: ``--format table|json|…`` everywhere, NOUN VERB names, old spellings hidden."""

from __future__ import annotations

import argparse
import json

import pytest

from vendorvet.cli.main import build_parser, main

# old name -> today's words (the old ones still work, but --help no longer lists them)
RENAMED = {
    "check-config": ["config", "check"],
    "export-ropa": ["ropa", "export"],
    "scan-integration": ["integration", "scan"],
    "transfer-check": ["transfer", "check"],
    "createadmin": ["admin", "create"],
    "audit-openapi": ["openapi", "audit"],
}
TRANSFER = ["--our-role", "controller", "--vendor-role", "processor", "--vendor-country", "US", "--dpf", "no"]


def _subparsers(parser: argparse.ArgumentParser):
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def _walk(parser: argparse.ArgumentParser, path=()):
    yield path, parser
    for sub in _subparsers(parser):
        for name, child in sub.choices.items():
            yield from _walk(child, (*path, name))


def test_help_lists_the_new_names_and_hides_the_old(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith("    ")}
    assert {"config", "ropa", "integration", "transfer", "admin", "openapi", "token", "scan"} <= listed
    assert not set(RENAMED) & listed
    sub = _subparsers(build_parser())[0]
    hidden = set(sub.choices) - {action.dest for action in sub._choices_actions}
    assert hidden == set(RENAMED)  # nothing else is hidden, nothing old is shown


@pytest.mark.parametrize("old", sorted(RENAMED))
def test_old_names_parse_like_the_new_ones(old):
    parser = build_parser()
    rest = {"check-config": ["--format", "json"], "export-ropa": ["-f", "csv", "--view", "processor"],
            "scan-integration": ["7", "--wait"], "transfer-check": TRANSFER, "createadmin": ["alice"],
            "audit-openapi": ["spec.yaml", "--format", "json"]}[old]
    then = vars(parser.parse_args([old, *rest]))
    now = vars(parser.parse_args([*RENAMED[old], *rest]))
    assert then.pop("command") == old and now.pop("command") == RENAMED[old][0]
    now.pop(f"{RENAMED[old][0]}_action", None)
    now.pop("openapi_command", None)
    assert then.pop("func").__module__ == now.pop("func").__module__
    assert then == now


def test_old_and_new_names_give_the_same_output(capsys):
    assert main(["transfer-check", *TRANSFER]) == 0
    old = capsys.readouterr().out
    assert main(["transfer", "check", *TRANSFER]) == 0
    new = capsys.readouterr().out
    assert old == new and json.loads(new)["basis"]
    assert main(["transfer", "check", *TRANSFER, "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("basis: ")
    assert main(["transfer-check", *TRANSFER, "--format", "text"]) == 0  # the old value of --format
    assert capsys.readouterr().out == table


def test_every_output_option_is_called_format_with_the_same_choice_style():
    seen = []
    for path, parser in _walk(build_parser()):
        for action in parser._actions:
            flags = set(action.option_strings)
            if action.dest == "format":
                assert "--format" in flags and flags <= {"--format", "-f"}, (path, flags)
                assert "text" not in action.choices, path  # human-readable output is "table"
                assert action.default in action.choices, path
                if "json" in action.choices and not {"csv", "xlsx"} & set(action.choices):
                    assert action.choices[0] == "table", (path, action.choices)
                seen.append(" ".join(path))
            assert not flags & {"--json", "--output-format", "--output_format"}, (path, flags)
    for command in ("config check", "tier", "assess show", "monitor tick", "monitor events", "token list",
                    "scan", "integration scan", "transfer check", "openapi audit", "osv status", "sbom check",
                    "export", "ropa export", "discover list"):
        assert command in seen, command


@pytest.mark.parametrize("argv", [["tier", "5", "--format", "text"], ["assess", "show", "3", "--format", "text"],
                                  ["monitor", "tick", "--format", "text"], ["check-config", "--format", "text"]])
def test_format_text_is_still_accepted_as_table(argv):
    assert build_parser().parse_args(argv).format == "table"


def test_an_unknown_format_is_a_usage_error_that_lists_the_choices(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["config", "check", "--format", "yaml"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'yaml'" in err and "'table', 'json'" in err and "text" not in err.split("choose")[1]


def test_subcommand_help_shows_only_new_spellings(capsys):
    with pytest.raises(SystemExit):
        main(["config", "check", "--help"])
    out = capsys.readouterr().out
    assert "--format {table,json}" in out and "text" not in out


@pytest.mark.django_db
def test_commands_that_report_a_result_offer_json(capsys, tenant_a, admin_a, make_integration):
    actor = ["--tenant", tenant_a.slug, "--user", admin_a.username]
    assert main(["token", "create", "--name", "ci", "--format", "json", *actor]) == 0
    token = json.loads(capsys.readouterr().out)
    assert token["key"].startswith("vv_") and token["name"] == "ci" and token["tenant"] == tenant_a.slug
    assert main(["token", "revoke", str(token["id"]), "--format", "json", *actor]) == 0
    revoked = json.loads(capsys.readouterr().out)
    assert revoked == {"id": token["id"], "name": "ci", "revoked": _revoked(tenant_a, token["id"]),
                       "already_revoked": False}
    integration = make_integration(tenant_a, name="Personio")
    assert main(["assess", "start", str(integration.pk), "--format", "json", *actor]) == 0
    started = json.loads(capsys.readouterr().out)
    assert started["integration"] == integration.pk and started["mandatory_requirements"] > 0


def _revoked(tenant, pk):
    from tests.conftest import acting
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant):
        return APIToken.objects.get(pk=pk).revoked.isoformat()
