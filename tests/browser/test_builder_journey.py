"""Build a branching questionnaire in the browser from nothing, see a problem next to its field, fix it,
preview both paths, publish, and a resident completes it: with JavaScript and without; axe on every page.

Two sections, four question types (single choice, free text, number, information page), one condition,
a Welsh translation. Every page the member of staff and the resident see is audited by axe-core.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from harness.live_server import BIN, PROJECT_ROOT, LiveServer, server_environment
from tests.browser.two_factor import Codes, signed_up_admin
from tests.browser.visitor import Visitor

PASSWORD = "seven green kettles sing at dawn"


@pytest.fixture(scope="module")
def admin(browser: Any, live_server: LiveServer) -> str:
    """An admin account made with `survey staff add`, signed in once with its one-time password: two-factor
    set up, the recovery codes shown, its own password chosen; every page audited by axe."""
    done = subprocess.run(
        [str(BIN / "survey"), "staff", "add", "builder@example.org", "--role", "admin"],
        cwd=PROJECT_ROOT,
        env=server_environment(live_server.database_url, live_server.instance_dir, **live_server.extra_env),
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
        staff = Visitor(context.new_page())
        page = staff.page
        staff.goto("/staff/sign-in", live_server.base_url)
        page.fill("#email", "builder@example.org")
        page.fill("#password", one_time)
        staff.after(lambda: page.locator("main form button.govuk-button").first.click())
        assert staff.path.endswith("/two-factor/set-up"), staff.path  # admins must use two-factor
        page.fill("#code", Codes(page.inner_text("#totp-secret").strip()).next())
        staff.after(lambda: page.locator("main form button.govuk-button").first.click())
        staff.after(lambda: page.get_by_role("link", name="Continue").click())
        assert staff.path.endswith("/password"), staff.path
        page.fill("#current_password", one_time)
        page.fill("#new_password", PASSWORD)
        page.fill("#confirm_password", PASSWORD)
        staff.after(lambda: page.locator("main form button.govuk-button").first.click())
        assert staff.path.rstrip("/") == "/staff", page.inner_text("main")
        assert staff.violations() == {}
        assert staff.csp_violations() == []
    finally:
        context.close()
    return "builder@example.org"


@pytest.fixture
def account(live_server: LiveServer, admin: str, request: pytest.FixtureRequest) -> tuple[str, Codes]:
    """This test's own admin account, as `admin`'s first sign-in left that one (email, authenticator): a
    sign-in takes a code, and one account's codes allow one sign-in each 30 seconds."""
    email = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:60] + "@example.org"
    return email, signed_up_admin(live_server, email, PASSWORD)


