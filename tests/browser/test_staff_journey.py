"""Staff sign in, create a partner link, download the interim report; hostile answers stay text.

The residents' free-text answers carry the published XSS payloads; every staff page, the HTML report and
the exports are checked for live markup (and formulas), and every page (and the report) is audited by axe.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Download

from harness.http_resident import HttpResident, random_answer
from harness.live_server import BIN, PROJECT_ROOT, LiveServer, server_environment
from tests.browser.two_factor import Codes, signed_up_admin
from tests.browser.visitor import Visitor
from tests.security.hostile import XSS_PAYLOADS
from tests.security.inert import live_markup

Q = "safermk-2016"
NEW_PASSWORD = "a long staff passphrase 2026"
FORMULA_START = ("=", "+", "-", "@")


def _hostile_answers(question: Any, rng: Any) -> Any:
    if question.type == "text":
        return rng.choice(XSS_PAYLOADS)
    return random_answer(question, rng)


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> LiveServer:
    """The live server with 30 complete responses whose free text is hostile, and an admin account."""
    for i in range(30):
        payload = XSS_PAYLOADS[i % len(XSS_PAYLOADS)]
        person = HttpResident([live_server.base_url], seed=900 + i, marker=f"{payload} {i}")
        person.complete(_hostile_answers)
        person.http.close()
    return live_server


@pytest.fixture(scope="module")
def admin(browser: Any, seeded: LiveServer) -> str:
    """An admin account made with `survey staff add`, signed in once with its one-time password: two-factor
    set up, the recovery codes shown, its own password chosen; every page audited by axe."""
    done = subprocess.run(
        [str(BIN / "survey"), "staff", "add", "admin@example.org", "--role", "admin"],
        cwd=PROJECT_ROOT,
        env=server_environment(seeded.database_url, seeded.instance_dir, **seeded.extra_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r"One-time password for \S+: (\S+)", done.stdout)
    assert found, done.stdout
    one_time = found.group(1)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    try:
        visitor = Visitor(context.new_page())
        visitor.goto("/staff/sign-in", seeded.base_url)
        visitor.page.fill("#email", "admin@example.org")
        visitor.page.fill("#password", one_time)
        visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
        assert visitor.path.endswith("/two-factor/set-up"), visitor.path  # admins must use two-factor
        visitor.page.fill("#code", Codes(visitor.page.inner_text("#totp-secret").strip()).next())
        visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
        visitor.after(lambda: visitor.page.get_by_role("link", name="Continue").click())
        assert visitor.path.endswith("/password"), visitor.path
        visitor.page.fill("#current_password", one_time)
        visitor.page.fill("#new_password", NEW_PASSWORD)
        visitor.page.fill("#confirm_password", NEW_PASSWORD)
        visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
        assert visitor.path.rstrip("/") == "/staff", visitor.path
        assert_page_clean(visitor)
    finally:
        context.close()
    return "admin@example.org"


@pytest.fixture
def staff(browser: Any, seeded: LiveServer, admin: str, request: pytest.FixtureRequest) -> Iterator[Visitor]:
    """A signed-in staff member: this test's own admin account, as `admin`'s first sign-in left that one
    (a sign-in takes a code, and one account's codes allow one sign-in each 30 seconds)."""
    email = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:60] + "@example.org"
    codes = signed_up_admin(seeded, email, NEW_PASSWORD)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    visitor = Visitor(context.new_page())
    visitor.goto("/staff/sign-in", seeded.base_url)
    visitor.page.fill("#email", email)
    visitor.page.fill("#password", NEW_PASSWORD)
    visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
    assert visitor.path.endswith("/two-factor"), visitor.path
    visitor.page.fill("#code", codes.next())
    visitor.after(lambda: visitor.page.locator("main form button.govuk-button").first.click())
    assert visitor.path.rstrip("/") == "/staff", visitor.path
    yield visitor
    context.close()


def assert_page_clean(visitor: Visitor) -> None:
    """The page shown has no live markup from answers, and axe found nothing on any page so far."""
    assert live_markup(visitor.page.content()) == [], visitor.path
    assert visitor.violations() == {}
    assert visitor.csp_violations() == []


