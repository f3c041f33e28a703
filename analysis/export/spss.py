"""SPSS .sav through pyreadstat: value labels, user-missing values, measurement levels, formats, dates.

Coded answers (single-choice and rating columns) are numbered 1, 2, ... in questionnaire order; the
"don't know" and "prefer not to say" answers (option `kind`) get 97 and 98 instead, a question shown but
left unanswered is 99 ("Skipped") and a question the routing did not show is -1 ("Not asked"); 97-99 and
-1 are declared user-missing. Multiple-choice 0/1 columns use 99 and -1 the same way; number questions
with a minimum of 0 or more use -2 (skipped) and -1 (not asked). Measurement levels: single and
multiple-choice nominal, rating items ordinal, numbers, weight and durations scale. Coded columns have
integer display formats (F3.0), dates are SPSS dates (DATE11), the weight F8.4.
Paper-form mark columns (`<variable>_paper_mark`): 1 = left blank on the paper form, 2 = more than one box
ticked, 0 = no mark, -1 = not asked (user-missing).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.export.safe import clean_text

if TYPE_CHECKING:
    from analysis.export.responses import Column, ExportTable

NOT_ASKED = -1.0
SKIPPED = 99.0
SKIPPED_NUMBER = -2.0
DATES = ("started_on", "completed_on")
INTEGERS = ("response_id", "duration_seconds")


def spss_numbers(col: Column) -> dict[str, float]:
    """Answer code -> SPSS number: 1, 2, ... in order; the missing kinds 97, 98 in their order."""
    out: dict[str, float] = {}
    answers = missing = 0
    for code, _ in col.values:
        if code in col.missing and missing < 2:
            out[code] = 97.0 + missing
            missing += 1
        else:
            answers += 1
            out[code] = float(answers)
    return out


BOXES = ("multiple", "grid", "dont_know")  # one 0/1 column per box ticked or not


MARK_NUMBERS = {"blank": 1.0, "multiple": 2.0}
NO_MARK = 0.0


def spss_values_text(col: Column) -> str:
    """The SPSS numbers and labels of a column, as the data dictionary gives them."""
    if col.kind == "paper_mark":
        parts = [f"{MARK_NUMBERS[code]:g} = {label}" for code, label in col.values]
        return "; ".join([*parts, "0 = no mark", "-1 = not asked"])
    if col.kind in BOXES:
        return "1 = chosen; 0 = not chosen; 99 = skipped; -1 = not asked"
    if col.values:
        numbers = spss_numbers(col)
        parts = [f"{numbers[code]:g} = {label}" for code, label in col.values]
        return "; ".join([*parts, "99 = skipped", "-1 = not asked"])
    return ""


def spss_missing_text(col: Column) -> str:
    """The user-missing values of a column in words."""
    if col.kind == "paper_mark":
        return "-1 (not asked)"
    if col.values or col.kind in BOXES:
        return "97-99 (don't know, prefer not to say, skipped) and -1 (not asked)"
    if _number_with_codes(col):
        return "-2 (skipped) and -1 (not asked)"
    return ""


def measure(col: Column) -> str:
    """SPSS measurement level."""
    if col.kind in ("rating", "rank"):
        return "ordinal"
    if col.kind in ("number", "weight") or col.name in INTEGERS or col.name in DATES:
        return "scale"
    return "nominal"


def _number_with_codes(col: Column) -> bool:
    return col.kind in ("number", "rank")


def write_spss(table: ExportTable, path: str | Path) -> None:
    """Write the table as an SPSS .sav file (see the module docstring for the codes)."""
    import pandas as pd
    import pyreadstat

    data: dict[str, list[Any]] = {}
    value_labels: dict[str, dict[float, str]] = {}
    missing: dict[str, list[Any]] = {}
    formats: dict[str, str] = {}
    asked = table.asked or tuple(tuple(True for _ in table.columns) for _ in table.rows)
    for j, col in enumerate(table.columns):
        raw = [row[j] for row in table.rows]
        shown = [a[j] for a in asked]
        if col.kind == "paper_mark":
            data[col.name] = [
                MARK_NUMBERS.get(str(v), NO_MARK) if v is not None else (NO_MARK if s else NOT_ASKED)
                for v, s in zip(raw, shown, strict=True)
            ]
            value_labels[col.name] = {
                **{MARK_NUMBERS[code]: label for code, label in col.values},
                NO_MARK: "No mark",
                NOT_ASKED: "Not asked",
            }
            missing[col.name] = [NOT_ASKED]
            formats[col.name] = "F3.0"
        elif col.values:
            numbers = spss_numbers(col)
            data[col.name] = [
                numbers.get(str(v), None) if v is not None else (SKIPPED if s else NOT_ASKED)
                for v, s in zip(raw, shown, strict=True)
            ]
            labels = {numbers[code]: clean_text(label)[:120] for code, label in col.values}
            value_labels[col.name] = {
                **labels,
                SKIPPED: "Skipped (shown, not answered)",
                NOT_ASKED: "Not asked",
            }
            missing[col.name] = [{"lo": 97.0, "hi": 99.0}, NOT_ASKED]
            formats[col.name] = "F3.0"
        elif col.kind in BOXES:
            data[col.name] = [
                float(v) if v is not None else (SKIPPED if s else NOT_ASKED)
                for v, s in zip(raw, shown, strict=True)
            ]
            value_labels[col.name] = {
                0.0: "Not chosen",
                1.0: "Chosen",
                SKIPPED: "Skipped (shown, not answered)",
                NOT_ASKED: "Not asked",
            }
            missing[col.name] = [SKIPPED, NOT_ASKED]
            formats[col.name] = "F3.0"
        elif col.kind in ("number", "rank"):
            data[col.name] = [
                float(v) if v is not None else (SKIPPED_NUMBER if s else NOT_ASKED)
                for v, s in zip(raw, shown, strict=True)
            ]
            value_labels[col.name] = {SKIPPED_NUMBER: "Skipped (shown, not answered)", NOT_ASKED: "Not asked"}
            missing[col.name] = [SKIPPED_NUMBER, NOT_ASKED]
            whole = all(float(v).is_integer() for v in raw if v is not None)
            formats[col.name] = "F8.0" if whole else "F12.2"  # decimals and money keep their pence
        elif col.kind == "weight":
            data[col.name] = [float(v) if v is not None else None for v in raw]
            formats[col.name] = "F8.4"
        elif col.name in INTEGERS:
            data[col.name] = [float(v) if v is not None else None for v in raw]
            formats[col.name] = "F8.0"
        elif col.name in DATES:
            data[col.name] = [date.fromisoformat(str(v)[:10]) if v else None for v in raw]
            formats[col.name] = "DATE11"
        else:
            data[col.name] = ["" if v is None else clean_text(str(v)) for v in raw]
    frame = pd.DataFrame(data, columns=[c.name for c in table.columns])
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={c.name: clean_text(c.label)[:250] for c in table.columns},
        variable_value_labels=value_labels,
        missing_ranges=missing,
        variable_measure={c.name: measure(c) for c in table.columns},
        variable_format=formats,
    )
