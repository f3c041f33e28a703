"""A report in Welsh: the questionnaire's language (or `language=`) sets the report's own words, dates and
numbers (analysis/report/words.py over survey/translations/cy); English reports are unchanged."""

from __future__ import annotations

import copy
import io
import re
from datetime import date
from functools import cache
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build_report, render_html, render_xlsx
from analysis.report.render import environment
from analysis.report.words import words
from analysis.text import default_codebook
from survey.engine import load_dict
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: the module's Welsh
# report is built once per process.
pytestmark = pytest.mark.xdist_group("welsh-report")

# The fixed words a reader sees most: none may be left in English in a Welsh report.
ENGLISH_HEADINGS = (
    "Key findings",
    "Contents",
    "Summary",
    "Response progress",
    "Who responded",
    "What people wrote",
    "Methods and caveats",
    "Appendix: the questionnaire as asked",
    "Differences between groups",
    "Groups to reach before the close",
    "In their words",
    "New themes",
)
ENGLISH_LABELS = (  # table headings, row headings and the about box
    "Complete responses",
    "Journeys started",
    "Days open so far",
    "Days left",
    "Recent rate",
    "Projected at close",
    "Median time to complete",
    "Week starting",
    "Started",
    "Completed",
    "Mode",  # (not "Channel": the group comparisons' dimension titles are data, English for now)
    "Group",
    "Respondents",
    "Share",
    "Population",
    "Index",
    "Flag",
    "Answer",
    "Count",
    "95% interval",
    "Theme",
    "Responses",
    "Made",
    "Questionnaire",
)
ENGLISH_METHODS = (
    "An opt-in sample",
    "What each percentage is a share of",
    "Weighting",
    "Confidence intervals",
    "Differences between groups",
    "Key findings",
    "Small numbers",
    "Free-text answers",
    "This is an interim report",
    "Disclosure control",
)


def _welsh_questionnaire() -> dict[str, Any]:
    """SaferMK with a Welsh title and nothing else in Welsh. (A questionnaire whose main language is Welsh
    must have every text in Welsh: the engine refuses one without, so a report in Welsh of partly
    translated texts is asked for with `language="cy"`.)"""
    raw = copy.deepcopy(safermk().raw)
    raw["title"] = {"en": "SaferMK survey", "cy": "Arolwg SaferMK"}
    return raw


def _build(raw: dict[str, Any], **options: Any) -> Report:
    q = load_dict(raw)
    return build_report(
        "interim",
        q,
        demo_rows(150, seed=3),
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        with_charts=False,
        **options,
    )


@cache
def _built(welsh_questionnaire: bool, language: str | None = None) -> Report:
    """The report of the Welsh-titled questionnaire (in Welsh unless `language` says otherwise) or of the
    bundled English one (in `language`), built once per
    process: several tests read the same report (a Report is frozen; none of them changes it)."""
    raw = _welsh_questionnaire() if welsh_questionnaire else safermk().raw
    return _build(raw, language=language or ("cy" if welsh_questionnaire else None))


@pytest.fixture(scope="module")
def welsh() -> Report:
    return _built(True)


@pytest.fixture(scope="module")
def page(welsh: Report) -> BeautifulSoup:
    return BeautifulSoup(render_html(welsh).decode("utf-8"), "html.parser")


def _texts(page: BeautifulSoup, *names: str) -> set[str]:
    return {tag.get_text(" ", strip=True) for tag in page.find_all(names)}


def test_the_document_is_marked_welsh_and_titled_in_welsh(page: BeautifulSoup) -> None:
    assert page.html is not None and page.html["lang"] == "cy"
    assert page.title is not None
    assert page.title.get_text().startswith("Arolwg SaferMK – Adroddiad interim, ymatebion hyd at ")
    h1 = page.find("h1")
    assert h1 is not None and h1.get_text() == "Arolwg SaferMK"  # the questionnaire's own Welsh text


