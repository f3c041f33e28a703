"""Data exports for analysts: responses as CSV with a data dictionary, and SPSS .sav (pyreadstat).

table = flatten(responses, questionnaire, weights=None, free_text=True, sensitive=True)  (typed Questionnaire)
write_csv(table, labels=False) -> bytes ; dictionary_csv(table) / dictionary_markdown(table) -> bytes
write_sav(table, path)  (variable and value labels)
"""

from __future__ import annotations

from analysis.export.responses import (
    Column,
    ExportTable,
    dictionary_csv,
    dictionary_markdown,
    flatten,
    write_csv,
    write_sav,
)
from analysis.export.safe import safe_cell

__all__ = [
    "Column",
    "ExportTable",
    "dictionary_csv",
    "dictionary_markdown",
    "flatten",
    "safe_cell",
    "write_csv",
    "write_sav",
]
