"""The service's own words exist in every supported language, with the same placeholders."""
from __future__ import annotations

import re
import string
from datetime import date

import pytest

from survey.web.i18n import CATALOGUE, DEFAULT, PARTIAL, format_date, translate

PLURAL_ONLY = re.compile(r"_(one|few|many|other)$")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", sorted(set(CATALOGUE) - {DEFAULT}))
def test_every_english_string_is_translated_with_the_same_placeholders(lang: str) -> None:
    english = {k for k in CATALOGUE[DEFAULT] if not PLURAL_ONLY.search(k)}
    other = {k for k in CATALOGUE[lang] if not PLURAL_ONLY.search(k)}
    assert english == other
    for key in english:
        assert _placeholders(CATALOGUE[DEFAULT][key]) == _placeholders(CATALOGUE[lang][key]), key


@pytest.mark.parametrize("lang", sorted(PARTIAL))
def test_partly_translated_languages_use_english_keys_and_placeholders(lang: str) -> None:
    for key, text in PARTIAL[lang].items():
        assert _placeholders(CATALOGUE[DEFAULT][key]) == _placeholders(text), key
    assert translate("date_day", lang) == PARTIAL[lang]["date_day"]
    assert translate("continue", lang) == "Continue"  # not translated yet: English


def test_unknown_language_falls_back_to_english() -> None:
    assert translate("continue", "xx") == "Continue"
    assert translate("section_of", "pl", n=2, total=6) == "Część 2 z 6"


def test_dates_are_written_as_people_write_them() -> None:
    assert format_date(date(2016, 7, 26), "en") == "26 July 2016"
    assert format_date(date(2016, 5, 3), "pl") == "3 maja 2016"
