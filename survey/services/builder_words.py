"""The engine's problems in the builder's words: a question named by its number and words, not its id, and the
JSON format's terms ('map', 'support_contacts', 'gt') replaced by what the builder's pages call them.

The engine's messages are written for people editing the JSON file (the command line and spreadsheets show
them as they are); the builder shows the same problems to people who never see the JSON. The catalogue code
stays, so a problem can still be looked up in docs/questionnaires.md.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from survey.engine import Problem
from survey.services.builder_operators import OPERATORS
from survey.services.questionnaire_builder import text_in

# JSON terms (as the messages quote them) and the builder's words for them.
TERMS = {
    "map": "a mapping of options onto categories",
    "ranges": "number ranges (From and To)",
    "support_contacts": "a support contact on the Support contacts page",
    "show_support_contacts": "the tick ‘Show the support contacts on this page’",
    "min": "‘Smallest number allowed’",
    "max": "‘Largest number allowed’",
    "languages": "the languages offered (on the Translations page)",
    "exclusive": "the ‘None of these’ kind",
    "decimal": "‘A number with decimals’",
    **{op: f"‘{words}’" for op, words in OPERATORS.items()},
    "in": "‘is one of’",
    "not_in": "‘is not one of’",
}
_TYPE_WORDS = {"single": "choose-one", "multiple": "choose-any"}
_QUOTED = re.compile(r"(?:\b(?P<kind>question|page|section|mapping for|dimension) )?'(?P<name>[^']*)'")
_CENSUS = ("mapping for", "dimension")  # a census dimension's name, not an id of the questionnaire
_PLAIN = {  # whole phrases of the JSON format
    "remove 'item'": "remove the rule and add it again",
    ', for example "value": ...': "",
}
_SHOW_IF = re.compile(r"\ba show_if\b")
_OP_LIST = re.compile(r"(?P<lead>fits the question: )(?P<ops>[a-z_, ]+)(?=\.|$)")


def names(definition: dict[str, Any]) -> dict[str, str]:
    """id -> words for every section, question and rating item: "question 2.1 ‘What happened?’"."""
    lang = str(definition.get("language") or "en")
    found: dict[str, str] = {}
    for s_number, s in enumerate(definition.get("sections") or [], start=1):
        if not isinstance(s, dict):
            continue
        title = _short(text_in(s.get("title"), lang, lang))
        found[str(s.get("id"))] = f"section {s_number}" + (f" ‘{title}’" if title else "")
        for q_number, q in enumerate(s.get("questions") or [], start=1):
            if not isinstance(q, dict):
                continue
            words = _short(text_in(q.get("text"), lang, lang))
            found[str(q.get("id"))] = f"question {s_number}.{q_number}" + (f" ‘{words}’" if words else "")
            for item in q.get("items") or []:
                if isinstance(item, dict):
                    label = _short(text_in(item.get("text"), lang, lang))
                    found.setdefault(str(item.get("id")), f"item ‘{label or item.get('id')}’")
    return found


def _short(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= 60 else words[:57].rstrip() + "…"


def reword(text: str, known: dict[str, str]) -> str:
    """`text` with quoted ids in words and quoted JSON terms in the builder's words."""

    def one(match: re.Match[str]) -> str:
        kind, name = match["kind"], match["name"]
        if kind in _CENSUS:
            return f"{kind} ‘{name}’"
        if name in known:
            return known[name]
        if name in TERMS:
            return (f"{kind} " if kind else "") + TERMS[name]
        return match[0]

    for phrase, words in _PLAIN.items():
        text = text.replace(phrase, words)
    text = _QUOTED.sub(one, text)
    text = _OP_LIST.sub(
        lambda m: m["lead"] + ", ".join(TERMS.get(op.strip(), op.strip()) for op in m["ops"].split(",")), text
    )
    text = _SHOW_IF.sub("a rule under ‘When it is shown’", text)
    for json_type, words in _TYPE_WORDS.items():
        text = re.sub(rf"\b{json_type} question\b", f"{words} question", text)
        text = re.sub(rf"\ba {json_type} question\b", f"a {words} question", text)
    return text


def in_builder_words(
    problem: Problem, definition: dict[str, Any], known: dict[str, str] | None = None
) -> Problem:
    """The problem with its message and advice in the builder's words (its code and path unchanged)."""
    known = names(definition) if known is None else known
    return dataclasses.replace(
        problem, message=reword(problem.message, known), advice=reword(problem.advice, known)
    )
