"""Editing a questionnaire definition one step at a time, for the staff builder (pure dicts; no Flask).

Every function takes the draft's definition (a dict in the documented JSON format) and changes it in place,
or reads from it; the engine (`survey.engine.validate_dict`) checks the result after every save. The question
types and option kinds come from the engine's JSON Schema, so a type added there appears in the builder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from survey.engine import Problem
from survey.engine.answers import BIDI_CONTROLS, CONTROL_CHARACTERS, clean_text
from survey.engine.catalogue import N_
from survey.engine.localisation import localised_strings
from survey.engine.semantic import RESERVED_QUESTION_IDS
from survey.services.builder_operators import rule_words
from survey.services.inputs import whole_number
from survey.services.words import gettext

SCHEMA_REF = "./questionnaire.schema.json"
# The labels are msgids (N_), translated when the builder lists them.
_TYPE_LABELS = {
    "single": N_("Choose one option (radios)"),
    "multiple": N_("Choose any options (checkboxes)"),
    "rating": N_("Rate items on a scale (a grid)"),
    "text": N_("Free text"),
    "number": N_("A whole number"),
    "info": N_("Information or interruption page (no answer)"),
    "decimal": N_("A number with decimals"),
    "money": N_("An amount of money (£)"),
    "date": N_("A date"),
    "postcode": N_("A postcode (only its first half is kept)"),
    "consent": N_("Consent (a box to tick)"),
    "grid": N_("A grid of checkboxes (items by options)"),
    "ranking": N_("Put items in order (ranking)"),
}
# Which lists of choices each type has (the builder's pages for them).
CHOICE_LISTS = {
    "single": ("options",),
    "multiple": ("options",),
    "rating": ("items", "scale"),
    "grid": ("items", "options"),
    "ranking": ("items",),
}
_KIND_LABELS = {
    "answer": N_("An ordinary answer"),
    "prefer_not_to_say": N_("Prefer not to say"),
    "dont_know": N_("Don’t know"),
    "none": N_("None of these"),
}


# The most characters a builder text may have: a line (titles, questions, labels) or a box of paragraphs.
LINE_LIMIT = 500
BOX_LIMIT = 5_000
# The texts written as paragraphs (a box of text in the builder, long text in a spreadsheet cell).
BOX_TEXTS = frozenset({"description", "intro", "body", "privacy", "results"})


def text_limit(key: str) -> int:
    """The most characters the text `key` of the format ("title", "body", …) may have, in any language."""
    return BOX_LIMIT if key in BOX_TEXTS else LINE_LIMIT


def clean_words(text: str) -> str:
    """Builder text as stored: the cleaning residents' free-text answers get (NFC, \\n new lines, no control
    characters such as NUL, which PostgreSQL's JSONB refuses, no bidirectional controls or marks (typed into a
    label they reorder the words residents and staff see), no surrounding spaces)."""
    return clean_text(text)


def cleaned(value: Any) -> Any:
    """`value` (a definition, or any part of one) without control or bidi characters in any string, keys too
    (the last guard before a draft is stored; spaces are left as they are)."""
    if isinstance(value, str):
        return BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", value))
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if isinstance(value, dict):
        return {cleaned(str(k)): cleaned(v) for k, v in value.items()}
    return value


class BuildError(ValueError):
    """An edit that cannot be made as asked; the message says why in plain words."""


def _schema() -> dict[str, Any]:
    text = resources.files("survey.engine").joinpath("questionnaire.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def question_types() -> list[tuple[str, str]]:
    """(type, words) for every question type the schema allows, in schema order."""
    types = _schema()["$defs"]["question"]["properties"]["type"]["enum"]
    return [
        (t, gettext(_TYPE_LABELS[t]) if t in _TYPE_LABELS else t.replace("_", " ").capitalize())
        for t in types
    ]


def option_kinds() -> list[tuple[str, str]]:
    """(kind, words) for every option kind the schema allows."""
    kinds = _schema()["$defs"]["option"]["properties"]["kind"]["enum"]
    return [
        (k, gettext(_KIND_LABELS[k]) if k in _KIND_LABELS else k.replace("_", " ").capitalize())
        for k in kinds
    ]


# ---- localised text -------------------------------------------------------------------------------


def text_in(value: Any, lang: str, default: str) -> str:
    """The words of a localised text in `lang` ('' when missing)."""
    if isinstance(value, dict):
        return str(value.get(lang, ""))
    if isinstance(value, str) and lang == default:
        return value
    return ""


def with_text(value: Any, lang: str, words: str, default: str) -> Any:
    """The localised text `value` with its `lang` words set to `words` (removed when empty)."""
    words = words.strip()
    texts: dict[str, str] = {}
    if isinstance(value, dict):
        texts = {str(k): str(v) for k, v in value.items()}
    elif isinstance(value, str) and value:
        texts = {default: value}
    if words:
        texts[lang] = words
    else:
        texts.pop(lang, None)
    if not texts:
        return None
    if set(texts) == {default}:
        return texts[default]
    return texts


def set_text(obj: dict[str, Any], key: str, lang: str, words: str, default: str) -> None:
    """Set or clear one localised text field of `obj`."""
    value = with_text(obj.get(key), lang, words, default)
    if value is None:
        obj.pop(key, None)
    else:
        obj[key] = value


def languages(definition: dict[str, Any]) -> list[str]:
    """The questionnaire's languages, default first."""
    default = str(definition.get("language") or "en")
    langs = [str(x) for x in definition.get("languages") or [default]]
    return [default] + [x for x in langs if x != default]


