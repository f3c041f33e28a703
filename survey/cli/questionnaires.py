"""`survey validate` and `survey paths`: check questionnaire definitions without an app or a database."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from survey.engine import Problem, Questionnaire, analyse_paths, validate_file
from survey.engine.errors import NAMES_VALID
from survey.services.reference_catalogue import reference_catalogue


def _files(paths: tuple[str, ...]) -> list[Path]:
    """The files named, with each directory replaced by its *.json definitions (schemas excluded)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.glob("*.json") if not p.name.endswith(".schema.json"))
        else:
            found.append(path)
    return found


def _line(p: Problem, explain: bool) -> str:
    text = str(p)
    if p.severity == "warning":
        file, _, rest = text.partition(": ")
        location, _, message = rest.partition(": ")
        text = f"{file}: {location}: warning: {message}"
    shown = p.advice and (explain or p.code in NAMES_VALID)  # the valid values are part of the message
    return text + (f"\n    {p.advice}" if shown else "")


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option("--explain", is_flag=True, help="Print advice on how to fix each problem.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 when there are any).")
@click.option(
    "--reference-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Also know the reference populations imported into this folder (default: shipped only).",
)
def validate_command(paths: tuple[str, ...], explain: bool, strict: bool, reference_dir: str | None) -> None:
    """Check questionnaire definitions: one line per problem, exit 1 when any has errors.

    Demographic mappings are checked against the reference populations known (shipped, and imported
    into --reference-dir).
    """
    failed = False
    references = reference_catalogue(reference_dir)
    files = _files(paths)
    if not files:
        raise click.UsageError("no questionnaire files found in " + ", ".join(paths))
    for path in files:
        result = validate_file(path, references=references)
        for p in result.errors:
            click.echo(_line(p, explain))
        for p in result.warnings:
            click.echo(_line(p, explain))
        failed |= bool(result.errors) or (strict and bool(result.warnings))
        errors, warnings = len(result.errors), len(result.warnings)
        summary = (
            f"{errors} error(s), {warnings} warning(s)"
            if errors
            else "valid" + (f" ({warnings} warning(s))" if warnings else "")
        )
        click.echo(f"{path.name}: {summary}", err=True)
    raise SystemExit(1 if failed else 0)


def _describe(q: Questionnaire, qid: str) -> str:
    return f"{qid} (section {q.section_number(qid)})"


@click.command("paths")
@click.argument("path")
@click.option("--as-json", "as_json", is_flag=True, help="Print the report as JSON.")
def paths_command(path: str, as_json: bool) -> None:
    """Shortest and longest paths through a questionnaire, estimated minutes and branch points."""
    result = validate_file(path)
    if result.questionnaire is None:
        for p in result.errors:
            click.echo(str(p))
        raise SystemExit(1)
    q = result.questionnaire
    report = analyse_paths(q)
    if as_json:
        data = asdict(report)
        data.pop("witnesses", None)
        click.echo(json.dumps(data, indent=2))
        return
    name = Path(path).name
    click.echo(f"{name}: {q.id} version {q.version}, {len(q.sections)} sections, {len(q.questions)} pages")
    click.echo(f"Questions asked: {report.min_questions} to {report.max_questions}")
    click.echo(
        f"Estimated time: {report.min_minutes:.1f} to {report.max_minutes:.1f} minutes "
        f"(budget {q.time_budget.max_questions} questions, {q.time_budget.max_minutes:g} minutes)"
    )
    click.echo(f"Distinct paths: {report.paths}" + ("" if report.exhaustive else " (bounded estimate)"))
    click.echo("Branch points:" if report.branch_points else "Branch points: none")
    for point in report.branch_points:
        click.echo(f"  {_describe(q, point.question)} decides: {', '.join(point.controls)}")
    for warning in report.warnings:
        click.echo(_line(warning.with_file(name), False))
