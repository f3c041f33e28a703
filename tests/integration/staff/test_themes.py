"""Staff theme pages: theme table, quotes, word cloud, suggestions (accept, rename, merge, reject), XSS."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import (
    BURGLARY,
    BUSES,
    QID,
    QUESTION,
    SPEEDING,
    TAGGED,
    TAX,
    XSS,
    audit_actions,
    page,
    store_answers,
    stored_codebook_versions,
    suggest,
    text_of,
)

BASE = f"/staff/themes/{QID}"
QUESTION_URL = f"{BASE}/{QUESTION}"
PAGES = [
    "/staff/themes",
    QUESTION_URL,
    f"{QUESTION_URL}/cloud.png",
    f"{BASE}/codebook",
    f"{BASE}/codebook.json",
    f"{BASE}/codebook/themes/new",
    f"{BASE}/codebook/themes/burglary",
    f"{QUESTION_URL}/coding",
    f"{QUESTION_URL}/coding/suggestions",
]


def suggestion_keys(html: str) -> list[str]:
    """The keys of the suggestions offered (their accept forms' hidden `key` fields)."""
    forms = page(html).select("#suggestions ~ div form input[name=action][value=accept]")
    return [str(f.find_parent("form").find("input", attrs={"name": "key"})["value"]) for f in forms]


def act(client: FlaskClient, action: str, key: str, **fields: str) -> tuple[int, str]:
    """Post a decision about a suggestion; (status, page text after following a redirect)."""
    token = csrf_of(client.get(QUESTION_URL))
    response = client.post(
        f"{QUESTION_URL}/suggestions",
        data={"csrf_token": token, "action": action, "key": key, **fields},
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


def test_theme_pages_open_for_analysts_and_admins(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BURGLARY + BUSES)
    for role in ("analyst", "admin"):
        client = staff_client(role)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
        assert client.get(f"{QUESTION_URL}/cloud.png").data.startswith(b"\x89PNG\r\n\x1a\n")
    home = staff_client("analyst").get("/staff/").get_data(as_text=True)
    assert 'href="/staff/themes"' in home


def test_partners_and_anonymous_visitors_are_refused(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BURGLARY)
    partner = staff_client("partner")
    anonymous = app.test_client()
    for url in PAGES:
        assert partner.get(url).status_code == 403, url
        response = anonymous.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in"), url
    token = csrf_of(partner.get("/staff/"))
    for url in (f"{QUESTION_URL}/suggestions", f"{BASE}/codebook/upload", f"{QUESTION_URL}/coding"):
        assert partner.post(url, data={"csrf_token": token, "action": "reject"}).status_code == 403, url
    assert stored_codebook_versions(app) == []


def test_question_page_shows_themes_quotes_cloud_terms_and_suggestions(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BURGLARY + SPEEDING + BUSES + TAX)
    client = staff_client("analyst")
    suggest(client)
    html = client.get(QUESTION_URL).get_data(as_text=True)
    parsed = page(html)
    rows = {
        " ".join(r.th.get_text().split()): [c.get_text(strip=True) for c in r.find_all("td")]
        for r in parsed.select("#theme-table tbody tr")
    }
    assert rows["Burglary"][:2] == ["4", "20%"]  # 4 of the 20 who answered
    assert parsed.select_one("#untagged").get_text(strip=True) == "12"
    quotes = text_of(str(parsed.select_one("#quotes-burglary").find_next_sibling("blockquote")))
    assert quotes in BURGLARY
    image = parsed.select_one("#word-cloud + img")
    assert image["src"].endswith("/cloud.png") and "table below" in image["alt"]
    terms = {
        r.td.get_text(strip=True): int(r.find_all("td")[1].get_text())
        for r in parsed.select("#top-terms tbody tr")
    }
    assert terms["council tax"] == 6 and any("buses" in term for term in terms)
    assert sorted(suggestion_keys(html)) == ["buses / late", "council tax / tax"]
    assert "No interim report has been stored yet" in text_of(html)


def test_accepting_a_suggestion_saves_a_new_codebook_version(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BURGLARY + BUSES + TAX + TAGGED)
    client = staff_client("analyst")
    suggest(client)
    status, html = act(
        client, "accept", "buses / late", label="Late buses", base_version="1.0.0", confirm="yes"
    )
    assert status == 200 and "the codebook is now version 1.1.0" in html
    assert stored_codebook_versions(app) == ["1.1.0"]
    parsed = page(html)
    late = [r for r in parsed.select("#theme-table tbody tr") if r.th.get_text(strip=True) == "Late buses"]
    assert late and late[0].td.get_text(strip=True) == "6"
    assert suggestion_keys(html) == ["council tax / tax"]
    event = audit_actions(app, "themes.suggestion.accept")[0]
    assert event.questionnaire_id == QID and event.details["version"] == {"old": "1.0.0", "new": "1.1.0"}
    # Into an existing theme: its terms join that theme, again a new version.
    status, html = act(
        client, "accept", "council tax / tax", into="burglary", base_version="1.1.0", confirm="yes"
    )
    assert status == 200 and stored_codebook_versions(app) == ["1.2.0", "1.1.0"]
    codebook = client.get(f"{BASE}/codebook.json").get_json()
    burglary = next(t for t in codebook["themes"] if t["id"] == "burglary")
    assert "council tax" in burglary["phrases"] and QID in codebook["questionnaires"]


def test_an_accept_from_an_out_of_date_page_is_refused(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BUSES + TAX + TAGGED)
    client = staff_client("analyst")
    suggest(client)
    assert act(client, "accept", "buses / late", base_version="1.0.0", confirm="yes")[0] == 200
    status, html = act(client, "accept", "council tax / tax", base_version="1.0.0")
    assert status == 400 and "The codebook changed while you were working" in text_of(html)
    assert stored_codebook_versions(app) == ["1.1.0"]
    status, html = act(client, "accept", "no such suggestion", base_version="1.1.0")
    assert status == 409 and "no longer offered" in html and stored_codebook_versions(app) == ["1.1.0"]


def test_reject_rename_merge_and_undo_are_remembered(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BUSES + TAX)
    client = staff_client("analyst")
    suggest(client)
    status, html = act(client, "reject", "council tax / tax")
    assert status == 200 and suggestion_keys(html) == ["buses / late"]
    assert "Rejected suggestions (1)" in html
    assert stored_codebook_versions(app) == []  # rejecting changes no codebook
    assert suggestion_keys(client.get(QUESTION_URL).get_data(as_text=True)) == ["buses / late"]
    status, html = act(client, "undo", "council tax / tax")
    assert sorted(suggestion_keys(html)) == ["buses / late", "council tax / tax"]
    status, html = act(client, "rename", "buses / late", label="  Bus   punctuality ")
    assert "Bus punctuality" in page(html).select_one("#suggestion-buses-late h3").get_text()
    status, html = act(client, "rename", "buses / late", label="")
    assert status == 400 and "Enter a new name for the suggestion" in html
    status, html = act(client, "merge", "council tax / tax", merge_with="buses / late")
    assert suggestion_keys(html) == ["buses / late"]
    assert "12 answers" in page(html).select_one("#suggestion-buses-late").get_text()
    status, html = act(client, "merge", "buses / late", merge_with="buses / late")
    assert status in {400, 409}
    status, html = act(client, "undo", "council tax / tax")  # split the merge again
    assert sorted(suggestion_keys(html)) == ["buses / late", "council tax / tax"]
    actions = {e.action for e in audit_actions(app, "themes.suggestion.reject")}
    actions |= {e.action for e in audit_actions(app, "themes.suggestion.merge")}
    actions |= {e.action for e in audit_actions(app, "themes.suggestion.rename")}
    actions |= {e.action for e in audit_actions(app, "themes.suggestion.restore")}
    assert actions == {
        "themes.suggestion.reject",
        "themes.suggestion.merge",
        "themes.suggestion.rename",
        "themes.suggestion.restore",
    }


def test_free_text_is_escaped_on_every_theme_page(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, [XSS, *BUSES])
    client = staff_client("analyst")
    for url in (QUESTION_URL, f"{QUESTION_URL}/coding"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url
    suggest(client)
    html = client.get(QUESTION_URL).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html  # the suggestions' examples too
    key = suggestion_keys(client.get(QUESTION_URL).get_data(as_text=True))[0]
    status, html = act(client, "rename", key, label='<b onmouseover="x()">Buses</b>')
    assert status == 200 and "<b onmouseover" not in html and "&lt;b onmouseover=" in html


def test_the_change_since_the_latest_interim_report_is_shown(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    from datetime import UTC, datetime

    from sqlmodel import Session

    from survey.store import repository_reports
    from survey.store.db import get_engine

    store_answers(app, BURGLARY + SPEEDING)  # burglary 50%, speeding 50% now
    numbers = {
        "questionnaire_id": QID,
        "kind": "interim",
        "as_of": "2026-05-01",
        "headline": {"complete": 10, "started": 12},
        "themes": [{"question": QUESTION, "themes": [{"id": "burglary", "share": 0.2}]}],
    }
    with app.app_context(), Session(get_engine()) as session:
        repository_reports.save_snapshot(
            session=session,
            numbers=numbers,
            content=b"{}",
            fmt="json",
            filename="interim.json",
            created_at=datetime.now(UTC),
            created_by="cli",
        )
    parsed = page(staff_client("analyst").get(QUESTION_URL).get_data(as_text=True))
    assert (
        "change since interim report #1 (responses to 1 May 2026)"
        in parsed.select_one("#theme-table caption").text
    )
    change = {
        r.th.get_text(strip=True): r.find_all("td")[-1].get_text(strip=True)
        for r in parsed.select("#theme-table tbody tr")
    }
    assert change["Burglary"] == "+30 points"
    assert change["Speeding and road safety"] == "new since then"


def test_every_theme_and_report_endpoint_is_for_analysts_and_admins(app: Flask) -> None:
    mine = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("staff.themes", "staff.codebook", "staff.reports"))
    ]
    assert len(mine) == 19  # 14 theme and codebook pages (with the estimate's Try again), 5 report pages
    for endpoint in mine:
        assert app.view_functions[endpoint].staff_roles == {"admin", "analyst"}, endpoint
