"""Write a questionnaire definition as an XLSForm-style workbook (sheets survey, choices, settings, ...).

Layout (docs/questionnaires.md, "Building in a spreadsheet"): one row per section start/end and per question
on `survey`; option lists, rating scales and rating items on `choices`; the questionnaire's own fields on the
single value row of `settings`; demographic mappings and support contacts on sheets of their own. Every field
the definition holds gets a cell, so reading the workbook back gives an equal definition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

from survey.services.condition_syntax import condition_text
from survey.services.words import gettext
from survey.services.xlsform_cells import MAX_CELL, Kind, any_text, cell_value, escape, field_kinds, text_cell

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEET_ORDER = ("survey", "choices", "settings", "demographics", "support_contacts")
RENAMES: dict[str, dict[str, str]] = {
    "question": {"id": "name", "text": "label", "show_if": "relevant"},
    "section": {"id": "name", "title": "label", "show_if": "relevant"},
    "option": {"code": "name"},
    "item": {"id": "name", "text": "label"},
}
LIST_FIELDS = {"single": "options", "multiple": "options", "rating": "scale"}
NESTED = {"owner": "owner", "time_budget": "time_budget"}
ROOT_LISTS = {"sections": "survey", "demographics": "demographics", "support_contacts": "support_contacts"}
FIRST_COLUMNS: dict[str, tuple[str, ...]] = {
    "survey": ("type", "name", "label", "hint", "required", "relevant", "sensitive", "items"),
    "choices": ("list_name", "name", "label", "hint", "kind", "exclusive"),
    "settings": ("id", "version", "language", "languages", "title"),
    "demographics": ("type", "dimension", "question", "code", "min", "max", "category"),
    "support_contacts": ("name", "phone", "url", "hours", "description"),
}
_JSON_WORDS = frozenset({"true", "false", "null"})

Row = dict[str, Any]


class WorkbookWriteError(ValueError):
    """A definition that a workbook cannot hold (a text longer than a cell allows)."""


def is_records(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    """A non-empty list of objects (what gets rows of its own)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _text_cells(column: str, value: Any) -> Row:
    if isinstance(value, str):
        return {column: text_cell(value)}
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return {f"{column}::{lang}": text_cell(text) for lang, text in value.items()}
    return {column: escape(any_text(value))}


def _condition_cell(value: Any) -> str:
    text = condition_text(value)
    return escape(text if text is not None else json.dumps(value, ensure_ascii=False))


def fields_row(
    obj: Mapping[str, Any],
    kinds: Mapping[str, Kind],
    renames: Mapping[str, str] | None = None,
    skip: Iterable[str] = (),
) -> Row:
    """The cells of an object's fields, by column heading."""
    renames = renames or {}
    skipped = set(skip)
    row: Row = {}
    for key, value in obj.items():
        if key in skipped:
            continue
        column = renames.get(key, key)
        kind = kinds.get(key, Kind.ANY)
        if kind is Kind.TEXT:
            row.update(_text_cells(column, value))
        elif kind is Kind.CONDITION:
            row[column] = _condition_cell(value)
        else:
            row[column] = cell_value(value, kind)
    return row