def test_no_english_fixed_heading_is_left(page: BeautifulSoup) -> None:
    headings = _texts(page, "h2", "h3", "h4")
    labels = _texts(page, "th", "dt")
    assert [h for h in ENGLISH_HEADINGS if h in headings] == []
    assert [label for label in ENGLISH_LABELS if label in labels] == []
    assert {"Prif ganfyddiadau", "Crynodeb", "Cynnwys", "Dulliau a chafeatau", "Pwy a ymatebodd"} <= headings
    assert {"Ymatebion cyflawn", "Wythnos yn dechrau", "Sianel", "Cyfran", "Cyfwng 95%"} <= labels
    skip = page.find("a", class_="skip")
    assert skip is not None and skip.get_text() == "Neidio i'r crynodeb"
    region = page.find("div", class_="table-scroll")
    assert region is not None and region["aria-label"] == "Tabl (yn sgrolio i'r ochr)"


def test_methods_and_key_findings_are_written_in_welsh(welsh: Report, page: BeautifulSoup) -> None:
    headings = [heading for heading, _ in welsh.methods]
    assert [h for h in headings if h in ENGLISH_METHODS] == []
    assert "Sampl optio i mewn" in headings and "Rheoli datgelu" in headings
    assert all(text for _, text in welsh.methods)
    headline = [f for f in welsh.key_findings if f.kind == "headline"]
    assert headline and all(f.text.startswith("Mae ") and "CH 95%" in f.text for f in headline)
    caveat = welsh.key_findings[-1]
    assert caveat.kind == "caveat" and caveat.text.startswith("Dyma farn y ")
    assert caveat.source_title == "Pwy a ymatebodd"
    findings = page.find("ol", class_="findings")
    assert findings is not None and "Ffynhonnell:" in findings.get_text()


def test_dates_and_numbers_come_from_babels_welsh_locale(welsh: Report, page: BeautifulSoup) -> None:
    day = format_date(INTERIM_DAY, "d MMMM y", locale="cy")
    assert day == "13 Mehefin 2016"
    assert f"Prif ffigurau ar {day}" in _texts(page, "caption")
    footer = page.find("footer")
    assert footer is not None and footer.get_text().endswith(f"ymatebion hyd at {day}")
    said = words("cy")
    assert said.pct(0.456) == format_percent(0.456, "#,##0%", locale="cy") == "46%"
    assert said.number(12345) == format_decimal(12345, locale="cy") == "12,345"
    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page.select("table.headline tr")
        if row.th is not None and row.td is not None
    }
    assert rows["Ymatebion cyflawn"] == said.number(welsh.headline.complete)


def test_the_workbook_names_its_sheets_and_columns_in_welsh(welsh: Report) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(welsh)))
    assert book.sheetnames[:3] == ["Prif ganfyddiadau", "Nodiadau", "Crynodeb"]
    first = book["Prif ganfyddiadau"]
    header = next(r for r in first.iter_rows(values_only=True) if r[0] == "Rhif")
    assert header[:4] == ("Rhif", "Math", "Canfyddiad", "Ffigur")
    summary = [r[0] for r in book["Crynodeb"].iter_rows(values_only=True)]
    assert "Ymatebion cyflawn" in summary and "Complete responses" not in summary


def test_language_option_overrides_the_questionnaires_and_english_stays_english() -> None:
    english = _built(True, "en")
    assert english.language == "en" and english.title == "SaferMK survey"
    html = render_html(english).decode("utf-8")
    assert '<html lang="en">' in html and ">Key findings</h2>" in html and "Prif ganfyddiadau" not in html
    assert [h for h, _ in english.methods][:2] == ["An opt-in sample", "What each percentage is a share of"]
    welsh = _built(False, "cy")  # an English questionnaire, reported in Welsh
    assert welsh.language == "cy" and welsh.methods[0][0] == "Sampl optio i mewn"


def test_a_bad_language_is_refused_and_one_without_words_stays_english() -> None:
    with pytest.raises(ValueError, match="report language must be a language code such as 'cy'"):
        _build(safermk().raw, language="../cy")
    other = _build(safermk().raw, language="xx")
    assert other.language == "xx" and other.methods[0][0] == "An opt-in sample"
    assert words("xx").long_date(INTERIM_DAY) == "13 June 2016"


