"""`survey report ...`, `survey export ...` and `survey demo-data`: reports, snapshots, exports, demo data."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from survey.config import today
from survey.store import repository
from survey.store.db import Session, get_engine
from survey.store.models import QuestionnaireVersion

FORMATS = ("html", "pdf", "xlsx", "json")
AUDIENCES = ("internal", "partner", "public")
OUT = click.Path(dir_okay=False, writable=True, path_type=Path)
DATE = click.DateTime(formats=["%Y-%m-%d"])


def _questionnaire(session: Session, questionnaire_id: str) -> QuestionnaireVersion:
    row = repository.current_questionnaire(session=session, questionnaire_id=questionnaire_id)
    if row is None:
        known = ", ".join(r.questionnaire_id for r in repository.current_questionnaires(session=session))
        raise click.ClickException(
            f"there is no questionnaire {questionnaire_id!r} in the database "
            f"(known: {known or 'none; run survey init-db'})"
        )
    return row


def _write(out: Path, data: bytes) -> None:
    if not out.parent.exists():
        raise click.ClickException(f"cannot write {out}: the folder {out.parent} does not exist")
    try:
        out.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from error


def _codebook(path: Path | None) -> Any:
    """--codebook FILE (None: the codebook in use for the questionnaire, survey.services.codebooks)."""
    from analysis.text import CodebookError, load_codebook

    if path is None:
        return None
    try:
        return load_codebook(path)
    except CodebookError as error:
        raise click.ClickException(f"the codebook has {len(error.problems)} problem(s):\n{error}") from error


@click.group("report")
def report_group() -> None:
    """Interim and final reports: make, list, download again and compare stored snapshots."""


def _report_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options interim and final reports share, and the app context they run in."""
    decorators = [
        click.option(
            "--questionnaire", "questionnaire_id", required=True, help="Questionnaire id, e.g. safermk-2016."
        ),
        click.option(
            "--as-of", type=DATE, help="Count responses up to the end of this day (default: today)."
        ),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True),
        click.option("--out", type=OUT, required=True, help="File to write."),
        click.option(
            "--codebook",
            "codebook_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Codebook JSON for the themes (default: the version staff saved, else community safety).",
        ),
        click.option(
            "--min-cell",
            type=click.IntRange(2, 100),
            default=10,
            show_default=True,
            help="Smallest count shown for sensitive questions.",
        ),
        click.option(
            "--audience",
            type=click.Choice(AUDIENCES),
            default="internal",
            show_default=True,
            help="Who the report is for: partner and public reports hide small counts (audited) and move "
            "only in steps of at least the threshold of new responses.",
        ),
        click.option(
            "--lang",
            "language",
            help="The report's language, e.g. cy for Welsh (default: the questionnaire's language).",
        ),
        click.option("--no-store", is_flag=True, help="Do not keep a snapshot of this report."),
        with_appcontext,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@report_group.command("interim")
@_report_options
def interim_command(**options: Any) -> None:
    """Make an interim report: a dated snapshot while the survey is open."""
    _make_report("interim", **options)


@report_group.command("final")
@_report_options
def final_command(**options: Any) -> None:
    """Make the final report, with what changed since the latest stored interim report."""
    _make_report("final", **options)


def _make_report(
    kind: str,
    questionnaire_id: str,
    as_of: datetime | None,
    fmt: str,
    out: Path,
    codebook_file: Path | None,
    min_cell: int,
    no_store: bool,
    audience: str = "internal",
    language: str | None = None,
) -> None:
    from analysis.report import STEPS
    from analysis.report.words import REPORT_LANGUAGES
    from survey.services.reporting import ReportProblem, keep_snapshot, make_report

    if language is not None and language not in REPORT_LANGUAGES:
        raise click.ClickException(
            f"--lang {language}: reports can be made in {', '.join(REPORT_LANGUAGES)} "
            "(docs/translating.md says how to add a language)"
        )

    day = as_of.date() if as_of else today()
    codebook = _codebook(codebook_file)
    with Session(get_engine(), expire_on_commit=False) as session:
        _questionnaire(session, questionnaire_id)
        with click.progressbar(
            length=len(STEPS) + 1,
            label=f"Making the {kind} report",
            file=sys.stderr,
            show_eta=False,
            item_show_func=lambda s: s,
        ) as bar:
            try:
                made = make_report(
                    session=session,
                    questionnaire_id=questionnaire_id,
                    kind=kind,
                    fmt=fmt,
                    as_of=day,
                    created_by="cli",
                    keep=False,
                    codebook=codebook,
                    min_cell=min_cell,
                    filename=out.name,
                    audience=audience,
                    language=language,
                    on_step=lambda name: bar.update(1, name),
                )
            except ReportProblem as problem:
                if problem.code == "too_few_for_audience":
                    raise click.ClickException(problem.detail) from problem
                if problem.code == "reference":
                    raise click.ClickException(
                        f"the questionnaire's reference population cannot be loaded: {problem.detail}"
                    ) from problem
                raise click.ClickException(
                    f"no complete responses to {questionnaire_id} up to {day:%Y-%m-%d}: nothing to report"
                ) from problem
            bar.update(1, f"rendered {fmt}")
    if kind == "final":
        click.echo(
            f"Comparing with interim report #{made.previous_id}."
            if made.previous_id
            else "No stored interim report: the final report will not show changes.",
            err=True,
        )
        if made.closes is not None and day < made.closes:
            note = f"Note: the survey is open until {made.closes:%Y-%m-%d}; this final report counts"
            click.echo(f"{note} responses to {day:%Y-%m-%d} only.", err=True)
    _write(out, made.data)
    if not no_store:
        with Session(get_engine(), expire_on_commit=False) as session:
            made = keep_snapshot(session=session, made=made, created_by="cli")
    click.echo(
        f"Wrote the {kind} report ({fmt}, {len(made.data):,} bytes, "
        f"{made.report.headline.complete} responses to {day:%Y-%m-%d}) to {out}"
    )
    if made.snapshot_id is not None:
        click.echo(
            f"Stored as report #{made.snapshot_id} (survey report list; survey report download "
            f"{made.snapshot_id})"
        )


