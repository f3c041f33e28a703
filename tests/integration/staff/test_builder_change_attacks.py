"""Issue 15 review: the pages that change a question's id, an option's words and a support contact, attacked:
no CSRF token, the wrong role or no sign-in, hostile text (HTML, formulas, bidirectional controls), ids that
are paths or JavaScript names, an id a rating item has; and an id that a published version used."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from analysis.export.responses import META
from survey.engine.semantic import RESERVED_QUESTION_IDS
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of, soup
from tests.integration.staff.test_builder import (
    QID,
    build_branching,
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)
from tests.integration.staff.test_builder_change import set_definition

VICTIM = "have_you_been_a_victim_of_crime"


def routes(draft_id: int) -> dict[str, dict[str, str]]:
    """Each new page's address and a valid form for it (the contact's `seen` is filled in by `fill`)."""
    base = f"/staff/builder/{draft_id}"
    return {  # the id last: the option's address names the question by its id
        f"{base}/questions/{VICTIM}/options/yes/change": {"label": "Yes, recently"},
        f"{base}/support/0/change": {"name": "Samaritans", "phone": "116 123"},
        f"{base}/questions/{VICTIM}/id": {"new_id": "victim_any"},
    }


def with_contact(admin: FlaskClient) -> int:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    post(admin, f"/staff/builder/{draft_id}/support", {"name": "Victim Support", "phone": "0808 168 9111"})
    return draft_id


def fill(client: FlaskClient, url: str, data: dict[str, str]) -> dict[str, str]:
    if url.endswith("/support/0/change"):
        seen = soup(client.get(url)).find("input", attrs={"name": "seen"})
        return {**data, "seen": str(seen["value"])}
    return data


def test_no_csrf_token_changes_nothing(admin: FlaskClient, app: Flask) -> None:
    draft_id = with_contact(admin)
    before = draft_of(app, draft_id)
    for url, data in routes(draft_id).items():
        refused = admin.post(url, data=fill(admin, url, data))  # no csrf_token
        assert refused.status_code == 400, url
        assert "Traceback" not in refused.get_data(as_text=True)
        wrong = admin.post(url, data={**fill(admin, url, data), "csrf_token": "forged"})
        assert wrong.status_code == 400, url
    assert draft_of(app, draft_id) == before


def test_partners_and_strangers_are_refused_and_analysts_may_draft(
    admin: FlaskClient, staff_client: Callable[..., FlaskClient], app: Flask
) -> None:
    draft_id = with_contact(admin)
    before = draft_of(app, draft_id)
    partner = staff_client("partner")
    stranger = app.test_client()
    for url, data in routes(draft_id).items():
        assert partner.get(url).status_code == 403, url
        token = soup(partner.get("/staff", follow_redirects=True)).find("input", attrs={"name": "csrf_token"})
        assert partner.post(url, data={**data, "csrf_token": str(token["value"])}).status_code == 403, url
        away = stranger.get(url)
        assert away.status_code == 302 and "/staff/sign-in" in away.headers["Location"], url
        assert stranger.post(url, data=data).status_code in (302, 400), url
    assert draft_of(app, draft_id) == before
    analyst = staff_client("analyst")
    for url, data in routes(draft_id).items():
        done = post(analyst, url, fill(analyst, url, data))
        assert done.status_code == 302, (url, words(done))
    after = draft_of(app, draft_id)
    assert after["sections"][0]["questions"][0]["id"] == "victim_any"
    assert after["sections"][0]["questions"][0]["options"][0]["label"] == "Yes, recently"
    assert after["support_contacts"] == [{"name": "Samaritans", "phone": "116 123"}]


@pytest.mark.parametrize(
    "typed",
    ["../x", "__proto__", "x/y", "<script>", "victim any", "ΑΒΓ", "\u202e", "=1+1", "how_safe_in_the_day"],
)
def test_hostile_ids_are_refused_at_the_box(admin: FlaskClient, app: Flask, typed: str) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "rating", "text": "How safe"})
    post(admin, f"{base}/questions/how_safe/items", {"label": "In the day", "code": "how_safe_in_the_day"})
    assert "how_safe_in_the_day" in str(draft_of(app, draft_id))
    before = draft_of(app, draft_id)
    refused = post(admin, f"{base}/questions/{VICTIM}/id", {"new_id": typed})
    assert refused.status_code == 400, typed
    assert field_error(refused, "new_id").startswith("Error: "), typed
    assert "<script>" not in refused.get_data(as_text=True)
    assert draft_of(app, draft_id) == before


def test_a_path_or_unknown_question_in_the_address_is_not_found(admin: FlaskClient) -> None:
    draft_id = with_contact(admin)
    base = f"/staff/builder/{draft_id}"
    for url in (
        f"{base}/questions/..%2Fx/id",
        f"{base}/questions/__proto__/id",
        f"{base}/questions/{VICTIM}/options/__proto__/change",
        f"{base}/questions/{VICTIM}/constructor/yes/change",
        f"{base}/support/99999999999999999999/change",
        "/staff/builder/999999/questions/x/id",
    ):
        assert admin.get(url).status_code == 404, url


def test_hostile_words_are_stored_as_text_and_shown_escaped(admin: FlaskClient, app: Flask) -> None:
    draft_id = with_contact(admin)
    base = f"/staff/builder/{draft_id}"
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    formula = '=HYPERLINK("https://evil.example","Yes")'
    done = post(admin, f"{base}/questions/{VICTIM}/options/yes/change", {"label": formula})
    assert done.status_code == 302
    done = post(admin, f"{base}/questions/{VICTIM}/options/no/change", {"label": script})
    assert done.status_code == 302
    url = f"{base}/support/0/change"
    contact = fill(admin, url, {"name": script, "phone": "\u202e1119 861 8080", "hours": formula})
    assert post(admin, url, contact).status_code == 302
    stored = draft_of(app, draft_id)
    options = stored["sections"][0]["questions"][0]["options"]
    assert options[0]["label"] == formula and options[1]["label"] == script
    assert stored["support_contacts"][0]["phone"] == "1119 861 8080"  # the override removed
    for page in (f"{base}/questions/{VICTIM}/options", f"{base}/support", base, f"{base}/support/0/change"):
        html = admin.get(page).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, page
    javascript = fill(admin, url, {"name": "Help", "url": "javascript:alert(1)"})
    refused = post(admin, url, javascript)
    assert refused.status_code == 400
    assert "Enter an address starting https://" in field_error(refused, "url")


def draft_of_published(admin: FlaskClient, app: Flask) -> int:
    """Version 1.0 of the branching questionnaire published, and a new draft of it."""
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    assert post(admin, f"/staff/builder/{draft_id}/publish", {"version": "1.0"}).status_code == 302
    token = csrf_of(admin.get(f"/staff/questionnaires/{QID}"))
    again = admin.post(f"/staff/builder/from/{QID}", data={"csrf_token": token})
    return int(again.headers["Location"].rsplit("/", 1)[1])


def test_a_bad_id_and_a_missing_tick_are_said_together(admin: FlaskClient, app: Flask) -> None:
    second = draft_of_published(admin, app)
    before = draft_of(app, second)
    refused = post(admin, f"/staff/builder/{second}/questions/what_happened/id", {"new_id": "What?"})
    assert refused.status_code == 400
    assert "starts with a lower-case letter" in field_error(refused, "new_id")
    assert "tick the box" in field_error(refused, "understood")
    links = [a["href"] for a in soup(refused).select(".govuk-error-summary a")]
    assert links == ["#new_id", "#understood"]
    assert draft_of(app, second) == before


def test_an_id_an_earlier_version_gave_another_question_asks_first(admin: FlaskClient, app: Flask) -> None:
    """Answers are stored by question id: taking a published question's id joins its answers with these."""
    second = draft_of_published(admin, app)
    base = f"/staff/builder/{second}"
    definition = draft_of(app, second)
    definition["sections"][1]["questions"].pop()  # how_old_are_you removed in the new draft
    set_definition(app, second, definition)
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "text", "text": "Where"})
    url = f"{base}/questions/where/id"
    page = admin.get(url)
    assert soup(page).find(id="published") is None and soup(page).find(id="understood") is None
    refused = post(admin, url, {"new_id": "how_old_are_you"})
    assert refused.status_code == 400
    message = field_error(refused, "new_id")
    assert "Published version 1.0 has another question with the id how_old_are_you" in message
    assert "its answers would be counted with this question's" in message
    box = soup(refused).find(id="understood")
    assert box is not None
    label = " ".join(soup(refused).find("label", attrs={"for": "understood"}).get_text(" ").split())
    assert label == (
        "I understand that answers to question how_old_are_you of version 1.0 will be counted with this "
        "question's"
    )
    assert "where" in str(draft_of(app, second))
    done = post(admin, url, {"new_id": "how_old_are_you", "understood": "y"})
    assert done.status_code == 302
    assert draft_of(app, second)["sections"][0]["questions"][-1]["id"] == "how_old_are_you"
    with Session(get_engine(app)) as session:
        event = next(e for e in session.exec(select(AuditEvent)).all() if e.action == "draft.rename")
    assert event.details["published_new_id"] == ["1.0"] and event.details["published"] == []