def test_the_note_on_left_out_responses_follows_the_report_language() -> None:
    from survey.services.moderation import exclusion_note

    english = exclusion_note({"spam": 1})
    assert english is not None and english[0] == "Responses left out"
    assert english[1].startswith("1 complete response was left out of this report")
    welsh = exclusion_note({"spam": 2}, "cy")
    assert welsh is not None and welsh[0] == "Ymatebion a adawyd allan"
    assert welsh[1].startswith("Cafodd 2 ymateb cyflawn eu gadael allan")


def test_the_newer_report_wording_is_welsh_too(welsh: Report, page: BeautifulSoup) -> None:
    """Main's wording since the branch (share columns, chart captions, weighted key findings, population
    note, dimension titles, the direct-link channel, number bands, the appendix's descriptions)."""
    labels = _texts(page, "th")
    assert "Cyfran (heb ei phwysoli)" in labels and "Share (unweighted)" not in labels
    macros = environment("cy").get_template("macros.html").module  # charts are not drawn here
    q = welsh.questions[0]
    for weighted in (True, False):
        caption = str(macros.question_chart_caption(q, weighted))  # type: ignore[attr-defined]
        assert caption.startswith("Siart: ") and "95%" in caption and "%%" not in caption
    text = page.get_text(" ")
    assert "Chart:" not in text and "unweighted" not in text
    if welsh.weighting.applied:
        assert "Cyfran (wedi'i phwysoli)" in labels
        headline = [f for f in welsh.key_findings if f.kind == "headline"]
        assert all("wedi'i bwysoli, CH 95%" in f.text for f in headline)
    note = welsh.extra.get("population_note")
    assert note and note.startswith("Mae Q1 yn cyfrif ") and "wedi'u gadael allan" in note
    assert {"Rhyw", "Oedran", "Deiliadaeth (wedi'i grwpio)", "Anabledd"} <= _texts(page, "h3")
    assert "(dolen uniongyrchol)" in {t.name for t in welsh.channels}
    assert all(
        t.words.startswith(("Yn amrywio yn ôl ", "Dim gwahaniaeth clir yn ôl ")) for t in welsh.group_tests
    )
    bands = [label for n in welsh.numbers for label, _, _ in n.bands]
    assert bands[-1].endswith(" a throsodd")
    answers = [a for s in welsh.appendix for q in s.questions for a in q.answers]
    assert "Rhif cyfan o 16 i 120" in answers and not [a for a in answers if a.startswith("Free text")]


def test_text_not_in_welsh_is_marked_with_its_language(page: BeautifulSoup) -> None:
    """WCAG 3.1.2: the questionnaire's words with no Welsh and the census and codebook names are marked
    lang="en"; the Welsh title is not; the profile's findings, caveats and advice and the disclosure
    paragraph are the report's own Welsh sentences."""
    english = {s.get_text() for s in page.find_all("span", lang="en")}
    assert "How old are you?" in english and "Female" in english and "Burglary" in english
    h1 = page.find("h1")
    assert h1 is not None and h1.find("span") is None  # "Arolwg SaferMK" is the questionnaire's Welsh
    findings = [li.get_text(" ", strip=True) for li in page.select("#profile ul.small li")]
    assert findings and all(f.startswith(("Mae ", "Ar Q")) for f in findings), findings
    caveats = [p.get_text(" ", strip=True) for p in page.select("#profile p.note") if p.find("a") is None]
    assert (
        "Mae deiliadaeth y cyfrifiad yn cyfrif aelwydydd, nid pobl: brasamcan yw cymharu ymatebwyr â hi."
        in caveats
    )
    advice = [td.get_text(" ", strip=True) for td in page.select("#profile table.actions td:last-child")]
    assert advice and all(
        a.startswith(("Gofynnwch i'r partneriaid ", "Nid oes unrhyw ddolen ")) for a in advice
    )
    methods = page.select_one("#methods").get_text(" ", strip=True)
    assert "Trothwy datgelu: " in methods and "Disclosure threshold" not in methods
    quotes = page.find_all("blockquote")
    assert quotes and all(q.get("lang") == "en" for q in quotes)  # residents answered in English
    for h3 in page.select("section.chapter section.block h3"):
        text = h3.get_text(" ", strip=True)
        if text.startswith("Q"):  # "Q5 How old are you?": the number is the report's, the words English
            assert h3.find("span", lang="en") is not None, text


