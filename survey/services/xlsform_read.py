"""Read a questionnaire workbook back into a definition, remembering which cell every field came from.

The reader only turns cells into the JSON definition; whether the definition makes sense is the engine's
job (survey.services.xlsform runs it and places each problem on its sheet, row and column).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from survey.engine.catalogue import N_
from survey.engine.errors import pointer
from survey.services.condition_syntax import ConditionSyntaxError, parse_condition_text
from survey.services.questionnaire_builder import BOX_LIMIT, text_limit
from survey.services.words import gettext
from survey.services.xlsform_cells import (
    CellError,
    Kind,
    enum_values,
    field_kinds,
    read_any,
    read_cell,
    read_text,
    split_header,
)
from survey.services.xlsform_write import LIST_FIELDS, NESTED, RENAMES, ROOT_LISTS, SHEET_ORDER

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# The advice on each workbook problem: msgids (N_), translated when a problem is found (`advice`);
# `%(sheets)s` is the sheets a workbook may have.
XLSX_CATALOGUE: dict[str, str] = {
    "XLSX_UNREADABLE": N_("Save the file as an Excel workbook (.xlsx) and try again."),
    "XLSX_MISSING_SHEET": N_(
        "A questionnaire workbook needs the sheets 'survey' and 'settings' (and 'choices' for lists of "
        "options)."
    ),
    "XLSX_UNKNOWN_SHEET": N_("Rename the sheet to one of: %(sheets)s; or delete it."),
    "XLSX_BAD_HEADING": N_("Give every column with values a heading of its own in the first row."),
    "XLSX_BAD_CELL": N_("Correct the cell: docs/questionnaires.md lists what each column holds."),
    "XLSX_BAD_CONDITION": N_(
        "Write conditions like: victim_any = 'yes' and not (age < 18); text values go in quotes."
    ),
    "XLSX_UNKNOWN_LIST": N_(
        "Add the list to the choices sheet (its name in the list_name column), or correct the name."
    ),
    "XLSX_BAD_ROW": N_("Check the row against docs/questionnaires.md (the sheet's layout)."),
    "XLSX_CONFLICT": N_("Keep the value in one place only."),
    "XLSX_TOO_LONG": N_("Shorten the text: the builder's limits apply to a spreadsheet too."),
}


def advice(code: str) -> str:
    """The advice on a workbook problem `code`, translated ("" for a code without any)."""
    return gettext(XLSX_CATALOGUE[code], sheets=", ".join(SHEET_ORDER)) if code in XLSX_CATALOGUE else ""


_BEGIN = {"begin section", "begin_section", "begin group", "begin_group"}
_END = {"end section", "end_section", "end group", "end_group"}
_TYPE_ALIASES = {"select_one": "single", "select_multiple": "multiple"}
_SETTINGS_ALIASES = {"form_id": "id", "form_title": "title", "default_language": "language"}
_MAPPING_ROWS = {"map": ("code", "category"), "range": ("min", "max", "category")}


@dataclass(frozen=True)
class Location:
    """A place in the workbook: a sheet, and where known a row (1-based) and a column (heading, letter)."""

    sheet: str
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    def __str__(self) -> str:
        values = {"sheet": self.sheet, "row": self.row, "column": self.column, "letter": self.letter}
        if self.column is None:
            found = N_("%(sheet)s sheet") if self.row is None else N_("%(sheet)s sheet, row %(row)s")
        elif self.row is None and self.letter:
            found = N_("%(sheet)s sheet, column %(letter)s (%(column)s)")
        elif self.row is None:
            found = N_("%(sheet)s sheet, column %(column)s")
        elif self.letter:
            found = N_("%(sheet)s sheet, row %(row)s, column %(letter)s (%(column)s)")
        else:
            found = N_("%(sheet)s sheet, row %(row)s, column %(column)s")
        return gettext(found, **values)


@dataclass(frozen=True)
class SheetProblem:
    """A problem placed in the workbook; `code` is a catalogue code (engine or XLSX_*)."""

    code: str
    message: str
    location: Location | None = None
    severity: str = "error"
    path: str = ""
    advice: str = ""

    def __str__(self) -> str:
        where = str(self.location) if self.location else gettext("workbook")
        if self.severity == "warning":
            return gettext(
                "%(where)s: warning: %(problem)s (%(code)s)",
                where=where,
                problem=self.message,
                code=self.code,
            )
        return gettext("%(where)s: %(problem)s (%(code)s)", where=where, problem=self.message, code=self.code)


@dataclass
class _Table:
    sheet: str
    letters: dict[str, str]
    rows: list[tuple[int, dict[str, Any]]]


@dataclass
class Conversion:
    """What reading a workbook gave: the definition, where each JSON path came from, and problems found."""

    definition: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    problems: list[SheetProblem] = field(default_factory=list)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)
    language: str = "en"

    def fail(self, code: str, message: str, location: Location | None) -> None:
        found = SheetProblem(code, message, location, advice=advice(code))
        if found not in self.problems:
            self.problems.append(found)

    def at(self, table: _Table, row: int | None, column: str | None = None) -> Location:
        return Location(table.sheet, row, column, table.letters.get(column) if column else None)

    def place(self, path: str, location: Location) -> None:
        self.locations.setdefault(path, location)


def _empty(value: Any) -> bool:
    return value is None or value == ""


MAX_ROWS = 5000  # a questionnaire has a few hundred rows; a bigger sheet is a mistake (or an attack)


def _rows(ws: Any, sheet: str, result: Conversion) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for row in ws.iter_rows(values_only=True):
        if len(rows) > MAX_ROWS:
            result.fail(
                "XLSX_BAD_ROW",
                gettext("the sheet has more than %(limit)s rows; the rest was not read", limit=MAX_ROWS),
                Location(sheet, len(rows) + 1),
            )
            break
        rows.append(row)
    return rows


def _table(ws: Any, sheet: str, result: Conversion) -> _Table:
    from openpyxl.utils import get_column_letter

    rows = _rows(ws, sheet, result)
    headings: dict[int, str] = {}
    letters: dict[str, str] = {}
    table = _Table(sheet, letters, [])
    for index, raw in enumerate(rows[0] if rows else ()):
        letter = get_column_letter(index + 1)
        has_values = any(len(r) > index and not _empty(r[index]) for r in rows[1:])
        heading = read_text(raw).strip() if not _empty(raw) else ""
        if not heading:
            if has_values:
                result.fail(
                    "XLSX_BAD_HEADING",
                    gettext("this column has values but no heading"),
                    Location(sheet, 1, None, letter),
                )
            continue
        if heading in letters:
            result.fail(
                "XLSX_BAD_HEADING",
                gettext(
                    "the heading '%(heading)s' is also used by column %(letter)s",
                    heading=heading,
                    letter=letters[heading],
                ),
                Location(sheet, 1, heading, letter),
            )
            continue
        headings[index], letters[heading] = heading, letter
    for number, raw_row in enumerate(rows[1:], start=2):
        cells = {headings[i]: v for i, v in enumerate(raw_row) if i in headings and not _empty(v)}
        if cells:
            table.rows.append((number, cells))
    result.letters[sheet] = letters
    return table


def _value(result: Conversion, table: _Table, number: int, heading: str, raw: Any, kind: Kind) -> Any:
    """A cell's value; None (with a located problem) when it does not fit."""
    where = result.at(table, number, heading)
    try:
        if kind is Kind.CONDITION:
            text = read_text(raw)
            return read_any(raw) if text.lstrip().startswith("{") else parse_condition_text(text)
        return read_cell(raw, kind)
    except ConditionSyntaxError as exc:
        result.fail(
            "XLSX_BAD_CONDITION", gettext("the condition cannot be read: %(problem)s", problem=exc), where
        )
    except CellError as exc:
        result.fail("XLSX_BAD_CELL", str(exc), where)
    return None