@report_group.command("list")
@click.option("--questionnaire", "questionnaire_id", help="Only this questionnaire's reports.")
@with_appcontext
def list_command(questionnaire_id: str | None) -> None:
    """List stored reports, newest first."""
    from survey.store import repository_reports

    with Session(get_engine(), expire_on_commit=False) as session:
        rows = repository_reports.list_snapshots(session=session, questionnaire_id=questionnaire_id)
        if not rows:
            click.echo("No stored reports.")
            return
        click.echo(
            f"{'#':>4}  {'kind':8} {'questionnaire':16} {'version':8} {'as of':10}  {'responses':>9}  "
            f"{'format':6} made (UTC)        reference / codebook"
        )
        for s in rows:
            click.echo(
                f"{s.id:>4}  {s.kind:8} {s.questionnaire_id:16} {s.questionnaire_version:8} "
                f"{s.as_of:%Y-%m-%d}  {s.responses:>9}  {s.format:6} {s.created_at:%Y-%m-%d %H:%M}  "
                f"{s.reference_name} {s.reference_version} / {s.codebook_id} {s.codebook_version}"
            )


@report_group.command("download")
@click.argument("snapshot_id", type=int)
@click.option("--out", type=OUT, required=True, help="File to write.")
@click.option("--numbers", is_flag=True, help="Write the report's JSON numbers instead of its file.")
@with_appcontext
def download_command(snapshot_id: int, out: Path, numbers: bool) -> None:
    """Write a stored report (or its JSON numbers) to a file again."""
    import json

    from survey.store import repository_reports

    with Session(get_engine(), expire_on_commit=False) as session:
        snap = repository_reports.snapshot_by_id(session=session, snapshot_id=snapshot_id)
        if snap is None:
            raise click.ClickException(f"there is no stored report #{snapshot_id} (see survey report list)")
        data = json.dumps(snap.numbers, indent=2, ensure_ascii=False).encode() if numbers else snap.content
        _write(out, data)
        click.echo(f"Wrote report #{snap.id} ({'json numbers' if numbers else snap.format}) to {out}")


@report_group.command("compare")
@click.argument("before_id", type=int)
@click.argument("after_id", type=int)
@with_appcontext
def compare_command(before_id: int, after_id: int) -> None:
    """Shares and themes that moved between two stored reports."""
    from analysis.report.compare import compare
    from survey.store import repository_reports

    with Session(get_engine(), expire_on_commit=False) as session:
        snaps = [
            repository_reports.snapshot_by_id(session=session, snapshot_id=i) for i in (before_id, after_id)
        ]
        for i, snap in zip((before_id, after_id), snaps, strict=True):
            if snap is None:
                raise click.ClickException(f"there is no stored report #{i} (see survey report list)")
        before, after = snaps[0], snaps[1]
        assert before is not None and after is not None
        if before.questionnaire_id != after.questionnaire_id:
            raise click.ClickException(
                f"reports #{before_id} and #{after_id} are about different questionnaires "
                f"({before.questionnaire_id}, {after.questionnaire_id})"
            )
        result = compare(before.numbers, after.numbers, before.id)
    click.echo(
        f"#{before_id} ({result.responses_before} responses) -> #{after_id} ({result.responses_after})"
    )
    for c in (*result.changes, *result.theme_changes):
        flag = " (significant)" if c.significant else ""
        click.echo(
            f"  {c.points:+6.1f} points  {100 * c.before:5.1f}% -> {100 * c.after:5.1f}%  {c.label}{flag}"
        )
    if not result.changes and not result.theme_changes:
        click.echo("  No share moved by 5 points or more.")
    for theme in result.new_themes:
        click.echo(f"  new theme: {theme}")


@click.group("export")
def export_group() -> None:
    """Data exports for analysts."""