@pytest.fixture
def contexts(browser: Any) -> Iterator[Any]:
    made: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        context.set_default_timeout(60_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def signed_in(contexts: Any, javascript: bool, server: LiveServer, account: tuple[str, Codes]) -> Visitor:
    """Sign in with the password and a two-factor code (JavaScript on or off), at the staff home page."""
    auditor = None if javascript else contexts().new_page()
    staff = Visitor(contexts(java_script_enabled=javascript).new_page(), auditor=auditor)
    page = staff.page
    staff.goto("/staff/sign-in", server.base_url)
    page.fill("#email", account[0])
    page.fill("#password", PASSWORD)
    staff.after(lambda: page.locator("main form button.govuk-button").first.click())
    assert staff.path.endswith("/two-factor"), staff.path
    page.fill("#code", account[1].next())
    staff.after(lambda: page.locator("main form button.govuk-button").first.click())
    assert staff.path.rstrip("/") == "/staff", page.inner_text("main")
    return staff


def click(visitor: Visitor, role: str, name: str) -> None:
    visitor.after(lambda: visitor.page.get_by_role(role, name=name, exact=True).first.click())  # type: ignore[arg-type]


def error_at(visitor: Visitor, field_id: str) -> str:
    """The GOV.UK error message in the form group of the field `field_id`."""
    group = visitor.page.locator(f".govuk-form-group:has(#{field_id})").first
    message = group.locator(".govuk-error-message")
    return message.inner_text() if message.count() else ""


def add_question(staff: Visitor, section_number: int, qtype_label: str, text: str) -> None:
    click(staff, "link", f"Add a question to section {section_number}")
    staff.page.get_by_label(qtype_label).check()
    staff.page.fill("#text", text)
    click(staff, "button", "Add the question")


def add_options(staff: Visitor, labels: list[str]) -> None:
    click(staff, "link", "Add, move or remove options")
    for label in labels:
        staff.page.fill("#label", label)
        click(staff, "button", "Add")
    click(staff, "link", "Done: back to the question")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_build_check_preview_publish_and_answer(
    contexts: Any, live_server: LiveServer, account: tuple[str, Codes], javascript: bool
) -> None:
    qid = "built-with-js" if javascript else "built-without-js"
    staff = signed_in(contexts, javascript, live_server, account)
    page = staff.page
    staff.goto("/staff/builder/new", live_server.base_url)
    page.fill("#qid", qid)
    page.fill("#title", "Feeling safe")
    click(staff, "button", "Create the draft")
    assert "(EMPTY_SECTION)" in page.inner_text("#problems")
    assert "paths are worked out once the problems above are fixed" in page.inner_text("#path-summary")

    # Section 1: a single-choice question with options, then an information page.
    add_question(staff, 1, "Choose one option (radios)", "Have you been a victim of crime?")
    add_options(staff, ["Yes", "No"])
    staff.goto(f"/staff/builder/{staff.path.split('/')[3]}", live_server.base_url)
    draft = staff.path
    add_question(staff, 1, "Information or interruption page (no answer)", "Thank you")
    page.get_by_label("Interruption (a pause, with care)").check()
    page.fill("#body", "The next questions ask about what happened.")
    click(staff, "button", "Save question")

    # Section 2: free text shown only to victims, and a number with bounds the wrong way round.
    staff.goto(draft, live_server.base_url)
    click(staff, "link", "Add a section")
    page.fill("#title", "About you")
    click(staff, "button", "Save section")
    add_question(staff, 2, "Free text", "What happened?")
    click(staff, "link", "Change when this question is shown")
    page.select_option("#question", "have_you_been_a_victim_of_crime")
    click(staff, "button", "Continue")
    page.get_by_label("is", exact=True).check()
    page.select_option("#value", "yes")
    click(staff, "button", "Add the rule")
    assert "Shown when ‘Have you been a victim of crime?’ is ‘Yes’" in page.inner_text("#condition-words")
    staff.goto(draft, live_server.base_url)
    add_question(staff, 2, "A whole number", "How old are you?")
    page.fill("#min", "120")
    page.fill("#max", "16")
    click(staff, "button", "Save question")
    assert "(BAD_BOUNDS)" in error_at(staff, "min")  # the problem, next to its field
    assert page.locator(".govuk-error-summary").is_visible()
    page.fill("#min", "16")
    page.fill("#max", "120")
    click(staff, "button", "Save question")
    assert error_at(staff, "min") == ""

    # Welsh, side by side: the missing ones are listed, then none.
    staff.goto(f"{draft}/translations", live_server.base_url)
    page.fill("#add-language", "cy")
    click(staff, "button", "Add the language")
    assert "Missing in cy: 0" not in page.inner_text("#missing")
    for area in page.locator("form textarea").all():
        area.fill("Cymraeg: " + (area.get_attribute("name") or ""))
    click(staff, "button", "Save translations")
    assert "Missing in cy: 0" in page.inner_text("#missing")

    staff.goto(draft, live_server.base_url)
    assert "find no problems" in page.inner_text("#problems")
    assert "Residents are asked 2 to 3 questions" in page.inner_text("#path-summary")

    # Preview both paths: Yes leads to What happened?, No skips it.
    for answer, next_heading in (("yes", "What happened?"), ("no", "How old are you?")):
        staff.goto(draft, live_server.base_url)
        click(staff, "button", "Preview as a resident")
        assert "nothing you enter here is stored" in page.inner_text("main")
        page.locator(f'input[value="{answer}"]').check()
        click(staff, "button", "Continue")
        click(staff, "button", "Continue")  # the interruption page
        assert next_heading in page.inner_text("main")

    # Publish with the suggested version.
    staff.goto(draft, live_server.base_url)
    click(staff, "link", "Check and publish")
    assert page.input_value("#version") == "0.1.0"
    assert "A new questionnaire" in page.inner_text("main")
    click(staff, "button", "Publish this version")
    assert staff.path == f"/staff/questionnaires/{qid}"
    assert staff.violations() == {}
    assert staff.csp_violations() == []

    # A resident completes it (the same JavaScript setting).
    auditor = None if javascript else contexts().new_page()
    resident = Visitor(contexts(java_script_enabled=javascript).new_page(), auditor=auditor)
    resident.goto(f"/s/{qid}", live_server.base_url)
    assert "Feeling safe" in resident.page.inner_text("main")
    click(resident, "button", "Start now")
    resident.page.locator('input[value="yes"]').check()
    click(resident, "button", "Continue")
    click(resident, "button", "Continue")
    resident.page.fill("textarea, input[type=text]", "My bike was stolen.")
    click(resident, "button", "Continue")
    resident.page.fill('input[name="answer"]', "44")
    click(resident, "button", "Continue")
    assert resident.path == f"/s/{qid}/check"
    click(resident, "button", "Send your answers")
    assert resident.path == f"/s/{qid}/done"
    assert resident.violations() == {}


def copy_of_tenant_survey(staff: Visitor, server: LiveServer, qid: str) -> str:
    """A new draft copying the bundled tenant survey (four sections); returns the overview's path."""
    staff.goto("/staff/builder/new", server.base_url)
    staff.page.fill("#qid", qid)
    staff.page.fill("#title", "Tenant survey copy")
    staff.page.get_by_label("A copy of a bundled questionnaire").check()
    staff.page.select_option("#template", "tenant-satisfaction")
    click(staff, "button", "Create the draft")
    return staff.path


def order(visitor: Visitor, scope: str, key: str) -> list[str]:
    found: list[str] = visitor.page.eval_on_selector_all(
        f"{scope} [data-{key}]", f"els => els.map(e => e.dataset.{key})"
    )
    return found


def drag(visitor: Visitor, source: str, target: str) -> None:
    """Drag `source` to the top edge of `target` with the mouse (HTML drag and drop); wait for the page the
    drop posts. Step by step: Playwright's drag_to scrolls to the target before the drag starts, so on a long
    page the drag would start from whatever is under the pointer there."""
    page = visitor.page

    def steps() -> None:
        start = page.locator(source)
        start.hover(position={"x": 5, "y": 10})
        page.mouse.down()
        box = start.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 12, box["y"] + 20)  # the drag starts here, on the source
        end = page.locator(target)
        end.hover(position={"x": 30, "y": 3}, force=True)
        box = end.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 31, box["y"] + 4)
        page.mouse.up()

    visitor.after(steps)


