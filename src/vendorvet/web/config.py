"""Configuration from the environment, with safe defaults.

Everything a deployment may set is read here, once, so ``vendorvet check-config``
can tell an operator what is missing before the first production start.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """An integer from the environment; a value that is no integer (or below ``minimum``) stops the start."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {number}")
    return number


def data_dir() -> Path:
    """Per-user data directory (override with VENDORVET_DATA_DIR)."""
    configured = os.environ.get("VENDORVET_DATA_DIR")
    path = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("vendorvet"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'vendorvet.sqlite3'}"


def private_sqlite_file(name) -> None:
    """Create the SQLite database file with mode 0600 before SQLite does (it would use 0644), and tighten an
    existing one of ours that is readable by others. SQLite gives its -wal and -shm files the same mode."""
    path = str(name or "")
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        info = os.stat(path)
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    except OSError:  # a directory that does not exist yet, read-only media …: SQLite will report it
        return
    else:
        os.close(fd)


def secret_key() -> tuple[str, str]:
    """Return (key, origin). Origin is 'env', or 'file' for a generated key kept in the data dir."""
    from_env = os.environ.get("SECRET_KEY") or os.environ.get("VENDORVET_SECRET_KEY")
    if from_env:
        return from_env, "env"
    key_file = data_dir() / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip(), "file"
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key, "file"


# --------------------------------------------------------------------------- background task queue

TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def task_backend(environ: dict[str, str] | None = None) -> str:
    """The Django Tasks backend path from VENDORVET_TASK_BACKEND: ``database`` (default), ``rq``/``redis``,
    ``immediate`` or a dotted backend path."""
    env = os.environ if environ is None else environ
    value = (env.get("VENDORVET_TASK_BACKEND") or "").strip()
    if not value:
        return TASK_BACKENDS["database"]
    return TASK_BACKENDS.get(value.lower(), value)


def uses_rq(backend_path: str) -> bool:
    return backend_path.startswith("django_tasks_rq.")