def _check_length(
    result: Conversion, table: _Table, number: int, heading: str, key: str, raw: Any, kind: Kind
) -> None:
    """A located XLSX_TOO_LONG problem when a cell's text is longer than its field may be (the builder's
    limits: a line of 500 characters, a box of paragraphs or a condition 5,000). Columns of JSON (Kind.ANY:
    the format's lists and objects, `x-…` extensions) are not text and have no limit here."""
    if not isinstance(raw, str) or kind not in (Kind.TEXT, Kind.STRING, Kind.CONDITION):
        return
    limit = BOX_LIMIT if kind is Kind.CONDITION else text_limit(key)
    if len(raw) > limit:
        result.fail(
            "XLSX_TOO_LONG",
            gettext(
                "the text is %(length)s characters long; %(heading)s may have at most %(limit)s",
                length=format(len(raw), ","),
                heading=heading,
                limit=format(limit, ","),
            ),
            result.at(table, number, heading),
        )


def read_fields(
    result: Conversion,
    table: _Table,
    number: int,
    cells: Mapping[str, Any],
    kinds: Mapping[str, Kind],
    renames: Mapping[str, str],
    base: str,
    skip: tuple[str, ...] = (),
) -> dict[str, Any]:
    """An object from one row's cells: columns renamed back to fields, translations gathered."""
    back = {column: name for name, column in renames.items()}
    obj: dict[str, Any] = {}
    texts: dict[str, dict[str, str]] = {}
    for heading, raw in cells.items():
        name, language = split_header(heading)
        if name in skip:
            continue
        key = back.get(name, name)
        result.place(base + pointer(key), result.at(table, number, heading))
        _check_length(result, table, number, heading, key, raw, kinds.get(key, Kind.ANY))
        if language is not None:
            texts.setdefault(key, {})[language] = read_text(raw)
            result.place(base + pointer(key, language), result.at(table, number, heading))
            continue
        value = _value(result, table, number, heading, raw, kinds.get(key, Kind.ANY))
        if value is not None or kinds.get(key, Kind.ANY) is Kind.ANY:
            obj[key] = value
    for key, translations in texts.items():
        if key in obj:
            if not isinstance(obj[key], str) or result.language in translations:
                column = renames.get(key, key)
                result.fail(
                    "XLSX_CONFLICT",
                    gettext(
                        "the %(lang)s text is in both '%(column)s' and '%(column)s::%(lang)s'",
                        lang=result.language,
                        column=column,
                    ),
                    result.at(table, number, column),
                )
                continue
            translations = {result.language: obj[key], **translations}
        obj[key] = translations
    return obj


