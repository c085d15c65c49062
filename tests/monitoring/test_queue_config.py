"""Choosing the task queue by environment, and ``vendorvet check-config`` on the Redis queue (no password shown)."""

from __future__ import annotations

import json

import pytest

from vendorvet.cli.main import main
from vendorvet.web import config

SECRET = "s3cr3t-redis-pass"


def test_backend_and_redis_url_from_the_environment():
    assert config.task_backend({}) == "django_tasks_db.DatabaseBackend"
    assert config.task_backend({"VENDORVET_TASK_BACKEND": "rq"}) == "django_tasks_rq.RQBackend"
    assert config.task_backend({"VENDORVET_TASK_BACKEND": "Redis"}) == "django_tasks_rq.RQBackend"
    assert config.task_backend({"VENDORVET_TASK_BACKEND": "my.Backend"}) == "my.Backend"
    assert config.redis_url({}) == "redis://127.0.0.1:6379/0"
    assert config.redact_url(f"redis://worker:{SECRET}@redis.internal:6380/2") == \
        "redis://worker:***@redis.internal:6380/2"
    assert config.redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    report = config.production_report({"VENDORVET_TASK_BACKEND": "rq"})
    assert {p.setting: p.level for p in report.problems}["VENDORVET_REDIS_URL"] == "warning"
    assert "VENDORVET_REDIS_URL" not in {p.setting for p in config.production_report({}).problems}


def test_the_queue_description_follows_the_backend(settings):
    from vendorvet.web.core import queue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert queue.uses_database() and not queue.uses_rq()
    assert queue.describe() == "database (django-tasks database backend)"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.VENDORVET_REDIS_URL = f"redis://:{SECRET}@127.0.0.1:6379/13"
    assert queue.uses_rq() and queue.describe() == "Redis (RQ) at redis://:***@127.0.0.1:6379/13"


@pytest.fixture
def rq_env(monkeypatch):
    for name in ("SECRET_KEY", "VENDORVET_SECRET_KEY", "DATABASE_URL", "VENDORVET_DEBUG", "VENDORVET_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VENDORVET_TASK_BACKEND", "rq")
    return monkeypatch


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/13", socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def test_check_config_reports_the_queue_and_a_redis_that_answers(rq_env, capsys):
    if not redis_answers():
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable")
    rq_env.setenv("VENDORVET_REDIS_URL", "redis://127.0.0.1:6379/13")
    main(["check-config"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Task queue: Redis (RQ) at redis://127.0.0.1:6379/13 — Redis ")
    assert first.endswith("at redis://127.0.0.1:6379/13 answers")


def test_check_config_fails_when_redis_does_not_answer_and_hides_the_password(rq_env, capsys):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    rq_env.setenv("VENDORVET_REDIS_URL", f"redis://vendorvet:{SECRET}@127.0.0.1:{port}/0")
    assert main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert f"ERROR    VENDORVET_REDIS_URL: Redis at redis://vendorvet:***@127.0.0.1:{port}/0 does not answer" in out
    assert main(["check-config", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["queue"]["redis_answers"] is False and data["ok"] is False
    assert data["queue"]["backend"] == f"Redis (RQ) at redis://vendorvet:***@127.0.0.1:{port}/0"
    assert SECRET not in out and SECRET not in json.dumps(data)
