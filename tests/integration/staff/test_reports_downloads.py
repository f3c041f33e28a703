"""Staff report and export downloads: valid PDF/XLSX/JSON/HTML, snapshots, exports, options, audit, roles."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyreadstat
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository, repository_channels
from survey.store.db import get_engine
from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import QID, audit_actions, text_of

BASE = f"/staff/reports/{QID}"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite here, Postgres too where a test asks (a report takes 5+ CPU seconds whatever the database)."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'survey.db'}"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


@pytest.fixture
def demo(app: Flask) -> int:
    """30 demo responses (plus a few unfinished journeys) to SaferMK, through the repository."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        done, _dropped = store(
            session, QID, row.version, generate(load_dict(row.definition), 30, 7, date(2026, 4, 1), days=30)
        )
    return done


def post(client: FlaskClient, url: str, **data: str) -> tuple[int, bytes, dict[str, str]]:
    """Post a form with a CSRF token; (status, body, headers) of the page, or of the file once the job the
    form started is done (tests run jobs at once: SURVEY_JOBS_WORKER=immediate)."""
    token = csrf_of(client.get(BASE))
    response = client.post(url, data={"csrf_token": token, **data})
    if response.status_code == 303 and "/staff/jobs/" in response.headers["Location"]:
        page = client.get(response.headers["Location"])
        assert page.status_code == 200 and 'data-status="done"' in page.get_data(as_text=True)
        response = client.get(response.headers["Location"] + "/download")
    return response.status_code, response.data, dict(response.headers)


