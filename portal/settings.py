"""Settings of the portal, read from the environment (see README, "Configuration").

Defaults serve a developer on SQLite with ``DEBUG=1``; with ``DEBUG`` off (the default) the
production hardening below applies and ``SECRET_KEY`` is required.
"""

import datetime
from pathlib import Path

import environ
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

from portal.env import (
    ConfigError,
    env_bool,
    env_cache,
    env_database,
    env_email,
    env_int,
    env_list,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer may keep variables in a `.env` file in the project folder (never committed); the real
# environment always wins over it.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-dev-only-key-not-for-production")
else:
    try:
        SECRET_KEY = env_str("SECRET_KEY")
    except ConfigError:
        raise ConfigError(
            "SECRET_KEY is required when DEBUG is off (set SECRET_KEY or SECRET_KEY_FILE, "
            "or DEBUG=1 for development)"
        ) from None
    if not SECRET_KEY:
        raise ConfigError("SECRET_KEY is empty")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
for origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in origin:
        raise ConfigError(f"CSRF_TRUSTED_ORIGINS: {origin!r} needs a scheme, e.g. https://{origin}")

INSTALLED_APPS = [
    "portal",
    "unions",
    "news",
    "welfare",
    "audit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "solo",
    "django_prose_editor",
    "simple_history",
    "django.contrib.postgres",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, auth and views: it decides which database this request reads from.
    "portal.db_router.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security.SessionIdleTimeoutMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "portal.two_factor.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0 if DEBUG else 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Optional read replica (a PostgreSQL streaming standby): anonymous reads of public pages go there,
# everything else to "default" (portal/db_router.py). The tests mirror it onto the test database.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    engines = {DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"]}
    if engines != {"django.db.backends.postgresql"}:
        raise ConfigError(
            "DATABASE_REPLICA_URL needs DATABASE_URL and DATABASE_REPLICA_URL both on PostgreSQL"
        )
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        TEST={"MIRROR": "default"},
    )
    # A replica that does not answer must not hold a page for long: public pages then fall back
    # to the primary (portal/db_router.py).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
# After a change of the news (news/cache.py) public pages read the primary this long, so that no
# page made from a lagging replica is cached as new; must exceed the replica's real lag.
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: REDIS_URL (or any CACHE_URL) for several processes; local memory by default.
if env_str("CACHE_URL", ""):
    CACHES = {"default": env_cache("CACHE_URL", "")}
elif env_str("REDIS_URL", ""):
    CACHES = {"default": env_cache("REDIS_URL", "")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["default"].setdefault("KEY_PREFIX", env_str("CACHE_KEY_PREFIX", "portal"))
# Sessions live in the database (shared by every application server). With a Redis cache they are
# also kept there, so a signed-in request reads no session row, and a Redis flush signs nobody out.
# Not with a per-process cache: a sign-out in one process would leave the session in the others.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Public news pages cached for anonymous visitors at most this long (news/cache.py); 0 = off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60, minimum=0)

# Accounts and passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# django-axes first: it refuses a locked-out username and address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force: 5 failed sign-ins for one username from one address lock that pair for 30 minutes
# (other people, and the same person from elsewhere, are unaffected); each lock-out is logged.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "old_password"]
# Reverse proxies in front of the portal whose X-Forwarded-For is trusted (0: none).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)
# Idle sign-out: officers, editors and staff after 30 minutes, members after 12 hours.
SESSION_IDLE_STAFF_MINUTES = env_int("SESSION_IDLE_STAFF_MINUTES", 30, minimum=1)
SESSION_IDLE_MEMBER_HOURS = env_int("SESSION_IDLE_MEMBER_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MEMBER_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Two-step sign-in (TOTP) for officers, editors and staff: on by default in production.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
# The admin never shows a device's secret (and a missing device's page is a 404, not a 500).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Cổng thông tin Công đoàn")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# The place written on the printable and Word review ("Hà Nội, ngày 20 tháng 7 năm 2020").
REVIEW_DOCUMENT_PLACE = env_str("REVIEW_DOCUMENT_PLACE", "Hà Nội")
# Documents of support requests decided longer ago than this are removed by purge_attachments.
ATTACHMENT_RETENTION_YEARS = env_int("ATTACHMENT_RETENTION_YEARS", 5, minimum=1)
INVITATION_TIMEOUT_DAYS = env_int("INVITATION_TIMEOUT_DAYS", 7, minimum=1)
# The portal's public address, for links in e-mails sent outside a request (commands).
SITE_URL = env_str("SITE_URL", "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ConfigError(f"SITE_URL={SITE_URL!r} needs a scheme, e.g. https://congdoan.example.gov.vn")

# Language and time: Vietnamese first, English available through the language switch.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ConfigError(f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of {', '.join(dict(LANGUAGES))}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ConfigError(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone") from None
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

# Static files (served by WhiteNoise) and uploads.
STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", BASE_DIR / "media")
# Files that must never be public (attachments of support requests): no URL, served only
# through permission-checked views.
PRIVATE_MEDIA_ROOT = env_path("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media")
if PRIVATE_MEDIA_ROOT == MEDIA_ROOT or MEDIA_ROOT in PRIVATE_MEDIA_ROOT.parents:
    raise ConfigError("PRIVATE_MEDIA_ROOT must not be MEDIA_ROOT or inside it")
# Object storage (S3-compatible: AWS, MinIO, Ceph, Viettel Cloud...): with S3_BUCKET set, public
# media go to its `media/` prefix and private files to `private/` (of S3_PRIVATE_BUCKET when set),
# so every application server sees the same files. See README, "Object storage (S3)".
S3_BUCKET = env_str("S3_BUCKET", "")
S3_PRIVATE_BUCKET = env_str("S3_PRIVATE_BUCKET", "")
S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL", "").rstrip("/")
S3_REGION = env_str("S3_REGION", "")
S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = env_str("S3_SECRET_ACCESS_KEY", "")
S3_CUSTOM_DOMAIN = env_str("S3_CUSTOM_DOMAIN", "").rstrip("/")
S3_ADDRESSING_STYLE = env_str("S3_ADDRESSING_STYLE", "path" if S3_ENDPOINT_URL else "auto")
S3_USE_ACL = env_bool("S3_USE_ACL", True)
# Where public media are served from when it is not the portal itself (for the CSP's img-src).
MEDIA_ORIGINS = []
if S3_BUCKET:
    from portal.storage import s3_storages

    _public, _private, MEDIA_ORIGINS = s3_storages(
        bucket=S3_BUCKET,
        private_bucket=S3_PRIVATE_BUCKET,
        endpoint_url=S3_ENDPOINT_URL,
        region=S3_REGION,
        access_key=S3_ACCESS_KEY_ID,
        secret_key=S3_SECRET_ACCESS_KEY,
        custom_domain=S3_CUSTOM_DOMAIN,
        addressing_style=S3_ADDRESSING_STYLE,
        use_acl=S3_USE_ACL,
    )
elif S3_PRIVATE_BUCKET:
    raise ConfigError("S3_PRIVATE_BUCKET is set but S3_BUCKET is not: set both, or neither")
else:
    _public = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private = {"BACKEND": "portal.storage.PrivateStorage"}
# With private files on local disk, the portal may hand their sending to nginx: the checked view
# answers with X-Accel-Redirect to this internal location (deploy/nginx/congdoan.conf).
PRIVATE_MEDIA_X_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_X_ACCEL_PREFIX", "")
if PRIVATE_MEDIA_X_ACCEL_PREFIX and not (
    PRIVATE_MEDIA_X_ACCEL_PREFIX.startswith("/") and PRIVATE_MEDIA_X_ACCEL_PREFIX.endswith("/")
):
    raise ConfigError(
        f"PRIVATE_MEDIA_X_ACCEL_PREFIX={PRIVATE_MEDIA_X_ACCEL_PREFIX!r} must start and end with /, "
        "e.g. /_private/"
    )
if PRIVATE_MEDIA_X_ACCEL_PREFIX and S3_BUCKET:
    raise ConfigError(
        "PRIVATE_MEDIA_X_ACCEL_PREFIX is for private files on local disk; unset it with S3_BUCKET"
    )
STORAGES = {
    "default": _public,
    "private": _private,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: printed on the console unless EMAIL_URL names a server.
globals().update(
    {
        key: value
        for key, value in env_email("EMAIL_URL", "consolemail://").items()
        if value is not None
    }
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng thông tin Công đoàn <no-reply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Công đoàn] "
ADMINS = [("Quản trị", address) for address in env_list("ADMINS", "")]

# Forms.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production hardening follows from DEBUG off; each can be overridden.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts only from the portal itself, plus inline blocks
# that carry the request's nonce (the admin editor's import map); no 'unsafe-inline' script, no
# eval, no framing, no plugins. Styles allow inline attributes because the Django admin and the
# editor's widgets set some; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, "'unsafe-inline'"],
        "img-src": [csp.SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# WhiteNoise: hashed files get a far-future Cache-Control (WHITENOISE_MAX_AGE applies to the rest).
WHITENOISE_MAX_AGE = 0 if DEBUG else 60 * 60

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ConfigError(f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}

SOLO_CACHE = "default"
SOLO_CACHE_TIMEOUT = 60 * 5
