"""Hand coding in the staff area: ticked themes stored per answer; suggestions for the rest with agreement."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import (
    BURGLARY,
    QID,
    QUESTION,
    SPEEDING,
    XSS,
    audit_actions,
    manual_codes,
    page,
    store_answers,
    text_of,
)

CODING = f"/staff/themes/{QID}/{QUESTION}/coding"


def save(
    client: FlaskClient, codes: dict[int, list[str]], none: tuple[int, ...] = (), **extra: str
) -> tuple[int, str]:
    """Save a page of codes (every answer in `codes` and `none` counts as shown on the page)."""
    token = csrf_of(client.get(CODING))
    data: dict[str, object] = {"csrf_token": token, "shown": [str(r) for r in [*codes, *none]], **extra}
    for rid, themes in codes.items():
        data[f"code-{rid}"] = themes
    for rid in none:
        data[f"none-{rid}"] = "1"
    response = client.post(CODING, data=data, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_ticked_themes_are_stored_changed_and_cleared(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    ids = store_answers(app, BURGLARY + SPEEDING + ["nothing really, it is quiet"])
    client = staff_client("analyst")
    listed = page(client.get(CODING).get_data(as_text=True))
    assert [i["value"] for i in listed.select("input[name=shown]")] == [str(i) for i in ids]
    # the learner's estimate is not the agreement of the tags reports count: the page says which is where
    which = listed.select_one("#progress-which")
    assert which is not None and "Reports count your codes" in which.get_text()
    assert which.a["href"] == f"/staff/themes/{QID}/{QUESTION}"
    status, html = save(client, {ids[0]: ["burglary"], ids[4]: ["road_safety", "parking"]}, none=(ids[8],))
    assert status == 200 and "Saved the codes of 3 answers (3 changed)" in html
    assert manual_codes(app) == {ids[0]: ["burglary"], ids[4]: ["parking", "road_safety"], ids[8]: []}
    assert "3 of 9 answers coded by hand" in text_of(html)
    status, html = save(client, {ids[4]: ["road_safety"], ids[0]: []})  # ids[0]: nothing ticked -> uncoded
    assert manual_codes(app) == {ids[4]: ["road_safety"], ids[8]: []}
    event = audit_actions(app, "themes.coding")[0]
    assert event.questionnaire_id == QID and event.details == {
        "question": QUESTION,
        "answers": 2,
        "changed": 2,
    }
    uncoded = page(client.get(f"{CODING}?show=uncoded").get_data(as_text=True))
    assert str(ids[4]) not in [i["value"] for i in uncoded.select("input[name=shown]")]


def test_bad_coding_input_is_explained_and_nothing_is_lost(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    ids = store_answers(app, BURGLARY)
    client = staff_client("analyst")
    status, html = save(client, {ids[0]: ["burglary"], ids[1]: ["no_such_theme"]}, none=(ids[0],))
    text = text_of(html)
    assert status == 400 and manual_codes(app) == {}
    assert f"Answer {ids[0]}: you ticked a theme and also ‘No theme applies’: untick one of them" in text
    assert f"Answer {ids[1]}: no_such_theme is not a codebook theme" in text
    ticked = page(html).select_one(f"#answer-{ids[0]}-burglary")
    assert ticked is not None and ticked.has_attr("checked")  # what was ticked is shown again
    status, html = save(client, {999999: ["burglary"]})
    assert (
        status == 400
        and "'999999' is not an answer to this question" in text_of(html)
        and manual_codes(app) == {}
    )


def test_suggestions_for_the_rest_show_the_agreement(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    ids = store_answers(app, BURGLARY + SPEEDING + ["quiet area no problems", "all fine here", XSS])
    client = staff_client("analyst")
    nothing = client.get(f"{CODING}/suggestions").get_data(as_text=True)
    assert "No answer has been coded by hand yet" in nothing
    codes = {i: ["burglary"] for i in ids[:3]} | {i: ["road_safety"] for i in ids[4:7]}
    save(client, codes, none=(ids[8],))
    html = client.get(f"{CODING}/suggestions").get_data(as_text=True)
    parsed = page(html)
    f1 = float(parsed.select_one("#micro-f1").get_text())
    assert 0.0 <= f1 <= 1.0
    per_theme = {
        r.td.get_text(strip=True): r.find_all("td")[2].get_text(strip=True)
        for r in parsed.select("#agreement-per-theme tbody tr")
    }
    assert per_theme["Burglary"] == "3" and per_theme["Speeding and road safety"] == "3"
    shown = [i["value"] for i in parsed.select("input[name=shown]")]
    assert sorted(shown) == sorted(str(i) for i in (ids[3], ids[7], ids[9], ids[10]))
    assert parsed.select_one(f"#answer-{ids[3]}-burglary").has_attr("checked")  # "my house was burgled"
    assert parsed.select_one(f"#answer-{ids[7]}-road_safety").has_attr("checked")
    # Each suggestion shows its calibrated chance (a probability, explained on the page), not a raw score.
    chances = parsed.select("[data-chance]")
    assert chances and all(0.0 < float(str(c["data-chance"])) < 1.0 for c in chances)
    assert all(c.get_text().endswith("chance you would tag it)") for c in chances)
    assert "calibrated on your own coding" in parsed.select_one("#chance-explained").get_text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    status, html = save(client, {ids[3]: ["burglary"]}, back="suggestions")
    assert manual_codes(app)[ids[3]] == ["burglary"] and "Suggested tags for the rest" in html


def test_themes_table_shows_a_theme_staff_rejected_as_measured(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    """The codebook tags a burglary answer that staff code 'No theme applies': the tagger's precision for
    burglary on the coded answers is measured (0 of 1 right), so the table must not say "not measured"."""
    ids = store_answers(app, BURGLARY)
    client = staff_client("analyst")
    status, _html = save(client, {}, none=(ids[0],))
    assert status == 200
    table = page(client.get(f"/staff/themes/{QID}/{QUESTION}").get_data(as_text=True))
    row = next(r for r in table.select("tbody tr") if r.th and r.th.get_text(strip=True) == "Burglary")
    cells = [" ".join(td.get_text(" ").split()) for td in row.select("td")]
    assert "F1 0.00 (precision 0.00, recall 0.00, 0 coded)" in cells, cells
