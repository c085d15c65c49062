"""Many workers on the Redis queue: a worker killed (SIGKILL) in the middle of a scan loses nothing.

Real parts only: Redis at 127.0.0.1:6379 (a database number of its own, flushed before and after), two
``vendorvet worker`` subprocesses with the RQ backend sharing one database with the test (a PostgreSQL
database of its own in the PostgreSQL run, a SQLite file otherwise), a loopback DNS and TLS/HTTP vendor server
that stalls the scan long enough to kill the worker running it, and a local webhook receiver.
The run's lease expires, the surviving worker queues it again and finishes it: one set of findings, one
change event, one alert delivered.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.engine.conftest import HOST
from tests.engine.servers import serve, server_context
from tests.engine.servers.dns import dns_server
from tests.scans.conftest import GOOD_HEADERS

# this test's own Redis database number (scripts/test gives the SQLite and PostgreSQL runs different ones)
REDIS_DB = int(os.environ.get("VENDORVET_TEST_REDIS_DB", "13"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis at 127.0.0.1:6379 is not reachable ({exc})")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


class SharedDatabase:
    """A database the test and its subprocesses share: its URL, and raw reads for polling."""

    def __init__(self, tmp_path: Path):
        base = os.environ.get("DATABASE_URL", "")
        self.postgres = base.startswith("postgres")
        if self.postgres:
            parts = urlsplit(base)
            self.name = (parts.path.lstrip("/") or "vendorvet") + "_workers"
            self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, "", ""))
            self.admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')
        else:
            self.path = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def rows(self, sql: str, params=()) -> list[tuple]:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return list(conn.execute(sql.replace("?", "%s"), params).fetchall())
        conn = sqlite3.connect(self.path, timeout=20)
        try:
            return list(conn.execute(sql, params).fetchall())
        finally:
            conn.close()

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def shared_db(tmp_path):
    db = SharedDatabase(tmp_path)
    yield db
    db.drop()


class StallingSite:
    """The vendor's answer; while ``stall`` is set, the first request waits until released (at most 20 s)."""

    def __init__(self):
        self.headers = list(GOOD_HEADERS)
        self.stall = False
        self.arrived, self.released = threading.Event(), threading.Event()

    def __call__(self, handler):
        if self.stall and not self.arrived.is_set():
            self.arrived.set()
            self.released.wait(20)
        return 200, list(self.headers), b"{}"


def wait_for(what: str, predicate, timeout: float = 90.0, interval: float = 0.25):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_scan_loses_nothing_and_alerts_once(tmp_path, pki, redis_db, shared_db):
    from rq import Worker

    from tests.engine.servers import Site
    from tests.monitoring.receivers import webhook_receiver

    answer = StallingSite()
    records = {(HOST, "A"): ["127.0.0.1"], ("vendor.test", "TXT"): ['"v=spf1 -all"'],
               ("_dmarc.vendor.test", "TXT"): ['"v=DMARC1; p=reject"']}
    with dns_server(records) as dns_port, \
            serve(Site(default=answer), context=server_context(*pki.good)) as (site_port, _site), \
            webhook_receiver() as (hook_port, receiver):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VENDORVET_", "PYTEST_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.monitoring.worker_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "DATABASE_URL": shared_db.url,
            "VENDORVET_TEST_DATA_DIR": str(tmp_path / "data"),
            "VENDORVET_TASK_BACKEND": "rq",
            "VENDORVET_REDIS_URL": REDIS_URL,
            "VENDORVET_SCAN_LEASE_SECONDS": str(LEASE_SECONDS),
            "VENDORVET_TEST_SCAN_OPTIONS": json.dumps({
                "nameserver": f"127.0.0.1:{dns_port}", "ca_file": str(pki.ca_pem), "timeout": 10,
                "plain_http_port": None, "concurrency": 4}),
        })
        (tmp_path / "data").mkdir()

        def cli(*args: str) -> str:
            done = subprocess.run([sys.executable, "-m", "vendorvet.cli.main", *args], env=env, cwd=ROOT,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr[-3000:]
            return done.stdout

        def driver(*args: str) -> dict:
            done = subprocess.run([sys.executable, "-m", "tests.monitoring.worker_driver", *args], env=env,
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr[-3000:]
            return json.loads(done.stdout.strip().splitlines()[-1])

        cli("migrate")
        ids = driver("setup", f"https://{HOST}:{site_port}/v1", f"http://127.0.0.1:{hook_port}/hook")

        logs = [open(tmp_path / f"worker{n}.log", "w") for n in range(2)]
        workers = [subprocess.Popen([sys.executable, "-m", "vendorvet.cli.main", "worker"], env=env, cwd=ROOT,
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                   for log in logs]
        try:
            wait_for("two RQ workers", lambda: len(Worker.all(connection=redis_db)) >= 2, timeout=60)

            def run_row(run_id):
                [row] = shared_db.rows("SELECT status, claimed_by, attempts FROM scans_scanrun WHERE id = ?",
                                       (run_id,))
                return row

            # a first scan: the baseline the next one is compared with
            first = driver("scan", str(ids["integration"]))["run"]
            wait_for("the first scan", lambda: run_row(first)[0] == "done")

            # the vendor announces a deprecation; the next scan stalls at the vendor's server …
            answer.headers = [*GOOD_HEADERS, ("Deprecation", "@1700000000")]
            answer.stall = True
            second = driver("scan", str(ids["integration"]))["run"]
            assert answer.arrived.wait(60), "the scan never reached the vendor server"
            status, claimed_by, attempts = run_row(second)
            assert (status, attempts) == ("running", 1)
            victim = next(w for w in workers if f":{w.pid}:" in claimed_by)
            # … and the worker running it is killed without warning
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(10)
            answer.released.set()

            # the survivor notices the expired lease, queues the run again and finishes it
            wait_for("the second scan on the other worker", lambda: run_row(second)[0] == "done")
            status, finisher, attempts = run_row(second)
            assert attempts == 2 and finisher != claimed_by
            survivor = next(w for w in workers if w is not victim)
            assert f":{survivor.pid}:" in finisher and survivor.poll() is None
            wait_for("the alert", lambda: receiver.succeeded)
            time.sleep(2 * LEASE_SECONDS)  # time enough for a duplicate to show up, were there one
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(20)
                except subprocess.TimeoutExpired:
                    worker.kill()
            for log in logs:
                log.close()

        report = driver("report")
        runs = {r["id"]: r for r in report["runs"]}
        assert [r["status"] for r in report["runs"]] == ["done", "done"], report
        # exactly one set of findings for the interrupted run, the same checks as the baseline
        assert runs[second]["targets"] == 1
        assert runs[second]["findings"] == runs[second]["distinct"] == runs[first]["findings"] > 0
        # exactly one change event and one alert, delivered once
        [event] = report["events"]
        assert (event["kind"], event["run"], event["occurrences"]) == ("scan_changes", second, 1)  # grouped
        assert event["key"] == f"scan_changes:{ids['integration']}:{second}"
        [delivery] = report["deliveries"]
        assert (delivery["state"], delivery["attempts"]) == ("delivered", 1)
        assert len(receiver.requests) == 1
        body = json.loads(receiver.requests[0]["body"])
        assert body["event"]["kind"] == "scan_changes" and body["integration"]["id"] == ids["integration"]
        # the worker logs name the queue without the Redis password and show the requeue
        survivor_log = (tmp_path / f"worker{workers.index(survivor)}.log").read_text()
        assert f"queue Redis (RQ) at {REDIS_URL}" in survivor_log
        assert "queued again" in survivor_log
