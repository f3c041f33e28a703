"""The gunicorn settings as gunicorn itself reads them, from a checkout's gunicorn.conf.py and from the
module an installed wheel carries (`-c python:survey.gunicorn_conf`): worker timeouts long enough for a
slow request, no access log, bind and workers from the environment."""

from __future__ import annotations

import sys

import pytest
from gunicorn.app.base import Application
from gunicorn.config import Config

from tests.conftest import PROJECT_ROOT

SOURCES = (str(PROJECT_ROOT / "gunicorn.conf.py"), "python:survey.gunicorn_conf")


class _Loader(Application):  # type: ignore[misc]
    """gunicorn's own reading of `-c LOCATION`, without starting anything."""

    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__()

    def load_config(self) -> None:
        self.load_config_from_module_name_or_filename(self.location)

    def load(self) -> None:  # pragma: no cover - never serves
        raise NotImplementedError


def settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> Config:
    for name in (
        "SURVEY_WORKER_TIMEOUT",
        "SURVEY_GRACEFUL_TIMEOUT",
        "SURVEY_WORKERS",
        "SURVEY_WORKER_CLASS",
        "SURVEY_THREADS",
        "SURVEY_BIND",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return read(monkeypatch, SOURCES[0])


def read(monkeypatch: pytest.MonkeyPatch, location: str) -> Config:
    monkeypatch.delitem(sys.modules, "survey.gunicorn_conf", raising=False)  # read the environment afresh
    return _Loader(location).cfg


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


@pytest.mark.parametrize("location", SOURCES)
def test_an_installed_wheel_reads_the_same_settings_as_a_checkout(
    monkeypatch: pytest.MonkeyPatch, location: str
) -> None:
    monkeypatch.setenv("SURVEY_BIND", "127.0.0.1:18080")
    monkeypatch.setenv("SURVEY_WORKERS", "3")
    monkeypatch.delenv("SURVEY_WORKER_TIMEOUT", raising=False)
    monkeypatch.delenv("SURVEY_GRACEFUL_TIMEOUT", raising=False)
    config = read(monkeypatch, location)
    assert config.bind == ["127.0.0.1:18080"] and config.workers == 3
    assert (config.worker_class_str, config.timeout, config.accesslog) == ("gthread", 120, None)
