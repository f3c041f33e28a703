"""Browser fixtures: Chromium through Playwright, a real gunicorn on a temp SQLite database, axe-core."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.live_server import LiveServer, init_database, serve
from tests.browser.visitor import AXE_PATH

# No name but 127.0.0.1 resolves: nothing a page does can reach another host (the quick exit's neutral
# site included: its navigation is seen as a request, and fails here instead of leaving the machine).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chromium_path() -> str | None:
    """Debian's Chromium (or SURVEY_TEST_CHROMIUM): Playwright never downloads a browser here."""
    found = os.environ.get("SURVEY_TEST_CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser")


@pytest.hookimpl(tryfirst=True)  # the group mark must be there before xdist's hook reads it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/browser/ is a browser test; a module's tests run on one xdist worker.

    A module's tests share its server (`live_server` is module-scoped), so they stay together; different
    modules may run on different workers at once (each worker starts its own Chromium), so the browser
    tests (about a quarter of the suite's time) are not all queued behind one worker.
    """
    here = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        if here in path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group(f"browser-{path.stem}"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (run scripts/system-deps as root)")
    if not AXE_PATH.exists():
        pytest.skip("axe-core is not installed (run npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Staff passwords and recovery codes hashed cheaply (as in tests/integration/staff): the default argon2id
# cost (64 MiB, 3 passes, 4 lanes) is for the real service; here it only made sign-ins and set-ups slow.
# The `survey` commands a test runs take the same settings (`server.extra_env`), so no hash is remade.
SERVER_ENV = {
    "SURVEY_STAFF_ARGON2_TIME_COST": "1",
    "SURVEY_STAFF_ARGON2_MEMORY_KIB": "256",
    "SURVEY_STAFF_ARGON2_PARALLELISM": "1",
}


@pytest.fixture(scope="session")
def initialised_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database made once by `survey init-db` (the README's way); each module's server gets a copy.

    `survey init-db` imports the whole app (seconds of CPU): once per run instead of once per module.
    """
    folder = tmp_path_factory.mktemp("initialised")
    database = folder / "survey.db"
    init_database(f"sqlite:///{database}", folder, **SERVER_ENV)
    return database


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, initialised_database: Path) -> Iterator[LiveServer]:
    """gunicorn (2 sync workers) on a temp SQLite database: a copy of one made by `survey init-db`."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "survey.db"
    source, copy = sqlite3.connect(initialised_database), sqlite3.connect(database)
    try:
        source.backup(copy)  # the whole database, whatever of it is still in the write-ahead log
    finally:
        source.close()
        copy.close()
    server = serve(f"sqlite:///{database}", folder, init=False, workers=2, extra_env=dict(SERVER_ENV))
    try:
        yield server
    finally:
        # Nothing of this server is kept (its database is a temp file): kill -9. A graceful stop waited
        # seconds for each worker's interpreter to finalise its heap.
        server.kill_hard()