def test_staff_creates_a_partner_link_that_residents_can_use(
    staff: Visitor, seeded: LiveServer, browser: Any
) -> None:
    """New link (hostile partner name and label) -> its page with the address and QR code -> it works."""
    page = staff.page
    staff.goto("/staff/channels/new", seeded.base_url)
    if page.locator("#questionnaire_id").count():
        page.select_option("#questionnaire_id", Q)
    page.fill("#partner_name", "Housing trust <script>alert(1)</script>")
    page.locator('input[name="medium"]').first.check()
    page.fill("#label", '"><img src=x onerror=alert(1)> posters')
    staff.after(lambda: page.locator("main form button.govuk-button").first.click())
    assert re.match(r"^/staff/channels/[A-Za-z0-9-]+$", staff.path), staff.path
    assert "Housing trust <script>alert(1)</script>" in page.inner_text("main")
    assert_page_clean(staff)
    link = page.locator("#short-url").get_attribute("href") or ""
    assert re.search(r"/c/[A-Za-z0-9-]+$", link), f"the channel page shows no short address: {link!r}"
    code = link.rsplit("/", 1)[1]

    resident = browser.new_context()
    try:
        resident_page = resident.new_page()
        resident_page.goto(seeded.url(f"/c/{code}"))
        assert resident_page.url.startswith(seeded.url(f"/s/{Q}")), resident_page.url
        assert resident_page.locator('input[name="c"]').input_value() == code
    finally:
        resident.close()


def test_staff_downloads_the_interim_report_and_exports(
    staff: Visitor, seeded: LiveServer, tmp_path: Path
) -> None:
    """Interim report (HTML: axe-clean, charts with text alternatives, payloads inert), XLSX and CSV safe."""
    page = staff.page
    staff.goto(f"/staff/reports/{Q}", seeded.base_url)
    page.check('input[name="kind"][value="interim"]')
    page.check('input[name="format"][value="html"]')
    html_download = via_job(staff, page.get_by_role("button", name="Make and download the report").click)
    report_path = tmp_path / "report.html"
    html_download.save_as(report_path)
    report = report_path.read_text(encoding="utf-8")
    assert live_markup(report) == []
    for payload in ("<script>alert(1)</script>", "<svg/onload=alert(1)>"):
        assert payload not in report

    charts = re.findall(r"<(img|svg)\b[^>]*>", report)
    assert charts, "the interim report has no charts"
    for tag in re.findall(r"<img\b[^>]*>", report):
        alt = re.search(r'\balt="([^"]*)"', tag)
        assert alt and alt.group(1).strip(), f"chart without a text alternative: {tag[:120]}"
    for tag in re.findall(r"<svg\b[^>]*>", report):
        assert "aria-label" in tag or "aria-labelledby" in tag or 'aria-hidden="true"' in tag, tag[:120]

    auditor = page.context.new_page()
    auditor.route(
        "**/__report__", lambda route: route.fulfill(status=200, content_type="text/html", body=report)
    )
    auditor.goto(seeded.url("/__report__"))
    report_visitor = Visitor(auditor)
    report_visitor.audit()
    assert report_visitor.violations() == {}, json.dumps(report_visitor.violations(), indent=1)
    title = auditor.title()
    assert title and "interim" in title.lower(), title
    auditor.close()

    staff.goto(f"/staff/reports/{Q}", seeded.base_url)
    page.check('input[name="format"][value="xlsx"]')
    xlsx_download = via_job(staff, page.get_by_role("button", name="Make and download the report").click)
    xlsx_path = tmp_path / "report.xlsx"
    xlsx_download.save_as(xlsx_path)
    assert formulas_in_xlsx(xlsx_path) == []

    staff.goto(f"/staff/reports/{Q}", seeded.base_url)
    export = page.locator('input[name="export_format"][value="csv"]')
    if export.count():
        export.check()
        csv_download = via_job(staff, page.locator('form[action$="/export"] button').first.click)
        data = Path(csv_download.path()).read_bytes()
        assert formula_cells(data.decode("utf-8-sig")) == []
    assert_page_clean(staff)


def via_job(staff: Visitor, ask: Callable[[], None]) -> Download:
    """Ask for a report or export, follow its job's progress page (it reloads itself), download the file."""
    page = staff.page
    ask()
    page.wait_for_url(re.compile(r"/staff/jobs/\d+$"))
    link = page.get_by_role("link", name=re.compile(r"^Download "))
    link.wait_for(timeout=240_000)
    with page.expect_download() as download:
        link.click()
    return download.value


def formulas_in_xlsx(path: Path) -> list[str]:
    """Cells of a workbook that a spreadsheet would run as formulas."""
    from openpyxl import load_workbook

    found = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                    found.append(f"{sheet.title}!{cell.coordinate}: {str(cell.value)[:60]}")
    return found


