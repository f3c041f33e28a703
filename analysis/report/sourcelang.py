"""Which texts of a report are not in the report's language: the `lang` the HTML marks them with.

A Welsh report of a questionnaire with no Welsh (or only some) shows the questionnaire's own words in its
main language; the census reference files' names and the codebook's theme names are English. Each is
marked `<span lang="en">` (WCAG 3.1.2), so a screen reader reads it in English, not with Welsh sounds. The
report's own words are in the report's language (analysis/report/words.py) and need no mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import Markup, escape

from analysis.report.model import Report
from survey.engine import Question, Questionnaire, Text

DATA_LANGUAGE = "en"  # the census reference files and the codebooks are written in English


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


def questionnaire_fallbacks(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """Every translatable text of the questionnaire with no `lang` version: the text a report in `lang`
    shows instead and its language, by the engine's one rule (`Text.get` and `Text.language_shown`: the
    questionnaire's language, which a plain string is written in). Texts in the order of the schema's
    fields; a text written twice keeps the first one's language."""
    out: dict[str, str] = {}
    for text in _texts(questionnaire):
        shown, written = text.get(lang), text.language_shown(lang)
        if shown and _base(written) != _base(lang):
            out.setdefault(shown, written)
    return out


def _texts(questionnaire: Questionnaire) -> Iterator[Text]:
    """Every localised text of the questionnaire, in the order of the schema's fields."""
    q = questionnaire
    yield from _present(q.title, q.description, q.privacy, q.results)
    for contact in q.support_contacts:
        yield from _present(contact.name, contact.hours, contact.description)
    yield from _present(q.population_name)
    for section in q.sections:
        yield from _present(section.title, section.intro)
        for question in section.questions:
            yield from _question_texts(question)


def _question_texts(question: Question) -> Iterator[Text]:
    """A question's localised texts, in the order of the schema's fields."""
    yield from _present(question.text, question.hint, question.error_subject)
    options = [t for o in question.options for t in _present(o.label, o.hint)]  # a rating's: its scale
    items = [item.text for item in question.items]
    yield from (items + options) if question.type == "rating" else (options + items)  # the scale after items
    yield from _present(question.dont_know, question.label)
    yield from (check.message for check in question.checks)
    yield from (text for _, text in question.errors)
    yield from _present(question.suffix, question.body)
    yield from (net.label for net in question.nets)


def _present(*texts: Text | None) -> Iterator[Text]:
    yield from (t for t in texts if t is not None)


def data_texts(report: Report) -> dict[str, str]:
    """The reference files' dimension universes, group names, caveats and sources and the codebook's theme
    names in the report (English), when the report is not in English."""
    if _base(report.language) == DATA_LANGUAGE:
        return {}
    texts: set[str] = set()
    for d in report.profile:
        texts.update(row.category for row in d.rows)
        texts.add(d.universe)
        texts.add(d.caveat)
        texts.update(d.sources)  # "ONS Census 2021 table TS009: Sex by single year of age (...)"
    texts.update(a.group for a in report.actions)
    for block in report.themes:
        texts.update(t.label for t in block.themes)
    return {t: DATA_LANGUAGE for t in texts if t}


def _source(questionnaire: Questionnaire) -> tuple[str, set[str]]:
    """The questionnaire's main language (the one its texts fall back to) and every language it offers."""
    return questionnaire.language, {_base(x) for x in questionnaire.languages}


def untranslated_texts(report: Report, questionnaire: Questionnaire) -> dict[str, str]:
    """When the questionnaire has no version in the report's language at all, the texts built from it or
    given with it: the figures' labels (net labels with their items), the organisation's and the
    channels' names (staff typed them for the questionnaire's language); each in the questionnaire's
    language. Residents' answers (quotes, terms) are marked through `answers_language`."""
    source, offered = _source(questionnaire)
    if _base(report.language) in offered:
        return {}
    texts = {report.organisation}
    for f in report.figures:
        texts.update((f.label, f"{f.number}: {f.label}", f"{f.number} {f.label}", f.source_title))
    texts.update(t.name for t in report.channels)
    return {t: source for t in texts if t}


def answers_language(report: Report, questionnaire: Questionnaire) -> str:
    """The language residents answered in when the questionnaire had no version in the report's
    language ('' when it had one: the answers may be in either)."""
    source, offered = _source(questionnaire)
    return "" if _base(report.language) in offered else source


def marker(report: Report) -> Any:
    """`src(text)`: the text, wrapped in `<span lang="…">` when it is not in the report's language."""
    known: Mapping[str, str] = report.extra.get("source_languages") or {}
    if not known:
        return lambda text: text

    def src(text: Any) -> Any:
        lang = known.get(str(text)) if text is not None else None
        if not lang or _base(lang) == _base(report.language):
            return text
        return Markup('<span lang="{}">{}</span>').format(lang, escape(str(text)))

    return src


_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S
)
_LANG_ATTRIBUTE = re.compile(r"""\blang\s*=\s*["']?([A-Za-z0-9-]+)""")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_RAW = frozenset(("style", "script", "title", "textarea"))  # no markup may go inside these


def _inline_pattern(report: Report) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One pattern for every known text not in the report's language (as the page escapes it, and with a
    capital first letter as a sentence start shows it), longest first; None when there is none."""
    known: Mapping[str, str] = report.extra.get("source_languages") or {}
    forms: dict[str, str] = {}
    for text, lang in known.items():
        if _base(lang) == _base(report.language) or sum(ch.isalpha() for ch in text) < 2:
            continue  # a number, a letter or a symbol is no language's word
        for form in (text, text[:1].upper() + text[1:]):
            forms.setdefault(str(escape(form)), lang)
    if not forms:
        return None
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)"), forms


def mixes(report: Report) -> Any:
    """`mixed(text)`: whether `text` holds a known text not in the report's language. An `alt` attribute
    cannot mark a part of itself, so a chart's alternative that does is given as text beside the image,
    where `mark_within` marks it (templates/reports/macros.html, `figure`)."""
    found = _inline_pattern(report)
    if found is None:
        return lambda text: False
    pattern = found[0]
    return lambda text: bool(pattern.search(str(escape(str(text)))))


def mark_within(html: str, report: Report) -> str:
    """The rendered page with each known text not in the report's language marked `<span lang="…">` where
    it stands inside a sentence of the report's own words ("Mae tua 6 o bob 10 o'r residents …": the
    questionnaire's population name and net label are English), WCAG 3.1.2. Text already inside an element
    marked with another language, and the raw-text elements (title, style, script), are left alone."""
    found = _inline_pattern(report)
    if found is None:
        return html
    pattern, forms = found
    own = _base(report.language)

    def wrap(match: re.Match[str]) -> str:
        text = match.group(0)
        return f'<span lang="{forms[text]}">{text}</span>'

    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (element, left alone: another language or raw text)
    at = 0
    for token in _TOKEN.finditer(html):
        text = html[at : token.start()]
        if text and not any(skip for _, skip in stack):
            text = pattern.sub(wrap, text)
        out.append(text)
        out.append(token.group(0))
        at = token.end()
        closing, name, attributes = token.group(1), (token.group(2) or "").lower(), token.group(3) or ""
        if not name or name in _VOID or attributes.rstrip().endswith("/"):
            continue
        if closing:
            while stack:
                if stack.pop()[0] == name:
                    break
            continue
        lang = _LANG_ATTRIBUTE.search(attributes)
        other = lang is not None and name != "html" and _base(lang.group(1)) != own
        stack.append((name, other or name in _RAW))
    out.append(html[at:])
    return "".join(out)
