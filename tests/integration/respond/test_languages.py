"""Languages: a link switches every questionnaire string and the service's own words; lang attributes."""

from __future__ import annotations

from collections.abc import Callable

from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def test_language_link_switches_the_whole_page_to_polish(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    link = resident.soup.select_one('a[hreflang="pl"]')
    assert link is not None and link["lang"] == "pl"
    resident.get(str(link["href"]))
    assert resident.path == "/s/safermk-2016"  # the choice is remembered; the URL stays clean
    html = resident.soup.find("html")
    assert html is not None and html["lang"] == "pl"
    assert resident.heading == resident.q.text(resident.q.title, "pl")
    button = resident.soup.select_one("form button")
    assert button is not None and "Rozpocznij" in button.get_text()
    resident.start()
    assert resident.question is not None
    assert resident.q.text(resident.question.text, "pl") in resident.heading
    assert "Część 1 z 6" in resident.soup.get_text()
    continue_button = resident.soup.select_one("form button.govuk-button")
    assert continue_button is not None and continue_button.get_text(strip=True) == "Dalej"


def test_errors_are_in_the_chosen_language(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016?lang=pl")
    resident.start()
    resident.answer_raw({})
    assert resident.soup.select_one(".govuk-error-summary__title").get_text(strip=True) == "Wystąpił problem"  # type: ignore[union-attr]
    assert len(resident.error_summary) == 1 and resident.error_summary[0].startswith("Wybierz ")
    assert resident.title.startswith("Błąd: ")


def test_unknown_language_falls_back_to_the_default(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016?lang=xx")
    html = resident.soup.find("html")
    assert html is not None and html["lang"] == "en"


def test_language_choice_is_stored_with_the_response(app, respondent: MakeRespondent) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from survey.store.db import get_session
    from survey.store.models import Response

    resident = respondent()
    resident.get("/s/safermk-2016?lang=pl")
    resident.start()
    resident.walk({})
    resident.submit()
    assert "Twoje odpowiedzi zostały wysłane" in resident.soup.get_text()
    with app.app_context():
        languages = [r.language for r in get_session().exec(select(Response))]
    assert languages == ["pl"]


def test_language_link_keeps_the_page_and_its_change_mode(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({})
    n = resident.q.position("sex") + 1
    resident.get(f"/s/safermk-2016/p/{n}?change=1")
    link = resident.soup.select_one('a[hreflang="pl"]')
    assert link is not None and link["href"] == f"/s/safermk-2016/p/{n}?change=1&lang=pl"
    resident.get(str(link["href"]))
    assert resident.response_url() == f"/s/safermk-2016/p/{n}?change=1"
    assert resident.soup.find("html")["lang"] == "pl"  # type: ignore[index]


def test_language_link_on_the_resume_code_page_goes_somewhere_real(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.post("/s/safermk-2016/save", {})
    link = resident.soup.select_one('a[hreflang="pl"]')
    assert link is not None
    response = resident.get(str(link["href"]))
    assert response.status_code == 200 and resident.path == "/s/safermk-2016"
