"""`survey questionnaire ...`: turn definitions into workbooks and back, and start new ones from templates.

These commands need no database: ID names a bundled questionnaire (a file in the questionnaire folder whose
"id" it is), FILE a definition file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from survey.engine import validate_dict, validate_file
from survey.engine.loader import parse_json
from survey.services.questionnaire_bank import TemplateError, bank_blocks, bundled, new_questionnaire
from survey.services.reference_catalogue import reference_catalogue
from survey.services.xlsform import WorkbookWriteError, read_xlsx, to_xlsx


def questionnaire_folder() -> Path:
    """The bundled questionnaires: $SURVEY_QUESTIONNAIRE_DIR, else questionnaires/ of the project."""
    configured = os.environ.get("SURVEY_QUESTIONNAIRE_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "questionnaires"


def _definition(source: str) -> tuple[dict[str, Any], str]:
    """The definition in FILE, or of the bundled questionnaire with that id; a clear message if neither."""
    path = Path(source)
    if not path.is_file():
        found = bundled(questionnaire_folder()).get(source)
        if found is None:
            raise click.ClickException(
                f"'{source}' is neither a file nor the id of a bundled questionnaire "
                f"(bundled: {', '.join(sorted(bundled(questionnaire_folder())))})"
            )
        path = found
    result = validate_file(path)
    for p in result.errors:
        click.echo(str(p), err=True)
    if result.errors:
        raise click.ClickException(f"{path.name} has {len(result.errors)} error(s); fix them first")
    data, _ = parse_json(path.read_text("utf-8-sig"), path.name)
    return data, path.name


def _write_json(definition: dict[str, Any], out: str) -> None:
    Path(out).write_text(json.dumps(definition, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@click.group("questionnaire")
def questionnaire_group() -> None:
    """Questionnaires as spreadsheets, and new questionnaires from templates and the question bank."""


@questionnaire_group.command("to-xlsx")
@click.argument("source", metavar="ID|FILE")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The .xlsx file to write.")
def to_xlsx_command(source: str, out: str) -> None:
    """Write a questionnaire as an XLSForm-style workbook (sheets survey, choices, settings, ...)."""
    definition, name = _definition(source)
    try:
        Path(out).write_bytes(to_xlsx(definition))
    except WorkbookWriteError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{name} -> {out}")


@questionnaire_group.command("from-xlsx")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The .json file to write.")
@click.option(
    "--reference-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Also know the reference populations imported into this folder (default: shipped only).",
)
def from_xlsx_command(workbook: str, out: str, reference_dir: str | None) -> None:
    """Read a questionnaire workbook, check it, and write the JSON definition (nothing on errors).

    Census mappings are checked against the reference populations known (shipped, and imported into
    --reference-dir), as `survey validate` does."""
    references = reference_catalogue(reference_dir)
    result = read_xlsx(Path(workbook), Path(workbook).name, references=references)
    for p in (*result.errors, *result.warnings):
        click.echo(f"{Path(workbook).name}: {p}", err=True)
    if result.errors or result.definition is None:
        raise SystemExit(1)
    _write_json(result.definition, out)
    warnings = f" ({len(result.warnings)} warning(s))" if result.warnings else ""
    click.echo(f"{Path(workbook).name} -> {out}: valid{warnings}")


@questionnaire_group.command("new")
@click.option("--from", "template", help="Start from this bundled questionnaire (its id).")
@click.option("--blocks", help="Start from these question-bank blocks, comma-separated (see --list).")
@click.option("--id", "qid", help="The new questionnaire's id (lower case, digits, hyphens).")
@click.option("--title", help="The new questionnaire's title.")
@click.option("--language", default=None, help="Default language of a questionnaire made from blocks.")
@click.option("--out", type=click.Path(dir_okay=False), help="The .json (or .xlsx) file to write.")
@click.option(
    "--list", "list_blocks", is_flag=True, help="List the bundled questionnaires and the bank blocks."
)
def new_command(
    template: str | None,
    blocks: str | None,
    qid: str | None,
    title: str | None,
    language: str | None,
    out: str | None,
    list_blocks: bool,
) -> None:
    """Start a new questionnaire from a bundled one or from question-bank blocks, checked by the engine."""
    folder = questionnaire_folder()
    if list_blocks:
        click.echo("Bundled questionnaires: " + ", ".join(sorted(bundled(folder))))
        for block in bank_blocks(folder).values():
            click.echo(f"  {block.name}: {block.description}")
        return
    if not (qid and title and out) or bool(template) == bool(blocks):
        raise click.UsageError("give --id, --title, --out and exactly one of --from or --blocks")
    try:
        definition = new_questionnaire(
            folder,
            qid=qid,
            title=title,
            template=template,
            blocks=[b.strip() for b in (blocks or "").split(",") if b.strip()],
            language=language,
        )
    except TemplateError as exc:
        raise click.ClickException(str(exc)) from None
    result = validate_dict(definition, Path(out).name)
    for p in (*result.errors, *result.warnings):
        click.echo(str(p), err=True)
    if result.errors:
        raise SystemExit(1)
    if out.endswith(".xlsx"):
        Path(out).write_bytes(to_xlsx(definition))
    else:
        _write_json(definition, out)
    click.echo(f"{qid} -> {out}: {sum(len(s['questions']) for s in definition['sections'])} pages, valid")
