"""The services the test run is wired to (DESIGN §5). With REQUIRE_SERVICES=1 (CI) a missing
PostgreSQL or Redis is a failure, never a skip; otherwise each test checks what is configured."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from mainstreaming.celery import app as celery_app

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.mark.django_db
def test_database_is_postgresql_when_services_required() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if REQUIRED:
        assert connection.vendor == "postgresql", (
            "REQUIRE_SERVICES=1 but the tests run on "
            f"{connection.vendor}: set DATABASE_URL=postgres://user:password@host:5432/name"
        )
    else:
        assert connection.vendor in ("postgresql", "sqlite")


@pytest.mark.django_db
def test_database_configured_engine_is_ready() -> None:
    """SQLite runs in WAL mode on a file (so the dev server and the worker can share it);
    PostgreSQL is a supported version with health-checked persistent connections."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            name = connection.settings_dict["NAME"]
            assert Path(name).is_file(), f"the SQLite test database should be a file: {name}"
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 140000
            assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_redis_answers_when_services_required() -> None:
    if REQUIRED:
        assert settings.REDIS_URL, (
            "REQUIRE_SERVICES=1 but REDIS_URL is not set: set REDIS_URL=redis://host:6379/0"
        )
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
        try:
            assert client.ping() is True
        except redis.exceptions.ConnectionError as error:
            pytest.fail(f"Redis at {settings.REDIS_URL} does not answer PING: {error}")
        finally:
            client.close()
    else:
        assert not REQUIRED


def test_celery_broker_matches_configuration() -> None:
    """Redis when REDIS_URL is set, else kombu's filesystem transport in folders that exist."""
    if settings.REDIS_URL:
        assert celery_app.conf.broker_url == settings.REDIS_URL
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert not REQUIRED
        assert celery_app.conf.broker_url == "filesystem://"
        options = celery_app.conf.broker_transport_options
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            folder = Path(options[key])
            assert folder.is_dir() and os.access(folder, os.W_OK), folder
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
    assert celery_app.conf.task_time_limit < settings.CELERY_BROKER_VISIBILITY_TIMEOUT


def test_mailers_file_backend_gets_its_folder(tmp_path: Path) -> None:
    """EMAIL_URL=filemail:////dir, as the real-worker fixture uses, gives the backend its folder."""
    folder = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    env["EMAIL_URL"] = f"filemail:///{folder}"
    code = (
        "from django.core.mail import send_mail; "
        "send_mail('Subject', 'Body', 'from@example.org', ['to@example.org'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [written] = list(folder.glob("*.log"))
    assert "Subject: Subject" in written.read_text()


# The set-up scripts (bin/) ---------------------------------------------------------------------

BIN = Path(settings.BASE_DIR) / "bin"


def _fake_python(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _find_python(tmp_path: Path, path_dirs: list[Path]) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": ":".join([*map(str, path_dirs), "/usr/bin", "/bin"]),
        "PYENV_ROOT": str(tmp_path / "pyenv"),
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        ["bash", str(BIN / "find-python")], env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


def test_find_python_picks_newest_working_interpreter(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    # A pyenv shim of a version that is not the global one: on PATH, but fails when run.
    _fake_python(
        fake_bin / "python3.14", "echo 'pyenv: python3.14: command not found' >&2; exit 127"
    )
    _fake_python(fake_bin / "python3", "exit 1")  # what a Python older than 3.12 answers
    older = _fake_python(
        tmp_path / "pyenv" / "versions" / "3.12.9" / "bin" / "python3", "echo 3 12 9"
    )
    newest = fake_bin / "python3.13"
    newest.symlink_to(sys.executable)  # this very interpreter, >= 3.12

    result = _find_python(tmp_path, [fake_bin])

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(newest)
    newest.unlink()
    assert _find_python(tmp_path, [fake_bin]).stdout.strip() == str(older)


def test_find_python_says_what_to_install_when_none_fits(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    _fake_python(fake_bin / "python3.13", "exit 127")
    for name in ("python3", "python3.12", "python3.14"):
        _fake_python(fake_bin / name, "exit 1")  # shadow any real one in /usr/bin

    result = _find_python(tmp_path, [fake_bin])

    assert result.returncode == 1
    assert "Python 3.12 or newer is required" in result.stderr
    assert "make run" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sign_in(base: str, username: str) -> str:
    """Sign in through the real login form; return the URL the browser lands on."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = f"{base}/accounts/login/"
    page = opener.open(login, timeout=20).read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match[1], "username": username, "password": "mainstreaming-demo"}
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})
    with opener.open(request, timeout=20) as response:
        return str(response.url)


def test_run_dev_serves_demo_accounts_and_ctrl_c_stops_server_and_worker(tmp_path: Path) -> None:
    """`make run`'s launcher on the embedded default: sign-in works for every demo account, the
    worker is up, and SIGINT (Ctrl-C) leaves neither process behind."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "EMAIL_URL")
    }
    env.update(VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="mainstreaming.settings")
    for command in (["migrate", "--no-input"], ["load_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    address = f"127.0.0.1:{_free_port()}"
    log_path = tmp_path / "run-dev.log"
    with log_path.open("wb") as log:
        launcher = subprocess.Popen(
            ["bash", str(BIN / "run-dev"), address], cwd=settings.BASE_DIR,
            env={**env, "VENV": str(Path(sys.executable).parent.parent)}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
            # Like a terminal: Ctrl-C must reach the launcher even if our parent ignores it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "Press Ctrl-C" not in log_path.read_text() or " ready." not in log_path.read_text():
            assert launcher.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        base = f"http://{address}"
        for username in (
            "coordinator", "editor", "reviewer", "contributor", "observer", "citycoordinator",
            "outsider", "partner",
        ):  # fmt: skip
            assert _sign_in(base, username) == f"{base}/", username
        children = subprocess.run(
            ["pgrep", "-g", str(launcher.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        # The launcher puts the server and the worker in process groups of their own.
        groups = subprocess.run(
            ["pgrep", "-P", str(launcher.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(groups) == 2, (children, groups)

        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 0
        assert "Development server and worker stopped." in log_path.read_text()
        for group in groups:
            alive = subprocess.run(["pgrep", "-g", group], capture_output=True, check=False)
            assert alive.returncode == 1, f"process group {group} survived Ctrl-C"
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
