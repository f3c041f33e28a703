"""Error and warning tables: a change to the small questionnaire, then the code, path and words expected."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tests.unit.engine.definitions import MINI

Def = dict[str, Any]


def changed_mini(change: Callable[[Def], None]) -> Def:
    """A deep copy of the small questionnaire (MINI) with `change` applied to it."""
    d = copy.deepcopy(MINI)
    change(d)
    return d


def q(d: Def, section: int, question: int) -> Def:
    """The question dict at /sections/<section>/questions/<question>."""
    result: Def = d["sections"][section]["questions"][question]
    return result


def _set(path: str, value: Any) -> Callable[[Def], None]:
    def change(d: Def) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = d
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _delete(path: str) -> Callable[[Def], None]:
    def change(d: Def) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = d
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[int(last) if isinstance(node, list) else last]

    return change


def _many_codes(d: Def) -> None:
    crimes = q(d, 1, 2)
    crimes["options"] = [{"code": f"c{i}", "label": {"en": f"C {i}", "cy": f"C {i}"}} for i in range(10)]
    q(d, 1, 3)["show_if"] = {"q": "crimes", "op": "in", "value": [f"c{i}" for i in range(9)]}


def _deep(d: Def) -> None:
    condition: dict[str, Any] = {"q": "safe_day", "op": "answered"}
    for _ in range(300):
        condition = {"not": condition}
    q(d, 0, 1)["show_if"] = condition


def _duplicate_question(d: Def) -> None:
    q(d, 2, 1)["id"] = "age"


def _all_exclusive(d: Def) -> None:
    for option in q(d, 1, 2)["options"]:
        option["exclusive"] = True


WHY = "/sections/0/questions/1"
CASES: list[tuple[str, Callable[[Def], None], str, str]] = [
    (
        "RESERVED_ID",
        _set(f"{WHY}/id", "status"),
        f"{WHY}/id",
        "the question id 'status' is the name of a column every export has",
    ),
    (
        "CONTROL_CHARACTER",
        _set("/sections/0/title", {"en": "Feeling\x00 safe", "cy": "Teimlo'n ddiogel"}),
        "/sections/0/title/en",
        "the text has the invisible control character U+0000, which cannot be stored or shown",
    ),
    (
        "MISSING_MAIN_TEXT",
        _set("/sections/0/title", {"cy": "Teimlo'n ddiogel"}),
        "/sections/0/title",
        "no 'en' text, and 'en' is the questionnaire's main language: residents would see the 'cy' text",
    ),
    (
        "NO_SUPPORT_CONTACTS",
        _set("/sections/1/questions/1/show_support_contacts", True),
        "/sections/1/questions/1/show_support_contacts",
        "page 'support_info' shows the support contacts, but the questionnaire has none",
    ),
    (
        "BAD_PATTERN",
        _set(
            WHY,
            {
                "id": "why_unsafe",
                "type": "text",
                "text": {"en": "Why?", "cy": "Pam?"},
                "format": "pattern",
                "pattern": "([A-Z",
            },
        ),
        WHY + "/pattern",
        "the pattern of question 'why_unsafe' is not a regular expression",
    ),
    (
        "SCREEN_OUT_ALWAYS",
        _set(
            WHY,
            {
                "id": "not_for_you",
                "type": "info",
                "style": "screen_out",
                "text": {"en": "This survey is for residents", "cy": "Mae'r arolwg hwn i drigolion"},
            },
        ),
        WHY,
        "screen-out page 'not_for_you' has no condition, so it ends every journey",
    ),
    (
        "FORWARD_REFERENCE",
        _set("/sections/0/questions/0/options/0/show_if", {"q": "age", "op": "answered"}),
        "/sections/0/questions/0/options/0/show_if/q",
        "the condition of 'safe_day' depends on 'age', which is asked later",
    ),
    (
        "FORWARD_REFERENCE",
        _set(f"{WHY}/text", {"en": "Why do you feel {{sex}}?", "cy": "Pam?"}),
        f"{WHY}/text",
        "depends on 'sex', which is asked later",
    ),
    (
        "UNKNOWN_QUESTION",
        _set(f"{WHY}/required_if", {"q": "nope", "op": "answered"}),
        f"{WHY}/required_if/q",
        "'nope' is not a question of this questionnaire",
    ),
    (
        "UNKNOWN_QUESTION",
        _set(
            "/sections/2/questions/0/checks",
            [{"when": {"q": "age", "op": "gt", "value_of": "ghost"}, "message": "x"}],
        ),
        "/sections/2/questions/0/checks/0/when/value_of",
        "'ghost' is not a question of this questionnaire",
    ),
    ("MISSING_FIELD", _delete("/version"), "", "the required field 'version' is missing"),
    ("TOO_DEEP", _deep, "/sections/0/questions/1/show_if" + "/not" * 45, "nested more than 50 levels"),
    (
        "UNKNOWN_FIELD",
        _set(f"{WHY}/show_iff", {"q": "safe_day", "op": "answered"}),
        f"{WHY}/show_iff",
        "'show_iff' is not a field of this object",
    ),
    ("WRONG_TYPE", _set(f"{WHY}/required", "no"), f"{WHY}/required", '"no" should be true or false'),
    (
        "WHOLE_BOUNDS",
        _set("/sections/2/questions/0/max", 12.5),
        "/sections/2/questions/0/max",
        "'max' of number question 'age' is 12.5, not a whole number",
    ),
    ("BAD_VALUE", _set(f"{WHY}/type", "dropdown"), f"{WHY}/type", "use one of: single, multiple"),
    ("BAD_VALUE", _set(f"{WHY}/id", "Why Unsafe"), f"{WHY}/id", "ids use lower-case letters"),
    (
        "UNKNOWN_OPERATOR",
        _set(f"{WHY}/show_if/op", "eq"),
        f"{WHY}/show_if/op",
        '"eq" is not a condition operator',
    ),
    (
        "DUPLICATE_ID",
        _duplicate_question,
        "/sections/2/questions/1/id",
        "the id 'age' is used more than once",
    ),
    ("DUPLICATE_ID", _set("/sections/1/id", "safety"), "/sections/1/id", "the id 'safety' is used more"),
    (
        "DUPLICATE_ID",
        _set("/sections/0/questions/2/items/1/id", "burglary"),
        "/sections/0/questions/2/items/1/id",
        "'burglary' is used more than once",
    ),
    (
        "DUPLICATE_OPTION",
        _set("/sections/0/questions/0/options/1/code", "very"),
        "/sections/0/questions/0/options/1/code",
        "the option code 'very' is used twice in question 'safe_day'",
    ),
    (
        "NO_OPTIONS",
        _delete("/sections/0/questions/0/options"),
        "/sections/0/questions/0/options",
        "question 'safe_day' is a single question but offers no options",
    ),
    (
        "NO_OPTIONS",
        _set("/sections/0/questions/2/items", []),
        "/sections/0/questions/2/items",
        "offers no items",
    ),
    (
        "NO_OPTIONS",
        _delete("/sections/0/questions/2/scale"),
        "/sections/0/questions/2/scale",
        "offers no scale",
    ),
    (
        "EMPTY_SECTION",
        _set("/sections/2/questions", []),
        "/sections/2/questions",
        "section 'about_you' has no",
    ),
    (
        "BAD_BOUNDS",
        _set("/sections/2/questions/0/min", 200),
        "/sections/2/questions/0",
        "the smallest allowed answer 200 is larger than the largest 120",
    ),
    ("BAD_DATE", _set("/opens", "03/05/2016"), "/opens", "'03/05/2016' is not a date in the form YYYY-MM-DD"),
    ("BAD_DATE", _set("/closes", "2016-02-30"), "/closes", "'2016-02-30' is not a date"),
    (
        "DATES_REVERSED",
        _set("/closes", "2016-01-01"),
        "/closes",
        "the survey closes (2016-01-01) before it opens",
    ),
    ("LANGUAGE_NOT_OFFERED", _set("/languages", ["cy"]), "/languages", "the default language 'en' is not in"),
    (
        "UNKNOWN_QUESTION",
        _set(f"{WHY}/show_if/q", "nope"),
        f"{WHY}/show_if/q",
        "'nope' is not a question of this questionnaire",
    ),
    (
        "UNKNOWN_OPTION",
        _set(f"{WHY}/show_if/value", "scared"),
        f"{WHY}/show_if/value",
        "'scared' is not an option of question 'safe_day'",
    ),
    (
        "UNKNOWN_OPTION",
        _set("/sections/1/questions/3/show_if/all/1/value", "arson"),
        "/sections/1/questions/3/show_if/all/1/value",
        "'arson' is not an option of question 'crimes'",
    ),
    (
        "UNKNOWN_ITEM",
        _set(
            "/sections/1/questions/0/show_if",
            {"q": "concern", "item": "arson", "op": "equals", "value": "very"},
        ),
        "/sections/1/questions/0/show_if/item",
        "'arson' is not an item of rating question 'concern'",
    ),
    (
        "SELF_REFERENCE",
        _set(f"{WHY}/show_if/q", "why_unsafe"),
        f"{WHY}/show_if/q",
        "the condition of 'why_unsafe' depends on 'why_unsafe' itself",
    ),
    (
        "SELF_REFERENCE",
        _set("/sections/2/show_if", {"q": "age", "op": "answered"}),
        "/sections/2/show_if/q",
        "the condition of 'section about_you' depends on 'age' itself",
    ),
    (
        "FORWARD_REFERENCE",
        _set("/sections/0/questions/0/show_if", {"q": "age", "op": "gt", "value": 20}),
        "/sections/0/questions/0/show_if/q",
        "depends on 'age', which is asked later",
    ),
    (
        "FORWARD_REFERENCE",
        _set("/sections/1/show_if", {"q": "sex", "op": "equals", "value": "male"}),
        "/sections/1/show_if/q",
        "the condition of 'section victim' depends on 'sex', which is asked later",
    ),
    (
        "OPERATOR_MISMATCH",
        _set(f"{WHY}/show_if/op", "gt"),
        f"{WHY}/show_if/op",
        "'gt' cannot be used with single question 'safe_day'",
    ),
    ("OPERATOR_MISMATCH", _set(f"{WHY}/show_if/op", "contains"), f"{WHY}/show_if/op", "'contains' cannot be"),
    (
        "OPERATOR_MISMATCH",
        _set("/sections/1/questions/0/show_if", {"q": "concern", "op": "equals", "value": "x"}),
        "/sections/1/questions/0/show_if/op",
        "without naming an 'item'",
    ),
    (
        "OPERATOR_MISMATCH",
        _set(f"{WHY}/show_if/item", "burglary"),
        f"{WHY}/show_if/item",
        "only rating questions",
    ),
    (
        "OPERATOR_MISMATCH",
        _set("/sections/1/questions/2/show_if", {"q": "support_info", "op": "answered"}),
        "/sections/1/questions/2/show_if/op",
        "'answered' cannot be used with info question",
    ),
    (
        "BAD_CONDITION_VALUE",
        _set(f"{WHY}/show_if/op", "in"),
        f"{WHY}/show_if/value",
        "the value 'unsafe' does not fit 'in' on question 'safe_day'",
    ),
    (
        "BAD_CONDITION_VALUE",
        _set("/sections/2/questions/2/show_if/value", "65"),
        "/sections/2/questions/2/show_if/value",
        "the value '65' does not fit 'gte' on question 'age'",
    ),
    (
        "BAD_CONDITION_VALUE",
        _set(f"{WHY}/show_if", {"q": "safe_day", "op": "in", "value": []}),
        f"{WHY}/show_if/value",
        "the value [] does not fit 'in'",
    ),
    (
        "UNREACHABLE",
        _set(
            f"{WHY}/show_if",
            {
                "all": [
                    {"q": "safe_day", "op": "equals", "value": "very"},
                    {"q": "safe_day", "op": "equals", "value": "unsafe"},
                ]
            },
        ),
        f"{WHY}/show_if",
        "'why_unsafe' can never be shown",
    ),
    (
        "UNREACHABLE",
        _set("/sections/2/questions/2/show_if/value", 121),
        "/sections/2/questions/2/show_if",
        "'older_help' can never be shown",
    ),
    (
        "UNREACHABLE",
        _set("/sections/1/show_if", {"not": {"q": "safe_day", "op": "answered"}}),
        "/sections/1/show_if",
        "'section victim' can never be shown",
    ),
    (
        "MAPPING_UNKNOWN_QUESTION",
        _set("/demographics/1/question", "gender"),
        "/demographics/1/question",
        "the mapping for 'sex_age16to74' names 'gender', which is not a question here",
    ),
    (
        "MAPPING_UNKNOWN_OPTION",
        _set("/demographics/1/map/other", "Other"),
        "/demographics/1/map/other",
        "maps 'other', which is not an option of 'sex'",
    ),
    (
        "MAPPING_MISMATCH",
        _set("/demographics/1/question", "age"),
        "/demographics/1",
        "needs 'map' or 'ranges' to fit question 'age', a number question",
    ),
    (
        "MAPPING_MISMATCH",
        _set("/demographics/0/map", {"a": "b"}),
        "/demographics/0",
        "needs 'map' or 'ranges'",
    ),
]
WARNING_CASES: list[tuple[str, Callable[[Def], None], str, str]] = [
    (
        "EXCLUSIVE_ON_SINGLE",
        _set("/sections/0/questions/0/options/3/exclusive", True),
        "/sections/0/questions/0/options/3/exclusive",
        "option 'dont_know' of single choice question 'safe_day' is marked exclusive, which has no effect",
    ),
    (
        "ALL_EXCLUSIVE",
        _all_exclusive,
        "/sections/1/questions/2/options",
        "every option of question 'crimes' is exclusive, so only one can ever be chosen",
    ),
    (
        "CONDITION_ALWAYS_TRUE",
        _set(
            f"{WHY}/show_if",
            {"q": "safe_day", "op": "in", "value": ["very", "fairly", "unsafe", "dont_know"]},
        ),
        f"{WHY}/show_if",
        "the condition of 'why_unsafe' is true for everyone who reaches it",
    ),
    (
        "CONDITION_ALWAYS_TRUE",
        _set("/sections/1/show_if", {"q": "safe_day", "op": "answered"}),
        "/sections/1/show_if",
        "the condition of 'section victim' is true for everyone",
    ),
    (
        "IGNORED_FIELD",
        _set(f"{WHY}/options", []),
        f"{WHY}/options",
        "'options' has no effect on text questions",
    ),
    (
        "IGNORED_FIELD",
        _set("/sections/1/questions/1/required", True),
        "/sections/1/questions/1/required",
        "'required' has no effect on info questions",
    ),
    (
        "MAPPING_INCOMPLETE",
        _delete("/demographics/1/map/prefer_not"),
        "/demographics/1/map",
        "leaves 'prefer_not' of question 'sex' unmapped",
    ),
    ("MAPPING_RANGES", _set("/demographics/0/ranges/1/min", 60), "/demographics/0/ranges", "overlap at 60"),
    (
        "MAPPING_RANGES",
        _set("/demographics/0/ranges/1/min", 70),
        "/demographics/0/ranges",
        "gap from 65 to 69",
    ),
    (
        "MISSING_TRANSLATION",
        _set("/sections/0/title", {"en": "Feeling safe"}),
        "/sections/0/title",
        "no 'cy' text",
    ),
    (
        "MISSING_TRANSLATION",
        _set("/sections/0/intro", "Plain English only"),
        "/sections/0/intro",
        "no 'cy' text",
    ),
    (
        "UNKNOWN_LANGUAGE",
        _set("/title/fr", "Enquête"),
        "/title/fr",
        "text in 'fr', which is not in 'languages'",
    ),
    ("LONG_PATH", _set("/time_budget", {"max_questions": 3}), "/time_budget", "more than the budget of 3"),
    (
        "LONG_PATH",
        _set("/time_budget", {"max_minutes": 0.5}),
        "/time_budget",
        "minutes, more than the budget of 0.5",
    ),
    ("PATHS_NOT_EXHAUSTIVE", _many_codes, "", "path analysis was bounded"),
]
FILE_CASES = [
    ("FILE_NOT_FOUND", None, "cannot be read"),
    ("NOT_UTF8", b'{"id": "caf\xe9"}', "not UTF-8"),
    ("MALFORMED_JSON", b'{\n  "id": "x",\n  "version": }', "not valid JSON"),
    ("DUPLICATE_KEY", b'{"id": "a", "id": "b"}', "the key 'id' appears twice"),
]


# Mappings checked against the reference populations the caller knows (ReferenceCatalogue).
REFERENCE_CASES: list[tuple[str, Callable[[Def], None], str, str]] = [
    (
        "UNKNOWN_REFERENCE",
        _set("/reference", "atlantis-census"),
        "/reference",
        "the reference population 'atlantis-census' is not known here",
    ),
    (
        "UNKNOWN_DIMENSION",
        _set("/demographics/1/dimension", "gender"),
        "/demographics/1/dimension",
        "the mapping names dimension 'gender', which reference 'mk' does not have",
    ),
    (
        "UNKNOWN_CATEGORY",
        _set("/demographics/1/map/female", "Women"),
        "/demographics/1/map/female",
        "the mapping for 'sex_age16to74' maps 'female' to 'Women', which is not one of its categories",
    ),
    (
        "UNKNOWN_CATEGORY",
        _set("/demographics/0/ranges/0/category", "16-63"),
        "/demographics/0/ranges/0/category",
        "maps '16-64' to '16-63'",
    ),  # 16-64: the first range's min-max
]
