"""A real gunicorn serving the app on a free 127.0.0.1 port (browser, reliability and benchmark runs)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = "live-server-test-secret"
READY_PATH = "/s/safermk-2016"
SHUT_DOWN = b"Shutting down: Master"  # what gunicorn's master logs once its workers are gone


def exiting(pid: int) -> bytes:
    """What a gunicorn worker logs once it has stopped serving (its requests done)."""
    return f"Worker exiting (pid: {pid})".encode()


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the starting thread dies (no orphaned servers; Linux)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(database_url: str, instance_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a server process and `survey init-db` run with (no SURVEY_TEST_ leakage)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SURVEY_", "DATABASE_URL"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SURVEY_INSTANCE_DIR": str(instance_dir),
            "SURVEY_SECRET_KEY": SECRET_KEY,
            "SURVEY_QUESTIONNAIRE_DIR": str(PROJECT_ROOT / "questionnaires"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def init_database(database_url: str, instance_dir: Path, **extra: str) -> str:
    """Run `survey init-db` (the README's way) against `database_url`; returns its output."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    survey = BIN / "survey"
    fallback = [sys.executable, "-c", "from survey.cli import main; main()"]
    command = [str(survey)] if survey.exists() else fallback
    done = subprocess.run(
        [*command, "init-db"],
        cwd=PROJECT_ROOT,
        env=server_environment(database_url, instance_dir, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"survey init-db failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class LiveServer:
    """One gunicorn master with its workers; `url(path)` for requests, `stop()` when done."""

    database_url: str
    instance_dir: Path
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    app: str = "wsgi:app"
    preload: bool = True  # import the app once in the master, then fork: workers start in a moment
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return self.base_url + path

    def start(self, *, timeout: float = 180.0) -> LiveServer:
        """Start gunicorn (on a new free port unless one is set) and wait until it serves pages."""
        self.launch()
        self.wait_ready(timeout)
        return self

    def launch(self) -> LiveServer:
        """Start gunicorn (on a new free port unless one is set) without waiting for it (see `start_all`)."""
        self.port = self.port or free_port()
        self.log_path = self.instance_dir / f"gunicorn-{self.port}.log"
        command = [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--no-control-socket",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--chdir",
            str(PROJECT_ROOT),
            *(["--preload"] if self.preload else []),
            self.app,
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            env=server_environment(self.database_url, self.instance_dir, **self.extra_env),
        )
        log.close()
        return self

    def wait_ready(self, timeout: float) -> None:
        """Poll the start page until it answers 200 (or fail with the server's log)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url(READY_PATH), timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        """What gunicorn and the app wrote so far."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> list[int]:
        """The pids of the master's worker processes (from /proc)."""
        assert self.process is not None
        master = self.process.pid
        children: list[int] = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                children.append(int(entry.name))
        return sorted(children)

    def kill_hard(self) -> None:
        """kill -9 the master and every worker at once (a power cut for this server)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM: the requests under way finish), then hard if it does not go within 15 s.

        Once every worker has logged that it is exiting (its requests are done) or the master that it is
        shutting down (its workers are gone), what is left is the processes tearing down their
        interpreters, which with this app takes seconds on a loaded machine: they are killed then rather
        than waited for.
        """
        if self.process is None or self.process.poll() is not None:
            return
        seen = self._log_size()
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 15
        while self.process.poll() is None and time.monotonic() < deadline:
            logged = self._log_since(seen)
            workers = self.worker_pids()
            if SHUT_DOWN in logged or (workers and all(exiting(pid) in logged for pid in workers)):
                break
            time.sleep(0.05)
        self.kill_hard()

    def _log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path is not None and self.log_path.exists() else 0

    def _log_since(self, offset: int) -> bytes:
        if self.log_path is None or not self.log_path.exists():
            return b""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read()

    def __enter__(self) -> LiveServer:
        return self.start() if self.process is None else self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_all(servers: list[LiveServer], *, timeout: float = 180.0) -> list[LiveServer]:
    """Start several servers at once (their start-ups overlap) and wait until every one serves pages."""
    for server in servers:
        server.launch()
    for server in servers:
        server.wait_ready(timeout)
    return servers


def serve(database_url: str, instance_dir: Path, *, init: bool = True, **options: object) -> LiveServer:
    """Initialise the database with `survey init-db` (unless init=False) and start gunicorn on it."""
    if init:
        init_database(database_url, instance_dir)
    server = LiveServer(database_url=database_url, instance_dir=instance_dir, **options)  # type: ignore[arg-type]
    return server.start()


def stored_responses(database_url: str, questionnaire_id: str = "safermk-2016") -> list[dict[str, Any]]:
    """Every stored response of a questionnaire, read straight from the database the server writes to."""
    from sqlmodel import Session, select

    from survey.store.db import make_engine
    from survey.store.models import Response

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(Response).where(Response.questionnaire_id == questionnaire_id)).all()
            return [
                {
                    "id": r.id,
                    "status": r.status,
                    "answers": dict(r.answers),
                    "language": r.language,
                    "channel": r.channel,
                    "last_question": r.last_question,
                    "completed_on": r.completed_on,
                }
                for r in rows
            ]
    finally:
        engine.dispose()