def test_chart_text_alternatives_are_welsh(welsh: Report) -> None:
    """An image's alt text is read in the page's language (WCAG 3.1.2): the charts' alternatives are the
    report's own Welsh sentences, numbers in Welsh form, the questionnaire's words as they are."""
    from analysis.report.build import make_charts

    charts = make_charts(welsh, {}, draw=False)
    kinds = {key.partition(":")[0] for key in charts}
    assert {"progress", "profile", "question", "rating", "number"} <= kinds
    alts = {key: chart.alt for key, chart in charts.items()}
    assert all(a.startswith(("Siart ", "Cwmwl geiriau ")) for a in alts.values()), alts
    assert "o'r ymatebwyr" in alts["profile:sex_age16to74"] and "Bar chart" not in " ".join(alts.values())


def test_a_chart_description_with_english_words_is_text_beside_the_image(welsh: Report) -> None:
    """An alt attribute cannot mark its English part (WCAG 3.1.2): such a description is a paragraph
    beside the image, its English words marked; the alt says the description follows."""
    from dataclasses import replace

    from analysis.report.build import make_charts

    html = render_html(replace(welsh, charts=make_charts(welsh, {}, draw=False))).decode("utf-8")
    page = BeautifulSoup(html, "html.parser")
    images = page.select("figure img")
    assert images
    beside = [img for img in images if img["alt"] == "Siart: mae ei disgrifiad yn dilyn."]
    assert beside, "the profile charts name English census groups"
    for img in beside:
        description = img.find_next_sibling("p", class_="visually-hidden")
        assert description is not None and description.find("span", lang="en") is not None
    assert not [img["alt"] for img in images if "Female" in img["alt"] or "Owned outright" in img["alt"]]


def test_an_english_report_marks_nothing_and_the_welsh_change_table() -> None:
    import json

    from analysis.report import report_to_dict

    early = demo_rows(150, seed=3)
    late = demo_rows(120, seed=2017, start=date(2016, 6, 14))
    rows = early + [{**r, "id": r["id"] + 10_000} for r in late]
    q = load_dict(_welsh_questionnaire())
    interim = _built(True, "en")
    html = render_html(interim).decode("utf-8")
    assert ' lang="en"' not in html.split("<body", 1)[1] and "source_languages" not in interim.extra
    previous = json.loads(json.dumps(report_to_dict(_built(True))))
    final = build_report(
        "final",
        q,
        rows,
        date(2016, 7, 26),
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        previous=previous,
        previous_id=1,
        with_charts=False,
        language="cy",
    )
    soup = BeautifulSoup(render_html(final).decode("utf-8"), "html.parser")
    changes = soup.find("section", id="changes")
    assert changes is not None and changes.h2 is not None
    assert changes.h2.get_text() == "Beth sydd wedi newid ers yr adroddiad interim"
    heads = [th.get_text() for th in changes.select("thead th")]
    if heads:  # responses after the interim: the table with intervals, bases and p
        assert heads.count("Cyfwng 95%") == 2 and heads.count("Sylfaen") == 2 and "p wedi'i addasu" in heads
    else:
        assert "Ni ddaeth unrhyw ymateb i law ar ôl yr adroddiad interim" in changes.get_text()


ENGLISH_WORDS = re.compile(r"\b(the|and|who|among|people|respondents|are|have|with|their|of)\b")


