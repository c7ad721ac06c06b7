"""Settings come from the environment, strictly; production values pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k7#Pq9vL2mX!wR4tZ8yB1nC6sD3fG5hJ0aE-uI7oK2lM9pQ4rS8tV1wX6yZ3bN5c"


def run_manage(*args, tmp_path, **environ):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SECURE_")
        )
    }
    clean.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, **environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_error(result, variable):
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_missing_secret_key_with_debug_off_is_one_clear_line(tmp_path):
    result = run_manage("check", tmp_path=tmp_path, DEBUG="0")
    assert_one_line_error(result, "SECRET_KEY")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense"),
        ("CACHE_URL", "memcached-please"),
        ("CONN_MAX_AGE", "forever"),
        ("EMAIL_URL", "pigeon://loft"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
    ],
)
def test_malformed_value_is_one_clear_line(tmp_path, variable, value):
    result = run_manage("check", tmp_path=tmp_path, **{"DEBUG": "1", variable: value})
    assert_one_line_error(result, variable)
    assert value in result.stderr


def test_check_deploy_is_silent_with_production_values(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="congdoan.example.gov.vn",
        CSRF_TRUSTED_ORIGINS="https://congdoan.example.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_secret_key_can_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION_KEY + "\n", encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env.env_str("SECRET_KEY") == PRODUCTION_KEY


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False), ("", False)],
)
def test_booleans_are_parsed_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG") is expected


def test_unknown_boolean_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(env.ConfigError, match="SOME_FLAG"):
        env.env_bool("SOME_FLAG", False)


def test_database_url_is_parsed(monkeypatch):
    monkeypatch.setenv("SOME_DB", "postgres://portal:secret@db.internal:5433/congdoan")
    config = env.env_database("SOME_DB", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"], config["USER"]) == (
        "congdoan",
        "db.internal",
        5433,
        "portal",
    )


def test_redis_url_selects_the_redis_cache(monkeypatch):
    monkeypatch.setenv("SOME_CACHE", "redis://127.0.0.1:6379/2")
    assert (
        env.env_cache("SOME_CACHE", "")["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    )


def test_settings_defaults(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert dict(settings.LANGUAGES).keys() == {"vi", "en"}
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.PRIVATE_MEDIA_ROOT != settings.MEDIA_ROOT
    assert settings.STORAGES["private"]["BACKEND"] == "portal.storage.PrivateStorage"
    assert settings.X_FRAME_OPTIONS == "DENY"
