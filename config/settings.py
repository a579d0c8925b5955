"""One settings module for every environment; differences are environment variables (see README)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import REQUIRED, env_bool, env_choice, env_database, env_int, env_list, env_str, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Development gets a fixed throwaway key; production must bring its own.
SECRET_KEY = env_str("SECRET_KEY", "insecure-key-for-development-only-" + "x" * 32 if DEBUG else REQUIRED)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "assessment",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessment.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", default_sqlite=BASE_DIR / "db.sqlite3")}
# Sign-in throttling counts here: one process keeps its own counts unless CACHE_URL names a shared Redis.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"Environment variable CACHE_URL must start with redis://, not {CACHE_URL!r}.")
_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache" if CACHE_URL else _LOCMEM


def _in_process(name: str, entries: int) -> dict:
    return {"BACKEND": _LOCMEM, "LOCATION": name, "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": entries}}


CACHES = {
    "default": {"BACKEND": _CACHE_BACKEND, "LOCATION": CACHE_URL},
    # Rendered report fragments and menus: in-process on purpose, so a deploy with new templates or translations
    # starts empty. When full, the least recently used third goes. HTML_CACHE=false renders everything every time.
    "fragments": _in_process("fragments", 3000)
    if env_bool("HTML_CACHE", True)
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Chinese first: the people assessed against the CAICT model mostly work in Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the web root and is only ever served through an access-checked view.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(BASE_DIR / "var" / "evidence")))
MEDIA_ROOT = EVIDENCE_ROOT
# Local disk by default; with EVIDENCE_STORAGE=s3 every web process and worker reads the same S3-compatible store.
EVIDENCE_STORAGE = env_choice("EVIDENCE_STORAGE", "local", choices=("local", "s3"))
STORAGES = {
    "default": s3_storage()
    if EVIDENCE_STORAGE == "s3"
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EVIDENCE_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
CATALOG_MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "assessment.forms.upload_limits.EvidenceSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Delivery events (metrics): per-request caps of the REST endpoint, webhooks and CSV import, and how old a
# webhook delivery may be before it counts as a replay (GitHub lets people redeliver for three days).
METRICS_INGEST_MAX_EVENTS = env_int("METRICS_INGEST_MAX_EVENTS", 5000, minimum=1)
METRICS_INGEST_MAX_BYTES = env_int("METRICS_INGEST_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
METRICS_HOOK_MAX_BYTES = env_int("METRICS_HOOK_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
METRICS_HOOK_MAX_AGE_SECONDS = env_int("METRICS_HOOK_MAX_AGE_SECONDS", 72 * 3600, minimum=60)
METRICS_CSV_MAX_BYTES = env_int("METRICS_CSV_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# Security: production defaults are the strict ones; development (DEBUG) relaxes what needs HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # container health checks speak plain HTTP inside the network
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
MAIL_BACKEND = env_str("MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP)
MAILERS = {"default": {"BACKEND": MAIL_BACKEND}}
if MAIL_BACKEND == _SMTP:
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("MAIL_HOST", "localhost"),
        "port": env_int("MAIL_PORT", 25),
        "username": env_str("MAIL_USER", ""),
        "password": env_str("MAIL_PASSWORD", ""),
        "use_tls": env_bool("MAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "devops-maturity@localhost")
# Links in emails sent outside a request (invitations) start with this.
_HOST = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{_HOST}").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api_errors.handle_api_exception",
    # Password guessing against the token endpoint is slowed per client address.
    "DEFAULT_THROTTLE_RATES": {"auth-token": env_str("API_TOKEN_THROTTLE_RATE", "10/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DevOps Maturity API",
    "DESCRIPTION": "Assessments against the CAICT DevOps Capability Maturity Model (YD/T 3763).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: without a broker URL every task runs in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that publishes while the broker is down fails fast; the evidence row waits for the sweeper.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULE = {
    "sweep-unscored-evidence": {"task": "assessment.sweep_unscored_evidence", "schedule": 60.0},
    "sweep-stale-levels": {"task": "assessment.sweep_stale_levels", "schedule": 300.0},
    "refresh-expired-evidence": {"task": "assessment.refresh_expired_evidence", "schedule": 6 * 3600.0},
    "forget-old-webhook-deliveries": {"task": "metrics.forget_old_deliveries", "schedule": 3600.0},
    "snapshot-delivery-metrics": {"task": "metrics.snapshot_every_project", "schedule": 24 * 3600.0},
    "sweep-webhook-deliveries": {"task": "assessment.sweep_webhook_deliveries", "schedule": 60.0},
}
# Evidence pending longer than this is re-enqueued; a reading older than the stale limit was abandoned.
EVIDENCE_PENDING_GRACE_SECONDS = env_int("EVIDENCE_PENDING_GRACE_SECONDS", 120)
EVIDENCE_SCORING_STALE_SECONDS = env_int("EVIDENCE_SCORING_STALE_SECONDS", 300)
SCORING_TIME_LIMIT_SECONDS = env_int("SCORING_TIME_LIMIT_SECONDS", 120, minimum=2)
# Outbound webhooks: internal targets (loopback, private, link-local) only where every admin is trusted with them.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
# Redelivery of unacknowledged tasks after a lost worker; longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600, minimum=1)}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # With tasks in-process (the embedded default) a line per task run and kombu's note on the in-memory broker
    # only bury the server's own lines; a worker's log keeps its task lines.
    "loggers": {"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}}
    if CELERY_TASK_ALWAYS_EAGER
    else {},
}
