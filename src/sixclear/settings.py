"""One settings module, configured from the environment.

Development (the default) runs on an SQLite file and in-process jobs with no set-up.
Production (SIXCLEAR_ENV=production) refuses to start with DEBUG on, a default secret or
no allowed hosts.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SIXCLEAR_DATA_DIR", Path.cwd() / "var")).resolve()

ENVIRONMENT = os.environ.get("SIXCLEAR_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
TESTING = os.environ.get("SIXCLEAR_TESTING") == "1"


def env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEVELOPMENT_SECRET = "development-only-secret-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SIXCLEAR_SECRET_KEY", DEVELOPMENT_SECRET)
DEBUG = env_flag("SIXCLEAR_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [h for h in os.environ.get("SIXCLEAR_ALLOWED_HOSTS", "").split(",") if h]

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("SIXCLEAR_DEBUG must be off in production.")
    if SECRET_KEY == DEVELOPMENT_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Set SIXCLEAR_SECRET_KEY to a random value of at least 50 characters in production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set SIXCLEAR_ALLOWED_HOSTS (comma-separated) in production.")
else:
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "sixclear.accounts.apps.SignInLockoutConfig",  # django-axes, named in our languages
    "treebeard",
    "simple_history",
    "huey.contrib.djhuey",
    "django_fsm_log",
    "sixclear.orgs",
    "sixclear.plans",
    "sixclear.tracking",
    "sixclear.monitoring",
    "sixclear.changes",
    "sixclear.procedures",
    "sixclear.dashboards",
    "sixclear.snapshots",
    "sixclear.evaluation",
    "sixclear.meetings",
    "sixclear.reports",
    "sixclear.portal",
    "sixclear.api",
    "sixclear.exchange",
    "sixclear.demo",
    "sixclear.accounts",
    "sixclear.audit",
    "sixclear.outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the CSP, sessions and authentication: an anonymous visitor's public portal page,
    # whole, with the CSP header it was built with (such a page uses no nonce).
    "sixclear.portal.pagecache.FullPageCache",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sixclear.accounts.middleware.SessionLifetimeMiddleware",
    "sixclear.accounts.middleware.UserLanguageMiddleware",
    "sixclear.http_security.RefuseInvalidCharacters",
    "sixclear.http_security.SecurityHeaders",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sixclear.urls"
WSGI_APPLICATION = "sixclear.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sixclear.accounts.context_processors.navigation",
                "sixclear.monitoring.context_processors.unread_notifications",
            ],
            # `|bdi` isolates user data in every template, without a {% load %}.
            "builtins": ["sixclear.accounts.templatetags.isolation"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sixclear.sqlite3'}"),
        conn_max_age=int(os.environ.get("SIXCLEAR_DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after a database restart
        # the first request gets a new connection instead of a 503.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while a writer commits; the timeout absorbs short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL streaming replicas (comma-separated URLs), one alias each (replica1, ...). Only
# reads that may be a few seconds old go there, and only inside `replicas.replica_reads()`:
# the portal, open data, other units' dashboards, report content. Writes and everything else
# stay on the primary; a replica out of reach is left alone for SIXCLEAR_REPLICA_RETRY_SECONDS.
DATABASE_REPLICAS = []
for _number, _url in enumerate(
        [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()],
        start=1):
    _replica = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True)
    if _replica["ENGINE"].endswith("postgresql"):
        _replica.setdefault("OPTIONS", {})["connect_timeout"] = 2
    _replica["TEST"] = {"MIRROR": "default"}  # a test run creates no database there
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["sixclear.replicas.ReplicaRouter"]
SIXCLEAR_REPLICA_RETRY_SECONDS = int(os.environ.get("SIXCLEAR_REPLICA_RETRY_SECONDS", "30"))
# How far behind a replica may be: for this long after a change that must show at once (a
# publishing decision), the pages it concerns are read on the primary.
SIXCLEAR_REPLICA_LAG_SECONDS = int(os.environ.get("SIXCLEAR_REPLICA_LAG_SECONDS", "10"))
# A replica further behind than this (its replay lag) is skipped until it catches up; each
# process checks a replica's lag at most once every SIXCLEAR_REPLICA_CHECK_SECONDS.
SIXCLEAR_REPLICA_MAX_LAG_SECONDS = float(
    os.environ.get("SIXCLEAR_REPLICA_MAX_LAG_SECONDS", "10"))
SIXCLEAR_REPLICA_CHECK_SECONDS = float(os.environ.get("SIXCLEAR_REPLICA_CHECK_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering-index columns (INCLUDE) exist on PostgreSQL only; SQLite uses the index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIXCLEAR_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = not TESTING

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "tracking:my_work"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

LANGUAGE_CODE = os.environ.get("SIXCLEAR_LANGUAGE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# One date and one date-time format per language that agree with each other (see the package).
FORMAT_MODULE_PATH = ["sixclear.accounts.formats"]
USE_I18N = True
TIME_ZONE = os.environ.get("SIXCLEAR_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "static/"
# The project's own stylesheet and scripts and the vendored htmx and Chart.js.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("SIXCLEAR_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Evidence files live outside the static tree and are never served by the static server.
MEDIA_ROOT = Path(os.environ.get("SIXCLEAR_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads and generated files (evidence, report files, signed documents) on S3-compatible
# object storage when SIXCLEAR_S3_BUCKET is set, so that any app server or worker reads what
# another wrote. Private objects under generated names, never overwritten; read only through
# the access-checked download views, like the files on disk.
SIXCLEAR_S3_BUCKET = os.environ.get("SIXCLEAR_S3_BUCKET", "")
if SIXCLEAR_S3_BUCKET:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": SIXCLEAR_S3_BUCKET,
        "location": os.environ.get("SIXCLEAR_S3_PREFIX", ""),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "signature_version": "s3v4",
        **{option: os.environ[name] for option, name in (
            ("endpoint_url", "SIXCLEAR_S3_ENDPOINT_URL"), ("region_name", "SIXCLEAR_S3_REGION"),
            ("access_key", "SIXCLEAR_S3_ACCESS_KEY"), ("secret_key", "SIXCLEAR_S3_SECRET_KEY"),
            ("addressing_style", "SIXCLEAR_S3_ADDRESSING_STYLE"),
        ) if os.environ.get(name)},
    }}
EVIDENCE_MAX_BYTES = int(os.environ.get("SIXCLEAR_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_EXTENSIONS = {
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv",
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "SIXCLEAR_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("SIXCLEAR_FROM_EMAIL", "sixclear@localhost")

# Jobs: Huey on SQLite by default (in-process under `sixclear serve`), Redis when REDIS_URL is
# set, and immediate (synchronous, in memory) in the test suite.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "sixclear",
    "immediate": TESTING,
    "consumer": {"workers": int(os.environ.get("SIXCLEAR_WORKERS", "2")), "worker_type": "thread"},
}
if REDIS_URL:
    # A Redis out of reach fails a hand-over within 2 s instead of holding the request that
    # committed (the outbox keeps the job for the drain).
    # Any number of `sixclear worker`s on any number of machines share the queue; each
    # periodic job is queued once per due minute, by the first worker to claim it.
    HUEY.update({"huey_class": "sixclear.outbox.queue.RedisHuey",
                 "url": REDIS_URL if "timeout" in REDIS_URL
                 else f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}socket_connect_timeout=2"})
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # SqliteHuey opens its file at start-up
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "jobs.sqlite3")})
# Jobs a write asks for are rows of the outbox (sixclear.outbox), written with the write: one
# handed to the queue or started but not finished within the lease is handed over again (a
# worker died); after the last attempt it stays, with its error, for an administrator.
SIXCLEAR_JOB_LEASE_SECONDS = int(os.environ.get("SIXCLEAR_JOB_LEASE_SECONDS", "900"))
SIXCLEAR_JOB_MAX_ATTEMPTS = int(os.environ.get("SIXCLEAR_JOB_MAX_ATTEMPTS", "5"))
SIXCLEAR_JOB_KEEP_DAYS = int(os.environ.get("SIXCLEAR_JOB_KEEP_DAYS", "14"))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Session keys from cookies are checked before they reach the database (accounts.sessions).
SESSION_ENGINE = "sixclear.accounts.sessions"
# Django's cache (the API's rate limits, and sessions): in each process by default; in Redis,
# shared by every app server, when SIXCLEAR_CACHE_URL is set (e.g. redis://cache:6379/1).
# Sessions are then read from the cache and kept in the database too (cached_db), so a Redis
# restart signs no one out. A Redis out of reach is a cache miss (sixclear.redis_cache).
SIXCLEAR_CACHE_URL = os.environ.get("SIXCLEAR_CACHE_URL", "")


def redis_cache(url, prefix):
    return {"BACKEND": "sixclear.redis_cache.TolerantRedisCache", "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}


if SIXCLEAR_CACHE_URL:
    CACHES = {"default": redis_cache(SIXCLEAR_CACHE_URL, "sixclear")}
    SESSION_ENGINE = "sixclear.accounts.cached_sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A session ends after 30 idle minutes (renewed by activity, accounts.middleware) and after
# 12 hours however active (ASVS V3.3).
SESSION_COOKIE_AGE = int(os.environ.get("SIXCLEAR_SESSION_IDLE_MINUTES", "30")) * 60
SIXCLEAR_SESSION_MAX_SECONDS = int(os.environ.get("SIXCLEAR_SESSION_MAX_HOURS", "12")) * 3600
# Content-Security-Policy (django-csp 4): scripts, styles, images and fonts from this site only;
# no inline script or style anywhere (chart data travels in json_script blocks).
INSTALLED_APPS += ["csp"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page here uses are switched off for the site and anything it embeds.
SIXCLEAR_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Behind this many reverse proxies, the client is the last address they add to
# X-Forwarded-For (portal limits per client); 0 trusts no header and uses the peer address.
SIXCLEAR_TRUSTED_PROXIES = int(os.environ.get("SIXCLEAR_TRUSTED_PROXIES", "0"))
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("SIXCLEAR_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SIXCLEAR_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        o for o in os.environ.get("SIXCLEAR_CSRF_TRUSTED_ORIGINS", "").split(",") if o
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SIXCLEAR_LOG_LEVEL", "INFO")},
}

# --- api ---
# The REST API (/api/v1/): Django REST framework, drf-spectacular for the OpenAPI schema, its
# docs page served from drf-spectacular-sidecar (no CDN), django-filter for list filters.
INSTALLED_APPS += [
    app
    for app in ("rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "django_filters")
    if app not in INSTALLED_APPS
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sixclear.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "sixclear.api.throttling.TokenRateThrottle",
        "sixclear.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "sixclear.api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "sixclear.api.pagination.StableOrdering",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["sixclear.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sixclear.api.exceptions.handle_exception",
    "COERCE_DECIMAL_TO_STRING": True,
    "PAGE_SIZE": 50,
}
# Requests per token (or per signed-in person, or per address when anonymous); "" turns it off.
SIXCLEAR_API_RATE = os.environ.get("SIXCLEAR_API_RATE", "3000/hour")
SIXCLEAR_API_ANON_RATE = os.environ.get("SIXCLEAR_API_ANON_RATE", "120/hour")
SIXCLEAR_API_IDEMPOTENCY_HOURS = int(os.environ.get("SIXCLEAR_API_IDEMPOTENCY_HOURS", "24"))
SIXCLEAR_API_TOKEN_MAX_DAYS = int(os.environ.get("SIXCLEAR_API_TOKEN_MAX_DAYS", "365"))
# A request body larger or a JSON nested deeper than this is refused with 400 (api.parsers).
SIXCLEAR_API_MAX_BODY_BYTES = int(os.environ.get("SIXCLEAR_API_MAX_BODY_BYTES", 1024 * 1024))
SIXCLEAR_API_MAX_JSON_DEPTH = int(os.environ.get("SIXCLEAR_API_MAX_JSON_DEPTH", "20"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Sixclear API",
    "DESCRIPTION": "Resolutions, programs, targets and tasks with the six clears, and their "
    "monitoring. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sixclear.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "sixclear.orgs.models.UnitKind",
        "ProgramKindEnum": "sixclear.plans.models.ProgramKind",
        "TargetKindEnum": "sixclear.plans.models.TargetKind",
        "ChangeKindEnum": "sixclear.changes.models.ChangeKind",
        "ReviewStatusEnum": "sixclear.tracking.models.ReviewStatus",
        "ChangeStatusEnum": "sixclear.changes.models.ChangeStatus",
        "TaskStatusEnum": "sixclear.monitoring.models.TaskStatus",
        "TargetStatusEnum": "sixclear.monitoring.models.TargetStatus",
        "ResolutionStatusEnum": "sixclear.plans.models.ResolutionStatus",
        "CaseStateEnum": "sixclear.procedures.models.CaseState",
        "StepStateEnum": "sixclear.procedures.models.StepState",
        "ObstacleStateEnum": "sixclear.meetings.models.ObstacleState",
        "MeetingStateEnum": "sixclear.meetings.models.MeetingState",
        "MeetingKindEnum": "sixclear.meetings.models.MeetingKind",
        "AgendaItemKindEnum": "sixclear.meetings.models.ItemKind",
        "AgendaDecisionEnum": "sixclear.meetings.models.Decision",
    },
}

# --- exchange ---
# Spreadsheet import and export (docs/spreadsheets.md): limits a file must keep to be read.
SIXCLEAR_IMPORT_MAX_BYTES = int(os.environ.get("SIXCLEAR_IMPORT_MAX_BYTES", 25 * 1024 * 1024))
SIXCLEAR_IMPORT_MAX_ROWS = int(os.environ.get("SIXCLEAR_IMPORT_MAX_ROWS", "50000"))
SIXCLEAR_IMPORT_MAX_CELL_CHARS = int(os.environ.get("SIXCLEAR_IMPORT_MAX_CELL_CHARS", "10000"))
# An XLSX is a zip: its parts together may unpack to at most this many bytes, each part at
# most this many times its packed size (a zip bomb packs gigabytes of zeros a thousandfold).
SIXCLEAR_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("SIXCLEAR_IMPORT_MAX_UNPACKED_BYTES", 300 * 1024 * 1024)
)
SIXCLEAR_IMPORT_MAX_RATIO = int(os.environ.get("SIXCLEAR_IMPORT_MAX_RATIO", "200"))

# --- reports ---
# Periodic reports, decision appendices and PAdES signatures (docs/reports.md).
REPORTS_FONT_DIR = Path(os.environ.get("SIXCLEAR_FONT_DIR", "/usr/share/fonts/truetype/noto"))
REPORTS_PKI_DIR = Path(os.environ.get("SIXCLEAR_PKI_DIR", DATA_DIR / "pki"))
# Who signs with which key: {"username": {"backend": "pkcs12", "pkcs12": path,
# "passphrase_file": path} or {"backend": "pkcs11", "module": path, "token_label": ...}}.
REPORTS_SIGNERS_FILE = Path(
    os.environ.get("SIXCLEAR_SIGNERS_FILE", REPORTS_PKI_DIR / "signers.json")
)
# PEM or DER files of the roots a signature must chain to (e.g. the national root CA).
REPORTS_TRUSTED_ROOTS = [
    p for p in os.environ.get("SIXCLEAR_TRUSTED_ROOTS", "").split(os.pathsep) if p
]
# The demo authority of `sixclear pki demo` is trusted only outside production.
REPORTS_TRUST_DEMO_CA = not PRODUCTION and env_flag("SIXCLEAR_TRUST_DEMO_CA", True)
REPORTS_TSA_URL = os.environ.get("SIXCLEAR_TSA_URL", "")
# Rows a report's list holds (late tasks, tasks done, …): the XLSX lists them all, so a
# province's lists are complete; a country's longer ones stop here, and the report says so.
REPORTS_ROW_LIMIT = int(os.environ.get("SIXCLEAR_REPORT_ROW_LIMIT", "20000"))
# Rows the PDF and DOCX list per section: those that matter most (late the longest, farthest
# off their path, …), with a sentence saying how many are left out and that the XLSX has them.
REPORTS_DOCUMENT_ROWS = int(os.environ.get("SIXCLEAR_REPORT_DOCUMENT_ROWS", "20"))
# Who seals the periodic snapshots: a name in the signers file holding the seal's key (the
# office's certificate); without a key there, snapshots are kept unsealed until one is set.
SNAPSHOTS_SEAL_SIGNER = os.environ.get("SIXCLEAR_SNAPSHOTS_SEAL_SIGNER", "sixclear-seal")
# Font subsetting chatter, and pyHanko's trace of a modification it reports to the person anyway.
LOGGING.setdefault("loggers", {}).update({
    "fontTools": {"level": "WARNING"},
    "weasyprint": {"level": "ERROR"},
    "pyhanko.sign.diff_analysis": {"level": "CRITICAL"},
})

# --- dashboards ---
# A dashboard's figures are kept while nothing under its unit was recounted
# (sixclear.dashboards.kept): its sub-units' changes may show this many seconds late, its own at
# once; what no recount follows (an area renamed) shows within the second setting.
DASHBOARD_LAG_SECONDS = float(os.environ.get("SIXCLEAR_DASHBOARD_LAG_SECONDS", "5"))
DASHBOARD_CACHE_SECONDS = int(os.environ.get("SIXCLEAR_DASHBOARD_CACHE_SECONDS", "60"))

# --- portal ---
# The public portal (sixclear.portal): page cache lifetime, comment moderation, limits on what
# one e-mail address may send, and the address used in links e-mailed by background jobs.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("SIXCLEAR_PORTAL_CACHE_SECONDS", "300"))
# ... and of a whole page for anonymous visitors (a safety net: decisions make it stale at once).
PORTAL_FULL_PAGE_SECONDS = int(os.environ.get("SIXCLEAR_PORTAL_FULL_PAGE_SECONDS", "60"))
PORTAL_MODERATE_COMMENTS = env_flag("SIXCLEAR_PORTAL_MODERATE_COMMENTS", True)
PORTAL_COMMENT_MAX_LENGTH = int(os.environ.get("SIXCLEAR_PORTAL_COMMENT_MAX_LENGTH", "1000"))
PORTAL_SUBMISSIONS_PER_HOUR = int(os.environ.get("SIXCLEAR_PORTAL_SUBMISSIONS_PER_HOUR", "5"))
# ... and what one client (address, or IPv6 /64 network) may send, whatever the e-mail addresses.
PORTAL_SUBMISSIONS_PER_CLIENT_HOUR = int(
    os.environ.get("SIXCLEAR_PORTAL_SUBMISSIONS_PER_CLIENT_HOUR", "20"))
PORTAL_CONFIRMATION_DAYS = int(os.environ.get("SIXCLEAR_PORTAL_CONFIRMATION_DAYS", "7"))
PORTAL_SITE_URL = os.environ.get("SIXCLEAR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The portal's page cache and per-address limits must be shared by every process, so that a
# publishing decision empties it everywhere: Redis when SIXCLEAR_CACHE_URL or REDIS_URL is
# set, else files on disk.
CACHES.setdefault("portal", redis_cache(SIXCLEAR_CACHE_URL or REDIS_URL, "sixclear-portal")
                  if SIXCLEAR_CACHE_URL or REDIS_URL else {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(DATA_DIR / "cache" / "portal"), "OPTIONS": {"MAX_ENTRIES": 20000},
})

# --- second factor ---
# TOTP with recovery codes (django-otp; docs/security.md#second-factor). OTPMiddleware marks a
# session verified once a code was given; SecondFactorMiddleware sends a person who holds a
# device and has not given a code to the verification page, and, when the second factor is
# required, an administrator, leader, staff member or report signer without one to enrolment.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = \
    "sixclear.accounts.apps.VerifiedAdminConfig"  # the admin asks for the second factor too
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("sixclear.http_security.SecurityHeaders") + 1,
                  "sixclear.accounts.middleware.SecondFactorMiddleware")
SIXCLEAR_REQUIRE_SECOND_FACTOR = env_flag("SIXCLEAR_REQUIRE_SECOND_FACTOR", PRODUCTION)
OTP_TOTP_ISSUER = "Sixclear"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a person's secret key
