"""Erased and retained answers do not survive in SQLite's write-ahead log (second review, F4).

`secure_delete` overwrites deleted rows in the database file, but the `-wal` file kept earlier images of the
pages: the review found 10 copies of an erased answer there 15 minutes later. After an erasure or a
retention run the log is now checkpointed into the database and emptied (`wal_checkpoint(TRUNCATE)`).
The test reads the bytes of both files, as someone with a copy of them would.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import PREPARED
from tests.integration.staff.test_retention import set_retention
from tests.respondent import Respondent
from tests.security.test_receipts_and_erasure import ANSWERS, open_receipt, press, receipt_code

MakeRespondent = Callable[..., Respondent]
MARKER = "wal-marker: my neighbour's dog barks at the bins every night"


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite only: the write-ahead log is SQLite's (Postgres keeps deleted rows until VACUUM: the docs)."""
    path = tmp_path / "survey.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    PREPARED.add(url)
    return url


def copies(app: Flask) -> dict[str, int]:
    """How many times the marker's bytes are in the database file and in its write-ahead log."""
    database = Path(str(app.config["DATABASE_URL"]).removeprefix("sqlite:///"))
    found = {}
    for path in (database, database.with_name(database.name + "-wal")):
        found[path.name] = path.read_bytes().count(MARKER.encode()) if path.exists() else 0
    return found


def send_marker(respondent: MakeRespondent, *, receipt: bool) -> Respondent:
    resident = respondent()
    resident.start()
    resident.walk({**ANSWERS, "concerns_text": MARKER})
    resident.submit(receipt=receipt)
    assert resident.path == "/s/safermk-2016/done"
    return resident


def test_a_residents_erasure_leaves_no_copy_in_the_database_or_its_log(
    app: Flask, respondent: MakeRespondent
) -> None:
    code = receipt_code(send_marker(respondent, receipt=True))
    assert sum(copies(app).values()) > 0  # the answer is on disk somewhere before the erasure
    reader = respondent()
    open_receipt(reader, code)
    press(reader, "/s/safermk-2016/receipt/erase")
    press(reader, "/s/safermk-2016/receipt/erase")
    assert "Your answers have been erased" in reader.soup.get_text()
    assert copies(app) == {"survey.db": 0, "survey.db-wal": 0}


@pytest.mark.parametrize("policy", ["whole_responses", "free_text_and_sensitive"])
def test_retention_leaves_no_copy_in_the_database_or_its_log(
    app: Flask, respondent: MakeRespondent, runner: FlaskCliRunner, policy: str
) -> None:
    send_marker(respondent, receipt=False)
    assert sum(copies(app).values()) > 0
    set_retention(app, "safermk-2016", date(2026, 5, 31), policy)
    result = runner.invoke(args=["retention", "apply", "--commit"])
    assert "safermk-2016: removed" in result.output, result.output
    assert copies(app) == {"survey.db": 0, "survey.db-wal": 0}
