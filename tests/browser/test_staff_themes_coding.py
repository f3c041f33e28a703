"""Staff code answers by hand in the browser and the report's theme counts follow (hand codes are the truth).

Twelve residents write about late buses (no codebook theme) and twelve about speeding (road safety). An
analyst makes a JSON report (road safety: 12, all from the model), codes the bus answers as road safety on
the coding page (plain form posts: no JavaScript needed), and the next report counts 24: 12 from staff.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.http_resident import HttpResident, random_answer
from harness.live_server import BIN, PROJECT_ROOT, LiveServer, server_environment
from tests.browser.test_staff_journey import via_job
from tests.browser.visitor import Visitor

Q = "safermk-2016"
QUESTION = "concerns_text"
PASSWORD = "a quiet meadow of hand codes 2026"
BUSES = [f"the buses are always late, {day}" for day in ("monday", "tuesday", "friday", "sunday")] * 3
SPEEDING = [f"cars speeding past the school on {day}" for day in ("monday", "tuesday", "friday")] * 4


def _no_other_text(question: Any, rng: random.Random) -> Any:
    return None if question.type == "text" else random_answer(question, rng)


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> LiveServer:
    """The live server with 24 complete responses (12 about buses, 12 about speeding)."""
    for i, text in enumerate(BUSES + SPEEDING):
        person = HttpResident([live_server.base_url], seed=700 + i, marker=text)  # the concerns answer
        person.complete(_no_other_text)
        person.http.close()
    return live_server


@pytest.fixture(scope="module")
def analyst(browser: Any, seeded: LiveServer) -> Iterator[Visitor]:
    """An analyst made with `survey staff add`, signed in (the one-time password changed)."""
    done = subprocess.run(
        [str(BIN / "survey"), "staff", "add", "analyst@example.org", "--role", "analyst"],
        cwd=PROJECT_ROOT,
        env=server_environment(seeded.database_url, seeded.instance_dir, **seeded.extra_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r"One-time password for \S+: (\S+)", done.stdout)
    assert found, done.stdout
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    visitor = Visitor(context.new_page())
    visitor.goto("/staff/sign-in", seeded.base_url)
    visitor.page.fill("#email", "analyst@example.org")
    visitor.page.fill("#password", found.group(1))
    visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
    visitor.page.fill("#current_password", found.group(1))
    visitor.page.fill("#new_password", PASSWORD)
    visitor.page.fill("#confirm_password", PASSWORD)
    visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
    assert visitor.path.rstrip("/") == "/staff", visitor.page.inner_text("main")[:400]
    yield visitor
    context.close()


def road_safety_in_report(visitor: Visitor, seeded: LiveServer, tmp_path: Path) -> dict[str, Any]:
    """Make an interim JSON report on the reports page; the road safety row of the concerns question."""
    page = visitor.page
    visitor.goto(f"/staff/reports/{Q}", seeded.base_url)
    page.check('input[name="kind"][value="interim"]')
    page.check('input[name="format"][value="json"]')
    page.uncheck("#keep")
    download = via_job(visitor, page.get_by_role("button", name="Make and download the report").click)
    path = tmp_path / "report.json"
    download.save_as(path)
    blocks = json.loads(path.read_text(encoding="utf-8"))["themes"]
    block = next(b for b in blocks if b["question"] == QUESTION)
    row: dict[str, Any] = next(t for t in block["themes"] if t["id"] == "road_safety")
    return row


def test_coding_answers_by_hand_changes_the_reports_theme_counts(
    analyst: Visitor, seeded: LiveServer, tmp_path: Path
) -> None:
    before = road_safety_in_report(analyst, seeded, tmp_path)
    assert (before["respondents"], before["staff"]) == (12, None)
    page = analyst.page
    analyst.goto(f"/staff/themes/{Q}/{QUESTION}/coding?show=uncoded", seeded.base_url)
    assert "0 of 24 answers coded by hand" in page.inner_text("#coding-progress")
    ticked = 0
    for group in page.locator("#coding .govuk-form-group").all():
        if "buses are always late" in group.locator("blockquote").inner_text():
            group.locator('input[value="road_safety"]').check()
            ticked += 1
    assert ticked == 12
    analyst.after(lambda: page.get_by_role("button", name="Save the codes on this page").click())
    assert "Saved the codes of 20 answers (12 changed)" in page.inner_text("body")
    # The remaining answers are on page 2 of the uncoded ones; the saved ones are coded now.
    assert "12 of 24 answers coded by hand" in page.inner_text("#coding-progress")
    after = road_safety_in_report(analyst, seeded, tmp_path)
    assert (after["respondents"], after["staff"], after["model"]) == (24, 12, 12)
    analyst.goto(f"/staff/themes/{Q}/{QUESTION}", seeded.base_url)
    row = page.locator("#theme-table tbody tr", has_text="Speeding and road safety")
    assert row.locator("td").nth(0).inner_text().strip() == "24"
    assert row.locator('td[data-source="staff"]').inner_text().strip() == "12"
    assert analyst.violations() == {}
    assert analyst.csp_violations() == []
