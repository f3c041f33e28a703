"""Census sources as a reader cites them: the ONS table id and title and the area, never a file path."""

from __future__ import annotations

import re

TITLES = {
    "TS007A": "Age by five-year age bands",
    "TS009": "Sex by single year of age",
    "TS021": "Ethnic group",
    "TS038": "Disability",
    "TS041": "Number of households",
    "TS054": "Tenure",
}


def reader_source(source: str) -> str:
    """A source line as a reader cites it: 'ONS Census 2021 table TS054: Tenure (the local authority)'.

    Where the figures came through a copy in someone's repository, the reader still gets the ONS table;
    the copy is named in the reference file (docs/reference-data.md), not in the report.
    """
    area = _area(source)
    found = re.search(r"\bTS\d{3}[A-Z]?\b", source)
    if found:
        table = found.group(0)
        return f"ONS Census 2021 table {table}: {TITLES.get(table, 'Census table')}{area}"
    lowered = source.lower()
    if "ethnic group" in lowered:
        return f"ONS Census 2021 table TS021: Ethnic group{area} (five groups summed from the detailed ones)"
    if "custom age" in lowered:
        what = (
            "residents aged 16 and over by ward"
            if "ward" in lowered
            else "age by lower layer super output area"
        )
        return f"ONS Census 2021 custom dataset (Create a custom dataset): {what}{area}"
    if "lookup" in lowered:
        return "ONS lower layer super output area (2021) to ward (2024) best-fit lookup"
    return re.sub(r"\s*(\(copy|via github|copy:).*$", "", source).strip() or "ONS Census 2021"


def _area(source: str) -> str:
    if "ENGLAND" in source:
        return " (England, for comparison)"
    if "LSOA" in source:
        return " (summed over the area's lower layer super output areas)"
    if "LTLA" in source or " LA " in source:
        return " (the local authority)"
    return ""
