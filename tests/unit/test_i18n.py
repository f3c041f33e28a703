"""The gettext catalogues: every resident msgid translated in Welsh, Polish and Urdu, placeholders kept."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from survey.engine import catalogue
from survey.web.i18n import (
    MESSAGES,
    direction,
    format_date,
    plural_forms,
    supported,
    translate,
    translate_plural,
)

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "survey" / "translations"
RESIDENT_LANGUAGES = ("cy", "pl", "ur")
# Files whose words a resident sees (the staff pages' words are English only, for now).
RESIDENT_SOURCES = (
    "templates/respond/",
    "templates/errors/",
    "templates/base.html",
    "templates/links/",
    "survey/web/",
    "survey/engine/",
    "survey/journey/",
    "survey/respond/",
)
STAFF_SOURCES = ("survey/web/errors.py",)  # its own msgids are the staff error pages' words (STAFF_*)
# Files whose words a report's reader sees: complete in Welsh (analysis/report/words.py, REPORT_LANGUAGES).
REPORT_SOURCES = ("templates/reports/", "analysis/report/", "analysis/disclosure/")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> dict[str | tuple[str, ...], set[str]]:
    """What `pybabel extract -F babel.cfg -k N_ -k Nn_:1,2` finds in the source now: msgid -> files."""
    method_map = [
        ("survey/**.py", "python"),
        ("analysis/report/**.py", "python"),
        ("analysis/disclosure/**.py", "python"),
        ("templates/**.html", "jinja2"),
    ]
    options = {"templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "N_": None,
        "Nn_": (1, 2),
        "lazy_gettext": None,
    }
    found: dict[str | tuple[str, ...], set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=keywords
    ):
        if filename.startswith(("survey/", "templates/", "analysis/")):
            found.setdefault(message, set()).add(filename)
    return found


@pytest.fixture(scope="module")
def extracted() -> dict[str | tuple[str, ...], set[str]]:
    return _extracted()


def _catalogue(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _resident(files: set[str]) -> bool:
    return any(name.startswith(RESIDENT_SOURCES) and name not in STAFF_SOURCES for name in files)


def test_the_template_holds_every_extracted_message(extracted: dict[str | tuple[str, ...], set[str]]) -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        pot = read_po(handle)
    in_pot = {m.id for m in pot if m.id}
    missing = [
        m for m in extracted if (m[0] if isinstance(m, tuple) else m) not in in_pot and m not in in_pot
    ]
    assert missing == [], "run `make extract-messages` (docs/translating.md)"


@pytest.mark.parametrize("lang", RESIDENT_LANGUAGES)
def test_every_resident_message_is_translated_with_the_same_placeholders(
    lang: str, extracted: dict[str | tuple[str, ...], set[str]]
) -> None:
    cat = _catalogue(lang)
    resident = [m for m, files in extracted.items() if _resident(files)]
    assert len(resident) > 100  # the service's words, the engine's messages, the link and privacy pages
    for msgid in resident:
        key = msgid if isinstance(msgid, str) else msgid[0]
        message = cat.get(key)
        assert message is not None and not message.fuzzy, f"{lang}: no translation of {msgid!r}"
        sources = [msgid] if isinstance(msgid, str) else list(msgid)
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert strings and all(strings), f"{lang}: empty translation of {msgid!r}"
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, f"{lang}: placeholders of {msgid!r}: {text!r}"
            assert text % dict.fromkeys(wanted, "x") is not None  # a broken %-format raises here


def test_every_report_message_is_translated_in_welsh_with_the_same_placeholders(
    extracted: dict[str | tuple[str, ...], set[str]],
) -> None:
    cat = _catalogue("cy")
    report = [m for m, files in extracted.items() if any(f.startswith(REPORT_SOURCES) for f in files)]
    assert len(report) > 250  # headings, tables, the methods and key findings sentences, the workbook
    for msgid in report:
        key = msgid if isinstance(msgid, str) else msgid[0]
        message = cat.get(key)
        assert message is not None and not message.fuzzy, f"cy: no translation of {msgid!r}"
        sources = [msgid] if isinstance(msgid, str) else list(msgid)
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert strings and all(strings), f"cy: empty translation of {msgid!r}"
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, msgid
            if "%(" in key or "%%" in key:
                assert text % dict.fromkeys(wanted, "x") is not None


def test_a_lone_percent_sign_never_makes_a_report_msgid_a_format_string(
    extracted: dict[str | tuple[str, ...], set[str]],
) -> None:
    """'95% interval' would be flagged python-format ('% i') and its translation checked as one: such a
    msgid is written '95%% interval' and formatted (analysis/report/words.py, the templates' |format())."""
    from babel.messages.catalog import PYTHON_FORMAT

    for msgid, files in extracted.items():
        if isinstance(msgid, str) and any(f.startswith(REPORT_SOURCES) for f in files):
            lone = [
                m.group(0)
                for m in PYTHON_FORMAT.finditer(msgid)
                if m.group(0) != "%%" and "(" not in m.group(0)
            ]
            assert lone == [], msgid


@pytest.mark.parametrize("lang", RESIDENT_LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(lang: str) -> None:
    cat = _catalogue(lang)
    plurals = [m for m in cat if m.id and m.pluralizable]
    assert plurals, "the character count messages are plural"
    for message in plurals:
        assert len(message.string) == cat.num_plurals, message.id


def test_service_words_come_from_the_catalogues() -> None:
    assert translate("continue", "cy") == "Parhau"
    assert translate("section_of", "cy", n=2, total=5) == "Adran 2 o 5"
    assert translate("section_of", "pl", n=2, total=6) == "Część 2 z 6"
    assert translate("there_is_a_problem", "ur") == "ایک مسئلہ ہے"
    assert translate("continue", "xx") == "Continue"  # a language without a catalogue: English
    assert supported("xx") == "en" and supported("cy") == "cy" and supported(None) == "en"


def test_every_key_has_a_translation_in_each_language() -> None:
    for lang in RESIDENT_LANGUAGES:
        same_everywhere = ("or", "results_download_json")  # "JSON" is a format's name in every language
        untranslated = [k for k in MESSAGES if translate(k, lang) == MESSAGES[k] and k not in same_everywhere]
        assert untranslated == [], lang


def test_dates_come_from_babels_locale_data() -> None:
    day = date(2016, 7, 26)
    assert format_date(day, "en") == "26 July 2016"
    assert format_date(date(2016, 5, 3), "pl") == "3 maja 2016"
    assert format_date(day, "cy") == "26 Gorffennaf 2016"
    assert format_date(day, "ur") == "26 جولائی 2016"


def test_plural_forms_follow_each_languages_rules() -> None:
    assert plural_forms("chars_under", "en") == {
        "one": "You have %{count} character remaining",
        "other": "You have %{count} characters remaining",
    }
    polish = plural_forms("chars_under", "pl")
    assert polish["one"] == "Pozostał %{count} znak" and polish["few"] == "Pozostały %{count} znaki"
    assert polish["many"] == "Pozostało %{count} znaków"
    assert set(plural_forms("chars_over", "cy")) == {"zero", "one", "two", "few", "many", "other"}
    assert translate_plural("chars_under", 1, "en") == "You have 1 character remaining"
    assert translate_plural("chars_under", 22, "pl") == "Pozostały 22 znaki"
    assert translate_plural("chars_under", 25, "pl") == "Pozostało 25 znaków"


def test_direction_of_each_language() -> None:
    assert direction("ur") == "rtl" and direction("ar") == "rtl"
    assert direction("cy") == "ltr" and direction("en") == "ltr" and direction("not-a-language") == "ltr"


def test_a_missing_compiled_catalogue_is_compiled_from_the_po_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes((TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").read_bytes())
    monkeypatch.setattr(catalogue, "TRANSLATIONS_DIR", tmp_path)
    catalogue.translations.cache_clear()
    try:
        assert not (folder / "messages.mo").exists()
        assert catalogue.gettext("Continue", "cy") == "Parhau"
    finally:
        catalogue.translations.cache_clear()
