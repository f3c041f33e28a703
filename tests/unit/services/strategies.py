"""Hypothesis strategies for definitions shaped like questionnaires (every field the format has, any text)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Any character a JSON string can hold, control characters and lone surrogates included.
TEXT = st.text(st.characters(categories=["L", "N", "P", "S", "Z", "Cc", "Cs", "Co"]), min_size=1, max_size=12)
ANY_TEXT = st.one_of(
    TEXT,
    st.just(""),
    st.sampled_from(['"q"', "_x0041_", "=SUM(A1)", " padded ", "null", "12", "[1]", "{", "a\r\nb"]),
)
IDS = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True) | st.sampled_from(["and", "not", "any", "true"])
CODES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,6}", fullmatch=True)
LANGS = st.sampled_from(["en", "cy", "pl", "pt-BR"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
LOCALISED = TEXT | st.dictionaries(LANGS, TEXT, min_size=1, max_size=3)
EXTRA_KEYS = st.from_regex(r"x-[a-z][a-z-]{0,6}", fullmatch=True) | st.just("$comment")
BIG_INT = st.integers() | st.sampled_from([2**60, -(2**70)])


def _optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict holding any subset of the fields, plus extension keys (any value) and a $comment."""
    return st.tuples(
        st.fixed_dictionaries({}, optional=fields),
        st.dictionaries(EXTRA_KEYS, JSON, max_size=2),
    ).map(lambda pair: {**pair[0], **pair[1]})


def _comparison() -> st.SearchStrategy[dict[str, Any]]:
    ops = st.sampled_from(
        ["equals", "not_equals", "in", "not_in", "contains", "answered", "gt", "gte", "lt", "lte"]
    )
    values = st.one_of(ANY_TEXT, st.integers(), st.lists(ANY_TEXT | st.integers(), max_size=3))
    return st.fixed_dictionaries(
        {"q": IDS, "op": ops},
        optional={"value": values, "item": IDS, "$comment": JSON},
    )


CONDITION = st.recursive(
    _comparison(),
    lambda inner: (
        st.fixed_dictionaries({"all": st.lists(inner, min_size=1, max_size=3)})
        | st.fixed_dictionaries({"any": st.lists(inner, min_size=1, max_size=3)})
        | st.fixed_dictionaries({"not": inner})
    ),
    max_leaves=5,
)


def _with(fixed: dict[str, st.SearchStrategy[Any]], /, **optional: st.SearchStrategy[Any]) -> Any:
    return st.tuples(st.fixed_dictionaries(fixed), _optional(**optional)).map(lambda p: {**p[0], **p[1]})


OPTION = _with(
    {"code": CODES, "label": LOCALISED},
    hint=LOCALISED,
    kind=st.sampled_from(["answer", "prefer_not_to_say", "dont_know", "none"]),
    exclusive=st.booleans(),
)
ITEM = _with({"id": IDS, "text": LOCALISED})
QUESTION = _with(
    {
        "id": IDS,
        "type": st.sampled_from(["single", "multiple", "rating", "text", "number", "info"]),
        "text": LOCALISED,
    },
    hint=LOCALISED,
    error_subject=LOCALISED,
    required=st.booleans(),
    show_if=CONDITION,
    sensitive=st.booleans(),
    options=st.lists(OPTION, max_size=3),
    items=st.lists(ITEM, max_size=3),
    scale=st.lists(OPTION, max_size=3),
    max_length=st.integers(1, 100000),
    multiline=st.booleans(),
    min=BIG_INT,
    max=BIG_INT,
    suffix=LOCALISED,
    style=st.sampled_from(["information", "interruption"]),
    body=LOCALISED,
    show_support_contacts=st.booleans(),
)
SECTION = _with(
    {"id": IDS, "title": LOCALISED, "questions": st.lists(QUESTION, max_size=3)},
    intro=LOCALISED,
    sensitive=st.booleans(),
    show_if=CONDITION,
)
RANGE = st.fixed_dictionaries(
    {"min": st.none() | BIG_INT, "max": st.none() | BIG_INT, "category": st.none() | ANY_TEXT}
)
MAPPING = _with(
    {"dimension": TEXT, "question": IDS},
    map=st.dictionaries(ANY_TEXT, st.none() | ANY_TEXT, max_size=3),
    ranges=st.lists(RANGE, max_size=3),
)
CONTACT = _with(
    {"name": LOCALISED},
    phone=ANY_TEXT,
    url=TEXT.map(lambda t: "https://" + t),
    hours=LOCALISED,
    description=LOCALISED,
)
OWNER = _with({"name": TEXT}, email=TEXT, phone=ANY_TEXT, url=TEXT, colour=st.just("#1d70b8"))
BUDGET = _optional(
    max_questions=st.integers(1, 100), max_minutes=st.floats(0.5, 100, allow_nan=False) | st.integers(1, 100)
)
# At the top level the schema wants $comment to be text.
DEFINITION = _with(
    {
        "id": st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True),
        "version": ANY_TEXT,
        "language": LANGS,
        "title": LOCALISED,
        "sections": st.lists(SECTION, min_size=1, max_size=3),
    },
    languages=st.lists(LANGS, min_size=1, max_size=3, unique=True),
    description=LOCALISED,
    owner=OWNER,
    opens=ANY_TEXT,
    closes=ANY_TEXT,
    privacy=LOCALISED,
    results=LOCALISED,
    exit_url=TEXT,
    support_contacts=st.lists(CONTACT, max_size=2),
    time_budget=BUDGET,
    population_filter=CONDITION,
    reference=TEXT,
    demographics=st.lists(MAPPING, max_size=3),
).map(lambda d: {**d, "$comment": str(d["$comment"])} if "$comment" in d else d)