def ordered(obj: dict[str, Any], kinds: Mapping[str, Kind]) -> dict[str, Any]:
    """The object's keys in the schema's order, unknown keys after."""
    order = {name: i for i, name in enumerate(kinds)}
    return dict(sorted(obj.items(), key=lambda kv: order.get(kv[0], len(order))))


@dataclass
class _Choices:
    lists: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    table: _Table | None = None


def _choices(result: Conversion, table: _Table | None) -> _Choices:
    found = _Choices(table=table)
    for number, cells in table.rows if table else ():
        name = cells.get("list_name")
        if _empty(name) or table is None:
            result.fail(
                "XLSX_BAD_ROW",
                gettext("the row has no list_name"),
                Location("choices", number, "list_name", table.letters.get("list_name") if table else None),
            )
            continue
        found.lists.setdefault(read_text(name).strip(), []).append((number, cells))
    return found


def _entries(result: Conversion, choices: _Choices, name: str, usage: str, base: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    assert choices.table is not None
    for index, (number, cells) in enumerate(choices.lists[name]):
        path = base + pointer(index)
        result.place(path, Location("choices", number))
        entry = read_fields(
            result,
            choices.table,
            number,
            cells,
            field_kinds(usage),
            RENAMES[usage],
            path,
            skip=("list_name",),
        )
        entries.append(ordered(entry, field_kinds(usage)))
    return entries


def _list(
    result: Conversion, choices: _Choices, name: str, where: Location, usage: str, path: str
) -> list[dict[str, Any]] | None:
    if name not in choices.lists:
        if choices.lists:
            message = gettext(
                "there is no list '%(name)s' on the choices sheet (lists: %(known)s)",
                name=name,
                known=", ".join(sorted(choices.lists)),
            )
        else:
            message = gettext("there is no list '%(name)s' on the choices sheet (lists: none)", name=name)
        result.fail("XLSX_UNKNOWN_LIST", message, where)
        return None
    return _entries(result, choices, name, usage, path)


def _question_type(result: Conversion, table: _Table, number: int, raw: Any) -> tuple[str, str | None]:
    text = read_text(raw)
    parts = text.split()
    if len(parts) == 2:
        return _TYPE_ALIASES.get(parts[0], parts[0]), parts[1]
    if len(parts) > 2:
        result.fail(
            "XLSX_BAD_CELL",
            gettext("'%(text)s' should be a question type, then at most one list name", text=text),
            result.at(table, number, "type"),
        )
    value = read_cell(raw, Kind.STRING)
    return _TYPE_ALIASES.get(value, value), None


def _resolve_lists(
    result: Conversion, table: _Table, number: int, question: dict[str, Any], choices: _Choices, base: str
) -> None:
    """Replace list names in options/scale/items by the entries of the choices sheet."""
    for key in ("options", "scale", "items"):
        value = question.get(key)
        if isinstance(value, str):
            usage = "item" if key == "items" else "option"
            column = RENAMES["question"].get(key, key)
            found = _list(
                result, choices, value.strip(), result.at(table, number, column), usage, base + pointer(key)
            )
            if found is not None:
                question[key] = found


def _question(
    result: Conversion, table: _Table, number: int, cells: dict[str, Any], choices: _Choices, base: str
) -> dict[str, Any]:
    result.place(base, result.at(table, number))
    kinds = field_kinds("question")
    question = read_fields(result, table, number, cells, kinds, RENAMES["question"], base, skip=("type",))
    if "type" in cells:
        kind, list_name = _question_type(result, table, number, cells["type"])
        question["type"] = kind
        result.place(base + "/type", result.at(table, number, "type"))
        list_field = LIST_FIELDS.get(kind)
        if list_name is not None and list_field is None and kind in enum_values("question", "type"):
            result.fail(
                "XLSX_BAD_CELL",
                gettext(
                    "a %(type)s question takes no list ('%(list)s'); only %(types)s do",
                    type=kind,
                    list=list_name,
                    types=", ".join(LIST_FIELDS),
                ),
                result.at(table, number, "type"),
            )
        elif list_name is not None and list_field is not None:
            if list_field in question:
                result.fail(
                    "XLSX_CONFLICT",
                    gettext("the %(field)s are named both here and in column %(field)s", field=list_field),
                    result.at(table, number, "type"),
                )
            question[list_field] = list_name
    _resolve_lists(result, table, number, question, choices, base)
    return ordered(question, kinds)


def _section(
    result: Conversion, table: _Table, number: int, cells: dict[str, Any], index: int
) -> dict[str, Any]:
    base = pointer("sections", index)
    result.place(base, result.at(table, number))
    section = read_fields(
        result, table, number, cells, field_kinds("section"), RENAMES["section"], base, skip=("type",)
    )
    section.setdefault("questions", [])
    return section


def _row_type(cells: Mapping[str, Any]) -> str:
    return " ".join(read_text(cells["type"]).split()).lower() if "type" in cells else ""


def read_survey(result: Conversion, table: _Table, choices: _Choices) -> list[dict[str, Any]]:
    """The sections and their questions, in row order."""
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for number, cells in table.rows:
        kind = _row_type(cells)
        if kind in _BEGIN:
            current = _section(result, table, number, cells, len(sections))
            sections.append(current)
        elif kind in _END:
            if current is None:
                result.fail(
                    "XLSX_BAD_ROW",
                    gettext("'end section' without a 'begin section' before it"),
                    result.at(table, number, "type"),
                )
            current = None
        elif current is None:
            result.fail(
                "XLSX_BAD_ROW",
                gettext(
                    "this question comes before any 'begin section' row (or after an 'end section'): every "
                    "question belongs to a section"
                ),
                result.at(table, number),
            )
        else:
            base = pointer("sections", len(sections) - 1, "questions", len(current["questions"]))
            current["questions"].append(_question(result, table, number, cells, choices, base))
    return [ordered(s, field_kinds("section")) for s in sections]


def _settings(result: Conversion, table: _Table) -> dict[str, Any]:
    if not table.rows:
        result.fail(
            "XLSX_BAD_ROW",
            gettext("the settings sheet has no row of values under its headings"),
            Location("settings", 2),
        )
        return {}
    number, cells = table.rows[0]
    for extra, _ in table.rows[1:]:
        result.fail(
            "XLSX_BAD_ROW",
            gettext("the settings sheet holds one row of values; this row is extra"),
            Location("settings", extra),
        )
    for alias, name in _SETTINGS_ALIASES.items():
        if alias in cells and name not in cells:
            cells = {(name if h == alias else h): v for h, v in cells.items()}
            table.letters[name] = table.letters[alias]
    result.language = read_text(cells["language"]).strip() if "language" in cells else result.language
    nested = [h for h in cells if h.partition(".")[0] in NESTED and "." in h]
    plain = {h: v for h, v in cells.items() if h not in nested and h != "languages"}
    settings = read_fields(result, table, number, plain, field_kinds("root"), {}, "")
    if "languages" in cells:
        settings["languages"] = _languages(cells["languages"])
        result.place("/languages", result.at(table, number, "languages"))
    for key, kinds_name in NESTED.items():
        columns = {h.partition(".")[2]: cells[h] for h in nested if h.partition(".")[0] == key}
        if not columns:
            continue
        if key in settings:
            result.fail(
                "XLSX_CONFLICT",
                gettext("'%(key)s' is given both as a whole and in %(key)s.… columns", key=key),
                result.at(table, number, key),
            )
        renames = {name: f"{key}.{name}" for name in columns}
        obj = read_fields(
            result,
            table,
            number,
            {f"{key}.{n}": v for n, v in columns.items()},
            field_kinds(kinds_name),
            renames,
            pointer(key),
        )
        settings[key] = ordered(obj, field_kinds(kinds_name))
    return settings


def _languages(raw: Any) -> Any:
    text = read_text(raw).strip()
    if text.startswith("["):
        return read_any(raw)
    return [part for part in text.replace(",", " ").split() if part]


def _mapping_entry(
    result: Conversion,
    table: _Table,
    number: int,
    cells: dict[str, Any],
    kind: str,
    mapping: dict[str, Any],
    base: str,
) -> None:
    allowed = ("type", *_MAPPING_ROWS[kind])
    for heading in cells:
        if heading not in allowed:
            result.fail(
                "XLSX_BAD_ROW",
                gettext(
                    "a %(kind)s row uses only the columns %(columns)s", kind=kind, columns=", ".join(allowed)
                ),
                result.at(table, number, heading),
            )
    category = cells.get("category")
    category = None if category is None else read_cell(category, Kind.STRING)
    if kind == "map":
        if "code" not in cells:
            result.fail(
                "XLSX_BAD_ROW",
                gettext("a map row needs the option code in column code"),
                result.at(table, number, "code"),
            )
            return
        code = read_cell(cells["code"], Kind.STRING)
        target = mapping.setdefault("map", {})
        if not isinstance(target, dict) or code in target:
            result.fail(
                "XLSX_CONFLICT",
                gettext("the code '%(code)s' is mapped twice", code=code),
                result.at(table, number, "code"),
            )
            return
        target[code] = category
        result.place(base + pointer("map", code), result.at(table, number, "code"))
        return
    ranges = mapping.setdefault("ranges", [])
    bounds = {
        b: _value(result, table, number, b, cells[b], Kind.INT) if b in cells else None
        for b in ("min", "max")
    }
    if isinstance(ranges, list):
        result.place(base + pointer("ranges", len(ranges)), result.at(table, number))
        ranges.append({**bounds, "category": category})


def read_demographics(result: Conversion, table: _Table) -> list[dict[str, Any]]:
    """The demographic mappings: a 'mapping' row, then its 'map' or 'range' rows."""
    mappings: list[dict[str, Any]] = []
    kinds = field_kinds("mapping")
    for number, cells in table.rows:
        kind = _row_type(cells)
        if kind == "mapping":
            base = pointer("demographics", len(mappings))
            result.place(base, result.at(table, number))
            mappings.append(read_fields(result, table, number, cells, kinds, {}, base, skip=("type",)))
        elif kind in _MAPPING_ROWS and mappings:
            base = pointer("demographics", len(mappings) - 1)
            _mapping_entry(result, table, number, cells, kind, mappings[-1], base)
        else:
            if kind not in _MAPPING_ROWS:
                what = gettext("'%(kind)s' is not a row type here (use mapping, map or range)", kind=kind)
            else:
                what = gettext(
                    "a map or range row comes before any 'mapping' row (use mapping, map or range)"
                )
            result.fail("XLSX_BAD_ROW", what, result.at(table, number, "type"))
    return [ordered(m, kinds) for m in mappings]


def read_contacts(result: Conversion, table: _Table) -> list[dict[str, Any]]:
    """The support contacts, one a row."""
    kinds = field_kinds("support_contact")
    contacts = []
    for index, (number, cells) in enumerate(table.rows):
        base = pointer("support_contacts", index)
        result.place(base, result.at(table, number))
        contacts.append(ordered(read_fields(result, table, number, cells, kinds, {}, base), kinds))
    return contacts


def _sheets(workbook: Workbook, result: Conversion) -> dict[str, Any]:
    sheets: dict[str, Any] = {}
    for ws in workbook.worksheets:
        name = ws.title.strip().lower()
        if name in SHEET_ORDER and name not in sheets:
            sheets[name] = ws
        else:
            result.fail(
                "XLSX_UNKNOWN_SHEET",
                gettext(
                    "'%(sheet)s' is not a sheet of a questionnaire workbook (expected %(sheets)s)",
                    sheet=ws.title,
                    sheets=", ".join(SHEET_ORDER),
                ),
                Location(ws.title),
            )
    for needed in ("survey", "settings"):
        if needed not in sheets:
            result.fail(
                "XLSX_MISSING_SHEET",
                gettext("the workbook has no '%(sheet)s' sheet", sheet=needed),
                Location(needed),
            )
    return sheets


def _attach(result: Conversion, definition: dict[str, Any], key: str, value: list[dict[str, Any]]) -> None:
    if key in definition:
        sheet = ROOT_LISTS[key]
        result.fail(
            "XLSX_CONFLICT",
            gettext(
                "'%(key)s' is given on the settings sheet and on the %(sheet)s sheet", key=key, sheet=sheet
            ),
            Location("settings", 2, key, result.letters.get("settings", {}).get(key)),
        )
        return
    definition[key] = value


def convert(workbook: Workbook) -> Conversion:
    """The definition a workbook holds, where each part came from, and the problems of the workbook itself."""
    result = Conversion()
    sheets = _sheets(workbook, result)
    tables = {name: _table(ws, name, result) for name, ws in sheets.items()}
    definition = _settings(result, tables["settings"]) if "settings" in tables else {}
    choices = _choices(result, tables.get("choices"))
    if "survey" in tables and tables["survey"].rows:
        _attach(result, definition, "sections", read_survey(result, tables["survey"], choices))
    if "demographics" in tables and tables["demographics"].rows:
        _attach(result, definition, "demographics", read_demographics(result, tables["demographics"]))
    if "support_contacts" in tables and tables["support_contacts"].rows:
        _attach(result, definition, "support_contacts", read_contacts(result, tables["support_contacts"]))
    result.definition = ordered(definition, field_kinds("root"))
    return result