def test_question_types_are_named_in_words_not_the_format_s_codes(admin: FlaskClient) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    caption = soup(admin.get(f"{base}/questions/{VICTIM}")).select_one("h1 .govuk-caption-m")
    assert caption is not None and caption.get_text() == "Choose one option (radios)"
    types = [row.select("td")[1].get_text() for row in soup(admin.get(base)).select("tr[data-question]")]
    assert types == ["Choose one option (radios)", "Free text", "A whole number"]


def test_the_change_pages_name_what_they_change_in_words(admin: FlaskClient) -> None:
    draft_id = with_contact(admin)
    base = f"/staff/builder/{draft_id}"
    option = soup(admin.get(f"{base}/questions/{VICTIM}/options/yes/change"))
    assert option.h1.get_text() == "Change the words of option ‘Yes’"
    assert "Question: Have you been a victim of crime?" in option.get_text(" ")
    assert option.title.get_text().startswith("Change the words of option yes")
    refused = post(admin, f"{base}/questions/{VICTIM}/options/yes/change", {"label": ""})
    assert (
        soup(refused).h1.get_text() == "Change the words of option ‘Yes’"
    )  # the stored words, not the typed
    contact = soup(admin.get(f"{base}/support/0/change"))
    assert contact.h1.get_text() == "Change the support contact ‘Victim Support’"


def test_an_export_column_s_name_is_no_question_id(admin: FlaskClient, app: Flask) -> None:
    """Exports have a column 'status' (and channel, mode, weight …): a question so named gave two columns of
    one name (the SPSS export failed). The builder's ids avoid them, a rename to one is refused."""
    assert set(RESERVED_QUESTION_IDS) == {*META, "weight"}
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "text", "text": "Status"})
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "text", "text": "Where"})
    assert [q["id"] for q in draft_of(app, draft_id)["sections"][0]["questions"]] == ["status_2", "where"]
    refused = post(admin, f"{base}/questions/where/id", {"new_id": "channel"})
    assert refused.status_code == 400
    assert "Every export has a column channel already" in field_error(refused, "new_id")
