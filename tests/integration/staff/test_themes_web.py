"""Themes wired into the service: hand codes counted in reports, exports and the theme table; coding that
learns fast (most informative answers first, per-theme precision and recall, target reached); a suggestion's
effect shown before it is saved; every view of individual answers audited as responses.view."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import (
    BUSES,
    QID,
    QUESTION,
    SPEEDING,
    TAGGED,
    TAX,
    audit_actions,
    page,
    store_answers,
    stored_codebook_versions,
    suggest,
    text_of,
)

QUESTION_URL = f"/staff/themes/{QID}/{QUESTION}"
CODING = f"{QUESTION_URL}/coding"
REPORTS = f"/staff/reports/{QID}"
DAYS = ("on monday", "on tuesday", "on friday")
SPEED_TEXTS = [f"{t} {d}" for t in SPEEDING for d in DAYS]  # 12: the codebook tags road safety
BUS_TEXTS = [f"{t} {d}" for t in BUSES for d in DAYS[:2]]  # 12: no codebook theme


def code(client: FlaskClient, codes: dict[int, list[str]]) -> None:
    token = csrf_of(client.get(CODING))
    data: dict[str, object] = {"csrf_token": token, "shown": [str(r) for r in codes]}
    for rid, themes in codes.items():
        data[f"code-{rid}" if themes else f"none-{rid}"] = themes or "1"
    assert client.post(CODING, data=data).status_code == 302


def made(client: FlaskClient, action: str, **data: str) -> bytes:
    """The file a reports-page form makes (a job, run at once in tests), once it is done."""
    token = csrf_of(client.get(REPORTS))
    response = client.post(f"{REPORTS}/{action}", data={"csrf_token": token, **data})
    assert response.status_code == 303 and "/staff/jobs/" in response.headers["Location"]
    assert 'data-status="done"' in client.get(response.headers["Location"]).get_data(as_text=True)
    data: bytes = client.get(response.headers["Location"] + "/download").data
    return data


def report_block(client: FlaskClient) -> dict[str, object]:
    body = made(client, "generate", kind="interim", format="json", keep="no")
    blocks = json.loads(body)["themes"]
    block: dict[str, object] = next(b for b in blocks if b["question"] == QUESTION)
    return block


def theme_row(block: dict[str, object], theme_id: str) -> dict[str, object]:
    rows = block["themes"]
    assert isinstance(rows, list)
    row: dict[str, object] = next(r for r in rows if r["id"] == theme_id)
    return row


def table_row(client: FlaskClient, label: str) -> list[str]:
    parsed = page(client.get(QUESTION_URL).get_data(as_text=True))
    rows = [r for r in parsed.select("#theme-table tbody tr") if r.th and r.th.get_text(strip=True) == label]
    assert rows, f"no row {label!r} in the theme table"
    return [td.get_text(" ", strip=True) for td in rows[0].find_all("td")]


def test_hand_codes_count_in_the_report_the_export_and_the_theme_table(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    speed = store_answers(app, SPEED_TEXTS)
    buses = store_answers(app, BUS_TEXTS)
    client = staff_client("analyst")
    before = theme_row(report_block(client), "road_safety")
    assert before["respondents"] == 12 and before["staff"] is None
    # Staff say the bus answers are about road safety, and two speeding ones are about no theme.
    code(client, {**{rid: ["road_safety"] for rid in buses}, speed[0]: [], speed[1]: []})
    block = report_block(client)
    after = theme_row(block, "road_safety")
    assert (after["respondents"], after["staff"], after["model"]) == (22, 12, 10)
    assert block["hand_coded"] == 14
    cells = table_row(client, "Speeding and road safety")
    assert cells[0] == "22" and cells[2:4] == ["12", "10"]
    # The agreement of the tags counted (the codebook's) with staff: it tags the two speeding answers staff
    # coded "no theme" and none of the twelve bus answers staff coded road safety.
    assert cells[4] == "F1 0.00 (precision 0.00, recall 0.00, 12 coded)"
    body = made(client, "export", export_format="csv")
    rows = {int(r["response_id"]): r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    theme, source = f"{QUESTION}_theme_road_safety", f"{QUESTION}_theme_source"
    assert (rows[buses[0]][theme], rows[buses[0]][source]) == ("1", "staff")
    assert (rows[speed[0]][theme], rows[speed[0]][source]) == ("0", "staff")
    assert (rows[speed[5]][theme], rows[speed[5]][source]) == ("1", "model")


def test_the_command_line_export_carries_theme_columns_with_their_source(
    app: Flask, staff_client: Callable[..., FlaskClient], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    buses = store_answers(app, BUS_TEXTS[:3])
    code(staff_client("analyst"), {buses[0]: ["road_safety"]})
    out = tmp_path / "responses.csv"
    result = runner.invoke(args=["export", "responses", "--questionnaire", QID, "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as handle:
        rows = {int(r["response_id"]): r for r in csv.DictReader(handle)}
    assert rows[buses[0]][f"{QUESTION}_theme_source"] == "staff"
    assert rows[buses[1]][f"{QUESTION}_theme_source"] == "model"
    assert rows[buses[0]][f"{QUESTION}_theme_road_safety"] == "1"
    assert rows[buses[1]][f"{QUESTION}_theme_road_safety"] == "0"


def test_coding_offers_the_answers_that_teach_most_and_says_when_to_stop(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    speed = store_answers(app, SPEED_TEXTS)
    buses = store_answers(app, BUS_TEXTS)
    tax = store_answers(app, [f"{t} {d}" for t in TAX for d in DAYS[:2]])
    client = staff_client("analyst")
    html = client.get(f"{CODING}?show=next").get_data(as_text=True)
    assert "Code a few answers first" in text_of(html) and "Code at least two answers" in text_of(html)
    code(client, {**{rid: ["road_safety"] for rid in speed[:11]}, **{rid: [] for rid in tax[:11]}})
    html = client.get(f"{CODING}?show=next").get_data(as_text=True)
    shown = [int(str(i["value"])) for i in page(html).select("input[name=shown]")]
    coded = set(speed[:11]) | set(tax[:11])
    assert shown and not set(shown) & coded  # only uncoded answers are offered
    assert set(shown) <= set(speed) | set(buses) | set(tax)
    latest = audit_actions(app, "responses.view")[0]  # the page just shown
    assert latest.questionnaire_id == QID and latest.details["question"] == QUESTION
    assert latest.details["page"] == "themes.coding" and latest.details["responses"] == sorted(shown)
    views = len(audit_actions(app, "responses.view"))
    progress = page(html).select_one("#progress-road_safety")
    assert progress is not None
    cells = [c.get_text(" ", strip=True) for c in progress.find_all("td")]
    assert cells[0] == "11" and float(cells[1]) >= 0.8 and float(cells[2]) >= 0.8
    assert "Target reached" in cells[4]
    # A stricter target than anything reached, or fewer examples than needed, says keep coding.
    strict = page(client.get(f"{CODING}?target=1&show=next").get_data(as_text=True))
    row = strict.select_one("#progress-road_safety")
    assert row is not None and (
        float(row.find_all("td")[3].get_text()) == 1.0 or "Keep coding" in row.get_text()
    )
    bad = client.get(f"{CODING}?target=nonsense&show=sideways")
    assert bad.status_code == 200 and "F1 0.80" in text_of(bad.get_data(as_text=True))
    assert len(audit_actions(app, "responses.view")) == views + 2  # each page of answers shown is recorded


def test_accepting_a_suggestion_shows_its_effect_before_anything_is_saved(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BUSES + TAX + TAGGED)
    client = staff_client("analyst")
    suggest(client)
    token = csrf_of(client.get(QUESTION_URL))
    form = {
        "csrf_token": token,
        "action": "accept",
        "key": "buses / late",
        "base_version": "1.0.0",
        "label": "Late buses",
    }
    response = client.post(f"{QUESTION_URL}/suggestions", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing has been saved yet" in text_of(html)
    parsed = page(html)
    effect = {k: parsed.select_one(f"#effect-{k}") for k in ("gained", "lost", "terms")}
    assert all(effect.values()), effect
    assert [str(v.get_text(strip=True)) for v in effect.values() if v][:2] == ["6", "0"]
    assert "buses" in str(effect["terms"])
    assert len(parsed.select("blockquote")) == 3  # examples of answers gained
    assert stored_codebook_versions(app) == []
    view = audit_actions(app, "responses.view")[0]
    assert view.details["page"] == "themes.suggestion.preview" and view.details["count"] == 3
    confirm = {i["name"]: i.get("value", "") for i in parsed.select("form input[type=hidden]")}
    assert confirm["confirm"] == "yes" and confirm["label"] == "Late buses"
    saved = client.post(f"{QUESTION_URL}/suggestions", data=confirm, follow_redirects=True)
    assert "the codebook is now version 1.1.0" in text_of(saved.get_data(as_text=True))
    assert stored_codebook_versions(app) == ["1.1.0"]
    # Into a theme that does not exist: refused, nothing saved.
    form.update(
        key="council tax / tax",
        base_version="1.1.0",
        into="no_such_theme",
        csrf_token=csrf_of(client.get(QUESTION_URL)),
    )
    refused = client.post(f"{QUESTION_URL}/suggestions", data=form)
    assert refused.status_code == 400 and "Choose a theme of the codebook" in text_of(
        refused.get_data(as_text=True)
    )
    assert stored_codebook_versions(app) == ["1.1.0"]


def upload(client: FlaskClient, data: dict[str, object], name: str = "mine.json") -> tuple[int, str]:
    base = f"/staff/themes/{QID}/codebook"
    token = csrf_of(client.get(base))
    response = client.post(
        f"{base}/upload",
        data={"csrf_token": token, "codebook": (io.BytesIO(json.dumps(data).encode()), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    return response.status_code, text_of(response.get_data(as_text=True))


def test_an_upload_that_would_drop_themes_added_since_its_download_is_refused(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    downloaded = client.get(f"/staff/themes/{QID}/codebook.json").get_json()  # version 1.0.0
    base = f"/staff/themes/{QID}/codebook"
    form = {
        "csrf_token": csrf_of(client.get(f"{base}/themes/new")),
        "base_version": "1.0.0",
        "theme_id": "dog_fouling",
        "label": "Dog fouling",
        "keywords": "fouling",
        "phrases": "dog mess",
    }
    assert client.post(f"{base}/themes/new", data=form).status_code == 302  # someone adds a theme: 1.1.0
    edited = downloaded | {"title": "Edited offline"}
    status, text = upload(client, edited)
    assert status == 409 and "Nothing was saved: mine.json (version 1.0.0) does not have the themes" in text
    assert "‘Dog fouling’ (dog_fouling)" in text and stored_codebook_versions(app) == ["1.1.0"]
    # A file of unknown version missing the theme is refused too; one from 1.1.0 may drop older themes.
    assert upload(client, edited | {"version": "7.0.0"})[0] == 409
    current = client.get(f"/staff/themes/{QID}/codebook.json").get_json()
    current["themes"] = [t for t in current["themes"] if t["id"] != "noise"]
    status, text = upload(client, current)
    assert status == 200 and "the codebook is now version 1.2.0" in text
    assert stored_codebook_versions(app) == ["1.2.0", "1.1.0"]


def test_an_upload_that_would_bring_back_themes_removed_since_its_download_is_refused(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    base = f"/staff/themes/{QID}/codebook"
    form = {
        "csrf_token": csrf_of(client.get(f"{base}/themes/new")),
        "base_version": "1.0.0",
        "theme_id": "dog_fouling",
        "label": "Dog fouling",
        "keywords": "fouling",
        "phrases": "dog mess",
    }
    assert client.post(f"{base}/themes/new", data=form).status_code == 302  # 1.1.0
    downloaded = client.get(f"{base}.json").get_json()  # someone downloads 1.1.0, with the new theme
    assert downloaded["version"] == "1.1.0"
    removed = downloaded | {"themes": [t for t in downloaded["themes"] if t["id"] != "dog_fouling"]}
    assert upload(client, removed)[0] == 200  # someone else removes it on purpose: 1.2.0
    status, text = upload(client, downloaded | {"title": "Edited offline"})
    assert status == 409 and "Nothing was saved: mine.json (version 1.1.0) has the themes" in text
    assert "‘Dog fouling’ (dog_fouling)" in text and "removed from the codebook since" in text
    assert stored_codebook_versions(app) == ["1.2.0", "1.1.0"]
    # a theme the file's version did not have is new, not brought back: that upload is saved
    current = client.get(f"{base}.json").get_json()
    added = current | {
        "themes": [*current["themes"], {"id": "potholes", "label": "Potholes", "phrases": ["pothole"]}]
    }
    assert upload(client, added)[0] == 200 and stored_codebook_versions(app)[0] == "1.3.0"