@export_group.command("responses")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--format", "fmt", type=click.Choice(("csv", "sav")), default="csv", show_default=True)
@click.option("--out", type=OUT, required=True, help="File to write.")
@click.option("--dictionary", type=OUT, help="Also write the data dictionary (.csv or .md).")
@click.option("--labels", is_flag=True, help="CSV: answer labels instead of codes.")
@click.option("--no-free-text", is_flag=True, help="Leave out free-text answers.")
@click.option(
    "--no-sensitive",
    is_flag=True,
    help="Leave out every field that depends on a sensitive answer (sensitive questions, questions asked "
    "because of one, last_question, and the time taken when the route depends on one).",
)
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="partner and public exports imply --no-sensitive and --no-free-text.",
)
@click.option("--include-incomplete", is_flag=True, help="Also export journeys that were not finished.")
@click.option("--as-of", type=DATE, help="Responses up to the end of this day.")
@with_appcontext
def export_responses_command(
    questionnaire_id: str,
    fmt: str,
    out: Path,
    dictionary: Path | None,
    labels: bool,
    no_free_text: bool,
    no_sensitive: bool,
    include_incomplete: bool,
    as_of: datetime | None,
    audience: str = "internal",
) -> None:
    """Responses as CSV (one row per response) or SPSS .sav, with weights and a data dictionary."""
    from analysis.export import dictionary_csv, dictionary_markdown, write_csv, write_sav
    from survey.services.reporting import ReportProblem, export_table

    if dictionary is not None and dictionary.suffix.lower() not in (".csv", ".md"):
        raise click.ClickException(f"the dictionary must be a .csv or .md file, not {dictionary.name}")
    with Session(get_engine(), expire_on_commit=False) as session:
        row = _questionnaire(session, questionnaire_id)
        try:
            table = export_table(
                session=session,
                row=row,
                as_of=as_of.date() if as_of else None,
                free_text=not no_free_text,
                sensitive=not no_sensitive,
                include_incomplete=include_incomplete,
                audience=audience,
            )
        except ReportProblem as problem:
            if problem.code != "reference":
                raise
            raise click.ClickException(
                f"the questionnaire's reference population cannot be loaded: {problem.detail}"
            ) from problem
    if fmt == "csv":
        _write(out, write_csv(table, labels=labels))
    else:
        if not out.parent.exists():
            raise click.ClickException(f"cannot write {out}: the folder {out.parent} does not exist")
        write_sav(table, out)
    click.echo(f"Wrote {len(table.rows)} responses x {len(table.columns)} variables ({fmt}) to {out}")
    if dictionary is not None:
        md = dictionary.suffix.lower() == ".md"
        _write(dictionary, dictionary_markdown(table) if md else dictionary_csv(table))
        click.echo(f"Wrote the data dictionary to {dictionary}")


@click.command("demo-data")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option(
    "--responses",
    "count",
    type=click.IntRange(1, 1_000_000),
    default=557,
    show_default=True,
    help="Complete responses to make (about 12% more journeys stop part-way).",
)
@click.option("--seed", type=int, default=2016, show_default=True)
@click.option("--start", type=DATE, help="First day (default: the opening date, else 6 weeks ago).")
@click.option(
    "--days",
    type=click.IntRange(1, 365),
    default=42,
    show_default=True,
    help="Spread the responses over this many days.",
)
@with_appcontext
def demo_data_command(
    questionnaire_id: str, count: int, seed: int, start: datetime | None, days: int
) -> None:
    """Create synthetic responses through the same storage path as real ones (for demos and rehearsals)."""
    from survey.services import questionnaires
    from survey.services.demo import generate
    from survey.services.demo.store import ensure_channels, first_moment, store

    with Session(get_engine(), expire_on_commit=False) as session:
        row = _questionnaire(session, questionnaire_id)
        q = questionnaires.definition(row)
        assert q is not None  # a full row carries its definition
        opens = questionnaires.opening_date(row, q)
        first = start.date() if start else (opens or today() - timedelta(days=days))
        demo = generate(q, count, seed, first, days=days)
        codes = [d.channel for d in demo if d.channel]
        made = ensure_channels(session, q.id, codes, first_moment(demo))
        if made.created:
            click.echo(f"Created the demo partner channels {', '.join(made.created)}.")
        if made.elsewhere:
            click.echo(
                f"Warning: the channel codes {', '.join(made.elsewhere)} belong to another questionnaire, "
                f"so these responses show them as unknown channels.",
                err=True,
            )
        with click.progressbar(length=len(demo), label="Storing demo responses", file=sys.stderr) as bar:
            done, dropped = store(session, q.id, row.version, demo, progress=bar.update)
    click.echo(
        f"Stored {done} complete and {dropped} unfinished demo responses to {questionnaire_id} "
        f"version {row.version}, {first:%Y-%m-%d} to {first + timedelta(days=days - 1):%Y-%m-%d} "
        f"(seed {seed})."
    )
