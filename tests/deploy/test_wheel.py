"""From a clean virtualenv, the built wheel installs and gunicorn, started as docs/deploy.md says
(`gunicorn -c python:survey.gunicorn_conf survey.wsgi:app`), serves styled pages.

The virtualenv reuses the project's installed dependencies (a .pth line, so the test needs no network and
takes seconds) but not the project itself: the wheel is installed with --no-deps and everything runs from a
folder outside the checkout, so templates, migrations, questionnaires and assets must come from the wheel.
"""

from __future__ import annotations

import re
import site
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from harness.live_server import PROJECT_ROOT, SECRET_KEY, _die_with_parent, free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.status, reply.headers.get("Content-Type", ""), reply.read()


def test_the_wheel_installs_into_a_fresh_virtualenv_and_serves_styled_pages(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, str(PROJECT_ROOT / "scripts" / "build_wheel.py"), "--out", str(dist)], PROJECT_ROOT)
    [wheel] = list(dist.glob("resident_survey-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    own_site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path).strip()
    )
    (own_site / "project-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        tmp_path,
    )
    where = tmp_path / "elsewhere"  # not the checkout: nothing may be read from it
    where.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SURVEY_ENV": "production",
        "SURVEY_SECRET_KEY": SECRET_KEY,
        "SURVEY_COOKIE_SECURE": "0",
        "SURVEY_PUBLIC_URL": "http://127.0.0.1",
        "SURVEY_INSTANCE_DIR": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'survey.db'}",
    }
    (tmp_path / "instance").mkdir()
    package = _run([str(python), "-c", "import survey; print(survey.__file__)"], where, env).strip()
    assert package.startswith(str(own_site)), package  # the wheel's copy, not the checkout
    port = free_port()
    # gunicorn starts while `survey init-db` migrates, as an orchestrator starts the web beside the migration
    # job: no request is made before init-db is done, and /readyz answers 200 once the schema is at head.
    # the settings as docs/deploy.md starts it: from the wheel's module, bind and workers from the environment
    server = subprocess.Popen(
        [str(python), "-m", "gunicorn", "-c", "python:survey.gunicorn_conf", "survey.wsgi:app"],
        cwd=where,
        env={**env, "SURVEY_BIND": f"127.0.0.1:{port}", "SURVEY_WORKERS": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )
    try:
        output = _run([str(python), "-m", "survey.cli", "init-db"], where, env)
        assert "Schema at" in output and "safermk-2016" in output
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if _get(base + "/readyz")[0] == 200:
                    break
            except OSError:
                if server.poll() is not None:
                    break
            subprocess.run(["sleep", "0.2"], check=False)
        status, content_type, body = _get(base + "/s/safermk-2016")
        assert status == 200 and content_type.startswith("text/html")
        links = re.findall(r'<link[^>]+href="([^"]+\.css[^"]*)"', body.decode())
        stylesheet = next(link for link in links if "survey.css" in link)
        status, content_type, css = _get(base + stylesheet)
        assert status == 200 and content_type.startswith("text/css")
        assert b".govuk-header" in css and len(css) > 50_000  # GOV.UK Frontend, compiled
        status, content_type, script = _get(base + "/assets/js/govuk-frontend.min.js")
        assert status == 200 and "javascript" in content_type and len(script) > 10_000
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" not in log, log
    assert "Using worker: gthread" in log, log  # survey.gunicorn_conf's, not gunicorn's own sync default
