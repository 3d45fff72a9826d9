"""Settings for Common Ground, read from the environment.

One module for every environment: development defaults are safe on a laptop,
and ``DJANGO_ENV=production`` switches on the hardened settings documented in
the README (HTTPS-only cookies, HSTS, strict hosts, SMTP email).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from commonground.codeversion import code_version
from commonground.core.deploy import caches_from_url, storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COMMONGROUND_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

COMMONGROUND_APPS = [
    "commonground.core",
    "commonground.accounts",
    "commonground.organisations",
    "commonground.partnerships",
    "commonground.method",
    "commonground.prospects",
    "commonground.contributions",
    "commonground.agreements",
    "commonground.decisions",
    "commonground.meetings",
    "commonground.actionplan",
    "commonground.results",
    "commonground.healthchecks",
    "commonground.atlas",
    "commonground.library",
    "commonground.systemmap",
    "commonground.conversations",
    "commonground.api",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    *COMMONGROUND_APPS,
    "commonground.demo",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id; metrics time the whole request.
    "commonground.core.observability.RequestIdMiddleware",
    "commonground.core.observability.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "commonground.core.textinput.ControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commonground.core.middleware.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "commonground.core.middleware.SecurityHeadersMiddleware",
]

if env_bool("COMMONGROUND_QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(0, "commonground.core.middleware.QueryCountHeaderMiddleware")
if PRODUCTION:
    # Collected static files served by the app (hashed names get a year's immutable
    # caching); before anything that needs a session or a database.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "commonground.urls"
WSGI_APPLICATION = "commonground.wsgi.application"
ASGI_APPLICATION = "commonground.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "commonground.core.context_processors.site",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "template_partials.templatetags.partials",
                "commonground.core.templatetags.ui",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------
# SQLite is the embedded default: WAL so readers never block the writer,
# IMMEDIATE transactions so two writers queue instead of failing half-way,
# and a busy timeout long enough for a burst of concurrent writes.
SQLITE_PATH = VAR_DIR / "commonground.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, bumping the data versions at commit (core.versions).
        DATABASES["default"]["ENGINE"] = "commonground.core.db.postgresql"
else:
    DATABASES = {
        "default": {
            # Django's backend, bumping the data versions at commit (core.versions).
            "ENGINE": "commonground.core.db.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA temp_store=MEMORY;"
                    "PRAGMA cache_size=-20000;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
            # Each app thread keeps its connection (and SQLite's page cache with it)
            # instead of opening the file and running the pragmas for every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Tests run on a file too (not SQLite's shared in-memory cache), so that
            # concurrency behaves as in production: WAL readers, queued writers. One file
            # per test run, so that two runs in one checkout do not share (and break) it.
            "TEST": {"NAME": str(VAR_DIR / f"test-commonground-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: "default" holds security counters only (allauth's sign-in throttle reads
# the default cache) and never loses a live entry; "pages" holds derived page parts
# (core.cache.page_cache), its keys carrying the code version, so parts rendered by
# older code are never served after a deploy. Without CACHE_URL both live in the
# database, shared by every app process (core.cache.SecurityCache never culls a live
# counter); CACHE_URL=redis://... puts both in Redis (Django's RedisCache), and
# SECURITY_CACHE_URL may put the counters on a Redis of their own, which must never
# evict (core.deploy, core.ops; docs/operations.md "Shared cache").
CACHES = caches_from_url(
    os.environ.get("CACHE_URL", ""), os.environ.get("SECURITY_CACHE_URL", ""), code_version()
)

# --- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses every password sign-in when COMMONGROUND_PASSWORD_SIGN_IN is off.
    "commonground.accounts.sso.PasswordSignInSwitch",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "commonground.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "commonground.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True  # no "remember me" box: every session lasts SESSION_COOKIE_AGE
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Brute-force protection: at most 5 failed sign-ins per account per 30 minutes
# and 20 per minute from one address. allauth keeps the counters in the default
# cache: the security store above (its own database table, shared by every app
# process, never culled; page caching writes elsewhere).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/30m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}

# --- Single sign-on (OpenID Connect) ----------------------------------------
# COMMONGROUND_OIDC_ISSUER (the identity provider's issuer URL; its discovery document
# is read from <issuer>/.well-known/openid-configuration), COMMONGROUND_OIDC_CLIENT_ID
# and COMMONGROUND_OIDC_CLIENT_SECRET add "Sign in with <COMMONGROUND_OIDC_NAME>"
# (allauth's openid_connect provider, provider id "sso", PKCE). Who may come in and
# which invitations are accepted: accounts.sso. COMMONGROUND_PASSWORD_SIGN_IN=false
# leaves only that button (no password sign-in, no password reset).
COMMONGROUND_PASSWORD_SIGN_IN = env_bool("COMMONGROUND_PASSWORD_SIGN_IN", default=True)
_OIDC_ISSUER = os.environ.get("COMMONGROUND_OIDC_ISSUER", "").rstrip("/")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "sso",
                # The button reads "Sign in with <name>"; by default the issuer's host.
                "name": os.environ.get("COMMONGROUND_OIDC_NAME", "")
                or urlsplit(_OIDC_ISSUER).hostname
                or _OIDC_ISSUER,
                "client_id": os.environ.get("COMMONGROUND_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("COMMONGROUND_OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": _OIDC_ISSUER, "oauth_pkce_enabled": True},
            }
        ]
        if _OIDC_ISSUER
        else [],
    }
}
SOCIALACCOUNT_ADAPTER = "commonground.accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False

# --- Sessions and security -------------------------------------------------
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute lifetime: 12 hours
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Common Ground <noreply@localhost>")
SITE_URL = os.environ.get("COMMONGROUND_SITE_URL", "http://127.0.0.1:8000")

# Background work (email, periodic jobs) is queued in the database and run by
# `manage.py db_worker` (docs/operations.md, "Background work"); no broker needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["commonground.formats"]
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Oslo")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# Uploaded files are never served from a public URL: the library app streams
# them through a permission-checked view. MEDIA_URL is deliberately unset.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
COMMONGROUND_UPLOAD_MAX_BYTES = int(
    os.environ.get("COMMONGROUND_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)

# STORAGE_URL=s3://bucket?endpoint_url=... keeps uploads in S3-compatible object
# storage (private objects, signed short-lived URLs only; core.deploy); local disk
# under MEDIA_ROOT by default. Downloads are served only after the permission check
# (core.storage.download_response): streamed, or with downloads=redirect a signed URL.
_DEFAULT_STORAGE, COMMONGROUND_DOWNLOADS = storage_from_url(os.environ.get("STORAGE_URL", ""))
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Product settings ------------------------------------------------------------
COMMONGROUND_PAGE_SIZE = 25
# Map tiles: any XYZ tile server; the map still works with markers only when
# tiles cannot load (for example on an offline machine).
COMMONGROUND_TILE_URL = os.environ.get(
    "COMMONGROUND_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)

# Logs: readable lines in development, one JSON object per line in production
# (COMMONGROUND_LOG_FORMAT=plain|json overrides); every line carries the request id
# (core.observability: X-Request-ID honoured when well formed, returned on responses).
LOG_FORMAT = os.environ.get("COMMONGROUND_LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "commonground.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "commonground.core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "commonground.security": {"level": "INFO"},
    },
}

# Prometheus metrics at /metrics, only for a scraper sending this bearer token
# (404 to anyone else, and to everyone when unset); core.observability.
COMMONGROUND_METRICS_TOKEN = os.environ.get("COMMONGROUND_METRICS_TOKEN", "")
