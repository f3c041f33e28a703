"""A whole consultation from the browser (issue 16): accounts with two-factor, paper double entry,
moderation, and the public "we asked, you said, we did" page of a closed consultation.

Every staff and public page shown is audited by axe; the results page is read with JavaScript off.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.http_resident import HttpResident, random_answer
from harness.live_server import BIN, PROJECT_ROOT, LiveServer, server_environment, stored_responses
from survey.engine import Question, form_data_for
from tests.browser.test_staff_journey import via_job
from tests.browser.two_factor import Codes
from tests.browser.visitor import Visitor, first_option

Q = "safermk-2016"
PASSWORD = "a long staff passphrase 2026"
STAFF_PAGE = re.compile(rf"^/staff/paper/{Q}/p/(\d+)$")


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> LiveServer:
    """The live server with 25 complete online responses."""
    for i in range(25):
        person = HttpResident([live_server.base_url], seed=3100 + i)
        person.complete(random_answer)
        person.http.close()
    return live_server


def survey_cli(server: LiveServer, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "survey"), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=server_environment(server.database_url, server.instance_dir, **server.extra_env),
        timeout=120,
        check=True,
    )
    return done.stdout


def one_time_password(server: LiveServer, email: str, role: str) -> str:
    found = re.search(
        r"One-time password for \S+: (\S+)", survey_cli(server, "staff", "add", email, "--role", role)
    )
    assert found
    return found.group(1)


def click(visitor: Visitor, name: str) -> None:
    visitor.after(lambda: visitor.page.get_by_role("button", name=name).first.click())


def sign_in(visitor: Visitor, base: str, email: str, password: str) -> None:
    visitor.goto("/staff/sign-in", base)
    visitor.page.fill("#email", email)
    visitor.page.fill("#password", password)
    click(visitor, "Sign in")


def choose_password(visitor: Visitor, one_time: str) -> None:
    assert visitor.path == "/staff/password", visitor.path
    visitor.page.fill("#current_password", one_time)
    visitor.page.fill("#new_password", PASSWORD)
    visitor.page.fill("#confirm_password", PASSWORD)
    click(visitor, "Change password")


def set_up_two_factor(visitor: Visitor) -> Codes:
    codes = Codes(visitor.page.inner_text("#totp-secret").strip())
    visitor.page.fill("#code", codes.next())
    click(visitor, "Continue")
    assert visitor.page.locator("#recovery-codes li").count() == 10
    visitor.after(lambda: visitor.page.get_by_role("link", name="Continue").click())
    return codes


def clean(visitor: Visitor) -> None:
    assert visitor.violations() == {}, visitor.violations()
    assert visitor.csp_violations() == []


@pytest.fixture(scope="module")
def people(browser: Any, seeded: LiveServer) -> Iterator[dict[str, Any]]:
    """Browsers kept across the module: the admin (two-factor on) and the analyst they invite."""
    made: dict[str, Any] = {"contexts": []}
    yield made
    for context in made["contexts"]:
        context.close()


def new_visitor(browser: Any, people: dict[str, Any], **options: Any) -> Visitor:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, **options)
    context.set_default_timeout(60_000)
    people["contexts"].append(context)
    return Visitor(context.new_page())


def test_an_admin_invites_an_analyst_who_signs_in_with_two_factor(
    browser: Any, seeded: LiveServer, people: dict[str, Any]
) -> None:
    base = seeded.base_url
    first = new_visitor(browser, people)
    first.goto("/staff/sign-in", base)
    assert "survey staff add" in first.page.inner_text("#no-accounts")  # no account yet: says how
    one_time = one_time_password(seeded, "admin@example.org", "admin")
    admin = first
    sign_in(admin, base, "admin@example.org", one_time)
    assert admin.path == "/staff/sign-in/two-factor/set-up"  # admins must use two-factor
    set_up_two_factor(admin)
    choose_password(admin, one_time)
    assert admin.path.rstrip("/") == "/staff"

    admin.goto("/staff/accounts", base)
    admin.after(lambda: admin.page.get_by_role("link", name="Invite a member of staff").click())
    click(admin, "Create invitation link")  # nothing filled in: errors, linked from the summary
    assert "Enter their email address" in admin.page.inner_text(".govuk-error-summary")
    admin.page.fill("#email", "analyst@example.org")
    admin.page.check('input[name="role"][value="analyst"]')
    click(admin, "Create invitation link")
    link = admin.page.inner_text("#one-time-link").strip()
    clean(admin)

    analyst = new_visitor(browser, people)
    analyst.page.goto(link)
    analyst.audit()
    analyst.page.fill("#new_password", PASSWORD)
    analyst.page.fill("#confirm_password", PASSWORD)
    click(analyst, "Save password")
    assert analyst.path == "/staff/sign-in"
    sign_in(analyst, base, "analyst@example.org", PASSWORD)
    assert analyst.path.rstrip("/") == "/staff"  # optional for analysts until they turn it on
    analyst.goto("/staff/account/two-factor", base)
    codes = set_up_two_factor(analyst)
    click(analyst, "Sign out")
    sign_in(analyst, base, "analyst@example.org", PASSWORD)
    assert analyst.path == "/staff/sign-in/two-factor"
    analyst.page.fill("#code", "000000")
    click(analyst, "Continue")
    assert "The code is not right" in analyst.page.inner_text(".govuk-error-summary")
    analyst.page.fill("#code", codes.next())
    click(analyst, "Continue")
    assert analyst.path.rstrip("/") == "/staff"
    assert "analyst@example.org (analyst)" in analyst.page.inner_text("#staff-account")
    clean(analyst)
    people.update(admin=admin, analyst=analyst)

    admin.goto("/staff/audit", base)
    trail = admin.page.inner_text("main")
    for action in ("staff.invite", "staff.invite_accepted", "staff.two_factor_on"):
        assert action in trail


def key_paper_form(visitor: Visitor, base: str, entry: str, *, age: int) -> None:
    """Key form 7 of batch 2026-B1: the sex question left blank; everything else the first option."""
    page = visitor.page
    visitor.goto(f"/staff/paper/{Q}", base)
    page.check('input[name="mode"][value="paper"]')
    page.fill("#batch", "2026-B1")
    page.fill("#form_number", "7")
    page.check(f'input[name="entry"][value="{entry}"]')
    click(visitor, "Start keying in")
    for _ in range(80):
        found = STAFF_PAGE.match(visitor.path)
        if not found:
            break
        question: Question = visitor.q.questions[int(found.group(1)) - 1]
        if question.id == "sex":
            click(visitor, "Left blank on the form")
            continue
        value = (
            age if question.id == "age" else (first_option(question, visitor.rng) if question.asks else None)
        )
        for name, values in (form_data_for(question, value) if value is not None else {}).items():
            fields = page.locator(f'main [name="{name}"]')
            if fields.first.evaluate("e => e.type") in ("radio", "checkbox"):
                for code in values:
                    page.locator(f'main input[name="{name}"][value="{code}"]').check()
            else:
                fields.first.fill(values[0])
        click(visitor, "Continue")  # (the header's first button is Sign out: buttons are found by name)
    assert visitor.path == f"/staff/paper/{Q}/check", visitor.path
    assert "Left blank on the form" in page.inner_text("main")
    click(visitor, "Save this response")


def test_an_analyst_keys_a_paper_form_twice_and_resolves_the_differences(
    seeded: LiveServer, people: dict[str, Any]
) -> None:
    analyst: Visitor = people["analyst"]
    base = seeded.base_url
    key_paper_form(analyst, base, "first", age=34)
    assert "1 keyed, 0 verified" in analyst.page.inner_text("#paper-counts").replace("forms: ", "")
    checker: Visitor = people["admin"]  # a second person keys the second entry and resolves
    key_paper_form(checker, base, "second", age=43)  # blind: a misread age
    assert re.match(rf"^/staff/paper/{Q}/differences/\d+$", checker.path), checker.path
    main = checker.page.inner_text("main")
    assert "First entry: 34" in main and "Second entry: 43" in main
    checker.page.get_by_label("Second entry: 43").check()
    click(checker, "Save and mark the form verified")
    assert "1 verified" in checker.page.inner_text("#paper-counts")
    kept = [r for r in stored_responses(seeded.database_url) if r["answers"].get("age") == 43]
    assert len(kept) == 1 and "sex" not in kept[0]["answers"]
    clean(analyst)
    clean(checker)


def _report_json(visitor: Visitor, base: str, tmp_path: Path, name: str, fmt: str = "json") -> str:
    page = visitor.page
    visitor.goto(f"/staff/reports/{Q}", base)
    page.check('input[name="kind"][value="interim"]')
    page.check(f'input[name="format"][value="{fmt}"]')
    done = via_job(visitor, lambda: page.get_by_role("button", name="Make and download the report").click())
    path = tmp_path / name
    done.save_as(path)
    return path.read_text(encoding="utf-8")


def test_an_excluded_response_leaves_the_report_with_its_reason(
    seeded: LiveServer, people: dict[str, Any], tmp_path: Path
) -> None:
    analyst: Visitor = people["analyst"]
    base = seeded.base_url
    before = json.loads(_report_json(analyst, base, tmp_path, "before.json"))["headline"]["complete"]
    target = next(r["id"] for r in stored_responses(seeded.database_url) if r["status"] == "complete")
    analyst.goto(f"/staff/moderation/{Q}", base)
    analyst.page.fill("#response", str(target))
    click(analyst, "Find")
    assert analyst.path == f"/staff/moderation/{Q}/responses/{target}"
    analyst.page.check('input[name="reason"][value="spam"]')
    analyst.page.fill("#note", "Nonsense in every text box")
    click(analyst, "Leave out of reports")
    assert analyst.page.locator(f"#excluded tr[data-response='{target}']").count() == 1
    clean(analyst)
    after = json.loads(_report_json(analyst, base, tmp_path, "after.json"))["headline"]["complete"]
    assert after == before - 1
    html = _report_json(analyst, base, tmp_path, "after.html", "html")
    assert "1 complete response was left out" in html and "spam or nonsense: 1" in html


def test_a_closed_consultations_results_page_shows_findings_and_what_was_done(
    browser: Any, seeded: LiveServer, people: dict[str, Any]
) -> None:
    analyst: Visitor = people["analyst"]
    base = seeded.base_url
    page = analyst.page
    analyst.goto(f"/staff/reports/{Q}", base)  # keep a public-audience report to publish
    page.check('input[name="kind"][value="final"]')
    page.check('input[name="audience"][value="public"]')
    page.check('input[name="format"][value="json"]')
    via_job(analyst, lambda: page.get_by_role("button", name="Make and download the report").click())
    analyst.goto(f"/staff/results/{Q}", base)
    public = page.locator("#snapshots tr", has=page.locator("td[data-audience='public']"))
    analyst.after(lambda: public.get_by_role("button", name=re.compile("^Publish")).click())
    assert "Published" in public.inner_text()
    page.fill("#on-day", "2")
    page.fill("#on-month", "3")
    page.fill("#on-year", "2026")
    page.fill("#title", "New street lights in Fishermead")
    page.fill("#body", "You told us the underpasses felt unsafe at night. We have replaced 40 lights.")
    click(analyst, "Publish update")
    clean(analyst)

    admin: Visitor = people["admin"]  # the admin closes the consultation early
    admin.goto(f"/staff/questionnaires/{Q}", base)
    admin.page.check('input[name="confirm"][value="yes"]')
    click(admin, "Close now")

    resident = new_visitor(browser, people, java_script_enabled=False)
    resident.auditor = new_visitor(browser, people).page  # axe needs JavaScript: it audits a copy
    resident.goto("/", base)
    closed = resident.page.inner_text("main")
    assert "Closed" in closed
    resident.after(
        lambda: resident.page.get_by_role("link", name=re.compile("See the results")).first.click()
    )
    assert resident.path == f"/s/{Q}/results"
    main = resident.page.inner_text("main")
    assert re.search(r"\d+ people took part", main)
    assert resident.page.locator("table[id^='q-']").count() > 0
    assert "New street lights in Fishermead" in main and "2 March 2026" in main
    tables = " ".join(resident.page.locator("table[id^='q-']").all_inner_texts())
    assert "fewer than" not in tables  # hidden figures are all marked alike, never as the small ones
    assert resident.page.locator("table[id^='q-'] td").count() > 0
    clean(resident)
    with resident.page.expect_download() as download:
        resident.page.get_by_role("link", name="CSV (spreadsheet)").click()
    assert download.value.suggested_filename == f"{Q}-results.csv"
