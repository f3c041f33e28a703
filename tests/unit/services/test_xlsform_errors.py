"""Broken workbooks give located errors: sheet, row and column in plain words, with a catalogue code."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

from survey.services.xlsform import SheetProblem, read_xlsx, to_workbook, to_xlsx
from tests.unit.engine.definitions import MINI


def _column(ws: Any, heading: str) -> int:
    return next(c.column for c in ws[1] if c.value == heading)


def _row(ws: Any, name: str) -> int:
    column = _column(ws, "name")
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == name)


def _broken(
    change: Callable[[Workbook], None], definition: dict[str, Any] | None = None
) -> list[SheetProblem]:
    workbook = to_workbook(definition or MINI)
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_xlsx(buffer.getvalue(), "broken.xlsx")
    assert not result.ok and result.questionnaire is None
    return list(result.errors)


def _set(sheet: str, name: str, heading: str, value: Any) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        ws = workbook[sheet]
        ws.cell(_row(ws, name), _column(ws, heading)).value = value

    return change


def test_the_unbroken_workbook_is_valid() -> None:
    assert read_xlsx(to_xlsx(MINI)).ok


def test_a_wrong_sheet_name_is_named_and_the_missing_sheet_reported() -> None:
    def rename(workbook: Workbook) -> None:
        workbook["survey"].title = "Questions"

    errors = _broken(rename)
    assert [e.code for e in errors] == ["XLSX_UNKNOWN_SHEET", "XLSX_MISSING_SHEET"]
    assert str(errors[0]).startswith(
        "Questions sheet: 'Questions' is not a sheet of a questionnaire workbook"
    )
    assert "the workbook has no 'survey' sheet" in str(errors[1])


def test_an_unknown_question_type_is_placed_on_its_type_cell() -> None:
    workbook = to_workbook(MINI)
    ws = workbook["survey"]
    row = _row(ws, "safe_day")
    original = ws.cell(row, 1).value
    errors = _broken(_set("survey", "safe_day", "type", original.replace("single", "singel")))
    assert len(errors) == 1
    error = errors[0]
    assert error.code == "BAD_VALUE"
    assert (error.location.sheet, error.location.row, error.location.column) == ("survey", row, "type")
    assert str(error).startswith(f'survey sheet, row {row}, column A (type): "singel" is not allowed here')


def test_bad_condition_syntax_points_a_caret_at_the_fault() -> None:
    workbook = to_workbook(MINI)
    ws = workbook["survey"]
    name = next(
        ws.cell(r, _column(ws, "name")).value
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, _column(ws, "relevant")).value
    )
    errors = _broken(_set("survey", name, "relevant", "safe_day = very_safe and"))
    assert [e.code for e in errors] == ["XLSX_BAD_CONDITION"]
    text = str(errors[0])
    assert f"row {_row(ws, name)}, column" in text and "(relevant)" in text
    assert "put text values in quotes: 'very_safe' (at character 12)" in text
    assert text.endswith("safe_day = very_safe and\n           ^ (XLSX_BAD_CONDITION)")


def test_a_duplicate_option_code_is_placed_on_the_choices_row() -> None:
    def duplicate(workbook: Workbook) -> None:
        ws = workbook["choices"]
        ws.cell(3, _column(ws, "name")).value = ws.cell(2, _column(ws, "name")).value

    errors = _broken(duplicate)
    assert errors[0].code == "DUPLICATE_OPTION"
    assert (errors[0].location.sheet, errors[0].location.row) == ("choices", 3)
    assert errors[0].location.column == "name"


def test_a_duplicate_question_id_is_placed_on_its_row() -> None:
    definition = copy.deepcopy(MINI)
    first, second = definition["sections"][0]["questions"][:2]
    errors = _broken(_set("survey", second["id"], "name", first["id"]), definition)
    assert [e.code for e in errors] == ["DUPLICATE_ID"]
    assert errors[0].location.column == "name" and errors[0].location.row == 4


def test_a_missing_label_names_the_label_column() -> None:
    def clear(workbook: Workbook) -> None:
        ws = workbook["survey"]
        row = _row(ws, "safe_day")
        for cell in ws[1]:
            if str(cell.value).startswith("label"):
                ws.cell(row, cell.column).value = None

    errors = _broken(clear)
    assert [e.code for e in errors] == ["MISSING_FIELD"]
    location = errors[0].location
    # the text is written in language columns: the default language's column is named, with its letter
    assert (location.sheet, location.row, location.column, location.letter) == ("survey", 3, "label::en", "C")
    assert "the required field 'text' is missing" in str(errors[0])


def test_an_unknown_list_and_a_bad_true_false_cell_are_both_reported() -> None:
    def break_two(workbook: Workbook) -> None:
        _set("survey", "safe_day", "type", "single no_such_list")(workbook)
        _set("survey", "safe_day", "required", "perhaps")(workbook)

    errors = _broken(break_two)
    assert {e.code for e in errors} == {"XLSX_UNKNOWN_LIST", "XLSX_BAD_CELL"}
    bad_cell = next(e for e in errors if e.code == "XLSX_BAD_CELL")
    assert "'perhaps' should be TRUE or FALSE" in str(bad_cell) and bad_cell.location.column == "required"


def test_a_question_outside_a_section_is_refused() -> None:
    def orphan(workbook: Workbook) -> None:
        workbook["survey"].delete_rows(2)

    errors = _broken(orphan)
    assert errors[0].code == "XLSX_BAD_ROW" and errors[0].location.row == 2


def test_a_file_that_is_not_a_workbook() -> None:
    result = read_xlsx(b"id,version\nx,1\n", "survey.csv")
    assert [e.code for e in result.errors] == ["XLSX_UNREADABLE"]
    assert (
        str(result.errors[0])
        == "workbook: the file cannot be read: it is not an .xlsx workbook (XLSX_UNREADABLE)"
    )


def test_an_edited_workbook_reads_welsh_columns_and_xlsform_spellings() -> None:
    """A hand-made workbook: label plus label::Welsh (cy), select_one, no end rows, settings aliases."""
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label", "label::Welsh (cy)", "relevant", "required"])
    survey.append(["begin group", "about", "About you", "Amdanoch chi", None, None])
    survey.append(["select_one yes_no", "victim", "Victim of crime?", "Dioddefwr trosedd?", None, None])
    survey.append(["number", "age", "Age?", "Oed?", "victim = 'yes' and not (victim is not answered)", "no"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label", "label::cy"])
    choices.append(["yes_no", "yes", "Yes", "Ie"])
    choices.append(["yes_no", "no", "No", "Na"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version", "default_language", "languages", "form_title"])
    settings.append(["demo", 2, "en", "en cy", "Demo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_xlsx(buffer.getvalue())
    assert result.errors == (), [str(e) for e in result.errors]
    assert result.definition is not None
    assert result.definition["version"] == "2" and result.definition["languages"] == ["en", "cy"]
    age = result.definition["sections"][0]["questions"][1]
    assert age["text"] == {"en": "Age?", "cy": "Oed?"} and age["required"] is False
    assert age["show_if"] == {
        "all": [
            {"q": "victim", "op": "equals", "value": "yes"},
            {"not": {"not": {"q": "victim", "op": "answered"}}},
        ]
    }
    victim = result.definition["sections"][0]["questions"][0]
    assert victim["type"] == "single" and [o["code"] for o in victim["options"]] == ["yes", "no"]


def test_a_sheet_with_too_many_rows_is_refused_not_read_for_ever() -> None:
    from survey.services.xlsform_read import MAX_ROWS

    def grow(workbook: Workbook) -> None:
        ws = workbook["choices"]
        for i in range(MAX_ROWS + 5):
            ws.append(["spare", f"c{i}", "x"])

    errors = _broken(grow)
    assert [e.code for e in errors] == ["XLSX_BAD_ROW"]
    assert f"more than {MAX_ROWS} rows" in errors[0].message and errors[0].location.sheet == "choices"


def _heading_cells(ws: Any, start: str) -> list[int]:
    return [c.column for c in ws[1] if str(c.value).startswith(start)]


def test_problems_of_every_layer_are_reported_together_each_on_its_row() -> None:
    """A cell the workbook cannot read does not hide the engine's problems on other rows (or other cells)."""

    def break_three(workbook: Workbook) -> None:
        ws = workbook["survey"]
        _set("survey", "safe_day", "required", "perhaps")(workbook)  # the workbook's own problem
        for column in _heading_cells(ws, "label"):  # the engine's: a missing label, on the same row
            ws.cell(_row(ws, "safe_day"), column).value = None
        age = _row(ws, "age")
        ws.cell(age, 1).value = "numbr"  # the engine's: an unknown type, on another row
        _set("choices", "very", "list_name", None)(workbook)  # the workbook's: a row without its list

    errors = _broken(break_three)
    found = {(e.code, e.location.sheet, e.location.row, e.location.column) for e in errors}
    ws = to_workbook(MINI)["survey"]
    safe_day, age = _row(ws, "safe_day"), _row(ws, "age")
    assert ("XLSX_BAD_CELL", "survey", safe_day, "required") in found
    assert ("MISSING_FIELD", "survey", safe_day, "label::en") in found
    assert ("BAD_VALUE", "survey", age, "type") in found
    assert any(code == "XLSX_BAD_ROW" and sheet == "choices" for code, sheet, _, _ in found)
    assert {e.code for e in errors[:2]} == {"XLSX_BAD_CELL", "XLSX_BAD_ROW"}  # the workbook's own first


