"""Reading a GOV.UK date input (day, month, year fields) with the design system's error messages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from survey.services.words import gettext


def read_date(
    form: Mapping[str, str], name: str, label: str, *, required: bool = True
) -> tuple[date | None, str | None]:
    """The date typed into `<name>-day/-month/-year`, or the GOV.UK message saying what is wrong."""
    parts = {part: (form.get(f"{name}-{part}") or "").strip() for part in ("day", "month", "year")}
    if not any(parts.values()):
        return None, (gettext("Enter the %(label)s", label=label.lower()) if required else None)
    missing = [part for part, value in parts.items() if not value]
    if missing:
        return None, gettext("%(label)s must include a %(parts)s", label=label, parts=" and ".join(missing))
    if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
        return None, gettext("%(label)s must be a real date, for example 27 3 2027", label=label)
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), None
    except ValueError:
        return None, gettext("%(label)s must be a real date, for example 27 3 2027", label=label)
