"""``vendorvet sso``: the operator sets a tenant's single sign-on (OpenID Connect) from the shell."""

from __future__ import annotations

import argparse
import json
import sys

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sso", help="single sign-on (OpenID Connect) per tenant",
        description="Set, show or remove a tenant's OpenID Connect sign-in. The client secret is read from standard "
        "input (never from the command line) and never printed.")
    sub = parser.add_subparsers(dest="sso_command", metavar="ACTION", required=True)

    put = sub.add_parser("set", help="create or change a tenant's SSO provider",
                         description="Create or change the tenant's provider. Options left out keep their value.")
    put.add_argument("--tenant", required=True, help="tenant short name (slug)")
    put.add_argument("--issuer", help="issuer URL (https; its /.well-known/openid-configuration is used)")
    put.add_argument("--client-id", help="the client ID registered at the provider")
    put.add_argument("--client-secret-stdin", action="store_true",
                     help="read the client secret from the first line of standard input")
    put.add_argument("--name", help="name on the login page, e.g. 'Microsoft Entra ID'")
    put.add_argument("--scopes", help="space-separated scopes (default 'openid email profile')")
    put.add_argument("--groups-claim", help="claim holding the groups (default 'groups')")
    put.add_argument("--map", action="append", metavar="GROUP=ROLE", default=None,
                     help="group to role (admin, assessor, auditor); repeat; replaces the whole mapping")
    put.add_argument("--domain", action="append", metavar="DOMAIN", default=None,
                     help="e-mail domain users may type to find this sign-in; repeat; replaces the list")
    put.add_argument("--local-login", choices=["allowed", "refused"],
                     help="whether the tenant's members may still log in with a password")
    put.add_argument("--enabled", choices=["yes", "no"], help="switch the sign-in on or off")
    put.set_defaults(func=run_set)

    show = sub.add_parser("show", help="show a tenant's SSO settings (the secret only as 'set')")
    show.add_argument("--tenant", required=True)
    add_format_argument(show)
    show.set_defaults(func=run_show)

    remove = sub.add_parser("remove", help="remove a tenant's SSO provider (users keep their accounts)")
    remove.add_argument("--tenant", required=True)
    remove.set_defaults(func=run_remove)


def _tenant(slug: str):
    from vendorvet.web.accounts.models import Tenant

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise CLIError(f"no tenant {slug!r}")
    return tenant


def run_set(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.accounts.sso.forms import SsoProviderForm, format_mapping
    from vendorvet.web.accounts.sso.models import SsoProvider

    tenant = _tenant(args.tenant)
    instance = SsoProvider.objects.filter(tenant=tenant).first()
    base = instance or SsoProvider(tenant=tenant)
    data = {
        "tenant": tenant.pk, "name": base.name or "Single sign-on", "enabled": base.enabled,
        "issuer": base.issuer, "client_id": base.client_id, "client_secret": "",
        "scopes": base.scopes, "groups_claim": base.groups_claim, "role_mapping": format_mapping(base.role_mapping),
        "email_domains": base.email_domains, "allow_local_login": base.allow_local_login,
    }
    for option, field in (("issuer", "issuer"), ("client_id", "client_id"), ("name", "name"), ("scopes", "scopes"),
                          ("groups_claim", "groups_claim")):
        if getattr(args, option) is not None:
            data[field] = getattr(args, option)
    if args.map is not None:
        data["role_mapping"] = "\n".join(m.replace("=", " = ", 1) if "=" in m else m for m in args.map)
    if args.domain is not None:
        data["email_domains"] = ",".join(args.domain)
    if args.local_login:
        data["allow_local_login"] = args.local_login == "allowed"
    if args.enabled:
        data["enabled"] = args.enabled == "yes"
    if args.client_secret_stdin:
        data["client_secret"] = sys.stdin.readline().strip()
        if not data["client_secret"]:
            raise CLIError("no client secret on standard input")
    form = SsoProviderForm(data, instance=instance)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        raise CLIError(f"not saved: {problems}")
    provider = form.save()
    print(f"{'Changed' if instance else 'Created'} single sign-on {provider.name!r} for tenant {tenant.slug} "
          f"(issuer {provider.issuer}; password login {'allowed' if provider.allow_local_login else 'refused'}).")
    print(f"Register this redirect URI at the provider: <your base URL>/accounts/sso/callback/")
    return 0


def run_show(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.accounts.sso.models import SsoProvider

    provider = SsoProvider.objects.filter(tenant=_tenant(args.tenant)).first()
    if provider is None:
        raise CLIError(f"tenant {args.tenant!r} has no single sign-on")
    shown = {"tenant": args.tenant, "name": provider.name, "enabled": provider.enabled, "issuer": provider.issuer,
             "client_id": provider.client_id, "client_secret": "set" if provider.client_secret else "not set",
             "scopes": provider.scopes, "groups_claim": provider.groups_claim, "role_mapping": provider.role_mapping,
             "email_domains": provider.domain_list(), "local_login": provider.allow_local_login}
    if args.format == "json":
        print(json.dumps(shown, indent=2))
    else:
        for key, value in shown.items():
            print(f"{key:14} {value}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.accounts.sso.models import SsoProvider

    deleted, _ = SsoProvider.objects.filter(tenant=_tenant(args.tenant)).delete()
    if not deleted:
        raise CLIError(f"tenant {args.tenant!r} has no single sign-on")
    print(f"Removed single sign-on of tenant {args.tenant}.")
    return 0
