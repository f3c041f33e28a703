"""Localised text: a string per language with fallback to the questionnaire's default language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Text:
    """A user-facing string in one or more languages; `default` is the questionnaire's language."""

    values: tuple[tuple[str, str], ...]
    default: str

    @classmethod
    def of(cls, raw: Any, default: str) -> Text:
        """Build from a definition value: a plain string (default language) or a language -> string object."""
        if isinstance(raw, Text):
            return raw
        if isinstance(raw, str):
            return cls(((default, raw),), default)
        if isinstance(raw, Mapping):
            return cls(tuple((str(k), str(v)) for k, v in raw.items() if isinstance(v, str)), default)
        return cls((), default)

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, else in the default language, else in any language, else ''."""
        table = dict(self.values)
        if lang and lang in table:
            return table[lang]
        if self.default in table:
            return table[self.default]
        return self.values[0][1] if self.values else ""

    def language_shown(self, lang: str | None = None) -> str:
        """The language `get(lang)` returns text in (the default language when `lang` has none)."""
        table = dict(self.values)
        if lang and lang in table:
            return lang
        if self.default in table or not self.values:
            return self.default
        return self.values[0][0]

    @property
    def languages(self) -> frozenset[str]:
        """The languages this text is written in."""
        return frozenset(k for k, _ in self.values)

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return any(v for _, v in self.values)


def localise(value: Text | str | None, lang: str | None = None) -> str:
    """The string to show for a localised value (a Text, plain string or None)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang)


def language_shown(value: Text | str | None, lang: str | None, default: str) -> str:
    """The language `localise(value, lang)` is written in: a plain string is in the `default` language."""
    if isinstance(value, Text):
        return value.language_shown(lang)
    if value is None:
        return lang or default  # nothing is shown
    return default


def word_count(text: Text | str | None) -> int:
    """Number of words of a text in its default language (used by the reading-time model)."""
    return len(localise(text).split())
