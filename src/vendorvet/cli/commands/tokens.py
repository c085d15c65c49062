"""``vendorvet token create|list|revoke``: API tokens, with the same rules as the web and the API.

The acting user (``--user``) owns the tokens they create; their role in the tenant
(``--tenant``) decides what they may see and revoke (``vendorvet.web.accounts.tokens``).
Every change lands in the change history with actor kind ``cli``.
"""

from __future__ import annotations

import argparse
import json
import sys

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments

DEFAULT_DAYS = 90  # kept in step with vendorvet.web.accounts.tokens.DEFAULT_DAYS (no Django import at parse time)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "token",
        help="create, list and revoke API tokens",
        description="API tokens authenticate scripts against the REST API (/api/). A token is bound to one "
        "tenant, acts with its user's current role, expires, and is stored only as a hash: the key is shown "
        "once, when it is created.",
    )
    actions = parser.add_subparsers(dest="token_action", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="create a token for --user and print its key once",
                                description="Create a token owned by --user in --tenant. The key is printed "
                                "on standard output (alone, so it can be captured); details go to standard "
                                "error. It cannot be shown again.")
    create.add_argument("--name", required=True, help="what the token is for, e.g. 'CI export'")
    create.add_argument("--days", type=int, default=DEFAULT_DAYS,
                        help=f"days until it expires (1–365, default {DEFAULT_DAYS})")
    create.add_argument("--read-only", action="store_true", help="the token may only read")
    add_format_argument(create, help="table: the key alone on standard output, details on standard error; "
                        "json: one object with id, name, expiry and the key (default: table)")
    add_actor_arguments(create)
    create.set_defaults(func=run_create)

    listing = actions.add_parser("list", help="list tokens (your own; all of the tenant's for administrators)")
    add_format_argument(listing)
    add_actor_arguments(listing)
    listing.set_defaults(func=run_list)

    revoke = actions.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id", type=int, help="token id (see 'vendorvet token list')")
    add_format_argument(revoke)
    add_actor_arguments(revoke)
    revoke.set_defaults(func=run_revoke)


def _validation_message(exc) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def run_create(args: argparse.Namespace) -> int:
    with acting_in_tenant(args) as tenant:
        from django.core.exceptions import ValidationError

        from vendorvet.web.accounts import tokens

        try:
            token, key = tokens.issue_token(args.name, days=args.days, read_only=args.read_only)
        except ValidationError as exc:
            raise CLIError(_validation_message(exc), 2) from None
        if args.format == "json":
            print(json.dumps({"id": token.pk, "name": token.name, "user": token.user.get_username(),
                              "tenant": tenant.slug, "read_only": token.read_only,
                              "expires": token.expires.isoformat(), "key": key}, indent=2, ensure_ascii=False))
            return 0
        print(f"Created token {token.pk} '{token.name}' for {token.user.get_username()} in tenant {tenant.slug}, "
              f"{'read-only, ' if token.read_only else ''}expires {token.expires:%Y-%m-%d %H:%M %Z}.",
              file=sys.stderr)
        print("This key is shown only once — store it now (e.g. in your secret manager); "
              "only a hash is kept.", file=sys.stderr)
        print(key)
    return 0


def _row(token) -> dict:
    from vendorvet.web.accounts.models import TOKEN_PREFIX
    from vendorvet.web.accounts.tokens import token_state

    def iso(value):
        return value.isoformat() if value else None

    return {
        "id": token.pk,
        "name": token.name,
        "user": token.user.get_username(),
        "prefix": f"{TOKEN_PREFIX}{token.key_id}",
        "read_only": token.read_only,
        "created": iso(token.created),
        "expires": iso(token.expires),
        "revoked": iso(token.revoked),
        "last_used": iso(token.last_used),
        "state": token_state(token),
    }


def run_list(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts.tokens import visible_tokens

        rows = [_row(t) for t in visible_tokens()]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No tokens.", file=sys.stderr)
        return 0
    columns = [("id", "ID"), ("name", "NAME"), ("user", "USER"), ("prefix", "PREFIX"), ("read_only", "READ-ONLY"),
               ("expires", "EXPIRES"), ("last_used", "LAST USED"), ("state", "STATE")]

    def cell(row, key):
        value = row[key]
        if key == "read_only":
            return "yes" if value else "no"
        if key in ("expires", "last_used"):
            return value[:16].replace("T", " ") if value else "-"
        return str(value)

    table = [[title for _key, title in columns]] + [[cell(r, key) for key, _title in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(value.ljust(width) for value, width in zip(line, widths)).rstrip())
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts.tokens import revoke_token, visible_tokens

        token = visible_tokens().filter(pk=args.id).first()
        if token is None:
            # the same answer for another tenant's token, someone else's, or no token at all
            raise CLIError(f"no token {args.id} that you may revoke")
        already = token.revoked is not None
        revoke_token(token)
        if args.format == "json":
            print(json.dumps({"id": token.pk, "name": token.name, "revoked": token.revoked.isoformat(),
                              "already_revoked": already}, indent=2, ensure_ascii=False))
            return 0
        print(f"Token {token.pk} '{token.name}' {'was already' if already else 'is now'} revoked.")
    return 0