def test_an_engine_problem_that_repeats_a_workbook_problem_at_its_place_is_left_out() -> None:
    errors = _broken(_set("survey", "safe_day", "type", "single no_such_list"))
    # the question's options are then not a list: the engine would say so at the same row
    assert [e.code for e in errors] == ["XLSX_UNKNOWN_LIST"]


def test_a_missing_column_is_named_on_every_row_that_needs_it() -> None:
    def drop_names(workbook: Workbook) -> None:
        ws = workbook["survey"]
        ws.delete_cols(_column(ws, "name"))

    errors = _broken(drop_names)
    ws = to_workbook(MINI)["survey"]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, _column(ws, "name")).value]
    assert [e.location.row for e in errors] == rows  # every section and question row, not only the first
    assert {e.code for e in errors} == {"MISSING_FIELD"}
    assert all(e.location.column == "name" and e.location.letter is None for e in errors)
    assert "the survey sheet has no column 'name': add it" in str(errors[0])


def test_texts_longer_than_the_builder_allows_are_refused_at_their_cells() -> None:
    def lengthen(workbook: Workbook) -> None:
        ws = workbook["survey"]
        ws.cell(_row(ws, "safe_day"), _heading_cells(ws, "label::cy")[0]).value = "w" * 501
        ws.cell(_row(ws, "age"), _heading_cells(ws, "label::en")[0]).value = "How old? " * 100
        settings = workbook["settings"]
        settings.cell(2, _heading_cells(settings, "title")[0]).value = "T" * 600
        ws.cell(_row(ws, "safe_day"), _column(ws, "relevant")).value = " or ".join(["age > 1"] * 900)

    errors = _broken(lengthen)
    too_long = [e for e in errors if e.code == "XLSX_TOO_LONG"]
    ws = to_workbook(MINI)["survey"]
    assert {(e.location.sheet, e.location.row, e.location.column) for e in too_long} == {
        ("survey", _row(ws, "safe_day"), "label::cy"),
        ("survey", _row(ws, "age"), "label::en"),
        ("settings", 2, "title::en" if _heading_cells(to_workbook(MINI)["settings"], "title::") else "title"),
        ("survey", _row(ws, "safe_day"), "relevant"),
    }
    cy = next(e for e in too_long if e.location.column == "label::cy")
    assert "the text is 501 characters long; label::cy may have at most 500" in str(cy)
    condition = next(e for e in too_long if e.location.column == "relevant")
    assert "may have at most 5,000" in str(condition)


