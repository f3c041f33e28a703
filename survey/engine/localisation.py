"""Translation checks: every user-facing string in every offered language (missing ones fall back)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from survey.engine.answers import CONTROL_CHARACTERS
from survey.engine.errors import Problem, pointer, problem
from survey.engine.model import Questionnaire

_TOP = ("title", "description", "privacy", "results")
_CONTACT = ("name", "hours", "description")
_SECTION = ("title", "intro")
_QUESTION = ("text", "hint", "suffix", "body", "error_subject", "dont_know", "consent_label")
_OPTION = ("label", "hint")
_GROUPED_OVER = 10  # more missing strings than this in one language are reported as one warning


def _fields(obj: Any, names: tuple[str, ...], *path: str | int) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, Mapping):
        for name in names:
            if name in obj:
                yield pointer(*path, name), obj[name]


def _list(obj: Any, key: str) -> list[Any]:
    value = obj.get(key) if isinstance(obj, Mapping) else None
    return value if isinstance(value, list) else []


def localised_strings(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every user-facing (localised) value of a definition with its JSON path."""
    yield from _fields(data, _TOP)
    for i, contact in enumerate(_list(data, "support_contacts")):
        yield from _fields(contact, _CONTACT, "support_contacts", i)
    for s, section in enumerate(_list(data, "sections")):
        yield from _fields(section, _SECTION, "sections", s)
        for j, question in enumerate(_list(section, "questions")):
            base = ("sections", s, "questions", j)
            yield from _fields(question, _QUESTION, *base)
            for key in ("options", "scale"):
                for k, option in enumerate(_list(question, key)):
                    yield from _fields(option, _OPTION, *base, key, k)
            for k, item in enumerate(_list(question, "items")):
                yield from _fields(item, ("text",), *base, "items", k)
            for k, check in enumerate(_list(question, "checks")):
                yield from _fields(check, ("message",), *base, "checks", k)
            errors = question.get("errors") if isinstance(question, Mapping) else None
            if isinstance(errors, Mapping):
                yield from _fields(errors, tuple(errors), *base, "errors")


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a definition (keys too) with its JSON path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, v in value.items():
            yield path, str(key)
            yield from _strings(v, path + pointer(str(key)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + pointer(i))


def control_problems(data: Mapping[str, Any]) -> list[Problem]:
    """CONTROL_CHARACTER errors: NUL and other control characters (tab and new lines are fine) anywhere in the
    definition. Invisible, PostgreSQL's JSONB refuses NUL and XML (hence XLSX) most of them; a workbook's
    _x0000_ or a JSON file's \\u0000 would otherwise reach the database."""
    found = []
    for path, text in _strings(data):
        bad = CONTROL_CHARACTERS.search(text)
        if bad:
            found.append(problem("CONTROL_CHARACTER", path, char=f"U+{ord(bad.group()):04X}"))
    return found


def translation_problems(q: Questionnaire, data: Mapping[str, Any]) -> list[Problem]:
    """MISSING_MAIN_TEXT errors (a text without the main language), MISSING_TRANSLATION and UNKNOWN_LANGUAGE
    warnings; many gaps in one language become one warning."""
    missing: dict[str, list[str]] = defaultdict(list)
    found: list[Problem] = []
    offered = set(q.languages)
    for path, value in localised_strings(data):
        present = {q.language} if isinstance(value, str) else set(value if isinstance(value, Mapping) else ())
        if present and q.language not in present:  # every reader would get a translation's words
            shown = next(iter(value)) if isinstance(value, Mapping) else q.language
            found.append(problem("MISSING_MAIN_TEXT", path, language=q.language, shown=shown))
        for lang in q.languages:
            if lang not in present and lang != q.language:
                missing[lang].append(path)
        for lang in sorted(present - offered):
            found.append(problem("UNKNOWN_LANGUAGE", f"{path}/{lang}", language=lang))
    for lang, paths in missing.items():
        if len(paths) > _GROUPED_OVER:
            found.append(
                problem(
                    "MISSING_TRANSLATION",
                    paths[0],
                    default=f"'{q.language}'",
                    languages=f"'{lang}' text in {len(paths)} strings (the first is here)",
                )
            )
        else:
            found += [
                problem("MISSING_TRANSLATION", p, languages=f"'{lang}'", default=f"'{q.language}'")
                for p in paths
            ]
    return found
