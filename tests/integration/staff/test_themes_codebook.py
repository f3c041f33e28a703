"""The codebook in the staff area: download, upload (broken files change nothing), theme form, versions."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from analysis.text import codebook_to_dict, default_codebook, load_codebook
from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import (
    QID,
    audit_actions,
    page,
    store_answers,
    stored_codebook_versions,
    text_of,
)

BASE = f"/staff/themes/{QID}/codebook"


def upload(client: FlaskClient, content: bytes, name: str = "codebook.json") -> tuple[int, str]:
    """Upload a file as the codebook; (status, page text after following a redirect)."""
    token = csrf_of(client.get(BASE))
    response = client.post(
        f"{BASE}/upload",
        data={"csrf_token": token, "codebook": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


def problems_listed(html: str) -> list[str]:
    """The problems the upload page lists."""
    summary = page(html).select_one("#upload-problems")
    return [" ".join(li.get_text(" ").split()) for li in summary.select("li")] if summary else []


def test_download_gives_the_codebook_in_use_as_valid_json(
    app: Flask, staff_client: Callable[..., FlaskClient], tmp_path: Path
) -> None:
    client = staff_client("analyst")
    response = client.get(f"{BASE}.json")
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="safermk-2016-codebook-1.0.0.json"'
    )
    saved = tmp_path / "downloaded.json"
    saved.write_bytes(response.data)
    assert load_codebook(saved) == default_codebook()
    assert audit_actions(app, "codebook.download")[0].details["version"] == "1.0.0"
    assert "the codebook shipped with the service" in text_of(client.get(BASE).get_data(as_text=True))


def test_a_broken_upload_lists_each_problem_and_keeps_the_codebook(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    status, html = upload(client, b'{"id": "x", "version": "1.0.0", "themes": [}')
    assert status == 400
    assert problems_listed(html) == ["Not valid JSON at line 1, column 44: Expecting value"]
    data = codebook_to_dict(default_codebook())
    data["version"] = "2"
    data["themes"][0]["keywords"] = []
    data["themes"][0]["phrases"] = []
    data["themes"][0].pop("exact_keywords", None)
    data["themes"][0].pop("negation_exempt", None)
    data["themes"][1]["id"] = "burglary"
    status, html = upload(client, json.dumps(data).encode())
    listed = problems_listed(html)
    assert status == 400 and len(listed) == 1 and listed[0].startswith("/version : '2' does not match")
    data["version"] = "1.1.0"
    status, html = upload(client, json.dumps(data).encode())
    listed = problems_listed(html)
    assert "/themes/0 : theme 'burglary' has no keywords or phrases" in listed
    assert "/themes/1/id : duplicate theme id 'burglary' (also /themes/0)" in listed
    status, html = upload(client, b"\xff\xfe not text")
    assert problems_listed(html) == ["The file is not UTF-8 text: save it as UTF-8 JSON"]
    status, html = upload(client, b"", name="")
    assert problems_listed(html) == ["Choose a codebook JSON file to upload"]
    assert stored_codebook_versions(app) == []
    assert "version 1.0.0" in text_of(html) and audit_actions(app, "codebook.upload") == []


def test_a_good_upload_becomes_a_new_version_and_tags_the_answers(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, ["dog mess on every path", "owners leave dog mess", "the dog mess is awful"])
    client = staff_client("analyst")
    data = codebook_to_dict(default_codebook())
    data["themes"].append({"id": "dog_fouling", "label": "Dog fouling", "phrases": ["dog mess"]})
    status, html = upload(client, json.dumps(data).encode(), "mine.json")
    assert status == 200 and "the codebook is now version 1.1.0 (the file said 1.0.0: not newer)" in html
    assert stored_codebook_versions(app) == ["1.1.0"]
    status, html = upload(client, json.dumps(data).encode(), "mine.json")
    assert "nothing saved" in html and stored_codebook_versions(app) == ["1.1.0"]
    data["version"] = "3.0.0"
    upload(client, json.dumps(data | {"title": "Changed"}).encode(), "mine.json")
    assert stored_codebook_versions(app) == ["3.0.0", "1.1.0"]
    event = audit_actions(app, "codebook.upload")[0]
    assert (
        event.details["version"] == {"old": "1.1.0", "new": "3.0.0"} and event.details["file"] == "mine.json"
    )
    themes = client.get(f"/staff/themes/{QID}/concerns_text").get_data(as_text=True)
    row = [r for r in page(themes).select("#theme-table tbody tr") if "Dog fouling" in r.th.get_text()]
    assert row and row[0].td.get_text(strip=True) == "3"
    old = client.get(f"{BASE}.json?version=1.1.0").get_json()
    assert old["version"] == "1.1.0" and client.get(f"{BASE}.json?version=9.9.9").status_code == 404


def test_the_theme_form_adds_and_edits_themes_with_clear_errors(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("admin")
    token = csrf_of(client.get(f"{BASE}/themes/new"))
    form = {
        "csrf_token": token,
        "base_version": "1.0.0",
        "theme_id": "burglary",
        "label": "",
        "keywords": "",
        "phrases": "",
    }
    response = client.post(f"{BASE}/themes/new", data=form)
    text = text_of(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "The codebook already has a theme with the id burglary: choose another" in text
    assert "Enter the theme's name" in text and "Enter at least one keyword or phrase" in text
    form |= {"theme_id": "dog fouling!", "label": "Dog fouling", "keywords": "!!!"}
    text = text_of(client.post(f"{BASE}/themes/new", data=form).get_data(as_text=True))
    assert "Theme id must start with a letter or digit" in text
    assert "Keywords: '!!!' has no letters or digits to match" in text
    assert stored_codebook_versions(app) == []
    form |= {
        "theme_id": "dog_fouling",
        "keywords": "fouling, poo\ndog poo",
        "phrases": "dog mess\n\ndog mess",
    }
    response = client.post(f"{BASE}/themes/new", data=form, follow_redirects=True)
    assert "the codebook is now version 1.1.0" in response.get_data(as_text=True)
    theme = client.get(f"{BASE}.json").get_json()["themes"][-1]
    assert theme["id"] == "dog_fouling" and theme["keywords"] == ["fouling", "poo", "dog poo"]
    assert theme["phrases"] == ["dog mess"]
    edit = {
        "csrf_token": token,
        "base_version": "1.1.0",
        "label": "Burglary and break-ins",
        "description": "Homes broken into",
        "keywords": "burglary\nburglar",
        "phrases": "broke in",
    }
    response = client.post(f"{BASE}/themes/burglary", data=edit, follow_redirects=True)
    assert "the codebook is now version 1.1.1" in response.get_data(as_text=True)
    stale = client.post(f"{BASE}/themes/burglary", data=edit | {"label": "Other"})
    assert stale.status_code == 409 and "The codebook changed while you were working" in text_of(
        stale.get_data(as_text=True)
    )
    removed = client.post(
        f"{BASE}/themes/dog_fouling/remove",
        data={"csrf_token": token, "base_version": "1.1.1"},
        follow_redirects=True,
    )
    assert "the codebook is now version 2.0.0" in removed.get_data(as_text=True)
    assert stored_codebook_versions(app) == ["2.0.0", "1.1.1", "1.1.0"]
    actions = [
        e.action
        for e in audit_actions(app, "codebook.theme.add")
        + audit_actions(app, "codebook.theme.edit")
        + audit_actions(app, "codebook.theme.remove")
    ]
    assert sorted(actions) == ["codebook.theme.add", "codebook.theme.edit", "codebook.theme.remove"]
    assert client.get(f"{BASE}/themes/no_such_theme").status_code == 404


def test_a_codebook_file_in_the_instance_folder_is_used_until_staff_save_one(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    folder = Path(app.instance_path) / "codebooks"
    folder.mkdir(parents=True)
    data = codebook_to_dict(default_codebook()) | {
        "id": "mk-local",
        "version": "1.4.0",
        "questionnaires": [QID],
    }
    (folder / "mk-local.json").write_text(json.dumps(data), encoding="utf-8")
    client = staff_client("analyst")
    text = text_of(client.get(BASE).get_data(as_text=True))
    assert "This is mk-local, version 1.4.0 , a codebook file in the instance folder" in text
    upload(client, json.dumps(data | {"version": "1.5.0", "title": "Edited here"}).encode())
    text = text_of(client.get(BASE).get_data(as_text=True))
    assert "This is mk-local, version 1.5.0 , saved by staff on this site" in text
    assert "The codebook file in the instance folder (version 1.4.0) is not in use" in text
    (folder / "mk-local.json").write_text("{broken", encoding="utf-8")
    text = text_of(client.get(f"/staff/themes/{QID}/concerns_text").get_data(as_text=True))
    assert "A codebook file in the instance folder is not used because it has problems" in text
