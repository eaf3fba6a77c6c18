"""A real Celery worker for tests that must not run tasks eagerly (DESIGN §5).

Use it from a `@pytest.mark.django_db(transaction=True)` + `@pytest.mark.real_worker` test:

    def test_x(celery_worker_process):
        ...  # call a service; its task is sent with .delay() on commit
        [mail] = celery_worker_process.wait_for_mail(timeout=30)

The worker is a subprocess (`celery -A mainstreaming worker --pool=solo`) whose environment
points at the *test* database (PostgreSQL `test_<name>`, or the SQLite test file), at the broker
(Redis when REDIS_URL is set, else kombu's filesystem transport in a temporary folder), on a queue
of its own, and at a file mailbox. The test process's Celery app is re-pointed at the same broker
and queue, because pytest-django's `settings` fixture does not reach Celery's loaded config.

`celery_worker_factory(**env)` starts one with extra environment (e.g. `SITE_URL=live_server.url`
for a browser journey, or `pool="prefork"` to kill the child in a failure-injection test).
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from mainstreaming.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
READY_MARKER = " ready."
MAIL_SEPARATOR = b"-" * 79 + b"\n"


@dataclass
class Mail:
    """One message written by the file e-mail backend."""

    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def to(self) -> list[str]:
        return [address.strip() for address in str(self.message["To"]).split(",")]

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


def worker_database_url() -> str:
    """A URL for the database the test process is using right now (the test database)."""
    db = connection.settings_dict
    engine = db["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:memorydb") or "mode=memory" in name:
            pytest.fail(
                "A real worker cannot share an in-memory SQLite database: leave TEST_SQLITE_NAME "
                "unset (the default test database is a file) or point it at a file."
            )
        return f"sqlite:///{name}" if name.startswith("/") else f"sqlite:///{Path(name).resolve()}"
    if engine == "django.db.backends.postgresql":
        credentials = quote(db.get("USER") or "", safe="")
        if db.get("PASSWORD"):
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "127.0.0.1"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        at = "@" if credentials else ""
        return f"postgres://{credentials}{at}{host}{port}/{quote(db['NAME'], safe='')}"
    pytest.fail(f"The real-worker fixture does not know the database engine {engine!r}.")


def _read_mailbox(folder: Path) -> list[Mail]:
    """Every complete message in the folder (the backend appends a separator after each)."""
    mails: list[Mail] = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
        data = path.read_bytes()
        for chunk in data.split(MAIL_SEPARATOR)[:-1]:  # the last piece is incomplete or empty
            message = email.message_from_bytes(chunk.strip(b"\n"), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            mails.append(Mail(message))
    return mails


class CeleryWorkerProcess:
    """A `celery worker` subprocess for one test, on its own queue, broker folder and mailbox."""

    def __init__(self, folder: Path, *, pool: str = "solo", **extra_env: str) -> None:
        self.folder = folder
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.mail_dir = folder / "mail"
        self.broker_dir = folder / "broker"
        self.log_path = folder / "worker.log"
        self.pool = pool
        self.extra_env = extra_env
        self.process: subprocess.Popen[bytes] | None = None
        self._previous_conf: dict[str, Any] = {}
        for path in (
            self.mail_dir,
            self.broker_dir / "queue",
            self.broker_dir / "processed",
            self.broker_dir / "control",
        ):
            path.mkdir(parents=True, exist_ok=True)

    # Broker and queue shared by the worker and the test process -------------------------------

    @property
    def _filesystem_transport_options(self) -> dict[str, Any]:
        return {
            "data_folder_in": str(self.broker_dir / "queue"),
            "data_folder_out": str(self.broker_dir / "queue"),
            "processed_folder": str(self.broker_dir / "processed"),
            "control_folder": str(self.broker_dir / "control"),
            "store_processed": False,
        }

    def environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("CELERY_TASK_ALWAYS_EAGER", "TEST_SQLITE_NAME")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="mainstreaming.settings",
            DATABASE_URL=worker_database_url(),
            CELERY_QUEUE=self.queue,
            CELERY_BROKER_FOLDER=str(self.broker_dir),
            EMAIL_URL=f"filemail:///{self.mail_dir}",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            SITE_URL=settings.SITE_URL,
            DEFAULT_FROM_EMAIL=settings.DEFAULT_FROM_EMAIL,
            PYTHONUNBUFFERED="1",
        )
        if settings.REDIS_URL:
            env["REDIS_URL"] = settings.REDIS_URL
        env.update(self.extra_env)
        return env

    def _point_test_process_at_worker(self) -> None:
        """Make `.delay()` in this process publish to the worker's broker and queue."""
        conf = celery_app.conf
        wanted: dict[str, Any] = {
            "task_always_eager": False,
            "task_default_queue": self.queue,  # the exchange and routing key follow it
        }
        if settings.REDIS_URL:
            wanted["broker_url"] = settings.REDIS_URL
        else:
            wanted["broker_url"] = "filesystem://"
            wanted["broker_transport_options"] = self._filesystem_transport_options
        self._previous_conf = {key: conf.get(key) for key in wanted}
        conf.update(wanted)
        self._reset_publisher()

    def _restore_test_process(self) -> None:
        if self._previous_conf:
            celery_app.conf.update(self._previous_conf)
            self._previous_conf = {}
            self._reset_publisher()

    @staticmethod
    def _reset_publisher() -> None:
        # Celery caches the queue table, router and connection pool on first use; drop them so
        # the next .delay() reads the patched configuration. The pools themselves stay open:
        # kombu keeps them in a process-wide registry (keyed by broker URL and options) that the
        # next worker test on the same broker reuses.
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)

    # Process ----------------------------------------------------------------------------------

    def start(self, timeout: float = 60) -> CeleryWorkerProcess:
        self._point_test_process_at_worker()
        command = [
            sys.executable, "-m", "celery", "-A", "mainstreaming", "worker",
            f"--pool={self.pool}", "--concurrency=1", "-Q", self.queue, "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"{self.queue}@%h",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.environment(), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while READY_MARKER not in self.log():
            if self.process.poll() is not None:
                self._restore_test_process()
                pytest.fail(f"The Celery worker exited ({self.process.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop(graceful=False)
                pytest.fail(f"The Celery worker was not ready after {timeout} s:\n{self.log()}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def pid(self) -> int:
        assert self.process is not None, "the worker was not started"
        return self.process.pid

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the worker and all its children (failure injection)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def stop(self, *, graceful: bool = True, timeout: float = 15) -> None:
        """Stop the worker and give the test process its configuration back.

        Graceful is a warm shutdown (TERM, then KILL after `timeout`); it takes 2–4 s because the
        solo pool only looks at signals between 2-second broker polls. Fixture teardown skips it:
        the broker folder, queue and database of a finished test are thrown away anyway.
        """
        try:
            if self.process is not None and self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM if graceful else signal.SIGKILL)
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout)
        finally:
            self._restore_test_process()

    # Mail -------------------------------------------------------------------------------------

    def mails(self) -> list[Mail]:
        return _read_mailbox(self.mail_dir)

    def wait_for_mail(self, timeout: float = 30, count: int = 1) -> list[Mail]:
        """Wait until the worker has written at least `count` messages; return them all."""
        deadline = time.monotonic() + timeout
        while True:
            mails = self.mails()
            if len(mails) >= count:
                return mails
            if self.process is not None and self.process.poll() is not None:
                pytest.fail(f"The Celery worker died while a test waited:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{len(mails)} of {count} e-mail(s) after {timeout} s. Worker log:\n"
                    f"{self.log()}"
                )
            time.sleep(0.1)


@pytest.fixture
def celery_worker_factory(
    transactional_db: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., CeleryWorkerProcess]]:
    """Start real workers with extra environment; each is stopped after the test.

    Depends on `transactional_db` so that the test database exists before the worker starts and
    the worker is gone before the database is flushed.
    """
    workers: list[CeleryWorkerProcess] = []

    def start(*, pool: str = "solo", timeout: float = 60, **extra_env: str) -> CeleryWorkerProcess:
        worker = CeleryWorkerProcess(tmp_path_factory.mktemp("worker"), pool=pool, **extra_env)
        workers.append(worker)
        return worker.start(timeout=timeout)

    yield start
    for worker in reversed(workers):
        worker.stop(graceful=False)


@pytest.fixture
def celery_worker_process(
    celery_worker_factory: Callable[..., CeleryWorkerProcess],
) -> CeleryWorkerProcess:
    """One real worker with the default environment."""
    return celery_worker_factory()
