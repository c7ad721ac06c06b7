"""The portal's own settings, plus the benchmark's baseline view (``benchmarks.urls``).

``DJANGO_SETTINGS_MODULE=benchmarks.settings`` serves exactly the production portal (everything
comes from ``portal.settings`` and the environment) with one more address, ``/bench/baseline/``;
the portal's URLs and settings stay untouched.

``BENCHMARK_STATIC=plain`` (the tests' smoke run only) serves static files from the app folders
instead of the collected, hashed ones, so a test need not run ``collectstatic``.
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCHMARK_STATIC") == "plain":
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = True
