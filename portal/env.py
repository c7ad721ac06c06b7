"""Strict reading of settings from the environment.

Every value that differs between machines comes from an environment variable. A missing required
value or a malformed one stops start-up with :class:`ConfigError`, whose message names the variable;
``manage.py``, ``wsgi.py`` and ``asgi.py`` turn it into one line on stderr instead of a traceback.
django-environ parses the URL-shaped values (database, cache, e-mail); the scalar parsers here are
stricter than its own (``DEBUG=maybe`` is an error, not ``False``).
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_STRINGS = frozenset({"1", "true", "yes", "on"})
FALSE_STRINGS = frozenset({"0", "false", "no", "off", ""})

_MISSING = object()


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


def _raw(name, default):
    value = os.environ.get(name)
    if value is None:
        file_name = os.environ.get(f"{name}_FILE")
        if file_name:
            try:
                value = Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"{name}_FILE: cannot read {file_name!r} ({exc.strerror})"
                ) from exc
    if value is None:
        if default is _MISSING:
            raise ConfigError(f"{name} is required but not set")
        return default
    return value.strip()


def env_str(name, default=_MISSING):
    return _raw(name, default)


def env_bool(name, default=_MISSING):
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = value.lower()
    if lowered in TRUE_STRINGS:
        return True
    if lowered in FALSE_STRINGS:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off")


def env_int(name, default=_MISSING, *, minimum=None):
    value = _raw(name, default)
    if isinstance(value, int):
        return value
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name}={value!r} must be at least {minimum}")
    return number


def env_list(name, default=_MISSING):
    value = _raw(name, default)
    if isinstance(value, list | tuple):
        return list(value)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name, default):
    return Path(_raw(name, default)).expanduser().resolve()


DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "psql", "sqlite"}


def env_database(name, default):
    value = _raw(name, default)
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            f"{name}={value!r} is not a database URL: use postgres://user:password@host:port/name "
            "or sqlite:////absolute/path.sqlite3"
        )
    config = environ.Env.db_url_config(value)
    if scheme != "sqlite" and not config.get("NAME"):
        raise ConfigError(f"{name}={value!r} names no database")
    return config


CACHE_SCHEMES = set(environ.Env.CACHE_SCHEMES)


def env_cache(name, default):
    value = _raw(name, default)
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in CACHE_SCHEMES:
        raise ConfigError(
            f"{name}={value!r} is not a cache URL: use redis://host:6379/0 or locmemcache://"
        )
    return environ.Env.cache_url_config(value)


EMAIL_SCHEMES = set(environ.Env.EMAIL_SCHEMES)


def env_email(name, default):
    value = _raw(name, default)
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in EMAIL_SCHEMES:
        raise ConfigError(
            f"{name}={value!r} is not an e-mail URL: use smtp+tls://user:password@host:587 or consolemail://"
        )
    return environ.Env.email_url_config(value)


def exit_on_config_error():
    """Load the settings now; on a configuration error print one line and exit with status 1."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ConfigError as exc:
        sys.stderr.write(f"Lỗi cấu hình (configuration error): {exc}\n")
        sys.exit(1)
