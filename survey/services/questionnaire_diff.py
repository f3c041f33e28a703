"""What changed between two versions of a questionnaire, in words a council officer reads before publishing.

`describe_changes(old, new)` compares two definitions (dicts) and lists the changes: questions added,
removed, moved to another section, reworded, given another type, options added, removed or relabelled,
routing (show_if) changed, sections added, removed or with other routing, and the languages, support
contacts, census mappings or population filter changed; each change says whether
results for that question stay comparable across the two versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from survey.engine.catalogue import N_
from survey.services.condition_syntax import condition_text
from survey.services.words import gettext


@dataclass(frozen=True)
class Change:
    """One change: what it is about (a question or section id, or '' for the questionnaire), in words."""

    subject: str
    text: str
    comparable: bool = True


def _default_text(value: Any, language: str) -> str:
    if isinstance(value, dict):
        found = value.get(language, next(iter(value.values()), ""))
        return str(found)
    return "" if value is None else str(value)


def _questions(definition: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        str(q.get("id")): (str(s.get("id")), q)
        for s in definition.get("sections") or []
        for q in s.get("questions") or []
    }


def _condition(value: Any) -> str:
    if value is None:
        return gettext("always shown")
    text = condition_text(value)
    return gettext(
        "shown when %(condition)s",
        condition=text if text is not None else json.dumps(value, ensure_ascii=False),
    )


def _options(question: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries = question.get("scale") if question.get("type") == "rating" else question.get("options")
    return {str(o.get("code")): o for o in entries or []}


def _option_changes(qid: str, old: dict[str, Any], new: dict[str, Any], language: str) -> list[Change]:
    before, after = _options(old), _options(new)
    changes: list[Change] = []
    added = [c for c in after if c not in before]
    removed = [c for c in before if c not in after]
    if added:
        words = gettext("options added to %(id)s: %(codes)s", id=qid, codes=", ".join(added))
        changes.append(Change(qid, words, comparable=False))
    if removed:
        words = gettext("options removed from %(id)s: %(codes)s", id=qid, codes=", ".join(removed))
        changes.append(Change(qid, words, comparable=False))
    for code in (c for c in after if c in before):
        was, now = (_default_text(x[code].get("label"), language) for x in (before, after))
        if was != now:
            words = gettext(
                "option %(code)s of %(id)s relabelled: ‘%(was)s’ → ‘%(now)s’",
                code=code,
                id=qid,
                was=was,
                now=now,
            )
            changes.append(Change(qid, words))
    if [c for c in before if c in after] != [c for c in after if c in before]:
        changes.append(Change(qid, gettext("options of %(id)s put in another order", id=qid)))
    old_items = [i.get("id") for i in old.get("items") or []]
    new_items = [i.get("id") for i in new.get("items") or []]
    if old_items != new_items:
        changes.append(
            Change(
                qid,
                gettext(
                    "rating items of %(id)s changed: %(was)s → %(now)s",
                    id=qid,
                    was=", ".join(map(str, old_items)),
                    now=", ".join(map(str, new_items)),
                ),
                comparable=False,
            )
        )
    return changes


def _question_changes(
    qid: str, old: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]], language: str
) -> list[Change]:
    (old_section, before), (new_section, after) = old, new
    changes: list[Change] = []
    if old_section != new_section:
        words = gettext(
            "%(id)s moved from section %(was)s to %(now)s", id=qid, was=old_section, now=new_section
        )
        changes.append(Change(qid, words))
    if before.get("type") != after.get("type"):
        changes.append(
            Change(
                qid,
                gettext(
                    "%(id)s changed from a %(was)s question to a %(now)s question",
                    id=qid,
                    was=before.get("type"),
                    now=after.get("type"),
                ),
                comparable=False,
            )
        )
    was, now = (_default_text(x.get("text"), language) for x in (before, after))
    if was != now:
        words = gettext("%(id)s reworded: ‘%(was)s’ → ‘%(now)s’", id=qid, was=was, now=now)
        changes.append(Change(qid, words, comparable=False))
    if before.get("show_if") != after.get("show_if"):
        changes.append(
            Change(
                qid,
                gettext(
                    "routing of %(id)s changed: %(was)s → %(now)s",
                    id=qid,
                    was=_condition(before.get("show_if")),
                    now=_condition(after.get("show_if")),
                ),
                comparable=False,
            )
        )
    if before.get("required", True) != after.get("required", True):
        if after.get("required", True):
            changes.append(Change(qid, gettext("%(id)s is now required", id=qid)))
        else:
            changes.append(Change(qid, gettext("%(id)s is now optional", id=qid)))
    return changes + _option_changes(qid, before, after, language)


def _section_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before = {str(s.get("id")): s for s in old.get("sections") or []}
    after = {str(s.get("id")): s for s in new.get("sections") or []}
    changes = [Change(sid, gettext("section %(id)s added", id=sid)) for sid in after if sid not in before]
    changes += [Change(sid, gettext("section %(id)s removed", id=sid)) for sid in before if sid not in after]
    for sid in (s for s in after if s in before):
        if before[sid].get("show_if") != after[sid].get("show_if"):
            changes.append(
                Change(
                    sid,
                    gettext(
                        "routing of section %(id)s changed: %(was)s → %(now)s",
                        id=sid,
                        was=_condition(before[sid].get("show_if")),
                        now=_condition(after[sid].get("show_if")),
                    ),
                    comparable=False,
                )
            )
    return changes


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new` that matters to residents or to comparing results, in order."""
    language = str(new.get("language") or "en")
    before, after = _questions(old), _questions(new)
    changes = _section_changes(old, new)
    for qid, (section, question) in after.items():
        if qid not in before:
            text = _default_text(question.get("text"), language)
            words = gettext(
                "question %(id)s added to section %(section)s: ‘%(text)s’", id=qid, section=section, text=text
            )
            changes.append(Change(qid, words))
    changes += [
        Change(qid, gettext("question %(id)s removed", id=qid), comparable=False)
        for qid in before
        if qid not in after
    ]
    if [q for q in before if q in after] != [q for q in after if q in before]:
        changes.append(Change("", gettext("questions put in another order")))
    for qid in (q for q in after if q in before):
        changes += _question_changes(qid, before[qid], after[qid], language)
    for key, words in (
        ("languages", N_("languages offered changed")),
        ("support_contacts", N_("support contacts changed")),
        ("demographics", N_("demographic mappings changed")),
        ("population_filter", N_("who counts as the reference population changed")),
    ):
        if old.get(key) != new.get(key):
            changes.append(Change("", gettext(words), comparable=key != "population_filter"))
    return changes


def next_version(version: str, taken: set[str]) -> str:
    """A version number not yet used, one minor step on: 1.0.0 -> 1.1.0, 2 -> 3, 'spring' -> 'spring-2'."""
    parts = version.split(".")
    if all(p.isdigit() for p in parts):
        index = 1 if len(parts) > 1 else 0
        while True:
            parts = [*parts[:index], str(int(parts[index]) + 1), *(["0"] * (len(parts) - index - 1))]
            candidate = ".".join(parts)
            if candidate not in taken:
                return candidate
    number = 2
    while f"{version}-{number}" in taken:
        number += 1
    return f"{version}-{number}"