class _Lists:
    """The choices sheet: option lists, scales and item lists, each stored once under a unique name."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.names: set[str] = set()
        self.by_content: dict[str, str] = {}

    def add(self, entries: list[dict[str, Any]], preferred: str, usage: str) -> str:
        cells = [fields_row(e, field_kinds(usage), RENAMES[usage]) for e in entries]
        key = json.dumps([usage, cells], sort_keys=True, default=str)
        if key in self.by_content:
            return self.by_content[key]
        name, number = preferred, 1
        while name in self.names or name in _JSON_WORDS:
            number += 1
            name = f"{preferred}_{number}"
        self.names.add(name)
        self.by_content[key] = name
        self.rows += [{"list_name": name, **row} for row in cells]
        return name


def _question_rows(question: dict[str, Any], lists: _Lists) -> Row:
    kind = question.get("type")
    qid = str(question.get("id", "question"))
    skip = {"type"}
    row: Row = {}
    list_field = LIST_FIELDS.get(kind) if isinstance(kind, str) else None
    if list_field and is_records(question.get(list_field)) and " " not in str(kind):
        usage_name = lists.add(question[list_field], qid, "option")
        row["type"] = f"{kind} {usage_name}"
        skip.add(list_field)
    elif "type" in question:
        row["type"] = cell_value(kind, Kind.STRING)
    if kind == "rating" and is_records(question.get("items")):
        row["items"] = lists.add(question["items"], f"{qid}_items", "item")
        skip.add("items")
    row.update(fields_row(question, field_kinds("question"), RENAMES["question"], skip))
    return row


def _survey_rows(sections: list[dict[str, Any]], lists: _Lists) -> list[Row]:
    rows: list[Row] = []
    for section in sections:
        questions = section.get("questions")
        nested = isinstance(questions, list) and all(isinstance(q, dict) for q in questions)
        questions = questions if isinstance(questions, list) and nested else []
        skip = ("questions",) if nested else ()
        fields = fields_row(section, field_kinds("section"), RENAMES["section"], skip)
        rows.append({"type": "begin section", **fields})  # not translated: a row type of the workbook format
        rows += [_question_rows(q, lists) for q in (questions if nested else [])]
        rows.append({"type": "end section"})  # not translated: a row type of the workbook format
    return rows


def _languages_cell(value: Any) -> str:
    simple = (
        isinstance(value, list)
        and value
        and all(isinstance(v, str) and v and not any(c in v for c in ', []"') for v in value)
    )
    return escape(", ".join(value) if simple else json.dumps(value, ensure_ascii=False))


def _settings_row(definition: Mapping[str, Any]) -> Row:
    root = field_kinds("root")
    row: Row = {}
    for key, value in definition.items():
        if key in ROOT_LISTS and is_records(value):
            continue
        if key in NESTED and isinstance(value, dict) and value:
            nested = fields_row(value, field_kinds(NESTED[key]))
            row.update({f"{key}.{column}": cell for column, cell in nested.items()})
        elif key == "languages":
            row[key] = _languages_cell(value)
        else:
            row.update(fields_row({key: value}, root))
    return row


def _ranges_ok(ranges: Any) -> bool:
    return is_records(ranges) and all(set(r) == {"min", "max", "category"} for r in ranges)


def _bound(value: Any) -> Any:
    return None if value is None else cell_value(value, Kind.INT)


def _category(value: Any) -> Any:
    return None if value is None else (text_cell(value) if isinstance(value, str) else any_text(value))


def _mapping_rows(mapping: dict[str, Any]) -> list[Row]:
    as_map = isinstance(mapping.get("map"), dict) and bool(mapping["map"])
    as_ranges = _ranges_ok(mapping.get("ranges"))
    skip = ("map",) * as_map + ("ranges",) * as_ranges
    rows: list[Row] = [{"type": "mapping", **fields_row(mapping, field_kinds("mapping"), skip=skip)}]
    if as_map:
        rows += [
            {"type": "map", "code": text_cell(code), "category": _category(category)}
            for code, category in mapping["map"].items()
        ]
    if as_ranges:
        rows += [
            {
                "type": "range",
                "min": _bound(r["min"]),
                "max": _bound(r["max"]),
                "category": _category(r["category"]),
            }
            for r in mapping["ranges"]
        ]
    return rows


def _columns(sheet: str, rows: list[Row], languages: list[str]) -> list[str]:
    """Column headings: the usual ones first, each translated field followed by one column per language."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    bases = dict.fromkeys(c.partition("::")[0] for c in [*FIRST_COLUMNS.get(sheet, ()), *seen])
    columns: list[str] = []
    for base in bases:
        translated = [c for c in seen if "::" in c and c.partition("::")[0] == base]
        if base in seen:
            columns.append(base)
        if translated:
            usual = [f"{base}::{lang}" for lang in languages]
            columns += usual + [c for c in translated if c not in usual]
    return columns


def _check_lengths(sheet: str, rows: list[Row]) -> None:
    for number, row in enumerate(rows, start=2):
        for column, value in row.items():
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise WorkbookWriteError(
                    gettext(
                        "%(sheet)s sheet, row %(row)s, column %(column)s: the text has %(length)s "
                        "characters; a spreadsheet cell holds at most %(limit)s",
                        sheet=sheet,
                        row=number,
                        column=column,
                        length=len(value),
                        limit=MAX_CELL,
                    )
                )


def _write_sheet(workbook: Workbook, sheet: str, rows: list[Row], languages: list[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    _check_lengths(sheet, rows)
    ws = workbook.create_sheet(sheet)
    columns = _columns(sheet, rows, languages)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(c) for c in columns])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text starting with '=' is text here, never a formula
                cell.data_type = "s"
    for index, column in enumerate(columns, start=1):
        cell_widths = [len(str(r.get(column) or "")) for r in rows[:200]]
        width = max([len(column), *cell_widths]) + 2
        ws.column_dimensions[get_column_letter(index)].width = min(width, 60)
    ws.freeze_panes = "A2"


def _languages(definition: Mapping[str, Any]) -> list[str]:
    declared = definition.get("languages")
    found = [str(x) for x in declared] if isinstance(declared, list) else []
    language = definition.get("language")
    if isinstance(language, str) and language not in found:
        found.insert(0, language)
    return found


def to_workbook(definition: Mapping[str, Any]) -> Workbook:
    """The workbook of a definition (any JSON object shaped like a questionnaire; checking is separate)."""
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    raw_sections = definition.get("sections")
    sections: list[dict[str, Any]] = raw_sections if is_records(raw_sections) else []
    lists = _Lists()
    sheets: dict[str, list[Row]] = {"survey": _survey_rows(sections, lists)}
    sheets["choices"] = lists.rows
    sheets["settings"] = [_settings_row(definition)]
    if is_records(definition.get("demographics")):
        sheets["demographics"] = [r for m in definition["demographics"] for r in _mapping_rows(m)]
    if is_records(definition.get("support_contacts")):
        kinds = field_kinds("support_contact")
        sheets["support_contacts"] = [fields_row(c, kinds) for c in definition["support_contacts"]]
    languages = _languages(definition)
    for name in SHEET_ORDER:
        if name in sheets:
            _write_sheet(workbook, name, sheets[name], languages)
    return workbook