def test_a_report_downloads_as_a_valid_file_in_every_format_and_is_audited(
    app: Flask, staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    client = staff_client("analyst")
    status, body, headers = post(
        client, f"{BASE}/generate", kind="interim", format="pdf", as_of="2026-05-31", keep="yes"
    )
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert 'filename="safermk-2016-interim-2026-05-31.pdf"' in headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(body)).pages) >= 2
    status, body, headers = post(client, f"{BASE}/generate", kind="interim", format="xlsx", keep="no")
    workbook = load_workbook(io.BytesIO(body))
    assert status == 200 and len(workbook.sheetnames) >= 2
    status, body, _ = post(client, f"{BASE}/generate", kind="final", format="json")
    numbers = json.loads(body)
    assert numbers["kind"] == "final" and numbers["headline"]["complete"] == demo
    events = audit_actions(app, "report.download")
    assert [(e.details["kind"], e.details["format"]) for e in reversed(events)] == [
        ("interim", "pdf"),
        ("interim", "xlsx"),
        ("final", "json"),
    ]
    assert all(e.questionnaire_id == QID and e.actor.startswith("analyst") for e in events)


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_stored_reports_are_listed_and_download_again(
    app: Flask, staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    client = staff_client("admin")
    status, html, headers = post(
        client, f"{BASE}/generate", kind="interim", format="html", as_of="2026-04-20"
    )
    assert headers["Content-Disposition"].startswith("attachment") and b"<html" in html[:500].lower()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, body, _ = post(client, f"{BASE}/generate", kind="final", format="json")
    final = json.loads(body)
    assert final["comparison"] is not None  # compared with the stored interim report
    page = client.get(BASE).get_data(as_text=True)
    assert "#1 interim (HTML)" in text_of(page) and "#2 final (JSON)" in text_of(page)
    again = client.get("/staff/reports/snapshots/2")
    assert again.status_code == 200 and json.loads(again.data) == final
    assert client.get("/staff/reports/snapshots/1").data == html
    numbers = client.get("/staff/reports/snapshots/1?numbers=1")
    assert json.loads(numbers.data)["kind"] == "interim" and json.loads(numbers.data)["as_of"] == "2026-04-20"
    assert client.get("/staff/reports/snapshots/99").status_code == 404
    again_events = [e for e in audit_actions(app, "report.download") if e.details.get("again")]
    assert {e.details["snapshot"] for e in again_events} == {1, 2}


def test_bad_report_requests_say_what_is_wrong_and_make_nothing(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    status, body, _ = post(client, f"{BASE}/generate", kind="weekly", format="docx", as_of="31/05/2026")
    text = text_of(body.decode())
    assert status == 400
    for message in (
        "Select an interim or a final report",
        "Select the format of the report",
        "Enter the date in the format 2026-05-31",
    ):
        assert message in text
    status, body, _ = post(client, f"{BASE}/generate", kind="interim", format="pdf")
    assert status == 400 and "There are no complete responses up to" in text_of(body.decode())
    assert audit_actions(app, "report.download") == []


def test_exports_download_with_the_chosen_options_and_are_audited(
    app: Flask, staff_client: Callable[..., FlaskClient], demo: int, tmp_path: Path
) -> None:
    client = staff_client("analyst")
    status, body, headers = post(client, f"{BASE}/export", export_format="csv")
    assert headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200 and len(rows) == demo and "concerns_text" in rows[0]
    status, body, _ = post(
        client, f"{BASE}/export", export_format="csv", no_free_text="yes", no_sensitive="yes"
    )
    columns = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert "concerns_text" not in columns and "closing_text" not in columns
    assert not any(c.startswith("da_") for c in columns)  # the sensitive section: domestic abuse
    assert any(c.startswith("da_") for c in rows[0])
    status, body, _ = post(client, f"{BASE}/export", export_format="zip")
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    stem = "safermk-2016-responses-2026-06-01"
    assert sorted(names) == [f"{stem}-dictionary.csv", f"{stem}-dictionary.md", f"{stem}.csv"]
    status, body, headers = post(client, f"{BASE}/export", export_format="sav")
    assert status == 200 and body[:4] == b"$FL2"
    sav = tmp_path / "export.sav"
    sav.write_bytes(body)
    frame, meta = pyreadstat.read_sav(str(sav))
    assert len(frame) == demo and "concerns_text" in meta.column_names
    status, body, _ = post(client, f"{BASE}/export", export_format="xls")
    assert status == 400 and "Select the format of the export" in text_of(body.decode())
    events = list(reversed(audit_actions(app, "export.download")))
    assert [(e.details["kind"], e.details["format"]) for e in events] == [
        ("responses", "csv"),
        ("responses", "csv"),
        ("responses", "zip"),
        ("responses", "sav"),
    ]
    assert events[1].details["options"] == {"no_free_text": True, "no_sensitive": True}


def test_report_pages_refuse_partners_and_anonymous_visitors(
    app: Flask, staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    partner = staff_client("partner")
    token = csrf_of(partner.get("/staff/"))
    for url in ("/staff/reports", BASE, "/staff/reports/snapshots/1"):
        assert partner.get(url).status_code == 403
        assert app.test_client().get(url).headers["Location"].startswith("/staff/sign-in")
    for url in (f"{BASE}/generate", f"{BASE}/export"):
        response = partner.post(
            url, data={"csrf_token": token, "kind": "interim", "format": "json", "export_format": "csv"}
        )
        assert response.status_code == 403 and b"concerns_text" not in response.data
    assert audit_actions(app, "report.download") == audit_actions(app, "export.download") == []
    for role in ("analyst", "admin"):
        client = staff_client(role)
        assert 'href="/staff/reports"' in client.get("/staff/").get_data(as_text=True)
        assert client.get("/staff/reports").status_code == client.get(BASE).status_code == 200
        assert client.get("/staff/reports/no-such-questionnaire").status_code == 404


def test_a_report_made_in_the_staff_area_names_partner_channels_as_the_cli_does(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    from datetime import UTC, datetime

    from survey.services.demo.store import ensure_channels

    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        demo = generate(load_dict(row.definition), 30, 7, date(2026, 4, 1), days=30)
        codes = {r.channel for r in demo if r.channel}
        assert codes, "the demo generator should use partner channels"
        ensure_channels(session, QID, codes, datetime(2026, 4, 1, tzinfo=UTC))
        store(session, QID, row.version, demo)
    client = staff_client("analyst")
    status, body, _ = post(client, f"{BASE}/generate", kind="interim", format="json", keep="no")
    names = {c["name"] for c in json.loads(body)["channels"]}
    assert status == 200
    with app.app_context(), Session(get_engine()) as session:
        channels = repository_channels.list_channels(session=session, questionnaire_id=QID)
    words = {c.code: f"{c.partner_name} – {c.label}" for c in channels}
    for code in codes:  # named as the channel's partner and label, without staff's code
        assert words[code] in names and not any(code in name for name in names), (code, names)
