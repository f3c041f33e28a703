"""Questionnaires as XLSForm-style workbooks: write a definition to XLSX and read one back, checked.

`to_xlsx(definition)` gives the workbook's bytes; `read_xlsx(data)` gives an XlsxResult with the definition,
the engine's Questionnaire when it is valid, and every problem placed on a sheet, row and column. Reading what
`to_xlsx` wrote gives an equal definition (tests/unit/services/test_xlsform_roundtrip.py). The layout and the
condition syntax are described in docs/questionnaires.md ("Building in a spreadsheet"); openpyxl does the
workbook side.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from survey.engine import Problem, Questionnaire, ReferenceCatalogue, validate_dict
from survey.services.words import gettext
from survey.services.xlsform_read import XLSX_CATALOGUE, Conversion, Location, SheetProblem, convert
from survey.services.xlsform_write import RENAMES, WorkbookWriteError, to_workbook

__all__ = [
    "XLSX_CATALOGUE",
    "Location",
    "SheetProblem",
    "WorkbookWriteError",
    "XlsxResult",
    "definition_from_xlsx",
    "read_xlsx",
    "to_workbook",
    "to_xlsx",
]


def to_xlsx(definition: Mapping[str, Any]) -> bytes:
    """The .xlsx bytes of a definition; raises WorkbookWriteError for a text too long for a cell."""
    buffer = io.BytesIO()
    to_workbook(definition).save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class XlsxResult:
    """A workbook read and checked: the definition (None when unreadable), the questionnaire when valid."""

    definition: dict[str, Any] | None
    questionnaire: Questionnaire | None
    errors: tuple[SheetProblem, ...]
    warnings: tuple[SheetProblem, ...]

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors


MAX_UNPACKED = 50 * 1024 * 1024
UNPACKS = "it unpacks to more than 50 MB"  # not translated: _open's reason, worded below for people


def _open(source: bytes | str | Path | BinaryIO) -> Any:
    from openpyxl import load_workbook

    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(stream) as archive:  # a small upload must not unpack into gigabytes
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise ValueError(UNPACKS)
    if not isinstance(source, str | Path):
        stream.seek(0)
    return load_workbook(stream, read_only=True, data_only=True)


def definition_from_xlsx(source: bytes | str | Path | BinaryIO) -> Conversion:
    """The definition a workbook holds with the workbook's own problems, without the engine's checks."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = _open(source)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        result = Conversion()
        if isinstance(exc, OSError) and exc.strerror:
            message = gettext("the file cannot be read: %(reason)s", reason=exc.strerror)
        elif isinstance(exc, ValueError) and str(exc) == UNPACKS:
            message = gettext("the file cannot be read: it unpacks to more than 50 MB")
        else:
            message = gettext("the file cannot be read: it is not an .xlsx workbook")
        result.fail("XLSX_UNREADABLE", message, None)
        return result
    try:
        return convert(workbook)
    finally:
        workbook.close()


_CONTAINERS = re.compile(r"^(/sections/\d+(?:/questions/\d+(?:/(?:options|scale|items)/\d+)?)?)$")
_KIND_BY_DEPTH = {2: "section", 4: "question", 6: "option"}


def _column_for_missing(conversion: Conversion, p: Problem, place: Location) -> Location:
    """For a missing field, point at the column it belongs in (named as the workbook names it)."""
    match = re.search(r"'([^']+)'", p.message)
    if match is None or place.row is None:
        return place
    field = match.group(1)
    depth = p.path.count("/")
    kind = "item" if "/items/" in p.path else _KIND_BY_DEPTH.get(depth, "")
    if not _CONTAINERS.match(p.path) and p.path:
        kind = ""
    column = RENAMES.get(kind, {}).get(field, field)
    letters = conversion.letters.get(place.sheet, {})
    if column not in letters:  # a text written in language columns: the default language's, or the first
        languages = [h for h in letters if h.startswith(f"{column}::")]
        preferred = f"{column}::{conversion.language}"
        column = preferred if preferred in languages else (languages or [column])[0]
    return Location(place.sheet, place.row, column, letters.get(column))


def locate(conversion: Conversion, p: Problem) -> SheetProblem:
    """An engine Problem placed on the cell (or row, or sheet) its JSON path came from."""
    parts = p.path.split("/")
    place: Location | None = None
    for end in range(len(parts), 0, -1):
        place = conversion.locations.get("/".join(parts[:end]))
        if place is not None:
            break
    if place is None:
        sheet = "survey" if p.path.startswith("/sections") or p.path == "" else "settings"
        place = Location(sheet, 2 if sheet == "settings" else None)
    message = p.message
    if p.code == "MISSING_FIELD":
        place = _column_for_missing(conversion, p, place)
        if place.column is not None and place.letter is None:  # the column itself is missing
            message = gettext(
                "%(problem)s (the %(sheet)s sheet has no column '%(column)s': add it)",
                problem=message,
                sheet=place.sheet,
                column=place.column,
            )
    return SheetProblem(p.code, message, place, p.severity, p.path, p.advice)


def read_xlsx(
    source: bytes | str | Path | BinaryIO, name: str = "", references: ReferenceCatalogue | None = None
) -> XlsxResult:
    """Read a workbook and run the engine's validation; every problem names its sheet, row and column.

    `references`: the reference populations known here, so that a census mapping onto a category they lack
    is found now, on its cell, and not only when publishing."""
    conversion = definition_from_xlsx(source)
    if not conversion.definition:  # not a workbook, or nothing in it could be read
        return XlsxResult(None, None, tuple(conversion.problems), ())
    checked = validate_dict(conversion.definition, name, references=references)
    own = conversion.problems
    errors = [*own, *_not_covered(own, (locate(conversion, p) for p in checked.errors))]
    warnings = tuple(dict.fromkeys(_not_covered(own, (locate(conversion, p) for p in checked.warnings))))
    questionnaire = checked.questionnaire if not errors else None
    return XlsxResult(conversion.definition, questionnaire, tuple(dict.fromkeys(errors)), warnings)


def _covers(own: SheetProblem, other: SheetProblem) -> bool:
    """Whether the workbook's own problem `own` is at the place of the engine's `other`: the same sheet and
    row (a whole sheet or row, or the same column), where the engine's problem would only repeat it."""
    mine, theirs = own.location, other.location
    if mine is None or theirs is None or mine.sheet != theirs.sheet:
        return False
    if mine.row is None:
        return True
    if mine.row != theirs.row:
        return False
    return mine.column is None or theirs.column is None or mine.column == theirs.column


def _not_covered(own: list[SheetProblem], found: Iterable[SheetProblem]) -> list[SheetProblem]:
    """The engine's problems, but those at the place of one of the workbook's own problems.

    The workbook's problems do not stop the engine's checks: a workbook with a bad cell on one row and a
    missing label on another reports both. What a workbook problem left out of the definition (a cell that
    could not be read, a list that is not on `choices`) would give the engine's problem at the same place,
    which says less; those are left out."""
    return [p for p in found if not any(_covers(mine, p) for mine in own)]
