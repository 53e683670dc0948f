"""Kindred settings: one file, every value from the environment (.env.example)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import localdb

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="django-insecure-development-only-key-never-used-in-production"
    if DEBUG
    else None,
)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG=0.")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env("KINDRED_SITE_NAME", default="Kindred")
# The address emails name (kindred.example); unset, the host the request came to.
SITE_DOMAIN = env("KINDRED_SITE_DOMAIN", default="")

INSTALLED_APPS = [
    "accounts",
    "articles",
    "comments",
    "forums",
    "outbox",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics (config/health.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A shared copy in nginx stays fresh to the end of its second, no longer.
    "config.front_cache.FrontCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous readers' GETs read from the replica, when there is one.
    "config.replica.ReplicaMiddleware",
    # The primary down: 503 with Retry-After, the typed text given back.
    "config.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed once, here, when the browser accepts it: nginx keeps the
    # compressed copy beside the plain one (Vary) instead of compressing the
    # page again for every reader. Inside WhiteNoise, which serves static files
    # compressed ahead; outside PublicCacheMiddleware, whose ETag is then the
    # hash of the page itself (made weak here), the same compressed or not.
    "django.middleware.gzip.GZipMiddleware",
    # Outside every middleware that sets a cookie: it sees whether one was set.
    "config.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# The project-local cluster (config/localdb.py) unless DATABASE_URL names another.
DATABASES = {"default": env.db("DATABASE_URL", default=localdb.url())}
# A streaming replica for anonymous readers (config/replica.py), when named.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # A replica that is down must not hold a request up for long.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
# Several test runs can share one server when each names its own test database.
DATABASES["default"]["TEST"] = {
    "NAME": env("DJANGO_TEST_DB_NAME", default="test_kindred")
}
for _database in DATABASES.values():
    # Query counts and timings by alias for /metrics.
    _database["ENGINE"] = "django_prometheus.db.backends.postgresql"
    # Without this the first request after a PostgreSQL restart fails.
    _database["CONN_HEALTH_CHECKS"] = True
# Each process keeps at most DJANGO_DB_POOL_MAX connections, however many requests
# it is serving: a burst of readers waits for one (up to the timeout) instead of
# opening more than the server allows.
_pool_max = env.int("DJANGO_DB_POOL_MAX", default=0 if DEBUG else 4)
for _database in DATABASES.values():
    if _pool_max:
        _database["CONN_MAX_AGE"] = 0  # the pool keeps them
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _pool_max,
            "timeout": env.int("DJANGO_DB_POOL_TIMEOUT", default=20),
            # After a burst, one spare connection is closed every 10 idle seconds.
            "max_idle": 10,
        }
    else:
        _database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
if "replica" in DATABASES and _pool_max:
    # Waiting for a replica that is down only delays the fall back to the primary.
    DATABASES["replica"]["OPTIONS"]["pool"]["timeout"] = 2
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "articles:home"

# allauth: email only, verified, no enumeration, rate limits on the shared cache.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.adapter.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
# One password field, with a "Show password" button, instead of typing it twice.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# One click from the email to a confirmed address (the trade-off: README, Accounts).
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
# Tell the address on file when its password or address changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_LOGOUT_REDIRECT_URL = "articles:home"
# Log in by a code emailed on request, without a password. A quarter of an hour
# to type it (allauth's 3 minutes are too short for someone typing by eye-gaze or
# switch), three wrong tries, and a new code on request.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
# Passkeys (allauth.mfa, WebAuthn through fido2): log in with one, and add or
# remove them at /accounts/2fa/webauthn/. A member with a passkey who logs in by
# password confirms with the passkey as well.
MFA_SUPPORTED_TYPES = ["webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_ADAPTER = "accounts.adapter.MFAAdapter"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
if len(LANGUAGES) == 1:
    # One language: choosing it from Accept-Language would only add that header
    # to every page's Vary and split shared caches by it for nothing.
    MIDDLEWARE.remove("django.middleware.locale.LocaleMiddleware")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Development writes every outgoing email as a file under var/mail/.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kindred <news@kindred.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One cache for every worker process (allauth's rate limits live in it): Redis when
# REDIS_URL is set, else the database in production; memory in development.
if env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "kindred",
        }
    }
elif not DEBUG:
    # Several worker processes: login lockouts and rate limits must count across
    # all of them. The table is made by `manage.py createcachetable`.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kindred_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
# With Redis, sessions are read from it and written through to the database, so
# a restart of Redis logs nobody out.
SESSION_ENGINE = env(
    "DJANGO_SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if env("REDIS_URL", default="")
    else "django.contrib.sessions.backends.db",
)
# Off only where the site is served over plain HTTP on purpose (`make stack`, on
# loopback); `check --deploy` then warns.
_secure_cookies = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Reverse proxies in front of the site: with N, a client's address is the Nth
# entry from the right of X-Forwarded-For (config/clientip.py, and allauth's).
_trusted_proxies = env.int("KINDRED_TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = _trusted_proxies
if _trusted_proxies:
    # Only a proxy may tell that the request came over HTTPS: without one, any
    # client could claim it by sending the header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Forms must never expire while someone types slowly: CSRF tokens live in a cookie
# for a year and are rotated only at login.
CSRF_COOKIE_AGE = 60 * 60 * 24 * 365
# When the check fails anyway, the page gives back what was typed (config/views.py).
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Scripts and styles come only from our files: no per-request nonce, so an anonymous
# reader's page is the same bytes for everyone and a shared cache can keep it. The
# JSON blocks left inline (JSON-LD, allauth's data-allauth-onload) are data, not
# scripts: a browser never runs them, so script-src does not apply to them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env("DJANGO_LOG_LEVEL", default="WARNING"),
    },
}

# Kindred's own settings.
# Background work (notifications, emails) through Django's tasks API, stored in
# PostgreSQL and run by `manage.py db_worker` (README: "Background work").
TASKS = {
    "default": {
        "BACKEND": env(
            "KINDRED_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# On Redis with RQ workers (`manage.py rqworker --job-class django_tasks_rq.Job
# --worker-class config.tasks_rq.Worker`)
# when KINDRED_TASKS_BACKEND=django_tasks_rq.RQBackend: `make stack` runs two.
# config.tasks_rq.RQBackend is the same with retries for a task whose worker died.
if TASKS["default"]["BACKEND"] in (
    "django_tasks_rq.RQBackend",
    "config.tasks_rq.RQBackend",
):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        name: {"URL": env("KINDRED_RQ_URL", default=env("REDIS_URL"))}
        for name in TASKS["default"]["QUEUES"]
    }

_digest_hour = env("KINDRED_DIGEST_HOUR", default="7")
_digest_hour = None if _digest_hour == "off" else int(_digest_hour)

KINDRED = {
    "ARTICLES_PER_PAGE": 20,
    "SEARCH_MAX_LENGTH": 200,
    "IMAGE_MAX_BYTES": 5 * 1024 * 1024,
    # Discussions
    "COMMENTS_ALLOW_GUESTS": env.bool("KINDRED_COMMENTS_ALLOW_GUESTS", default=True),
    "COMMENTS_CLOSE_AFTER_DAYS": env.int(
        "KINDRED_COMMENTS_CLOSE_AFTER_DAYS", default=0
    ),
    "COMMENTS_EDIT_MINUTES": env.int("KINDRED_COMMENTS_EDIT_MINUTES", default=30),
    "COMMENTS_MAX_INDENT": env.int("KINDRED_COMMENTS_MAX_INDENT", default=6),
    "COMMENTS_PER_PAGE": env.int("KINDRED_COMMENTS_PER_PAGE", default=100),
    "COMMENTS_MAX_LENGTH": 10_000,
    "COMMENTS_RATE_SECONDS": 15,
    "REACTIONS_PER_MINUTE": 30,
    "COMMENTS_DUPLICATE_MINUTES": 10,
    "TRUSTED_PROXIES": _trusted_proxies,
    "FORUMS_TOPIC_RATE_SECONDS": 300,
    # The daily digests are queued by the task workers at this hour (TIME_ZONE);
    # "off": never by them (manage.py send_digests from cron instead).
    "DIGEST_HOUR": _digest_hour,
    # /metrics answers loopback, or a request with "Authorization: Bearer TOKEN".
    "METRICS_TOKEN": env("KINDRED_METRICS_TOKEN", default=""),
    "REPLICA": {
        # A replica further behind than this is not read from.
        "MAX_LAG": env.float("KINDRED_REPLICA_MAX_LAG", default=5.0),
        # How often each process asks the replica how far behind it is.
        "CHECK_SECONDS": env.float("KINDRED_REPLICA_CHECK_SECONDS", default=2.0),
        # How long a browser that sent a form reads only from the primary.
        "PIN_SECONDS": env.int("KINDRED_REPLICA_PIN_SECONDS", default=30),
    },
}
