"""The container image and the compose stack: built where a container engine runs; their shape always."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT


def _docker_works() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return subprocess.run([docker, "info"], capture_output=True, timeout=30, check=False).returncode == 0


def _services(text: str) -> dict[str, str]:
    """compose.yaml's services, each with its block of text (no YAML parser among the dependencies)."""
    body = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks: dict[str, str] = {}
    for chunk in re.split(r"\n(?=  [a-z]+:)", "\n" + body):
        if chunk.strip():
            name, _, rest = chunk.strip("\n").partition(":")
            blocks[name.strip()] = rest
    return blocks


def test_the_compose_stack_has_postgres_the_app_the_worker_and_a_buffering_proxy() -> None:
    text = (PROJECT_ROOT / "compose.yaml").read_text()
    services = _services(text)
    assert set(services) == {"db", "migrate", "app", "worker", "nginx"}
    assert "image: postgres:" in services["db"]
    assert (
        'command: ["gunicorn", "--config", "/etc/survey/gunicorn.conf.py", "survey.wsgi:app"]'
        in services["app"]
    )
    assert 'command: ["survey", "worker"]' in services["worker"]
    assert 'command: ["survey", "init-db"]' in services["migrate"]
    assert all("<<: *survey" in services[name] for name in ("app", "worker", "migrate"))
    shared = text.split("services:", 1)[0]
    for setting in (
        "DATABASE_URL: postgresql://",
        "SURVEY_ENV: production",
        "SURVEY_JOBS_WORKER: none",
        "SURVEY_PUBLIC_URL:",
        "SURVEY_SECRET_KEY:",
    ):
        assert setting in shared
    nginx = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_buffering on;" in nginx and "proxy_request_buffering on;" in nginx
    assert "access_log off;" in nginx and "server app:8000;" in nginx


def test_the_dockerfile_has_three_stages_and_runs_as_a_plain_user() -> None:
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    assert [line.split()[-1] for line in text.splitlines() if line.startswith("FROM ")] == [
        "assets",
        "wheel",
        "runtime",
    ]
    assert "scripts/build_wheel.py" in text and "USER survey" in text and "/healthz" in text


@pytest.mark.slow
@pytest.mark.skipif(not _docker_works(), reason="no container engine answers `docker info`")
def test_the_image_builds() -> None:
    done = subprocess.run(
        ["docker", "build", "-t", "resident-survey:test", str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
