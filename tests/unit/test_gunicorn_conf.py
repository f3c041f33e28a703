"""gunicorn.conf.py as gunicorn itself reads it: worker timeouts long enough for a report, no access log."""

from __future__ import annotations

from typing import Any

import pytest
from gunicorn.config import Config

from tests.conftest import PROJECT_ROOT


def settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> Config:
    for name in (
        "SURVEY_WORKER_TIMEOUT",
        "SURVEY_GRACEFUL_TIMEOUT",
        "SURVEY_WORKERS",
        "SURVEY_WORKER_CLASS",
        "SURVEY_THREADS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = Config()
    namespace: dict[str, Any] = {"__file__": str(PROJECT_ROOT / "gunicorn.conf.py")}
    exec(compile((PROJECT_ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    for key, value in namespace.items():
        if key in config.settings:
            config.set(key, value)
    return config


def test_workers_may_take_two_minutes_over_a_report_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings(monkeypatch)
    assert config.timeout == 120  # gunicorn's own default (30 s) kills a worker making a big report
    assert config.graceful_timeout == 120  # a restart lets a report being made finish
    assert config.accesslog is None


def test_the_timeouts_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings(monkeypatch, SURVEY_WORKER_TIMEOUT="300", SURVEY_GRACEFUL_TIMEOUT="60")
    assert (config.timeout, config.graceful_timeout) == (300, 60)


def test_threaded_workers_one_per_core_with_keep_alive_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings(monkeypatch)
    assert (config.worker_class_str, config.workers, config.threads) == ("gthread", 2, 2)
    assert config.keepalive >= 2  # gthread keeps a browser's connection between pages


def test_the_worker_model_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings(monkeypatch, SURVEY_WORKER_CLASS="sync", SURVEY_WORKERS="4", SURVEY_THREADS="1")
    assert (config.worker_class_str, config.workers, config.threads) == ("sync", 4, 1)
