"""The reference populations this deployment knows, as names only, for checking questionnaire definitions.

The engine must not read reference files (they belong to `analysis/`), so the command line and staff pages
build a `ReferenceCatalogue` here and hand it to `validate_file` / `validate_dict`.
"""

from __future__ import annotations

from pathlib import Path

from analysis.reference import DEFAULT_REFERENCE, ReferenceDataError, available_references, load_reference
from survey.engine import ReferenceCatalogue


def reference_catalogue(imported_dir: str | Path | None = None) -> ReferenceCatalogue:
    """Every readable shipped or imported reference: name -> dimension -> category names.

    A reference file that cannot be read is left out (so a mapping naming it is reported as unknown);
    `survey reference check` explains what is wrong with such a file.
    """
    references: dict[str, dict[str, tuple[str, ...] | None]] = {}
    for name, path in available_references(imported_dir).items():
        try:
            reference = load_reference(path, name)
        except (ReferenceDataError, OSError):
            continue
        references[name] = {d.name: tuple(c.name for c in d.categories) for d in reference.dimensions}
    return ReferenceCatalogue(references=references, default=DEFAULT_REFERENCE)
