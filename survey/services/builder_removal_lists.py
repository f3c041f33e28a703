"""Removing a support contact or a census mapping from a draft: found by its place in its list, so the plan
carries a fingerprint (`seen`) of what was there when the page asked, and the view removes nothing from a
list changed meanwhile. Removing the last support contact names the pages that show the support contacts.
Pure dicts, no Flask; `apply_removal` (builder_removal.py) carries the removal out."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from survey.services.builder_removal import LISTS, Dependent, Removal
from survey.services.questionnaire_builder import BuildError, Place, sections, text_in
from survey.services.words import gettext


def fingerprint(item: Any) -> str:
    """A short digest of one entry of a list, to tell whether it is still the one the page showed."""
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _words(definition: dict[str, Any], obj: dict[str, Any], key: str, fallback: str) -> str:
    lang = str(definition.get("language") or "en")
    return text_in(obj.get(key), lang, lang) or fallback


def _entry(definition: dict[str, Any], kind: str, index: int) -> dict[str, Any]:
    entries = definition.get(LISTS[kind])
    entry = entries[index] if isinstance(entries, list) and 0 <= index < len(entries) else None
    if not isinstance(entry, dict):
        if kind == "support contact":
            raise BuildError(gettext("There is no support contact %(n)s", n=index + 1))
        raise BuildError(gettext("There is no census mapping %(n)s", n=index + 1))
    return entry


def plan_contact(definition: dict[str, Any], index: int) -> Removal:
    """What removing support contact `index` (from 0) means."""
    contact = _entry(definition, "support contact", index)
    name = _words(definition, contact, "name", gettext("contact %(n)s", n=index + 1))
    removal = Removal(
        "support contact",
        name,
        gettext("the support contact ‘%(name)s’", name=name),
        index=index,
        seen=fingerprint(contact),
    )
    if len(definition["support_contacts"]) == 1:  # the last: pages that show them would show none
        for s in sections(definition):
            for q in s.get("questions") or []:
                if isinstance(q, dict) and q.get("show_support_contacts"):
                    qid = str(q.get("id"))
                    removal.dependents.append(
                        Dependent(
                            gettext(
                                "Page ‘%(name)s’ shows the support contacts, and there would be none",
                                name=_words(definition, q, "text", qid),
                            ),
                            Place("question", qid, "show_support_contacts"),
                        )
                    )
    return removal


def plan_mapping(definition: dict[str, Any], index: int) -> Removal:
    """What removing census mapping `index` (from 0) means."""
    mapping = _entry(definition, "census mapping", index)
    qid, dimension = str(mapping.get("question")), str(mapping.get("dimension"))
    name = next(
        (
            _words(definition, q, "text", qid)
            for s in sections(definition)
            for q in s.get("questions") or []
            if isinstance(q, dict) and q.get("id") == qid
        ),
        qid,
    )
    return Removal(
        "census mapping",
        qid,
        gettext("the census mapping of ‘%(name)s’ onto %(dimension)s", name=name, dimension=dimension),
        key=dimension,
        index=index,
        seen=fingerprint(mapping),
    )