def test_a_long_description_fits_its_box() -> None:
    definition = copy.deepcopy(MINI)
    definition["description"] = "A paragraph. " * 300  # 3,900 characters: a box of paragraphs, not a line
    assert read_xlsx(to_xlsx(definition)).ok
    definition["description"] = "A paragraph. " * 400
    errors = read_xlsx(to_xlsx(definition)).errors
    assert [e.code for e in errors] == ["XLSX_TOO_LONG"] and "at most 5,000" in str(errors[0])


def test_a_text_left_empty_in_the_main_language_is_an_error_on_its_cell() -> None:
    """Only the Welsh filled in (or the English cell a formula whose value was never worked out): residents
    reading English would get Welsh, so the workbook is refused at the English cell's row."""
    errors = _broken(_set("survey", "why_unsafe", "label::en", None))
    found = [e for e in errors if e.code == "MISSING_MAIN_TEXT"]
    assert len(found) == 1, [str(e) for e in errors]
    assert str(found[0]).startswith("survey sheet, row 4")
    assert "no 'en' text, and 'en' is the questionnaire's main language" in str(found[0])


def test_a_control_character_written_as_x0000_is_refused_on_its_cell() -> None:
    """Excel writes characters XML cannot hold as _x0000_; read back, a NUL would reach the database
    (PostgreSQL's JSONB refuses it): the workbook is refused at the cell instead."""
    errors = _broken(_set("survey", "why_unsafe", "label::en", "Why do you_x0000_ feel unsafe?"))
    found = [e for e in errors if e.code == "CONTROL_CHARACTER"]
    assert len(found) == 1, [str(e) for e in errors]
    assert str(found[0]).startswith("survey sheet, row 4, column C (label::en)")
    assert "control character U+0000" in str(found[0])
