"""Which language a localised text is shown in (the page marks fallback text with its own lang)."""

from __future__ import annotations

from survey.engine.text import Text, language_shown


def test_the_language_shown_is_the_pages_when_translated_else_the_default() -> None:
    text = Text.of({"en": "Continue", "cy": "Parhau"}, "en")
    assert language_shown(text, "cy", "en") == "cy"
    assert language_shown(text, "ur", "en") == "en"  # falls back: marked lang="en" on an Urdu page
    assert language_shown(Text.of({"cy": "Parhau"}, "en"), "ur", "en") == "cy"  # the only language there is


def test_a_plain_string_is_in_the_questionnaires_language() -> None:
    assert language_shown("Continue", "cy", "en") == "en"
    assert language_shown("Continue", None, "en") == "en"
    assert language_shown(None, "cy", "en") == "cy"  # nothing shown: nothing to mark
