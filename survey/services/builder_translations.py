"""Translations a rewording has left behind: when the main-language words of a text change and the text has a
translation, that translation is marked 'changed since translated' until someone changes it or confirms it.

The marks live in the definition under REVIEW_KEY ({language: [text key, ...]}), an "x-" key the JSON Schema
allows and the engine ignores, so they travel with the draft (and a draft made from a published version). A
text key names the text by ids and codes, not list positions ("questions/victim/options/yes/label"), so moving
a question (to another section too) or an option keeps its mark.
"""

from __future__ import annotations

from typing import Any

from survey.services.questionnaire_builder import TextSlot, languages, resolve, text_in, text_slots

REVIEW_KEY = "x-translations-to-review"


def text_key(definition: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """A text's key: its path with each list position replaced by the entry's id or code when it has one."""
    parts: list[str] = []
    obj: Any = definition
    for part in path:
        obj = obj[part]
        if isinstance(part, int) and isinstance(obj, dict) and (obj.get("id") or obj.get("code")):
            parts.append(str(obj.get("id") or obj.get("code")))
        else:
            parts.append(str(part))
    if parts[:1] == ["sections"] and parts[2:3] == ["questions"]:
        parts = parts[2:]  # question ids are unique: a question moved to another section keeps its key
    return "/".join(parts)


def _texts(definition: dict[str, Any]) -> dict[str, dict[str, str]]:
    """text key -> {language: words} for every translatable text."""
    default = languages(definition)[0]
    found: dict[str, dict[str, str]] = {}
    for slot in text_slots(definition):
        obj, key = resolve(definition, slot.path)
        value = obj.get(key)
        found[text_key(definition, slot.path)] = {
            lang: text_in(value, lang, default) for lang in languages(definition)
        }
    return found


def marks(definition: dict[str, Any]) -> dict[str, list[str]]:
    """The texts marked for review, per language."""
    raw = definition.get(REVIEW_KEY)
    if not isinstance(raw, dict):
        return {}
    return {str(lang): [str(k) for k in keys] for lang, keys in raw.items() if isinstance(keys, list)}


def remark(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Update `after`'s marks for the edit from `before`: a translation whose main-language words changed (and
    which itself did not) is marked; a mark goes when its translation changes, empties, or its text goes."""
    default = languages(after)[0]
    old, new = _texts(before), _texts(after)
    found = marks(after)
    result: dict[str, list[str]] = {}
    for lang in languages(after)[1:]:
        keep = []
        for key, words in new.items():
            was = old.get(key)
            translated = bool(words.get(lang))
            if not translated:
                continue
            marked = key in found.get(lang, [])
            if was is not None and was.get(lang) != words.get(lang):
                marked = False  # translated again (or corrected) in this edit
            elif was is not None and was.get(default) != words.get(default):
                marked = True  # reworded; the translation stayed as it was
            if marked:
                keep.append(key)
        if keep:
            result[lang] = keep
    if result:
        after[REVIEW_KEY] = result
    else:
        after.pop(REVIEW_KEY, None)


def confirm(definition: dict[str, Any], lang: str, keys: set[str]) -> None:
    """Staff say these translations into `lang` are still right: their marks go."""
    found = marks(definition)
    left = [k for k in found.get(lang, []) if k not in keys]
    if left:
        found[lang] = left
    else:
        found.pop(lang, None)
    if found:
        definition[REVIEW_KEY] = found
    else:
        definition.pop(REVIEW_KEY, None)


def to_review(definition: dict[str, Any], lang: str) -> list[TextSlot]:
    """The texts whose translation into `lang` is marked 'changed since translated' (questionnaire order)."""
    wanted = set(marks(definition).get(lang, []))
    return [s for s in text_slots(definition) if text_key(definition, s.path) in wanted]


def review_counts(definition: dict[str, Any]) -> dict[str, int]:
    """language -> how many of its translations are marked (only languages with marks)."""
    counts = {lang: len(to_review(definition, lang)) for lang in marks(definition)}
    return {lang: n for lang, n in counts.items() if n}
