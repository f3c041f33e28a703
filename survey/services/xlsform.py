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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from survey.engine import Problem, Questionnaire, ReferenceCatalogue, validate_dict
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


def _open(source: bytes | str | Path | BinaryIO) -> Any:
    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(stream) as archive:  # a small upload must not unpack into gigabytes
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise ValueError("it unpacks to more than 50 MB")
    if not isinstance(source, str | Path):
        stream.seek(0)
    return load_workbook(stream, read_only=True, data_only=True)


def definition_from_xlsx(source: bytes | str | Path | BinaryIO) -> Conversion:
    """The definition a workbook holds with the workbook's own problems, without the engine's checks."""
    try:
        workbook = _open(source)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        result = Conversion()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not an .xlsx workbook"
        if isinstance(exc, ValueError) and "unpacks" in str(exc):
            reason = str(exc)
        result.fail("XLSX_UNREADABLE", f"the file cannot be read: {reason}", None)
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
    return Location(place.sheet, place.row, column, conversion.letters.get(place.sheet, {}).get(column))


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
    if p.code == "MISSING_FIELD":
        place = _column_for_missing(conversion, p, place)
    return SheetProblem(p.code, p.message, place, p.severity, p.path, p.advice)


def read_xlsx(
    source: bytes | str | Path | BinaryIO, name: str = "", references: ReferenceCatalogue | None = None
) -> XlsxResult:
    """Read a workbook and run the engine's validation; every problem names its sheet, row and column.

    `references`: the reference populations known here, so that a census mapping onto a category they lack
    is found now, on its cell, and not only when publishing."""
    conversion = definition_from_xlsx(source)
    if conversion.problems:
        return XlsxResult(conversion.definition or None, None, tuple(conversion.problems), ())
    checked = validate_dict(conversion.definition, name, references=references)
    errors = tuple(dict.fromkeys(locate(conversion, p) for p in checked.errors))
    warnings = tuple(dict.fromkeys(locate(conversion, p) for p in checked.warnings))
    return XlsxResult(conversion.definition, checked.questionnaire, errors, warnings)