def formula_cells(text: str) -> list[str]:
    """CSV fields that start like a formula (CSV injection) instead of being neutralised."""
    return [
        f"row {n}: {value[:60]}"
        for n, row in enumerate(csv.reader(io.StringIO(text)), 1)
        for value in row
        if value.startswith(FORMULA_START) and not _number(value)
    ]


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


STAFF_PAGES = [
    "/staff/",
    "/staff/dashboard",
    f"/staff/dashboard/{Q}",
    "/staff/channels",
    "/staff/reports",
    "/staff/questionnaires",
    f"/staff/questionnaires/{Q}",
    "/staff/themes",
    f"/staff/themes/{Q}/concerns_text",
    f"/staff/themes/{Q}/closing_text",
    f"/staff/themes/{Q}/codebook",
    "/staff/audit",
    "/staff/accounts",
    "/staff/paper",
    "/staff/moderation",
    f"/staff/moderation/{Q}",
    f"/staff/moderation/{Q}/responses/1",
    "/staff/results",
    f"/staff/results/{Q}",
    "/staff/retention",
    "/staff/partner",
    "/staff/accounts/invite",
    "/staff/account/two-factor",
    f"/staff/paper/{Q}/differences",
]


def test_every_staff_page_is_accessible_titled_and_shows_answers_as_text(
    staff: Visitor, seeded: LiveServer
) -> None:
    """Each staff page: axe-clean, a title of its own, no payload turned into markup."""
    for path in STAFF_PAGES:
        staff.goto(path, seeded.base_url)
        assert live_markup(staff.page.content()) == [], path
    statuses = {v.path for v in staff.visits}
    assert statuses >= set(STAFF_PAGES), statuses
    titles = {v.path: v.title for v in staff.visits if v.path in STAFF_PAGES}
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert repeated == set(), {p: t for p, t in titles.items() if t in repeated}
    assert staff.violations() == {}
    assert staff.csp_violations() == []


def test_zip_export_has_a_dictionary_and_no_formulas(staff: Visitor, seeded: LiveServer) -> None:
    """The CSV-with-dictionary export: every CSV inside is free of formula-like fields."""
    page = staff.page
    staff.goto(f"/staff/reports/{Q}", seeded.base_url)
    option = page.locator('input[name="export_format"][value="zip"]')
    assert option.count() == 1, "no ZIP export offered"
    option.check()
    download = via_job(staff, page.locator('form[action$="/export"] button').first.click)
    with zipfile.ZipFile(download.path()) as archive:
        names = archive.namelist()
        assert any(n.endswith(".csv") for n in names), names
        for name in names:
            if name.endswith(".csv"):
                assert formula_cells(archive.read(name).decode("utf-8-sig")) == [], name


def test_staff_download_a_spreadsheet_upload_it_preview_and_see_located_errors(
    staff: Visitor, seeded: LiveServer, tmp_path: Path
) -> None:
    """XLSX: download, upload (check page), preview as a resident, and a broken workbook located."""
    from openpyxl import load_workbook

    page = staff.page
    staff.goto(f"/staff/questionnaires/{Q}", seeded.base_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 1.0.0 as a spreadsheet (.xlsx)").click()
    workbook = tmp_path / "q.xlsx"
    download.value.save_as(workbook)
    staff.goto("/staff/questionnaires/publish-spreadsheet", seeded.base_url)
    page.set_input_files("#workbook", str(workbook))
    staff.after(lambda: page.get_by_role("button", name="Check the spreadsheet").click())
    assert "Check and publish safermk-2016" in page.inner_text("h1")
    assert "No questions, options or routing change." in page.inner_text("main")
    staff.after(lambda: page.get_by_role("button", name="Preview as a resident").click())
    assert "nothing you enter here is stored" in page.inner_text("main")
    page.locator('input[name="answer"][value="resident"]').check()
    staff.after(lambda: page.get_by_role("button", name="Continue").click())
    assert "Which ward do you live in?" in page.inner_text("main")
    book = load_workbook(workbook)
    book["survey"]["H4"] = "respondent_type = resident"
    book.save(workbook)
    staff.goto("/staff/questionnaires/publish-spreadsheet", seeded.base_url)
    page.set_input_files("#workbook", str(workbook))
    staff.after(lambda: page.get_by_role("button", name="Check the spreadsheet").click())
    assert "put text values in quotes: 'resident'" in page.inner_text("#problems + table")
    assert staff.violations() == {}
    assert staff.csp_violations() == []
