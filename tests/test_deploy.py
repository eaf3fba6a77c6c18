"""Production settings: `check --deploy` is clean without silencing anything, and the portal
refuses to start with DEBUG off and a development secret key (DESIGN §5, §9)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def settings_variables() -> set[str]:
    """Names of the environment variables settings.py reads (env.str("NAME", ...) and kin)."""
    source = (BASE_DIR / "mainstreaming" / "settings.py").read_text()
    return set(re.findall(r"\benv\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    # Nothing of settings.py leaks from the developer's or the CI's environment, nor the async
    # escape hatch the live-server browser tests set for this process (check async.E001).
    leaks = settings_variables() | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in leaks}
    env.update(
        DJANGO_SETTINGS_MODULE="mainstreaming.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        EMAIL_URL="smtp+tls://portal:mail-password@smtp.example.org:587",
        VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip


def test_check_deploy_production_settings_report_no_issue(tmp_path: Path) -> None:
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_catches_a_weak_production_setting(tmp_path: Path) -> None:
    """Positive control: the same command does fail when a production setting is weakened."""
    result = manage(
        production_env(tmp_path, SECURE_HSTS_SECONDS="0"),
        "check", "--deploy", "--fail-level", "WARNING",
    )  # fmt: skip

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_settings_silence_no_system_check(tmp_path: Path) -> None:
    assert settings.SILENCED_SYSTEM_CHECKS == []
    result = manage(
        production_env(tmp_path),
        "shell", "-c", "from django.conf import settings; print(settings.SILENCED_SYSTEM_CHECKS)",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="no-secret-key"),
        pytest.param(settings.DEVELOPMENT_SECRET_KEY, id="development-key"),
        pytest.param("django-insecure-" + "x" * 50, id="django-insecure-key"),
    ],
)
def test_settings_debug_off_refuse_development_secret_key(
    tmp_path: Path, secret_key: str | None
) -> None:
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = manage(env, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is the development key while DEBUG is off" in result.stderr


def test_settings_debug_on_accept_development_secret_key(tmp_path: Path) -> None:
    """Positive control: the development key is fine in development."""
    env = production_env(tmp_path, DEBUG="1")
    env.pop("SECRET_KEY")

    result = manage(env, "check")

    assert result.returncode == 0, result.stderr


def test_load_demo_refused_when_debug_off(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    assert manage(env, "migrate", "--no-input").returncode == 0

    result = manage(env, "load_demo")

    assert result.returncode != 0
    assert "refused when DEBUG is off" in result.stderr
    count = manage(
        env, "shell", "-c", "from stakeholders.models import User; print(User.objects.count())"
    )
    assert count.stdout.strip().splitlines()[-1] == "0"


def test_readme_documents_every_setting_variable() -> None:
    variables = settings_variables()
    readme = (BASE_DIR / "README.md").read_text()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= variables
    assert sorted(name for name in variables if f"| `{name}` |" not in readme) == []


def test_docker_compose_sets_only_variables_the_portal_reads() -> None:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    # Read by gunicorn and by the worker's command line rather than by settings.py.
    tooling = {"WEB_CONCURRENCY", "CELERY_CONCURRENCY"}
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "0"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        assert sorted(set(environment) - settings_variables() - tooling) == [], name
    assert "migrate" in " ".join(services["web"]["command"])
    assert all("healthcheck" in services[name] for name in ("db", "redis", "web", "worker"))
