"""Any workbook, however odd, is read without a crash: a definition or located problems, never a traceback."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from survey.services.xlsform import read_xlsx

HEADINGS = st.sampled_from(
    [
        "type",
        "name",
        "label",
        "label::cy",
        "label::Welsh (cy)",
        "hint",
        "required",
        "relevant",
        "items",
        "options",
        "list_name",
        "kind",
        "exclusive",
        "id",
        "version",
        "language",
        "languages",
        "title",
        "owner.name",
        "owner",
        "time_budget.max_minutes",
        "population_filter",
        "dimension",
        "question",
        "code",
        "min",
        "max",
        "category",
        "sections",
        "demographics",
        "x-note",
        "$comment",
        "min",
        "",
        "form_id",
    ]
)
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "begin section",
            "end section",
            "single yes",
            "rating s",
            "text",
            "mapping",
            "map",
            "range",
            "select_one x y z",
            "yes",
            "TRUE",
            "en, cy",
            "[1, 2]",
            '{"q": 1}',
            "a = 'x'",
            "a =",
            "null",
            '""',
            "x::y",
            "{",
            "begin group",
        ]
    ),
    st.text(max_size=6).map(lambda t: "".join(c for c in t if c.isprintable())),
    st.just(datetime(2026, 5, 3)),
)
SHEETS = st.sampled_from(
    ["survey", "choices", "settings", "demographics", "support_contacts", "Survey", "other"]
)


@st.composite
def workbooks(draw: Any) -> bytes:
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for name in draw(st.lists(SHEETS, min_size=1, max_size=5, unique=True)):
        ws = book.create_sheet(name)
        width = draw(st.integers(1, 6))
        for _ in range(draw(st.integers(0, 8))):
            ws.append(draw(st.lists(CELLS, min_size=width, max_size=width)))
        if draw(st.booleans()):
            ws.insert_rows(1)
            for column, heading in enumerate(draw(st.lists(HEADINGS, min_size=width, max_size=width)), 1):
                ws.cell(1, column).value = heading or None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=workbooks())
def test_any_workbook_reads_without_a_crash(data: bytes) -> None:
    result = read_xlsx(data, "fuzz.xlsx")
    assert result.ok == (result.questionnaire is not None)
    for problem in result.errors:
        assert problem.code and problem.message
