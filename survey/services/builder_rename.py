"""Changing a question's id in a draft, and every reference to it (pure dicts; no Flask).

A question's id is made from its first words when it is added; it names the question in exports, in the
data dictionary and in messages, so staff may want a better one. The id is also how the rest of the
definition refers to the question, so a new id is written everywhere the old one was:

- conditions (`show_if` of sections, questions and options, `required_if`, `population_filter`) and the
  checks across questions (`checks[].when`), including a comparison with another answer (`value_of`);
- piped answers in every text and every language (`{{old_id}}`, `{{ old_id|fallback }}`);
- census mappings (`demographics[].question`);
- the builder's marks of translations to review, which name texts by question id
  (survey.services.builder_translations).

Headline figures and nets belong to the question itself and move with it. Answers are stored by question id,
so results of a published version do not join with results under the new id: `rename_question` does not
refuse that (the view asks for a confirmation), it only reports what it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from survey.engine.catalogue import Nn_
from survey.engine.piping import PIPE
from survey.engine.semantic import RESERVED_QUESTION_IDS
from survey.services.builder_translations import REVIEW_KEY
from survey.services.questionnaire_builder import BuildError, all_ids, find_question
from survey.services.words import gettext, ngettext

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")  # the JSON Schema's `id` ($defs/id)
ID_LIMIT = 64  # its maxLength


@dataclass
class Renamed:
    """What a rename changed, counted by kind of reference (for the page's message)."""

    old: str
    new: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        if n:
            self.counts[kind] = self.counts.get(kind, 0) + n

    def words(self) -> str:
        """'2 conditions, 1 piped answer' (empty when nothing else referred to it)."""
        return ", ".join(ngettext(*_COUNTED[kind], n) for kind, n in self.counts.items())

    def message(self) -> str:
        """The page's message: what changed and what was updated with it."""
        if not self.counts:
            return gettext(
                "Question id changed from %(old)s to %(new)s; nothing else referred to it",
                old=self.old,
                new=self.new,
            )
        return gettext(
            "Question id changed from %(old)s to %(new)s; updated %(words)s",
            old=self.old,
            new=self.new,
            words=self.words(),
        )


# Each kind of reference counted, in words (singular and plural msgids; `%(num)s` the count).
_COUNTED = {
    "condition": Nn_("%(num)s condition", "%(num)s conditions"),
    "check across questions": Nn_("%(num)s check across questions", "%(num)s checks across questions"),
    "piped answer": Nn_("%(num)s piped answer", "%(num)s piped answers"),
    "census mapping": Nn_("%(num)s census mapping", "%(num)s census mappings"),
    "translation to review": Nn_("%(num)s translation to review", "%(num)s translations to review"),
}


def check_new_id(definition: dict[str, Any], old: str, new: str) -> str:
    """The new id as it will be stored; BuildError with the reason when it cannot be used."""
    new = new.strip()
    if not new:
        raise BuildError(gettext("Enter the new id"))
    if len(new) > ID_LIMIT:
        raise BuildError(gettext("Question id must be %(limit)s characters or fewer", limit=ID_LIMIT))
    if not ID_PATTERN.fullmatch(new):
        raise BuildError(
            gettext(
                "A question id starts with a lower-case letter and has only a-z, 0-9 and _ (like victim_any)"
            )
        )
    if new == old:
        raise BuildError(gettext("The question's id is already %(id)s", id=old))
    if new in RESERVED_QUESTION_IDS:
        raise BuildError(
            gettext(
                "Every export has a column %(id)s already: choose another id (the export's columns are "
                "%(columns)s)",
                id=new,
                columns=", ".join(RESERVED_QUESTION_IDS),
            )
        )
    if new in all_ids(definition):
        raise BuildError(
            gettext(
                "The id %(id)s is already used in this questionnaire (by a section, question or item)", id=new
            )
        )
    return new


def _conditions(value: Any, old: str, new: str, renamed: Renamed) -> None:
    """Every comparison ({q, op, …}) anywhere in `value`: `q` and `value_of` naming `old` now name `new`."""
    if isinstance(value, list):
        for v in value:
            _conditions(v, old, new, renamed)
        return
    if not isinstance(value, dict):
        return
    if "op" in value and isinstance(value.get("q"), str):
        if value["q"] == old:
            value["q"] = new
            renamed.add("condition")
        if value.get("value_of") == old:
            value["value_of"] = new
            renamed.add("check across questions")
    for key, v in value.items():
        if key not in ("q", "value_of"):
            _conditions(v, old, new, renamed)


def _pipes(value: Any, old: str, new: str, renamed: Renamed) -> Any:
    """`value` with every `{{old}}` in its strings written `{{new}}` (fallback words kept)."""
    if isinstance(value, str):

        def one(match: re.Match[str]) -> str:
            if match["q"] != old:
                return match[0]
            renamed.add("piped answer")
            return match[0].replace(old, new, 1)  # only "{{" and spaces come before the id

        return PIPE.sub(one, value)
    if isinstance(value, list):
        return [_pipes(v, old, new, renamed) for v in value]
    if isinstance(value, dict):
        return {k: _pipes(v, old, new, renamed) for k, v in value.items()}
    return value


def rename_question(definition: dict[str, Any], old: str, new: str) -> Renamed:
    """Give question `old` the id `new` and write `new` wherever the definition referred to `old`."""
    _, question = find_question(definition, old)
    new = check_new_id(definition, old, new)
    renamed = Renamed(old, new)
    question["id"] = new
    for key in list(definition):
        if key not in ("id", "version", "language", "languages", "$schema", REVIEW_KEY):
            _conditions(definition[key], old, new, renamed)
            definition[key] = _pipes(definition[key], old, new, renamed)
    for mapping in definition.get("demographics") or []:
        if isinstance(mapping, dict) and mapping.get("question") == old:
            mapping["question"] = new
            renamed.add("census mapping")
    marks = definition.get(REVIEW_KEY)
    if isinstance(marks, dict):
        prefix = f"questions/{old}/"
        for lang, keys in marks.items():
            if isinstance(keys, list):
                moved = [
                    f"questions/{new}/{k[len(prefix) :]}" if str(k).startswith(prefix) else k for k in keys
                ]
                renamed.add(
                    "translation to review", sum(1 for a, b in zip(keys, moved, strict=True) if a != b)
                )
                marks[lang] = moved
    return renamed


def published_with(versions: list[tuple[str, dict[str, Any]]], qid: str) -> list[str]:
    """The published versions (version, definition) that have a question `qid`."""
    found = []
    for version, definition in versions:
        for s in definition.get("sections") or []:
            if any(isinstance(q, dict) and q.get("id") == qid for q in s.get("questions") or []):
                found.append(version)
                break
    return found
