"""Removing a section, question, option, scale point or item from a draft, and what else refers to it.

The builder asks before it removes anything (support contacts and census mappings too, planned in
builder_removal_lists.py): `plan_removal` says in words what goes with it (a section's
questions, census mappings of a removed question or option) and what will be left referring to something
that no longer exists (conditions, piped answers, net figures). Those are not rewritten behind the member of
staff's back: after the removal the engine's checks name each broken reference at its field, and the draft
cannot be published until it is changed. Pure dicts, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from survey.engine.catalogue import N_
from survey.engine.piping import PIPE
from survey.services.questionnaire_builder import (
    BuildError,
    Place,
    choice_list,
    find_question,
    section,
    sections,
    text_in,
)
from survey.services.words import gettext

KINDS = {"options": "option", "scale": "point of the scale", "items": "item"}  # not translated: Removal.kind
# The words for a choice (whole phrases for translators; `%(label)s` the choice, `%(name)s` the question).
WHAT = {
    "options": N_("the option ‘%(label)s’ of the question ‘%(name)s’"),
    "scale": N_("the point of the scale ‘%(label)s’ of the question ‘%(name)s’"),
    "items": N_("the item ‘%(label)s’ of the question ‘%(name)s’"),
}
MISSING = {
    "options": N_("Question %(id)s has no option %(key)s"),
    "scale": N_("Question %(id)s has no point of the scale %(key)s"),
    "items": N_("Question %(id)s has no item %(key)s"),
}
STOPS_COUNTING = {
    "options": N_("The census mapping onto %(dimension)s stops counting this option"),
    "scale": N_("The census mapping onto %(dimension)s stops counting this point of the scale"),
}


@dataclass(frozen=True)
class Dependent:
    """Something that will refer to the removed thing: in words, and where it is changed."""

    words: str
    place: Place


@dataclass
class Removal:
    """What removing one thing means: its name in words, what goes with it, what is left broken."""

    kind: str  # "section", "question", "option", "point of the scale" or "item"
    ident: str  # the section or question id
    what: str  # "the question ‘How old are you?’"
    which: str = ""  # for choices: "options", "scale" or "items"
    key: str = ""  # for choices: the option code or item id
    questions: list[str] = field(default_factory=list)  # the questions removed with a section, in words
    mappings: list[str] = field(default_factory=list)  # census mappings removed or changed, in words
    dependents: list[Dependent] = field(default_factory=list)
    question_ids: frozenset[str] = frozenset()  # the questions that go
    index: int | None = None  # support contacts and census mappings: the place in their list (from 0)
    seen: str = ""  # …and a fingerprint of what was there, so a list changed meanwhile removes nothing


def _lang(definition: dict[str, Any]) -> str:
    return str(definition.get("language") or "en")


def _words(definition: dict[str, Any], obj: dict[str, Any], key: str, fallback: str) -> str:
    lang = _lang(definition)
    return text_in(obj.get(key), lang, lang) or fallback


def _leaves(condition: Any) -> Iterator[dict[str, Any]]:
    """Every comparison of a condition ({all}, {any}, {not} or {q, op, ...})."""
    if not isinstance(condition, dict):
        return
    for combine in ("all", "any"):
        if isinstance(condition.get(combine), list):
            for sub in condition[combine]:
                yield from _leaves(sub)
            return
    if "not" in condition:
        yield from _leaves(condition["not"])
    elif "q" in condition:
        yield condition


@dataclass(frozen=True)
class _Site:
    """A condition somewhere in the definition, who owns it, and where it is changed."""

    condition: Any
    words: str
    place: Place
    section: str
    question: str  # "" for a section's own condition or the population filter


def _sites(definition: dict[str, Any]) -> Iterator[_Site]:
    for s in sections(definition):
        sid = str(s.get("id"))
        title = _words(definition, s, "title", sid)
        if s.get("show_if"):
            yield _Site(
                s["show_if"],
                gettext("When section ‘%(title)s’ is shown", title=title),
                Place("condition", sid, "show_if"),
                sid,
                "",
            )
        for q in s.get("questions") or []:
            qid = str(q.get("id"))
            name = _words(definition, q, "text", qid)
            if q.get("show_if"):
                yield _Site(
                    q["show_if"],
                    gettext("When question ‘%(name)s’ is shown", name=name),
                    Place("condition", qid, "show_if"),
                    sid,
                    qid,
                )
            if q.get("required_if"):
                yield _Site(
                    q["required_if"],
                    gettext("When question ‘%(name)s’ must be answered", name=name),
                    Place("question", qid, "required_if"),
                    sid,
                    qid,
                )
            for o in q.get("options") or []:
                if isinstance(o, dict) and o.get("show_if"):
                    label = _words(definition, o, "label", str(o.get("code")))
                    yield _Site(
                        o["show_if"],
                        gettext(
                            "When option ‘%(label)s’ of question ‘%(name)s’ is shown", label=label, name=name
                        ),
                        Place("choices", qid, "options"),
                        sid,
                        qid,
                    )
            for check in q.get("checks") or []:
                if isinstance(check, dict) and check.get("when"):
                    yield _Site(
                        check["when"],
                        gettext("A check on the answer to question ‘%(name)s’", name=name),
                        Place("question", qid, "checks"),
                        sid,
                        qid,
                    )
    if definition.get("population_filter"):
        yield _Site(
            definition["population_filter"],
            gettext("Who the questionnaire is for (its population filter)"),
            Place("settings", "", "population_filter"),
            "",
            "",
        )


# What a condition or a question's words refer to: whole sentences, `%(site)s` the condition's words.
LOOKS_AT = {
    "question": N_("%(site)s: it looks at the answer to it"),
    "section": N_("%(site)s: it looks at the answer to one of its questions"),
    "choice": N_("%(site)s: it looks at the answer ‘%(label)s’"),
}
SHOWS = {
    "text": {
        "question": N_("The text of question ‘%(name)s’ shows the answer to it"),
        "section": N_("The text of question ‘%(name)s’ shows the answer to one of its questions"),
    },
    "hint": {
        "question": N_("The hint of question ‘%(name)s’ shows the answer to it"),
        "section": N_("The hint of question ‘%(name)s’ shows the answer to one of its questions"),
    },
    "body": {
        "question": N_("The body of question ‘%(name)s’ shows the answer to it"),
        "section": N_("The body of question ‘%(name)s’ shows the answer to one of its questions"),
    },
}


def _conditions_using(
    definition: dict[str, Any], gone: Removal, uses: Any, what: str, **values: str
) -> list[Dependent]:
    """Conditions outside the removed part with a comparison for which `uses(leaf)` is true (`what`: a key
    of LOOKS_AT)."""
    found = []
    for site in _sites(definition):
        if site.question in gone.question_ids or (gone.kind == "section" and site.section == gone.ident):
            continue
        if any(uses(leaf) for leaf in _leaves(site.condition)):
            found.append(Dependent(gettext(LOOKS_AT[what], site=site.words, **values), site.place))
    return found


def _piped(definition: dict[str, Any], gone: Removal, what: str) -> list[Dependent]:
    """Questions outside the removed part whose words show an answer that goes ({{question_id}}); `what`:
    'question' or 'section'."""
    found = []
    for s in sections(definition):
        for q in s.get("questions") or []:
            qid = str(q.get("id"))
            if qid in gone.question_ids:
                continue
            for key in ("text", "hint", "body"):
                value = q.get(key)
                texts = list(value.values()) if isinstance(value, dict) else [value]
                piped = {m["q"] for t in texts if isinstance(t, str) for m in PIPE.finditer(t)}
                if piped & gone.question_ids:
                    name = _words(definition, q, "text", qid)
                    found.append(
                        Dependent(
                            gettext(SHOWS[key][what], name=name),
                            Place("question", qid, key),
                        )
                    )
    return found


def _question_removal(definition: dict[str, Any], removal: Removal) -> Removal:
    ids = removal.question_ids

    def uses(leaf: dict[str, Any]) -> bool:
        return leaf.get("q") in ids or leaf.get("value_of") in ids

    what = "question" if removal.kind == "question" else "section"
    removal.dependents = _conditions_using(definition, removal, uses, what) + _piped(
        definition, removal, what
    )
    names = {
        str(q.get("id")): _words(definition, q, "text", str(q.get("id")))
        for s in sections(definition)
        for q in s.get("questions") or []
        if isinstance(q, dict)
    }
    for m in definition.get("demographics") or []:
        if isinstance(m, dict) and m.get("question") in ids:
            name = names.get(str(m.get("question")), str(m.get("question")))
            removal.mappings.append(
                gettext(
                    "The census mapping of ‘%(name)s’ onto %(dimension)s is removed with it",
                    name=name,
                    dimension=m.get("dimension"),
                )
            )
    return removal


def plan_section(definition: dict[str, Any], sid: str) -> Removal:
    """What removing section `sid` (and its questions) means."""
    s = section(definition, sid)
    questions = [q for q in s.get("questions") or [] if isinstance(q, dict)]
    removal = Removal(
        "section",
        sid,
        gettext("the section ‘%(title)s’", title=_words(definition, s, "title", sid)),
        questions=[f"‘{_words(definition, q, 'text', str(q.get('id')))}’" for q in questions],
        question_ids=frozenset(str(q.get("id")) for q in questions),
    )
    return _question_removal(definition, removal)


def plan_question(definition: dict[str, Any], qid: str) -> Removal:
    """What removing question `qid` means."""
    _, q = find_question(definition, qid)
    removal = Removal(
        "question",
        qid,
        gettext("the question ‘%(name)s’", name=_words(definition, q, "text", qid)),
        question_ids=frozenset({qid}),
    )
    return _question_removal(definition, removal)


def plan_choice(definition: dict[str, Any], qid: str, which: str, key: str) -> Removal:
    """What removing the option, scale point or item `key` (its code or id) of question `qid` means."""
    _, q = find_question(definition, qid)
    items = choice_list(q, which) if which in KINDS else None
    ident_key = "id" if which == "items" else "code"
    chosen = next((o for o in items or [] if str(o.get(ident_key)) == key), None)
    if chosen is None:
        if which not in MISSING:
            raise BuildError(
                gettext("Question %(id)s has no %(which)s %(key)s", id=qid, which=which, key=key)
            )
        raise BuildError(gettext(MISSING[which], id=qid, key=key))
    name = _words(definition, q, "text", qid)
    label = _words(definition, chosen, "text" if which == "items" else "label", key)
    kind = KINDS[which]
    removal = Removal(kind, qid, gettext(WHAT[which], label=label, name=name), which=which, key=key)

    def uses(leaf: dict[str, Any]) -> bool:
        if leaf.get("q") != qid:
            return False
        if which == "items":
            return leaf.get("item") == key
        value = leaf.get("value")
        return value == key or (isinstance(value, list) and key in value)

    removal.dependents = _conditions_using(definition, removal, uses, "choice", label=label)
    if which != "items":
        for net in q.get("net") or []:
            if isinstance(net, dict) and key in (net.get("codes") or []):
                words = _words(definition, net, "label", gettext("a net figure"))
                removal.dependents.append(
                    Dependent(
                        gettext("The net figure ‘%(label)s’ of this question counts it", label=words),
                        Place("question", qid, "net"),
                    )
                )
        for m in definition.get("demographics") or []:
            if isinstance(m, dict) and m.get("question") == qid and key in (m.get("map") or {}):
                removal.mappings.append(gettext(STOPS_COUNTING[which], dimension=m.get("dimension")))
    return removal


LISTS = {"support contact": "support_contacts", "census mapping": "demographics"}


def apply_removal(definition: dict[str, Any], removal: Removal) -> None:
    """Remove what `removal` names (with the census mappings it lists); the rest is left for the checks."""
    if removal.index is not None:  # a support contact or census mapping: its list goes when emptied
        key = LISTS[removal.kind]
        definition[key].pop(removal.index)
        if not definition[key]:
            definition.pop(key)
        return
    if removal.kind == "section":
        all_sections = sections(definition)
        all_sections.remove(section(definition, removal.ident))
    elif removal.kind == "question":
        owner, q = find_question(definition, removal.ident)
        owner["questions"].remove(q)
    else:
        _, q = find_question(definition, removal.ident)
        items = choice_list(q, removal.which)
        ident_key = "id" if removal.which == "items" else "code"
        q[removal.which] = [o for o in items if str(o.get(ident_key)) != removal.key]
    mappings = definition.get("demographics")
    if not isinstance(mappings, list):
        return
    if removal.question_ids:
        mappings[:] = [
            m for m in mappings if not (isinstance(m, dict) and m.get("question") in removal.question_ids)
        ]
    elif removal.which in ("options", "scale"):
        for m in mappings:
            if isinstance(m, dict) and m.get("question") == removal.ident and isinstance(m.get("map"), dict):
                m["map"].pop(removal.key, None)
    if not mappings:
        definition.pop("demographics")
