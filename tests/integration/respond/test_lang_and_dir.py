"""lang and dir: Welsh and Urdu pages say so; questionnaire text that falls back is marked lang="en"."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
TENANTS = "tenant-satisfaction"


def _html_attrs(resident: Respondent) -> tuple[str, str]:
    html = resident.soup.find("html")
    assert html is not None
    return str(html["lang"]), str(html["dir"])


def test_an_urdu_page_is_right_to_left_with_urdu_service_words(respondent: MakeRespondent) -> None:
    resident = respondent(TENANTS)
    resident.get(f"/s/{TENANTS}?lang=ur")
    assert _html_attrs(resident) == ("ur", "rtl")
    assert resident.heading == "کرایہ داروں کے اطمینان کا سروے"
    button = resident.soup.select_one("form button")
    assert button is not None and button.get_text(strip=True) == "ابھی شروع کریں"
    resident.start()
    assert _html_attrs(resident) == ("ur", "rtl")
    assert "حصہ 1 از 4" in resident.soup.get_text()
    # a translated question carries no lang of its own: it is in the page's language
    legend = resident.soup.select_one("legend")
    assert legend is not None and legend.select("[lang]") == []
    resident.answer_raw({})
    summary = resident.soup.select_one(".govuk-error-summary__title")
    assert summary is not None and summary.get_text(strip=True) == "ایک مسئلہ ہے"
    assert resident.title.startswith("خرابی: ")
    hidden = resident.soup.select_one(".govuk-error-message .govuk-visually-hidden")
    assert hidden is not None and "خرابی" in hidden.get_text()


def test_untranslated_questionnaire_text_is_marked_english_on_an_urdu_page(
    respondent: MakeRespondent,
) -> None:
    resident = respondent(TENANTS)
    resident.get(f"/s/{TENANTS}?lang=ur")
    resident.start()
    resident.walk(
        {
            "overall": "very_satisfied",
            "repair_had": "no",
            "home": {"well_maintained": "very_satisfied", "safe": "very_satisfied"},
        },
        stop_at="engagement",
    )
    assert resident.question is not None and resident.question.id == "engagement"
    assert _html_attrs(resident) == ("ur", "rtl")
    heading = resident.soup.select_one("h1")
    assert heading is not None
    english = heading.select_one('span[lang="en"]')
    assert english is not None and "Example Homes" in english.get_text()
    caption = heading.select_one(".govuk-caption-l")
    assert caption is not None and caption.get("lang") is None and "حصہ 2 از 4" in caption.get_text()
    labels = resident.soup.select(".govuk-radios__label")
    assert labels and all(label.select_one('span[lang="en"]') is not None for label in labels)
    button = resident.soup.select_one("form button.govuk-button")
    assert button is not None and button.get_text(strip=True) == "جاری رکھیں"


def test_welsh_pages_use_welsh_service_words_and_dates(respondent: MakeRespondent) -> None:
    resident = respondent("council-budget-2027")
    resident.get("/s/council-budget-2027?lang=cy")
    assert _html_attrs(resident) == ("cy", "ltr")
    text = resident.soup.get_text()
    assert "Faint o amser mae'n ei gymryd" in text and "Eich preifatrwydd" in text
    assert "How long it takes" not in text and "Start now" not in text
    resident.start()
    assert "Adran 1 o" in resident.soup.get_text()
    assert resident.soup.select_one(".govuk-skip-link").get_text(strip=True) == "Neidio i'r prif gynnwys"  # type: ignore[union-attr]


def test_a_welsh_page_marks_english_fallback_text(respondent: MakeRespondent) -> None:
    """safermk-2016 has no Welsh: asked for it, the page is English throughout (lang="en", no spans)."""
    resident = respondent()
    resident.get("/s/safermk-2016?lang=cy")
    assert _html_attrs(resident) == ("en", "ltr")
    assert resident.soup.select("main [lang]") == []


def test_english_pages_are_left_to_right_without_extra_lang(respondent: MakeRespondent) -> None:
    resident = respondent(TENANTS)
    resident.get(f"/s/{TENANTS}")
    assert _html_attrs(resident) == ("en", "ltr")
    resident.start()
    assert resident.soup.select("main [lang]") == []


def test_an_unknown_poster_link_speaks_the_posters_language(respondent: MakeRespondent) -> None:
    resident = respondent()
    response = resident.get("/c/NO-SUCH-CODE?lang=cy")
    assert response.status_code == 404
    assert _html_attrs(resident) == ("cy", "ltr")
    assert resident.heading == "Heb ddod o hyd i'r dudalen"
    resident.get("/c/NO-SUCH-CODE?lang=ur")
    assert _html_attrs(resident) == ("ur", "rtl") and resident.heading == "صفحہ نہیں ملا"
    resident.get("/c/NO-SUCH-CODE")
    assert _html_attrs(resident) == ("en", "ltr") and resident.heading == "Page not found"


def test_check_your_answers_marks_an_english_only_option_label_on_an_urdu_page(
    respondent: MakeRespondent,
) -> None:
    """'Yes' written only in English (complaint_made) was shown unmarked among Urdu words on the check
    page, while the same label was marked on its question page (WCAG 3.1.2); a translated label is not."""
    resident = respondent(TENANTS)
    resident.get(f"/s/{TENANTS}?lang=ur")
    resident.start()
    resident.walk({"repair_had": "yes", "complaint_made": "yes"})
    assert resident.path == f"/s/{TENANTS}/check"
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(" ", strip=True): row.select_one(
            ".govuk-summary-list__value"
        )
        for row in resident.soup.select(".govuk-summary-list__row")
    }
    complaint = next(v for k, v in rows.items() if "complaint" in k)
    marked = complaint.select_one('span[lang="en"]')
    assert marked is not None and marked.get_text() == "Yes"
    repair = next(v for k, v in rows.items() if "Example Homes" in k and "12" in k and "مرمت" in k)
    assert repair.get_text(strip=True) == "ہاں" and repair.select("[lang]") == []


def test_english_fallback_on_an_urdu_page_is_left_to_right(respondent: MakeRespondent) -> None:
    """English inside a right-to-left page kept the page's direction: "How old are you?" was laid out
    as "?How old are you" (the Unicode bidi algorithm puts the final punctuation on the left)."""
    resident = respondent(TENANTS)
    resident.get(f"/s/{TENANTS}?lang=ur")
    resident.start()
    resident.walk({"repair_had": "no"}, stop_at="engagement")
    english = resident.soup.select('span[lang="en"]')
    assert english and all(span.get("dir") == "ltr" for span in english)


def test_every_english_word_on_the_urdu_check_page_is_marked(respondent: MakeRespondent) -> None:
    """The change links' hidden words (the question, read by screen readers) and a number's unit
    ("years") written only in English were left in the page's language (WCAG 3.1.2)."""
    resident = respondent(TENANTS)
    resident.get(f"/s/{TENANTS}?lang=ur")
    resident.start()
    resident.walk({"repair_had": "no", "age": 42})
    assert resident.path == f"/s/{TENANTS}/check"
    for link in resident.soup.select(".govuk-summary-list__actions a"):
        hidden = link.select_one(".govuk-visually-hidden")
        assert hidden is not None
        if not re.search("[\u0600-\u06ff]", hidden.get_text()):  # a question written only in English
            assert hidden.select_one('[lang="en"]') is not None, hidden
    age = next(
        row.select_one(".govuk-summary-list__value")
        for row in resident.soup.select(".govuk-summary-list__row")
        if "How old" in row.get_text()
    )
    assert age is not None
    unit = age.select_one('[lang="en"]')
    assert unit is not None and unit.get_text() == "years"
