"""The report's numbers as JSON (format documented in docs/reports.md)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from analysis.report.model import FORMAT_VERSION, Report


def plain(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON-ready dicts, strings and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def report_to_dict(report: Report) -> dict[str, Any]:
    """Every number of the report (charts left out; their alternatives kept)."""
    out: dict[str, Any] = {"format": "survey-report", "format_version": FORMAT_VERSION}
    for f in dataclasses.fields(report):
        if f.name not in ("charts", "extra"):
            out[f.name] = plain(getattr(report, f.name))
    out["chart_alternatives"] = {key: chart.alt for key, chart in report.charts.items()}
    return out


def render_json(report: Report) -> bytes:
    """The JSON document as UTF-8 bytes."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False).encode("utf-8")
