"""`survey disclosure audit REPORT_ID|FILE.json`: can any hidden count of a report be pinned down?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext


@click.group("disclosure")
def disclosure_group() -> None:
    """Disclosure control: audit reports for hidden counts a reader could work out."""


@disclosure_group.command("audit")
@click.argument("report")
@click.option("--threshold", type=click.IntRange(min=1), help="Override the threshold the report states.")
@with_appcontext
def audit_command(report: str, threshold: int | None) -> None:
    """Audit a stored report (its number) or an exported report JSON file.

    Exits 1 naming every hidden count that the report's own figures pin to a range narrower than the
    threshold, 0 when there is none.
    """
    from analysis.disclosure import InconsistentFigures, audit_report

    doc = _load(report)
    limit = threshold or int((doc.get("disclosure") or {}).get("threshold") or doc.get("min_cell") or 10)
    try:
        weak = audit_report(doc, limit)
    except InconsistentFigures as exc:
        raise click.ClickException(f"{report}: {exc}") from None
    if weak:
        click.echo(f"{report}: {len(weak)} hidden count(s) can be pinned to a range narrower than {limit}:")
        for r in weak:
            click.echo(f"  {r}")
        raise SystemExit(1)
    audience = doc.get("audience") or (doc.get("disclosure") or {}).get("audience") or "unstated"
    click.echo(f"{report}: no hidden count can be narrowed below {limit} (audience: {audience}).")


def _load(report: str) -> dict[str, Any]:
    if report.isdigit() and not Path(report).exists():
        return _stored(int(report))
    path = Path(report)
    if not path.is_file():
        raise click.ClickException(f"{report} is neither a stored report number nor a JSON file")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"cannot read {report} as report JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != "survey-report":
        raise click.ClickException(
            f'{report} is not a report JSON (expected "format": "survey-report"; export one with '
            "survey report interim --format json)"
        )
    return doc


def _stored(snapshot_id: int) -> dict[str, Any]:
    from survey.store import repository_reports
    from survey.store.db import Session, get_engine

    with Session(get_engine(), expire_on_commit=False) as session:
        snap = repository_reports.snapshot_by_id(session=session, snapshot_id=snapshot_id)
        if snap is None:
            raise click.ClickException(f"there is no stored report #{snapshot_id} (see survey report list)")
        return dict(snap.numbers)
