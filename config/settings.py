"""Settings, read from the environment (see .env.example).

With no variable set the project runs on embedded defaults: SQLite under var/, Celery on
kombu's filesystem transport under var/celery/, e-mail and SMS printed to the console.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.deployment import require_https_webhooks, require_production_secrets

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "tracker",
    "directives",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.web.middleware.WebErrorPagesMiddleware",
    # Last: it turns a sign-in refused for a lockout into a 429 (tracker/services/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The shared layout, error pages and admin overrides; each app's pages beside it.
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.web.context.layout",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dondoc.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a web worker (each thread of one, under gunicorn's gthread
# workers) keeps its database session for CONN_MAX_AGE seconds instead of opening one per
# request (about 7 ms each, bench/README.md "Concurrency"); the health check tests a kept
# session before a request uses it, so a restarted PostgreSQL costs no failed request.
# 0 closes the session after every request. Celery's workers keep theirs per
# CELERY_DB_REUSE_MAX (below); Django's development server closes them after each request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web, worker and beat processes share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it costs 100-300 ms a statement, more than this application's
    # statements take, and the planner's cost estimate of the indicators' extension lookup
    # would trigger it on every request (bench/README.md, "Compliance indicators").
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if not DEBUG:
    # Production stops here with a placeholder or weak SECRET_KEY or database password.
    require_production_secrets(SECRET_KEY, DATABASES["default"])

AUTH_USER_MODEL = "tracker.User"
# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]  # dd/mm/yyyy in both languages
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The web pages' own stylesheet, scripts and images: served by the application, no CDN.
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]

# The web pages sign in with a session (the API with a token or the same session).
LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "signin"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"  # attachments: never served directly, only through the API
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# Task import files (POST /api/v1/tasks/import/, manage.py import_tasks): up to 50 MB, as
# API.md promises. The upload is a file part, so DATA_UPLOAD_MAX_MEMORY_SIZE (non-file
# fields only) does not limit it; uploads over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file.
IMPORT_MAX_BYTES = 50 * 1024 * 1024
# Reading, checking and writing an import's rows (each chunk is written while the next is
# read) stops after this many seconds with a 400, and nothing is saved (the last chunk and
# the commit come after). 200,000 real rows, the limit, take about 38 s on a quiet 2-core
# machine, the search's trigram indexes included (bench/README.md); nginx gives up after
# 90 s, and gunicorn's gthread workers set no limit on one request (docs/deployment.md).
IMPORT_TIME_BUDGET_SECONDS = env.float("IMPORT_TIME_BUDGET_SECONDS", default=60.0)
# Zip archives (an import's XLSX, docx/xlsx/odt/ods attachments), judged by their directory
# before anything is unpacked (config/common/archives.py): entries, each entry's unpacked
# size, their total, and the ratio of an entry's unpacked to packed size (over 1 MB).
ARCHIVE_MAX_ENTRIES = env.int("ARCHIVE_MAX_ENTRIES", default=10_000)
ARCHIVE_MAX_ENTRY_BYTES = env.int("ARCHIVE_MAX_ENTRY_BYTES", default=512 * 1024 * 1024)
ARCHIVE_MAX_TOTAL_BYTES = env.int("ARCHIVE_MAX_TOTAL_BYTES", default=1024 * 1024 * 1024)
ARCHIVE_MAX_RATIO = env.int("ARCHIVE_MAX_RATIO", default=100)

# edXML packages (POST /api/v1/directives/edxml/, QCVN 102:2016): the body's bytes, refused
# before parsing when larger (attachments inside are base64, a third larger than the files).
EDXML_MAX_BYTES = env.int("EDXML_MAX_BYTES", default=50 * 1024 * 1024)
# The province's address on the document exchange: the From of its status packages.
EDXML_ORGAN_ID = env.str("EDXML_ORGAN_ID", default="000.00.00.H00")
EDXML_ORGAN_NAME = env.str("EDXML_ORGAN_NAME", default="Ủy ban nhân dân tỉnh")

# A directive's answer (GET /api/v1/directives/ and /{id}/) holds at most this many of its
# tasks, the first by id; `tasks_count` and `tasks_url` give the rest (README, API notes).
DIRECTIVE_TASKS_SHOWN = 50

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.TokenAuthentication",  # knox: hashed, expiring
        # DRF's, with the integration account confined to its endpoints as the token's is.
        "tracker.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.BoundedJSONParser",  # size and depth limits: a 400, never a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["config.api.filters.FilterBackend"],  # empty values: a 400
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Đôn đốc API",
    "DESCRIPTION": "Directive and task follow-up tracker, public REST contract v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "tracker.models.TaskStatus",
        "DepartmentKindEnum": "tracker.models.DepartmentKind",
        "DirectiveKindEnum": "directives.models.DirectiveKind",
        "RoleEnum": "tracker.models.Role",
        "CalendarAdjustmentKindEnum": "tracker.models.CalendarAdjustmentKind",
        "NotificationKindEnum": "notifications.models.NotificationKind",
        "NotificationStatusEnum": "notifications.models.NotificationStatus",
        "ChannelEnum": "notifications.models.Channel",
        "WebhookEventEnum": "notifications.models.WebhookEvent",
        "LanguageEnum": "django.conf.settings.LANGUAGES",
        "IndicatorCountEnum": "tracker.models.INDICATOR_COUNTS",
    },
}

# Sign-in throttling and lockout (django-axes; README.md, "Security"). A sign-in is refused
# once an account has had more than SIGN_IN_ACCOUNT_FAILURES failures, or an address more
# than SIGN_IN_ADDRESS_FAILURES, within SIGN_IN_COOL_OFF_MINUTES of the last one counted; the
# lock ends that long after it. The web page, the admin and the token endpoint share it.
SIGN_IN_ACCOUNT_FAILURES = env.int("SIGN_IN_ACCOUNT_FAILURES", default=5)
SIGN_IN_ADDRESS_FAILURES = env.int("SIGN_IN_ADDRESS_FAILURES", default=20)
SIGN_IN_COOL_OFF_MINUTES = env.int("SIGN_IN_COOL_OFF_MINUTES", default=15)
# How many reverse proxies in front of the application append to X-Forwarded-For: the
# client's address is that many entries from its right (1 behind deploy/nginx.conf, which the
# docker compose stack sets); 0 takes the connection's address (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_HANDLER = "tracker.services.lockout.SignInGuard"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = SIGN_IN_ACCOUNT_FAILURES + 1  # the guard scales the address's count to it
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_COOL_OFF_MINUTES)
AXES_RESET_ON_SUCCESS = True  # the guard resets the account's count only
# An attempt while locked is refused without being counted: the lock ends when announced.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "tracker.services.sign_in_log.client_address"
AXES_LOCKOUT_CALLABLE = "tracker.services.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # the sign-in audit log (tracker.SignInEvent) replaces it
AXES_ENABLE_ADMIN = False  # its pages are English only; the audit log is in the admin
AXES_VERBOSE = False

# API tokens (django-rest-knox): stored as a SHA-512 digest, a new one at each sign-in, with
# the lifetime the office sets in the admin (tracker.SecuritySettings, 30 days by default);
# never extended by use, so an expiry is real.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_TTL": timedelta(days=30),  # unused: tracker.services.tokens passes the office's
}

# Celery: the default broker needs no server (kombu's filesystem transport under var/celery).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # An unacknowledged message (its worker died) is delivered again after this many seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Celery's Django fixup closes the database connection around every task unless told to
# keep it: reusing it for 100 tasks makes deliveries 2–3 times faster (bench/README.md).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=100)

# E-mail: any Django backend by URL (smtp://user:pass@host:587 with ?tls=True, consolemail://).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Đôn đốc <dondoc@localhost>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# SMS: a console backend for development, or a generic HTTP JSON gateway.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_USERNAME = env.str("SMS_GATEWAY_USERNAME", default="")
SMS_GATEWAY_PASSWORD = env.str("SMS_GATEWAY_PASSWORD", default="")
SMS_GATEWAY_BRANDNAME = env.str("SMS_GATEWAY_BRANDNAME", default="")
SMS_GATEWAY_TIMEOUT = env.int("SMS_GATEWAY_TIMEOUT", default=10)
# The initial value of the admin's MessageSettings row (notifications migration 0003); the
# office's choice in the admin is what the sweep reads.
SMS_WITH_DIACRITICS = env.bool("SMS_WITH_DIACRITICS", default=False)
# The gateway's JSON: our field names → theirs, the field and value of success, the id field.
SMS_GATEWAY_FIELDS = {
    "phone": "phone",
    "text": "message",
    "brandname": "brandname",
    "reference": "reference",
    "username": "username",
    "password": "password",
} | env.dict("SMS_GATEWAY_FIELDS", default={})
SMS_GATEWAY_CODE_FIELD = env.str("SMS_GATEWAY_CODE_FIELD", default="code")
SMS_GATEWAY_SUCCESS_CODE = env.str("SMS_GATEWAY_SUCCESS_CODE", default="0")
SMS_GATEWAY_ID_FIELD = env.str("SMS_GATEWAY_ID_FIELD", default="message_id")

# Zalo Notification Service (ZNS): the Official Account's app and its template messages.
# The tokens rotate, so they live in the database (notifications.ZaloToken); the first
# refresh token may come from here. Tokens are refreshed ZALO_REFRESH_MARGIN seconds before
# they expire.
ZALO_APP_ID = env.str("ZALO_APP_ID", default="")
ZALO_SECRET_KEY = env.str("ZALO_SECRET_KEY", default="")
ZALO_REFRESH_TOKEN = env.str("ZALO_REFRESH_TOKEN", default="")
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="https://business.openapi.zalo.me/message/template")
ZALO_OAUTH_URL = env.str("ZALO_OAUTH_URL", default="https://oauth.zaloapp.com/v4/oa/access_token")
ZALO_TIMEOUT = env.int("ZALO_TIMEOUT", default=10)
ZALO_REFRESH_MARGIN = env.int("ZALO_REFRESH_MARGIN", default=300)

# Reminders and delivery.
OFFICE_DEPARTMENT_CODE = env.str("OFFICE_DEPARTMENT_CODE", default="VP")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
# A claim ("sending") older than this is taken up again: its worker died mid-delivery.
NOTIFICATION_CLAIM_LEASE_SECONDS = env.int("NOTIFICATION_CLAIM_LEASE_SECONDS", default=120)
# Webhooks: the seconds an attempt may take, and whether http:// (not only https://)
# endpoints are allowed: in development only (notifications/services/webhook_urls.py).
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)
if not DEBUG:
    require_https_webhooks(WEBHOOK_ALLOW_HTTP)
# A test moves time for every process by writing a timestamp here (config/common/clock.py).
CLOCK_FILE = env.str("CLOCK_FILE", default="")

# Links in messages point here.
SITE_URL = env.str(
    "SITE_URL", default=f"http://{env('HOST', default='127.0.0.1')}:{env('PORT', default='8000')}"
)

# Content-Security-Policy (django-csp), on every response: scripts, styles, images and
# fonts from this site only, no inline script or style (a third-party template's inline
# block carries the request's nonce), no plugins, never framed, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the small SVG icons Django's admin and Swagger UI embed in their CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
X_FRAME_OPTIONS = "DENY"

# TLS (docs/deployment.md): with DEBUG off every setting defaults to HTTPS only, which is
# what `manage.py check --deploy` asks for. nginx (or the TLS terminator in front of it)
# reports the scheme in X-Forwarded-Proto; Django redirects plain HTTP to HTTPS and sends
# Strict-Transport-Security on HTTPS answers, nginx sends neither.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print every line a second time.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # axes says each step at INFO; its WARNINGs (a failure, a lockout) are what matter.
        "axes": {"level": "WARNING"},
    },
}
