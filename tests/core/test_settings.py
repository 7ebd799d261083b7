"""Settings from the environment: SQLite tuned for concurrency, SECRET_KEY required."""

import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_is_tuned_for_concurrent_use(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_postgresql_uses_a_connection_pool(settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"] >= 1
    assert connection.pool is not None


def load_settings(tmp_path, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "SAMIZDAT_DEMO", "SAMIZDAT_DEBUG"}
    }
    environment.update(SAMIZDAT_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import samizdat.settings as s; print(s.SECRET_KEY); "
            "print(s.DATABASES['default']['ENGINE'])",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_in_production(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_demo_generates_and_keeps_a_key(tmp_path):
    first = load_settings(tmp_path, SAMIZDAT_DEMO="1")
    second = load_settings(tmp_path, SAMIZDAT_DEMO="1")
    assert first.returncode == 0, first.stderr
    key = first.stdout.splitlines()[0]
    assert len(key) >= 50 and key == second.stdout.splitlines()[0]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_file_in_data_dir_by_default(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="x" * 50)
    assert result.stdout.splitlines()[1] == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@127.0.0.1/db")
    assert result.stdout.splitlines()[1] == "django.db.backends.postgresql"


def test_other_database_urls_are_refused(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="x" * 50, DATABASE_URL="mysql://u@localhost/db")
    assert result.returncode != 0
    assert "DATABASE_URL must be a postgres:// URL" in result.stderr


def test_security_middleware_and_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
