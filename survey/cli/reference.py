"""`survey reference ...`: import, list and show reference populations (census shares) for reports."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from analysis.reference import (
    NAME_PATTERN,
    ReferenceDataError,
    available_references,
    load_reference,
    shipped_references,
)
from survey.services.reference import imported_reference_dir


@click.group("reference")
def reference_group() -> None:
    """Reference populations (census shares) that reports compare respondents with."""


@reference_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Name to import under (a-z, 0-9, hyphens); default: the file's name.")
@click.option("--replace", is_flag=True, help="Replace an imported reference of the same name.")
@with_appcontext
def import_command(file: Path, name: str | None, replace: bool) -> None:
    """Check FILE (dimension,category,count,share,source) and keep a copy for reports."""
    if not file.is_file():
        raise click.ClickException(f"{file}: no such file")
    name = name or file.stem.lower()
    if not NAME_PATTERN.match(name):
        raise click.ClickException(
            f"{name!r} is not a usable reference name: use lower-case letters, digits and hyphens "
            f"(e.g. --name bedford-census-2021)"
        )
    if name in shipped_references():
        raise click.ClickException(f"{name!r} is the name of a shipped reference; choose another with --name")
    try:
        reference = load_reference(file, name)
    except ReferenceDataError as exc:
        for problem in exc.problems:
            click.echo(f"{file}: {problem}", err=True)
        count = len(exc.problems)
        raise click.ClickException(f"{file} was not imported: {count} problem(s) listed above") from exc
    target_dir = imported_reference_dir()
    target = target_dir / f"{name}.csv"
    if target.exists() and not replace:
        raise click.ClickException(f"{name!r} is already imported ({target}); use --replace to replace it")
    try:
        _copy_atomically(file, target)
    except OSError as exc:
        raise click.ClickException(f"could not keep a copy at {target}: {exc.strerror or exc}") from exc
    rows = sum(len(d.categories) for d in reference.dimensions)
    click.echo(
        f"Imported reference {name!r}: {len(reference.dimensions)} dimensions, {rows} rows.\n"
        f"Kept at {target}.\n"
        f"Margins: {', '.join(reference.margins) or '(none)'}.\n"
        f'A questionnaire uses it with the top-level key "reference": "{name}".'
    )


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy source to target through a temporary file in the same folder, so no half file is left."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@reference_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the shipped and imported reference populations and their dimensions."""
    shipped = shipped_references()
    for name, path in available_references(imported_reference_dir()).items():
        origin = "shipped" if name in shipped else f"imported, {path}"
        try:
            reference = load_reference(path, name)
        except ReferenceDataError as exc:
            click.echo(f"{name} ({origin}): INVALID, {exc.problems[0]}")
            continue
        click.echo(f"{name} ({origin})")
        for dim in reference.dimensions:
            kind = "comparator" if dim.comparator_for else ("margin" if dim.info.margin else "total")
            count = len(dim.categories)
            noun = "category" if count == 1 else "categories"
            click.echo(f"  {dim.name}: {count} {noun} ({kind}, {dim.info.unit})")


@reference_group.command("show")
@click.argument("name")
@click.argument("dimension", required=False)
@with_appcontext
def show_command(name: str, dimension: str | None) -> None:
    """Show the shares of one reference population (optionally one DIMENSION)."""
    found = available_references(imported_reference_dir())
    if name not in found:
        raise click.ClickException(f"no reference called {name!r}; available: {', '.join(found)}")
    try:
        reference = load_reference(found[name], name)
    except ReferenceDataError as exc:
        raise click.ClickException(str(exc)) from exc
    if dimension is not None and dimension not in reference.names:
        names = ", ".join(reference.names)
        raise click.ClickException(f"{name!r} has no dimension {dimension!r}; it has: {names}")
    for dim in reference.dimensions:
        if dimension not in (None, dim.name):
            continue
        click.echo(f"{dim.name} ({dim.info.universe})")
        shares = dim.shares
        for cat in dim.categories:
            count = "" if cat.count is None else f"{cat.count:>10,}"
            click.echo(f"  {cat.name:<50} {count} {100 * shares[cat.name]:6.2f}%")
        for source in dim.sources:
            click.echo(f"  source: {source}")
        if dim.info.caveat:
            click.echo(f"  note: {dim.info.caveat}")