def redis_url(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return (env.get("VENDORVET_REDIS_URL") or "").strip() or DEFAULT_REDIS_URL


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (for logs and ``check-config``)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        user = parts.username or ""
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return "(unparsable URL)"


def redis_ping(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """(answers, message) for a Redis URL; the message never contains the password."""
    import redis

    shown = redact_url(url)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
            version = client.info("server").get("redis_version", "?")
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        reason = type(exc).__name__
        text = str(exc)
        if "@" not in text and "://" not in text:  # texts that might quote the URL are left out
            reason += f": {text[:200]}"
        return False, f"Redis at {shown} does not answer ({reason})"
    return True, f"Redis {version} at {shown} answers"


def queue_description(environ: dict[str, str] | None = None) -> str:
    backend = task_backend(environ)
    if uses_rq(backend):
        return f"Redis (RQ) at {redact_url(redis_url(environ))}"
    if backend.startswith("django_tasks_db."):
        return "database (django-tasks database backend)"
    return backend


FRONT_DOOR_INTEGERS = ("VENDORVET_LOGIN_FAILURE_LIMIT", "VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT",
                       "VENDORVET_LOGIN_COOLOFF_MINUTES", "VENDORVET_SESSION_IDLE_MINUTES",
                       "VENDORVET_SESSION_MAX_HOURS", "VENDORVET_INVITATION_DAYS", "VENDORVET_PASSWORD_RESET_HOURS")


# --------------------------------------------------------------------------- second factor

MFA_REQUIREMENTS = ("none", "admins", "all")


def production_mode(environ: dict[str, str] | None = None) -> bool:
    """Production mode: served behind TLS (``VENDORVET_HTTPS``), as the Production section of the README sets up."""
    env = os.environ if environ is None else environ
    return (env.get("VENDORVET_HTTPS") or "").strip().lower() in TRUE_WORDS


def mfa_minimum(environ: dict[str, str] | None = None) -> str:
    """Who must use a second factor installation-wide: ``VENDORVET_MFA_REQUIRE`` (none, admins, all);
    unset: ``admins`` in production mode, else ``none``. An unknown value means ``admins`` (fail closed)."""
    env = os.environ if environ is None else environ
    value = (env.get("VENDORVET_MFA_REQUIRE") or "").strip().lower()
    if not value:
        return "admins" if production_mode(env) else "none"
    return value if value in MFA_REQUIREMENTS else "admins"


@dataclass
class ConfigProblem:
    setting: str
    level: str  # "error" blocks production, "warning" should be looked at
    message: str


@dataclass
class ConfigReport:
    problems: list[ConfigProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def production_report(environ: dict[str, str] | None = None) -> ConfigReport:
    """What a production deployment still lacks. Pure: reads only ``environ``."""
    env = dict(os.environ if environ is None else environ)
    report = ConfigReport()

    def add(setting: str, level: str, message: str) -> None:
        report.problems.append(ConfigProblem(setting, level, message))

    key = env.get("SECRET_KEY") or env.get("VENDORVET_SECRET_KEY") or ""
    if not key:
        add("SECRET_KEY", "error", "not set; a generated key in the data directory is only fit for a demo")
    elif len(key) < 50 or len(set(key)) < 5:
        add("SECRET_KEY", "error", "too short or too simple (use at least 50 random characters)")
    db = env.get("DATABASE_URL", "")
    if not db:
        add("DATABASE_URL", "warning", "not set; using the embedded SQLite database (use PostgreSQL in production)")
    elif db.startswith("sqlite"):
        add("DATABASE_URL", "warning", "SQLite is the embedded default; PostgreSQL is the production database")
    if env.get("VENDORVET_DEBUG", "").lower() in TRUE_WORDS:
        add("VENDORVET_DEBUG", "error", "debug mode exposes internals; unset it in production")
    hosts = [h.strip() for h in env.get("VENDORVET_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts:
        add("VENDORVET_ALLOWED_HOSTS", "error", "not set; only 127.0.0.1 and localhost are accepted")
    elif "*" in hosts:
        add("VENDORVET_ALLOWED_HOSTS", "error", "'*' accepts any Host header; list the real host names")
    if env.get("VENDORVET_HTTPS", "").lower() not in TRUE_WORDS:
        add("VENDORVET_HTTPS", "warning", "not set; cookies are not marked Secure and HSTS is off (set it behind TLS)")
    if not env.get("VENDORVET_CSRF_TRUSTED_ORIGINS") and hosts and "*" not in hosts:
        add("VENDORVET_CSRF_TRUSTED_ORIGINS", "warning", "not set; needed when a TLS proxy sits in front")
    if not env.get("VENDORVET_BASE_URL"):
        add("VENDORVET_BASE_URL", "warning", "not set; links in alert e-mails and webhooks point to localhost")
    if not env.get("EMAIL_HOST"):
        add("EMAIL_HOST", "warning",
            "not set; alert, password-reset and invitation e-mails go to an SMTP server on localhost:25")
    backend = task_backend(env)
    if uses_rq(backend):
        if not env.get("VENDORVET_REDIS_URL"):
            add("VENDORVET_REDIS_URL", "warning", f"not set; the task queue uses {DEFAULT_REDIS_URL}")
    elif backend.endswith(".ImmediateBackend"):
        add("VENDORVET_TASK_BACKEND", "warning", "immediate: scans run inside the web request (tests only)")
    for name in FRONT_DOOR_INTEGERS:
        raw = (env.get(name) or "").strip()
        if raw and (not raw.isdigit() or int(raw) < 1):
            add(name, "error", f"must be a whole number of at least 1, not {raw!r}")
    limit = (env.get("VENDORVET_LOGIN_FAILURE_LIMIT") or "").strip()
    if limit.isdigit() and int(limit) > 10:
        add("VENDORVET_LOGIN_FAILURE_LIMIT", "warning", "more than 10 failed logins before a lock help guessing")


    if mfa_minimum(env) == "none":
        add("VENDORVET_MFA_REQUIRE", "error", "administrators are not required to use a second factor; set it to "
            "'admins' or 'all' (in production mode, VENDORVET_HTTPS, 'admins' is the default)")
    if not env.get("VENDORVET_DATA_DIR"):
        add("VENDORVET_DATA_DIR", "warning", "not set; using the per-user data directory")
    outbound_problems(env, add)
    return report


# the engine's ALWAYS_BLOCKED ranges (engine.net; config imports no engine code — a test keeps them equal)
ALWAYS_BLOCKED_NETWORKS = ("169.254.169.254/32", "fd00:ec2::254/128", "100.100.100.200/32", "127.0.0.0/8", "::1/128",
                           "0.0.0.0/32", "::/128")


def outbound_problems(env: dict[str, str], add) -> None:
    """The operator's outbound network policy: valid ranges, and no test-only override in production."""
    if (env.get("VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS") or "").strip():
        add("VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS", "error",
            "a test-only override that lets scans and webhooks reach this machine; remove it")
    for entry in env_list_from(env, "VENDORVET_SCAN_ALLOW_NETWORKS"):
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            add("VENDORVET_SCAN_ALLOW_NETWORKS", "error",
                f"{entry!r} is not a network in CIDR notation (e.g. 10.20.0.0/16)")
            continue
        if network.prefixlen == 0:
            add("VENDORVET_SCAN_ALLOW_NETWORKS", "error", f"{network} allows every address; list the internal ranges")
        blocked = [b for b in ALWAYS_BLOCKED_NETWORKS
                   if ipaddress.ip_network(b).version == network.version and network.overlaps(ipaddress.ip_network(b))]
        if blocked:
            add("VENDORVET_SCAN_ALLOW_NETWORKS", "warning",
                f"{network} touches {', '.join(blocked)} (loopback or cloud metadata); those addresses stay blocked")


def env_list_from(env: dict[str, str], name: str) -> list[str]:
    return [item.strip() for item in (env.get(name) or "").split(",") if item.strip()]
