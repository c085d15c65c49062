"""Django settings for vendorvet. Every value comes from the environment (see config.py)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from vendorvet.web import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
SECRET_KEY, SECRET_KEY_ORIGIN = config.secret_key()
DEBUG = config.env_bool("VENDORVET_DEBUG", False)
HTTPS = config.env_bool("VENDORVET_HTTPS", False)
ALLOWED_HOSTS = config.env_list("VENDORVET_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("VENDORVET_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "vendorvet.web.core",
    "vendorvet.web.accounts",
    "vendorvet.web.accounts.security",
    "axes",
    "vendorvet.web.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "vendorvet.web.accounts.mfa",
    "vendorvet.web.accounts.sso",
    "vendorvet.web.inventory",
    "vendorvet.web.api",
    "vendorvet.web.assessments",
    "vendorvet.web.scans",
    "vendorvet.web.discovery",
    "vendorvet.web.legal",
    "vendorvet.web.monitoring",
    "vendorvet.web.supplychain",
    "vendorvet.web.dashboard",
    "vendorvet.web.dora",
    "vendorvet.web.reports",
    "vendorvet.web.questionnaires",
    "vendorvet.web.watch",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vendorvet.web.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "vendorvet.web.accounts.security.authentication.AuthenticationMiddleware",  # user and login record, one query
    "vendorvet.web.core.security.RequestMetaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vendorvet.web.accounts.security.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vendorvet.web.accounts.middleware.TenantActorMiddleware",
    "vendorvet.web.accounts.mfa.middleware.MfaEnforcementMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the login page with its message (must be last)
]

ROOT_URLCONF = "vendorvet.web.urls"
WSGI_APPLICATION = "vendorvet.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vendorvet.web.core.context_processors.tenancy",
            ],
            # |human, |engine_text, |pick, |number, |status_label on every page (core.texts)
            "builtins": ["vendorvet.web.core.templatetags.texts"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or config.default_database_url(),
        conn_max_age=int(os.environ.get("VENDORVET_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    config.private_sqlite_file(DATABASES["default"]["NAME"])  # 0600 (its -wal/-shm files inherit the mode)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # Each request opens its own connection (CONN_MAX_AGE 0), and a new connection starts with an empty page
    # cache: without memory mapping every request re-reads the index pages it touches through read() (a third of
    # the inventory list's time on a large tenant). Mapped pages come from the operating system's cache, shared
    # by all connections. 0 turns it off.
    _mmap = config.env_int("VENDORVET_SQLITE_MMAP_MB", 256, minimum=0) * 1024 * 1024
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                         f"PRAGMA mmap_size={_mmap};",
         "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("VENDORVET_TEST_SQLITE") or None}
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # short web queries: PostgreSQL's JIT compiler would spend more time compiling (≈ 300 ms for the dashboard's
    # aggregates over 10,000 integrations) than the query runs; an operator can still enable it per role
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The dashboard's sections run side by side on this many threads, each with its own connection (1: one after
# the other). See vendorvet.web.dashboard.parallel.
VENDORVET_DASHBOARD_THREADS = config.env_int("VENDORVET_DASHBOARD_THREADS", 2, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor authentication (TOTP, passkeys, recovery codes) and single sign-on (OpenID Connect, per tenant).
VENDORVET_MFA_REQUIRE = config.mfa_minimum()  # none | admins | all; admins by default in production mode
OTP_TOTP_ISSUER = os.environ.get("VENDORVET_TOTP_ISSUER", "vendorvet")
# Only for tests and a provider on the same machine: lets an SSO issuer live on loopback (and use plain HTTP there).
VENDORVET_SSO_ALLOW_LOOPBACK = config.env_bool("VENDORVET_SSO_ALLOW_LOOPBACK", False)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = os.environ.get("VENDORVET_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "inventory" / "io" / "locale"]
TIME_ZONE = os.environ.get("VENDORVET_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic target; whitenoise also serves from finders
STORAGES = {
    "default": {"BACKEND": "vendorvet.web.core.storage.PrivateFileSystemStorage"},  # files 0600, folders 0700
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"  # evidence files: outside any web root, served only through views

FILE_UPLOAD_PERMISSIONS = 0o600  # evidence and contracts: readable by the vendorvet user only
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads: large files stream to disk; the importer enforces its own limits on top.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
VENDORVET_IMPORT_MAX_BYTES = int(os.environ.get("VENDORVET_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

# Security headers and cookies
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = config.env_bool("VENDORVET_SSL_REDIRECT", True)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vendorvet.web.api.authentication.TokenAuthentication",
        "vendorvet.web.api.authentication.TenantSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["vendorvet.web.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "vendorvet.web.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vendorvet API",
    "DESCRIPTION": "Inventory and vetting of third-party apps and API integrations. "
    "Authenticate with `Authorization: Token <key>`; every token is bound to one tenant.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SORT_OPERATIONS": "vendorvet.web.api.schema.operation_sorter",  # deprecated paths last
    # one component name per choice set (see vendorvet.web.api.schema)
    "ENUM_NAME_OVERRIDES": {**{name: f"vendorvet.web.api.schema.{func}" for name, func in (
        ("ScanRunStatusEnum", "scan_run_status_choices"), ("EventKindEnum", "event_kind_choices"),
        ("SeverityEnum", "event_severity_choices"), ("RiskEnum", "app_risk_choices"),
        ("YesNoUnknownEnum", "yes_no_unknown_choices"), ("TierEnum", "tier_choices"),
        ("TokenStateEnum", "token_state_choices"), ("CheckKindEnum", "check_kind_choices"))},
        # the questionnaires' status and the two languages (shared with the legal exports' language choice)
        "QuestionnaireStatusEnum": "vendorvet.web.questionnaires.models.Status",
        "LanguageEnum": "vendorvet.web.questionnaires.models.LANGUAGE_CODES",
        "QuestionnaireLanguageEnum": "vendorvet.web.questionnaires.models.LANGUAGES"},
}

# Outgoing e-mail (monitoring alerts) and the address alerts link to.
VENDORVET_BASE_URL = os.environ.get("VENDORVET_BASE_URL", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = config.env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = config.env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "vendorvet@localhost")

# Background tasks: the database queue by default (one machine); VENDORVET_TASK_BACKEND=rq puts them in
# Redis (VENDORVET_REDIS_URL) so any number of 'vendorvet worker' processes on several machines share them.
TASKS = {"default": {"BACKEND": config.task_backend()}}
VENDORVET_REDIS_URL = config.redis_url()
RQ_QUEUES = {
    "default": {
        "URL": VENDORVET_REDIS_URL,
        # a job that runs longer is stopped by the worker (one integration's scan takes seconds to minutes)
        "DEFAULT_TIMEOUT": int(os.environ.get("VENDORVET_TASK_TIMEOUT", "1800")),
    }
}
RQ = {"COMMIT_MODE": "on_db_commit", "WORKER_CLASS": "vendorvet.web.core.queue.Worker"}
if config.uses_rq(TASKS["default"]["BACKEND"]):
    INSTALLED_APPS.append("django_rq")
# A worker renews the lease of the scan it runs; a run whose lease ran out (worker killed) is queued again.
VENDORVET_SCAN_LEASE_SECONDS = int(os.environ.get("VENDORVET_SCAN_LEASE_SECONDS", "120"))

# Outbound network policy (web scans, re-scans, webhooks): internal ranges the operator allows, comma-separated
# CIDRs. Loopback and cloud metadata addresses stay blocked anyway; no tenant setting can widen this.
VENDORVET_SCAN_ALLOW_NETWORKS = config.env_list("VENDORVET_SCAN_ALLOW_NETWORKS", [])

# Vendor questionnaires: a clamd socket to scan the vendor's uploads (a Unix socket path or host:port; empty: the
# files are not scanned, and each file record says so), reminder days before the due date, and how many refused
# links or wrong codes per client address within the window lead to HTTP 429.
VENDORVET_CLAMD_SOCKET = os.environ.get("VENDORVET_CLAMD_SOCKET", "")
VENDORVET_QUESTIONNAIRE_REMIND_DAYS = config.env_int("VENDORVET_QUESTIONNAIRE_REMIND_DAYS", 3, minimum=0)
VENDORVET_QUESTIONNAIRE_FAILURE_LIMIT = config.env_int("VENDORVET_QUESTIONNAIRE_FAILURE_LIMIT", 20, minimum=1)
VENDORVET_QUESTIONNAIRE_FAILURE_WINDOW = 60 * config.env_int("VENDORVET_QUESTIONNAIRE_FAILURE_MINUTES", 15, minimum=1)

# Security audit log: events older than this are removed by 'vendorvet audit prune' (the chain stays verifiable).
VENDORVET_AUDIT_RETENTION_DAYS = int(os.environ.get("VENDORVET_AUDIT_RETENTION_DAYS", "400"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # a routine 403/404/400 is one line, no traceback (core.logfilters)
    "filters": {"routine_refusals": {"()": "vendorvet.web.core.logfilters.RoutineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VENDORVET_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools report every layout step and font subset at INFO: noise for a normal print
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "django.request": {"filters": ["routine_refusals"]}},
}

# -- the front door: login lockout (django-axes), API throttling, sessions, invitations (accounts.security) ----
AUTHENTICATION_BACKENDS = [
    "vendorvet.web.accounts.security.lockout.LockoutBackend",  # refuses locked accounts and clients first
    "django.contrib.auth.backends.ModelBackend",
]
# Per account: this many failed logins lock the username; per client address: VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT
# failures (any usernames) lock the address. Both for VENDORVET_LOGIN_COOLOFF_MINUTES, or until an administrator
# unlocks (web page "Locked logins" or 'vendorvet unlock').
AXES_FAILURE_LIMIT = config.env_int("VENDORVET_LOGIN_FAILURE_LIMIT", 5, minimum=1)
VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT = config.env_int("VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=config.env_int("VENDORVET_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "vendorvet.web.accounts.security.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "vendorvet.web.accounts.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "vendorvet.web.accounts.security.lockout.client_ip"  # waitress has resolved the proxy
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login: username, address, user agent, time
AXES_DISABLE_ACCESS_LOG = True  # successful logins are the audit log's business
AXES_VERBOSE = False
# Sessions: logged out after VENDORVET_SESSION_IDLE_MINUTES without a request, and VENDORVET_SESSION_MAX_HOURS
# after the login in any case.
VENDORVET_SESSION_IDLE_SECONDS = 60 * config.env_int("VENDORVET_SESSION_IDLE_MINUTES", 30, minimum=1)
VENDORVET_SESSION_MAX_SECONDS = 3600 * config.env_int("VENDORVET_SESSION_MAX_HOURS", 8, minimum=1)
SESSION_COOKIE_AGE = VENDORVET_SESSION_MAX_SECONDS
VENDORVET_INVITATION_DAYS = config.env_int("VENDORVET_INVITATION_DAYS", 7, minimum=1)
PASSWORD_RESET_TIMEOUT = 3600 * config.env_int("VENDORVET_PASSWORD_RESET_HOURS", 2, minimum=1)
# REST API: requests per token (or per logged-in user) and per client address; unauthenticated requests per address.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "vendorvet.web.api.throttling.TokenRateThrottle",
    "vendorvet.web.api.throttling.ClientRateThrottle",
]
VENDORVET_API_RATES = {
    "token": os.environ.get("VENDORVET_API_RATE_TOKEN") or "600/min",
    "client": os.environ.get("VENDORVET_API_RATE_CLIENT") or "1200/min",
    "anon": os.environ.get("VENDORVET_API_RATE_ANON") or "60/min",
}
