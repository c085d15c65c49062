"""``vendorvet serve``: run the web UI and API under waitress (static files via whitenoise)."""

from __future__ import annotations

import argparse
import os
import sys

from vendorvet.cli.runtime import CLIError, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the web UI and API",
        description="Serve vendorvet with the waitress WSGI server. For production, put a TLS reverse proxy "
        "in front and run 'vendorvet config check' first.",
    )
    add_listen_arguments(parser)
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    parser.add_argument("--trusted-proxy", default=os.environ.get("VENDORVET_TRUSTED_PROXY"), metavar="ADDR",
                        help="address of the TLS reverse proxy whose X-Forwarded-Proto/-For headers are "
                        "believed (env VENDORVET_TRUSTED_PROXY; default 127.0.0.1 when VENDORVET_HTTPS is on, "
                        "else none)")
    add_worker_argument(parser)
    parser.set_defaults(func=run)


def add_worker_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-worker", dest="worker", action="store_false",
                        help="don't start the background task worker next to the server (run 'vendorvet worker' "
                        "separately instead)")
    parser.add_argument("--no-monitor", dest="monitor", action="store_false",
                        help="don't start the monitoring scheduler next to the server (run 'vendorvet monitor run' "
                        "separately instead)")


def _child(*args: str):
    import subprocess

    return subprocess.Popen([sys.executable, "-m", "vendorvet.cli.main", *args], stdin=subprocess.DEVNULL,
                            preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def start_worker():
    """A 'vendorvet worker' subprocess for the task queue (database or Redis), or None if not applicable."""
    from vendorvet.web.core import queue

    if not (queue.uses_database() or queue.uses_rq()):
        return None
    return _child("worker")


def start_monitor():
    """The monitoring scheduler ('vendorvet monitor run'): due re-scans, calendar checks, alerts."""
    return _child("monitor", "run", "--interval", "60")


def _die_with_parent() -> None:
    """In the worker child: get SIGTERM when the server process dies, however it dies (Linux)."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, docker, a test) ends the server like Ctrl+C, so the clean-up below runs."""
    import signal

    def handler(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def add_listen_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")


def display_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def proxy_adjustments(trusted_proxy: str | None, https: bool) -> dict:
    """waitress settings for a reverse proxy.

    waitress drops X-Forwarded-* headers from untrusted peers; behind a TLS proxy the app must
    still learn that the request came in over HTTPS (else Secure cookies and the HTTPS redirect
    break), so the proxy's address is trusted for the scheme and the client address.
    """
    proxy = trusted_proxy or ("127.0.0.1" if https else None)
    if not proxy:
        return {}
    return {"trusted_proxy": proxy, "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"}}


def serve(host: str, port: int, threads: int = 8, banner: str | None = None,
          trusted_proxy: str | None = None, worker: bool = True, monitor: bool = True) -> int:
    """Serve until interrupted. Refuses to start on an out-of-date schema."""
    if not 0 < port < 65536:
        raise CLIError(f"invalid port {port}", 2)
    if threads < 1:
        raise CLIError("--threads must be at least 1", 2)
    setup_django()
    from django.conf import settings

    from vendorvet.cli.commands.migrate import pending_migrations

    pending = pending_migrations()
    if pending:
        raise CLIError(f"the database schema is out of date ({len(pending)} pending migrations); "
                       "run 'vendorvet migrate' first")
    # whitenoise serves from the app directories (finders); an existing STATIC_ROOT avoids its warning.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)

    import waitress

    from vendorvet.web.wsgi import application

    try:
        server = waitress.create_server(application, host=host, port=port, threads=threads,
                                        ident="vendorvet", clear_untrusted_proxy_headers=True,
                                        **proxy_adjustments(trusted_proxy, settings.HTTPS))
    except OSError as exc:
        raise CLIError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                       f"is another server running? Try --port {port + 1}") from exc
    if banner:
        print(banner)
    _stop_on_sigterm()
    children = [p for p in (start_worker() if worker else None, start_monitor() if monitor else None) if p]
    if worker:
        print("vendorvet: background task worker started (scans run there)", flush=True)
    if monitor:
        print("vendorvet: monitoring scheduler started (re-scans by tier, reminders, alerts)", flush=True)
    print(f"vendorvet: serving on {display_url(host, port)} (press Ctrl+C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        print("\nvendorvet: stopped", file=sys.stderr)
    finally:
        server.close()
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except Exception:  # noqa: BLE001 - still running after 10 s: stop it hard
                child.kill()
    return 0


def run(args: argparse.Namespace) -> int:
    return serve(args.host, args.port, args.threads, trusted_proxy=args.trusted_proxy, worker=args.worker,
                 monitor=args.monitor)
