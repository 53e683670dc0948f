"""Production mode: deploy checks, CSP, health, shared cache, static files."""

import json
import os
import re
import secrets
import subprocess
import sys
from unittest import mock
from urllib.parse import quote

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError
from django.urls import reverse

from tests.factories import ArticleFactory

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "kindred.example.org",
}


def run_in_production(*args, **extra_env):
    # The browser tests allow sync ORM calls beside Playwright's event loop; a
    # production process must not inherit that (Django's check async.E001).
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env = {**inherited, **PRODUCTION, **extra_env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_setting(expression, **extra_env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}))"
    )
    result = run_in_production(
        "-c", code, DJANGO_SETTINGS_MODULE="config.settings", **extra_env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def current_database_url():
    connection.ensure_connection()
    info = connection.connection.info
    user = quote(info.user) + (f":{quote(info.password)}" if info.password else "")
    if info.host.startswith("/"):  # a socket directory
        return f"postgresql://{user}@/{info.dbname}?host={info.host}"
    return f"postgresql://{user}@{info.host}:{info.port}/{info.dbname}"


def test_deploy_checks_pass_under_production_settings():
    result = run_in_production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {"DJANGO_SECRET_KEY": ""}
    result = run_in_production("manage.py", "check", **env)
    assert result.returncode != 0


def test_redis_url_makes_the_cache_shared():
    backend = production_setting(
        'settings.CACHES["default"]["BACKEND"]', REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_without_redis_production_shares_the_cache_through_the_database():
    backend = production_setting('settings.CACHES["default"]["BACKEND"]')
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_development_keeps_the_cache_in_memory():
    backend = production_setting(
        'settings.CACHES["default"]["BACKEND"]', DJANGO_DEBUG="1"
    )
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.django_db
def test_createcachetable_makes_the_production_cache_table():
    result = run_in_production(
        "manage.py",
        "createcachetable",
        "--dry-run",
        DATABASE_URL=current_database_url(),
    )
    assert result.returncode == 0, result.stderr
    assert 'CREATE TABLE "kindred_cache"' in result.stdout


def test_production_bounds_each_process_to_a_pool_of_connections():
    database = production_setting('settings.DATABASES["default"]')
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"]["max_size"] == 4
    sized = production_setting(
        'settings.DATABASES["default"]["OPTIONS"]["pool"]', DJANGO_DB_POOL_MAX="8"
    )
    assert sized["max_size"] == 8


def test_without_a_proxy_no_client_can_claim_https():
    assert production_setting("settings.SECURE_PROXY_SSL_HEADER") is None
    assert production_setting("settings.ALLAUTH_TRUSTED_PROXY_COUNT") == 0


def test_one_trusted_proxy_is_believed_by_django_allauth_and_kindred():
    names = (
        "[settings.SECURE_PROXY_SSL_HEADER, settings.ALLAUTH_TRUSTED_PROXY_COUNT,"
        ' settings.KINDRED["TRUSTED_PROXIES"]]'
    )
    header, allauth, kindred = production_setting(names, KINDRED_TRUSTED_PROXIES="1")
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert allauth == kindred == 1


def test_deploy_checks_pass_behind_a_proxy():
    result = run_in_production(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        KINDRED_TRUSTED_PROXIES="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_static_files_go_through_whitenoise_in_production():
    storage = production_setting('settings.STORAGES["staticfiles"]["BACKEND"]')
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = production_setting("settings.MIDDLEWARE")
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in middleware


@pytest.mark.django_db
def test_pages_carry_a_csp_without_nonces_or_inline_scripts(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    script_src = next(
        d for d in policy.split(";") if d.strip().startswith("script-src")
    )
    assert script_src.split() == ["script-src", "'self'"]
    assert "'unsafe-inline'" not in policy and "nonce" not in policy
    # Every script is a file, or a data block that a browser never runs.
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert scripts
    for attributes in scripts:
        assert "src=" in attributes or 'type="application/ld+json"' in attributes


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(
        connections["default"],
        "cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert "database: unavailable (OperationalError)" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_production():
    hashers = production_setting("settings.PASSWORD_HASHERS")
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
