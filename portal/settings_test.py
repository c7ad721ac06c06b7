"""Settings for the test suite: production settings with a test secret, fast hashing, local mail."""

import os

# The tests run with production settings whatever a developer's `.env` says.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests render templates without running collectstatic first; the production storage is tested
# on its own (tests/portal/test_static.py).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Two-step sign-in is tested on its own (tests/portal/test_two_factor.py) with it switched on.
OTP_REQUIRED = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Serve static files from the app folders as `runserver` does; the collected, hashed files are
# tested on their own.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A replica named in the environment is not the test database: the routing is tested with a
# mirrored alias of its own (tests/portal/test_replica_router.py, tests/deploy/test_replica.py).
DATABASES = {"default": DATABASES["default"]}  # noqa: F405
DATABASE_ROUTERS = []