def _unmarked_english(html: str) -> list[str]:
    """Text of the page's body not inside an element marked with another language that reads as English."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.body
    assert body is not None
    out = []
    for node in body.find_all(string=True):
        if node.find_parent(["style", "script"]) is not None:
            continue
        marked = node.find_parent(attrs={"lang": True})
        if marked is not None and marked.name != "html" and not str(marked["lang"]).startswith("cy"):
            continue
        if ENGLISH_WORDS.search(str(node)):
            out.append(str(node).strip()[:120])
    return out


def test_english_words_inside_welsh_sentences_are_marked_english() -> None:
    """WCAG 3.1.2 inside a sentence: "Mae tua 6 o bob 10 o'r <span lang=en>residents</span> …"; the
    groups ("ymhlith menywod") are the service's words, in Welsh."""
    report = _built(False, "cy")  # an English questionnaire, reported in Welsh
    html = render_html(report).decode("utf-8")
    assert _unmarked_english(html) == []
    soup = BeautifulSoup(html, "html.parser")
    findings = soup.select("ol.findings > li")
    assert findings
    first = findings[0]
    assert first.find("span", lang="en", string="residents") is not None, first
    differences = [li.get_text(" ") for li in soup.select("ul.differences li")]
    assert any("ymhlith" in text for text in differences) and not any(" among " in t for t in differences)


def test_inline_marking_leaves_titles_attributes_marked_text_and_parts_of_words_alone() -> None:
    from types import SimpleNamespace
    from typing import cast

    from analysis.report.sourcelang import mark_within

    report = cast(
        Report,
        SimpleNamespace(
            language="cy",
            extra={"source_languages": {"residents": "en", "Yes": "en", "10": "en", "cy-only": "cy"}},
        ),
    )
    html = (
        '<html lang="cy"><head><title>Residents</title></head><body>'
        '<p title="residents">Mae residents yma; Residents; nonresidents; Yes, 10 cy-only.</p>'
        '<p lang="en">residents</p><br/><p>Yes</p></body></html>'
    )
    out = mark_within(html, report)
    assert "<title>Residents</title>" in out and 'title="residents"' in out
    assert (
        '<p title="residents">Mae <span lang="en">residents</span> yma; <span lang="en">Residents</span>; '
        'nonresidents; <span lang="en">Yes</span>, 10 cy-only.</p>'
    ) in out
    assert '<p lang="en">residents</p>' in out and '<p><span lang="en">Yes</span></p>' in out
    english = cast(Report, SimpleNamespace(language="en", extra={}))
    assert mark_within(html, english) == html


def test_the_welsh_disclosure_paragraph_is_not_marked_english(page: BeautifulSoup) -> None:
    """The methods' disclosure paragraph is the report's own Welsh now, yet kept lang="en" from when it
    was English: a screen reader read Welsh with English pronunciation (WCAG 3.1.2)."""
    methods = page.select_one("#methods")
    assert methods is not None
    paragraph = next(p for p in methods.find_all("p") if "Trothwy datgelu" in p.get_text())
    assert paragraph.find_parent(lang="en") is None and paragraph.get("lang") is None


def test_english_texts_written_as_plain_strings_are_marked_english_in_a_welsh_report() -> None:
    """A questionnaire may write its main-language texts as plain strings (the tenant survey does, with Urdu
    translations of some); in a Welsh report they show in English and are marked so (WCAG 3.1.2), by the
    engine's rule for which language a text is shown in, as texts written by language are."""
    from survey.engine import load_file
    from survey.services.demo import generate

    q = load_file("questionnaires/tenant-satisfaction.json")
    rows = [d.as_row(i, q.version) for i, d in enumerate(generate(q, 150, 3, date(2016, 5, 3)), start=1)]
    report = build_report(
        "interim",
        q,
        rows,
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        draw_charts=False,
        language="cy",
    )
    page = BeautifulSoup(render_html(report).decode("utf-8"), "html.parser")
    section = q.sections[1]
    assert isinstance(q.raw["sections"][1]["title"], str)  # written as a plain string, in English
    english = {s.get_text() for s in page.find_all("span", lang="en")}
    assert section.title.get() in english  # "How we treat you": a chapter heading's English words
    question = next(x for x in section.questions if x.asks)
    assert question.text.get() in english