def add_language(definition: dict[str, Any], lang: str) -> None:
    """Offer another language (its translations are then listed as missing)."""
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", lang):
        raise BuildError(gettext("Enter a language code such as cy (Welsh) or pl (Polish)"))
    langs = languages(definition)
    if lang in langs:
        raise BuildError(gettext("The questionnaire already offers %(lang)s", lang=lang))
    definition["languages"] = [*langs, lang]


# ---- ids --------------------------------------------------------------------------------------------


def all_ids(definition: dict[str, Any]) -> set[str]:
    """Every section, question and rating item id in use."""
    ids: set[str] = set()
    for section in definition.get("sections") or []:
        ids.add(str(section.get("id")))
        for question in section.get("questions") or []:
            ids.add(str(question.get("id")))
            ids.update(str(i.get("id")) for i in question.get("items") or [])
    return ids


def slug(words: str, taken: set[str], prefix: str) -> str:
    """An id made from `words` (lower case, underscores) not in `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")[:40].strip("_")
    if not base or not base[0].isalpha():
        base = f"{prefix}_{base}" if base else prefix
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def code_slug(words: str, taken: set[str]) -> str:
    """A stable option code made from `words`, not in `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")[:30] or "option"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


# ---- sections and questions ---------------------------------------------------------------------------


def blank(qid: str, title: str, language: str) -> dict[str, Any]:
    """A new questionnaire with one empty section (the checks then ask for its first question)."""
    return {
        "$schema": SCHEMA_REF,
        "id": qid,
        "version": "0.1.0",
        "language": language,
        "title": title,
        "sections": [{"id": "section_1", "title": "Section 1", "questions": []}],
    }


def sections(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections list (created when missing)."""
    found = definition.setdefault("sections", [])
    if not isinstance(found, list):
        raise BuildError(gettext("This draft's sections are not a list"))
    return found


def section(definition: dict[str, Any], sid: str) -> dict[str, Any]:
    """The section `sid`."""
    for s in sections(definition):
        if s.get("id") == sid:
            return s
    raise BuildError(gettext("There is no section %(id)s", id=sid))


def find_question(definition: dict[str, Any], qid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(section, question) for the question `qid`."""
    for s in sections(definition):
        for q in s.get("questions") or []:
            if q.get("id") == qid:
                return s, q
    raise BuildError(gettext("There is no question %(id)s", id=qid))


def add_section(definition: dict[str, Any], title: str) -> dict[str, Any]:
    """A new empty section at the end."""
    new = {"id": slug(title, all_ids(definition), "section"), "title": title.strip(), "questions": []}
    sections(definition).append(new)
    return new


def add_question(definition: dict[str, Any], sid: str, qtype: str, text: str) -> dict[str, Any]:
    """A new question of `qtype` at the end of section `sid`."""
    if qtype not in dict(question_types()):
        raise BuildError(gettext("Select a type of question"))
    taken = all_ids(definition) | set(RESERVED_QUESTION_IDS)  # 'Status' gives status_2: exports have status
    new: dict[str, Any] = {"id": slug(text, taken, "q"), "type": qtype, "text": text.strip()}
    for which in CHOICE_LISTS.get(qtype, ()):
        new[which] = []
    if qtype == "info":
        new["style"] = "information"
    section(definition, sid).setdefault("questions", []).append(new)
    return new


def move(items: list[Any], index: int, step: int) -> None:
    """Move items[index] one place up (-1) or down (+1); nothing happens at the ends."""
    other = index + step
    if 0 <= index < len(items) and 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def move_question_across(definition: dict[str, Any], qid: str, step: int) -> None:
    """Move a question up or down; at the top or bottom of a section it moves into the next section."""
    owner, question = find_question(definition, qid)
    questions = owner["questions"]
    index = questions.index(question)
    other = index + step
    if 0 <= other < len(questions):
        move(questions, index, step)
        return
    all_sections = sections(definition)
    s_index = all_sections.index(owner)
    target = s_index + step
    if 0 <= target < len(all_sections):
        questions.pop(index)
        into = all_sections[target].setdefault("questions", [])
        if step < 0:
            into.append(question)
        else:
            into.insert(0, question)


def _position(words: str, count: int) -> int:
    """A 1-based position from a form (1 to count), as a list index; BuildError otherwise."""
    position = whole_number(words, low=1, high=max(count, 1))  # not int(): '²' and 5,000 digits fail in it
    if position is None or position > count:
        raise BuildError(gettext("Choose a position from 1 to %(count)s", count=count))
    return position - 1


def move_section_to(definition: dict[str, Any], sid: str, position: str) -> None:
    """Move section `sid` to `position` (1 = first) among the sections (dragged there in the overview)."""
    all_sections = sections(definition)
    moving = section(definition, sid)
    index = _position(position, len(all_sections))
    all_sections.remove(moving)
    all_sections.insert(index, moving)


def move_question_to(definition: dict[str, Any], qid: str, sid: str, position: str) -> None:
    """Move question `qid` to `position` (1 = first) of section `sid`, which may be another section."""
    owner, question = find_question(definition, qid)
    target = section(definition, sid)
    questions = target.setdefault("questions", [])
    count = len(questions) + (0 if target is owner else 1)
    index = _position(position, count)
    owner["questions"].remove(question)
    questions.insert(index, question)


def choice_list(question: dict[str, Any], which: str) -> list[dict[str, Any]]:
    """A question's options, scale or items list (created when missing)."""
    if which not in ("options", "scale", "items"):
        raise BuildError(gettext("%(which)s is not a list of choices", which=which))
    found = question.setdefault(which, [])
    if not isinstance(found, list):
        raise BuildError(gettext("This question's %(which)s are not a list", which=which))
    return found


def add_choice(
    definition: dict[str, Any], question: dict[str, Any], which: str, label: str, code: str, kind: str
) -> None:
    """Add an option or scale point (stable code) or a rating item (id) with its label."""
    items = choice_list(question, which)
    lang = str(definition.get("language") or "en")
    if which == "items":
        ident = code.strip() or slug(label, all_ids(definition), "item")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
            raise BuildError(gettext("An item id starts with a letter and has only a-z, 0-9 and _"))
        if ident in all_ids(definition):
            raise BuildError(gettext("The id %(id)s is already used in this questionnaire", id=ident))
        items.append({"id": ident, "text": with_text(None, lang, label, lang)})
        return
    taken = {str(o.get("code")) for o in items}
    code = code.strip() or code_slug(label, taken)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", code):
        raise BuildError(
            gettext("A code starts with a letter or digit and has only letters, digits, _ . and -")
        )
    if code in taken:
        raise BuildError(
            gettext("The code %(code)s is already used by another option of this question", code=code)
        )
    option: dict[str, Any] = {"code": code, "label": with_text(None, lang, label, lang)}
    if kind and kind != "answer":
        option["kind"] = kind
    items.append(option)


# ---- conditions ---------------------------------------------------------------------------------------


@dataclass
class BuiltCondition:
    """A condition as the builder shows it: comparisons joined by all/any, perhaps negated."""

    combine: str  # "all" or "any"
    negate: bool
    leaves: list[dict[str, Any]]
    editable: bool = True


def read_condition(value: Any) -> BuiltCondition:
    """The builder's view of a show_if (a condition made elsewhere that does not fit is not editable)."""
    if not value:
        return BuiltCondition("all", False, [])
    negate = False
    if isinstance(value, dict) and set(value) == {"not"}:
        negate, value = True, value["not"]
    if isinstance(value, dict) and "q" in value:
        return BuiltCondition("all", negate, [value])
    for combine in ("all", "any"):
        if isinstance(value, dict) and set(value) == {combine} and isinstance(value[combine], list):
            leaves = value[combine]
            if all(isinstance(x, dict) and "q" in x for x in leaves):
                return BuiltCondition(combine, negate, list(leaves))
    return BuiltCondition("all", negate, [], editable=False)


def write_condition(built: BuiltCondition) -> dict[str, Any] | None:
    """The show_if for a built condition (None when it has no comparisons)."""
    if not built.leaves:
        return None
    value: dict[str, Any] = built.leaves[0] if len(built.leaves) == 1 else {built.combine: built.leaves}
    return {"not": value} if built.negate else value


def earlier_questions(definition: dict[str, Any], target: str) -> list[dict[str, Any]]:
    """Questions asked before `target` (a question or section id) that have answers."""
    found: list[dict[str, Any]] = []
    for s in sections(definition):
        if s.get("id") == target:
            return found
        for q in s.get("questions") or []:
            if q.get("id") == target:
                return found
            if q.get("type") != "info":
                found.append(q)
    return found


def describe_condition(definition: dict[str, Any], value: Any) -> str:
    """A condition in words: 'Shown when Victim is Yes and …'."""
    built = read_condition(value)
    if not built.editable:
        return gettext("Shown when a condition made outside the builder is met")
    if not built.leaves:
        return gettext("Always shown")
    rules = condition_rules(definition, built.leaves)
    joined = rules[0]
    for rule in rules[1:]:
        if built.combine == "all":
            joined = gettext("%(rules)s and %(rule)s", rules=joined, rule=rule)
        else:
            joined = gettext("%(rules)s or %(rule)s", rules=joined, rule=rule)
    if built.negate:
        return gettext("Shown unless %(rules)s", rules=joined)
    return gettext("Shown when %(rules)s", rules=joined)


def condition_rules(definition: dict[str, Any], leaves: list[dict[str, Any]]) -> list[str]:
    """Each comparison of a condition in words: '‘Victim’ is ‘Yes’'."""
    lang = str(definition.get("language") or "en")
    parts = []
    for leaf in leaves:
        qtype = ""
        try:
            _, q = find_question(definition, str(leaf.get("q")))
            name = text_in(q.get("text"), lang, lang) or str(leaf.get("q"))
            labels = {str(o.get("code")): text_in(o.get("label"), lang, lang) for o in q.get("options") or []}
            qtype = str(q.get("type"))
        except BuildError:
            name, labels = str(leaf.get("q")), {}
        shown = labels.get(str(leaf.get("value")), str(leaf.get("value", "")))
        parts.append(rule_words(qtype, str(leaf.get("op")), name, shown if "value" in leaf else None))
    return parts


# ---- translations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextSlot:
    """One translatable text: where it is (words and a JSON path) and its words in the default language."""

    where: str
    path: tuple[str | int, ...]
    default: str


def _slot_where(definition: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """Words for where a text is: 'Question victim_any option yes: label', 'Support contact 1: hours'."""
    if path[0] == "support_contacts":
        return gettext("Support contact %(n)s: %(field)s", n=int(path[1]) + 1, field=path[-1])
    if path[0] != "sections":
        return gettext("Questionnaire: %(field)s", field=path[-1])
    s = definition["sections"][int(path[1])]
    if len(path) < 5 or path[2] != "questions":
        return gettext("Section %(id)s: %(field)s", id=s.get("id"), field=path[-1])
    q = s["questions"][int(path[3])]
    qid, field = q.get("id"), path[-1]
    if path[4] in ("options", "scale", "items", "checks"):
        entry = q[path[4]][int(path[5])]
        name = entry.get("code", entry.get("id", int(path[5]) + 1))
        where = {
            "options": N_("Question %(id)s option %(name)s: %(field)s"),
            "scale": N_("Question %(id)s scale point %(name)s: %(field)s"),
            "items": N_("Question %(id)s item %(name)s: %(field)s"),
            "checks": N_("Question %(id)s check %(name)s: %(field)s"),
        }[str(path[4])]
        return gettext(where, id=qid, name=name, field=field)
    if path[4] == "errors":
        return gettext("Question %(id)s: error message (%(field)s)", id=qid, field=field)
    return gettext("Question %(id)s: %(field)s", id=qid, field=field)


def text_slots(definition: dict[str, Any]) -> list[TextSlot]:
    """Every text a resident reads, in questionnaire order: the very list the engine's MISSING_TRANSLATION
    check walks (survey.engine.localisation), so the builder lists every text the warnings count."""
    lang = str(definition.get("language") or "en")
    slots: list[TextSlot] = []
    for pointer, value in localised_strings(definition):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        path = tuple(int(p) if p.isdigit() else p for p in parts)
        slots.append(TextSlot(_slot_where(definition, path), path, text_in(value, lang, lang)))
    return slots


def resolve(definition: dict[str, Any], path: tuple[str | int, ...]) -> tuple[dict[str, Any], str]:
    """(the object holding the text, its key) for a slot's path."""
    obj: Any = definition
    for part in path[:-1]:
        obj = obj[part]
    return obj, str(path[-1])


def missing_translations(definition: dict[str, Any], lang: str) -> list[TextSlot]:
    """The texts that have no words in `lang`."""
    out = []
    for slot in text_slots(definition):
        obj, key = resolve(definition, slot.path)
        if not text_in(obj.get(key), lang, str(definition.get("language") or "en")):
            out.append(slot)
    return out


# ---- problems located on builder pages --------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a problem is fixed in the builder: a page (kind + id) and the field on it."""

    page: str  # "settings", "section", "question", "condition", "choices", "translations", "demographics"
    # (a "translations" place's field is the text's JSON path)
    ident: str
    field: str


# Problems located on a whole question whose field at fault the code tells.
_CODE_FIELDS = {"BAD_BOUNDS": "min"}
_TRANSLATION_CODES = {"MISSING_TRANSLATION", "UNKNOWN_LANGUAGE"}


def locate(definition: dict[str, Any], path: str, code: str = "") -> Place:
    """The builder page and field for a problem's JSON path (RFC 6901 pointer) and catalogue code."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]] if path else []
    if code in _TRANSLATION_CODES:  # a text missing in a language: fixed on the translations page
        return Place("translations", "", path)
    if not parts:
        return Place("settings", "", "sections")
    if parts[0] == "demographics":
        return Place("demographics", parts[1] if len(parts) > 1 else "", "demographics")
    if parts[0] != "sections" or len(parts) < 2:
        return Place("settings", "", parts[0])
    try:
        s = sections(definition)[int(parts[1])]
    except (ValueError, IndexError):
        return Place("settings", "", "sections")
    sid = str(s.get("id"))
    if len(parts) < 4 or parts[2] != "questions":
        field = parts[2] if len(parts) > 2 else "title"
        if field == "show_if":
            return Place("condition", sid, "show_if")
        return Place("section", sid, "questions" if field == "questions" else field)
    try:
        q = (s.get("questions") or [])[int(parts[3])]
    except (ValueError, IndexError):
        return Place("section", sid, "questions")
    qid = str(q.get("id"))
    field = parts[4] if len(parts) > 4 else _CODE_FIELDS.get(code, "type")
    if field == "show_if":
        return Place("condition", qid, "show_if")
    if field in ("options", "scale", "items"):
        return Place("choices", qid, field)
    return Place("question", qid, field)


def plain(problem: Problem) -> str:
    """A problem in plain words with its catalogue code: 'Section … has no questions (EMPTY_SECTION)'."""
    message = problem.message[:1].upper() + problem.message[1:]
    return (
        f"{message}. {problem.advice} ({problem.code})" if problem.advice else f"{message} ({problem.code})"
    )