def test_reorder_by_drag_and_by_buttons_with_javascript(
    contexts: Any, live_server: LiveServer, account: tuple[str, Codes]
) -> None:
    """Drag a question into another section and a section to the top; Up/Down keep focus on the button."""
    staff = signed_in(contexts, True, live_server, account)
    page = staff.page
    draft = copy_of_tenant_survey(staff, live_server, "reorder-with-js")
    assert "You can also drag a section by its heading" in page.inner_text("form[data-reorder]")
    assert order(staff, "[data-section=home_and_repairs]", "question")[:2] == ["overall", "repair_had"]

    assert page.locator("tr#improve").get_attribute("draggable") == "true"
    drag(staff, "tr#improve", "tr#overall")
    assert staff.path == draft
    assert order(staff, "[data-section=home_and_repairs]", "question")[:2] == ["improve", "overall"]
    assert "improve" not in order(staff, "[data-section=neighbourhood]", "question")

    drag(staff, "h2#about_you", "h2#home_and_repairs")
    assert order(staff, "form[data-reorder]", "section")[:2] == ["about_you", "home_and_repairs"]

    staff.after(lambda: page.locator('button[value="question-down:improve"]').click())
    assert order(staff, "[data-section=home_and_repairs]", "question")[:2] == ["overall", "improve"]
    # Focus comes back to the button pressed (just after the load), and the new place is read out.
    page.wait_for_function("document.querySelector('[data-reorder-status]').textContent !== ''")
    assert staff.focused_matches('button[value="question-down:improve"]')
    assert page.inner_text("[data-reorder-status]").endswith(": it is now question 2 of section 2.")
    assert staff.violations() == {}
    assert staff.csp_violations() == []
    assert staff.console_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_remove_after_asking_and_census_ranges(
    contexts: Any, live_server: LiveServer, account: tuple[str, Codes], javascript: bool
) -> None:
    """A removal asks first and names the condition left broken; a number question's ranges are checked."""
    staff = signed_in(contexts, javascript, live_server, account)
    page = staff.page
    draft = copy_of_tenant_survey(staff, live_server, f"remove-{'js' if javascript else 'no-js'}")
    click(staff, "button", "Remove complaint_made")
    assert page.inner_text("h1").startswith("Are you sure you want to remove the question")
    assert "is shown: it looks at the answer to it" in page.inner_text("#dependents")
    click(staff, "button", "Continue")  # nothing chosen: an error at the radios
    assert "Select yes if you want to remove the question" in error_at(staff, "confirm")
    page.get_by_label("Yes", exact=True).check()
    click(staff, "button", "Continue")
    assert staff.path == draft
    assert "(UNKNOWN_QUESTION)" in page.inner_text("#problems")
    assert page.locator("tr#complaint_made").count() == 0

    staff.goto(f"{draft}/demographics", live_server.base_url)
    click(staff, "link", "age → age_adult16plus")
    assert page.input_value("#r0_low") == "16" and page.input_value("#r4_high") == ""
    page.fill("#r1_low", "20")
    click(staff, "button", "Save the mapping")
    assert "overlap: 20 to 24 would count in both" in error_at(staff, "r1_low")
    page.fill("#r1_low", "25")
    click(staff, "button", "Save the mapping")
    assert staff.path == f"{draft}/demographics"
    assert "16 to 24: 16-24" in page.inner_text("main")
    for choice in ("No", "Yes"):  # removing the mapping asks first too; "No" keeps it
        click(staff, "button", "Remove the mapping of age onto age_adult16plus")
        assert page.inner_text("h1").startswith("Are you sure you want to remove the census mapping of")
        page.get_by_label(choice, exact=True).check()
        click(staff, "button", "Continue")
        assert staff.path == f"{draft}/demographics"
        assert ("age → age_adult16plus" in page.inner_text("main")) is (choice == "No")
    assert staff.violations() == {}
    assert staff.csp_violations() == []


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_change_an_id_an_option_and_a_support_contact(
    contexts: Any, live_server: LiveServer, account: tuple[str, Codes], javascript: bool
) -> None:
    """Change the id of a question a condition uses (the condition follows: preview takes both paths), reword
    an option (its code stays), change a support contact; then, in a draft of the published version, the id
    change asks for a tick first. Every page audited by axe."""
    qid = "change-js" if javascript else "change-no-js"
    staff = signed_in(contexts, javascript, live_server, account)
    page = staff.page
    staff.goto("/staff/builder/new", live_server.base_url)
    page.fill("#qid", qid)
    page.fill("#title", "Changing things")
    click(staff, "button", "Create the draft")
    draft = staff.path
    add_question(staff, 1, "Choose one option (radios)", "Have you been a victim of crime?")
    add_options(staff, ["Yes", "No"])
    staff.goto(draft, live_server.base_url)
    add_question(staff, 1, "Free text", "What happened?")
    click(staff, "link", "Change when this question is shown")
    page.select_option("#question", "have_you_been_a_victim_of_crime")
    click(staff, "button", "Continue")
    page.get_by_label("is", exact=True).check()
    page.select_option("#value", "yes")
    click(staff, "button", "Add the rule")
    staff.goto(draft, live_server.base_url)
    add_question(staff, 1, "Free text", "Anything else?")

    # The id: a refused one is said at the box (the summary links there), then a good one.
    staff.goto(f"{draft}/questions/have_you_been_a_victim_of_crime", live_server.base_url)
    click(staff, "link", "change the id of question have_you_been_a_victim_of_crime")
    page.fill("#new_id", "what_happened")
    click(staff, "button", "Change the id")
    assert "already used in this questionnaire" in error_at(staff, "new_id")
    assert page.locator(".govuk-error-summary a[href='#new_id']").count() == 1
    assert page.title().startswith("Error: ")
    page.fill("#new_id", "victim_any")
    click(staff, "button", "Change the id")
    assert staff.path == f"{draft}/questions/victim_any"
    banner = page.inner_text(".govuk-notification-banner")  # above <main>, as every staff page's messages
    assert "changed from have_you_been_a_victim_of_crime to victim_any; updated 1 condition" in banner

    # An option reworded: its code stays.
    click(staff, "link", "Add, move or remove options")
    click(staff, "button", "Change yes")
    assert page.input_value("#label") == "Yes"
    page.fill("#label", "")
    click(staff, "button", "Save")
    assert "Enter the words" in error_at(staff, "label")
    page.fill("#label", "Yes, in the last year")
    click(staff, "button", "Save")
    assert "Yes, in the last year" in page.inner_text("table")

    # A support contact changed.
    staff.goto(f"{draft}/support", live_server.base_url)
    page.fill("#name", "Victim Support")
    page.fill("#phone", "0808 168 9111")
    click(staff, "button", "Add the contact")
    click(staff, "button", "Change Victim Support")
    page.fill("#phone", "")
    click(staff, "button", "Save the contact")
    assert "Enter a phone number or a website" in error_at(staff, "phone")
    page.fill("#name", "Victim Support Wales")
    page.fill("#url", "https://www.victimsupport.org.uk")
    click(staff, "button", "Save the contact")
    assert "Victim Support Wales, https://www.victimsupport.org.uk" in page.inner_text("#contacts")

    # The condition still works under the new id: both paths in preview, the new words shown.
    staff.goto(draft, live_server.base_url)
    assert "find no problems" in page.inner_text("#problems")
    for answer, next_heading in (("yes", "What happened?"), ("no", "Anything else?")):
        staff.goto(draft, live_server.base_url)
        click(staff, "button", "Preview as a resident")
        assert "Yes, in the last year" in page.inner_text("main")
        page.locator(f'input[value="{answer}"]').check()
        click(staff, "button", "Continue")
        assert next_heading in page.inner_text("h1, legend, label")

    # Published, then a new draft of it: changing an id that version uses asks for a tick first.
    staff.goto(draft, live_server.base_url)
    click(staff, "link", "Check and publish")
    click(staff, "button", "Publish this version")
    click(staff, "button", "Change it in the builder (a new draft from version 0.1.0)")
    second = staff.path
    staff.goto(f"{second}/questions/what_happened/id", live_server.base_url)
    assert "Published version 0.1.0 uses the id what_happened" in page.inner_text("#published")
    page.fill("#new_id", "what_took_place")
    click(staff, "button", "Change the id")
    assert "tick the box" in error_at(staff, "understood")
    assert page.locator(".govuk-error-summary a[href='#understood']").count() == 1
    page.get_by_label("I understand that results under the old id").check()
    click(staff, "button", "Change the id")
    assert staff.path == f"{second}/questions/what_took_place"
    assert staff.violations() == {}
    assert staff.csp_violations() == []
    # a page showing errors answers 400, which Chromium logs; nothing else may be logged
    assert [e for e in staff.console_errors if "status of 400 (BAD REQUEST)" not in e] == []
