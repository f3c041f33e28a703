"""Where imported reference populations (census shares) are kept."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def imported_reference_dir() -> Path:
    """Where imported reference files are kept: SURVEY_REFERENCE_DIR, else <instance>/reference."""
    configured = current_app.config.get("SURVEY_REFERENCE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "reference"
