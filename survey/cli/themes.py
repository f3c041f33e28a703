"""`survey themes ...`: evaluate, tag and discover themes in free-text answers; check codebooks."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from analysis.text import Codebook

# analysis.text (scikit-learn, NLTK) is imported inside each command so other `survey` commands start fast.
FILE = click.Path(dir_okay=False, path_type=Path)


def _codebook(path: Path | None) -> Codebook:
    from analysis.text import CodebookError, default_codebook, load_codebook

    try:
        return load_codebook(path) if path else default_codebook()
    except CodebookError as exc:
        raise click.ClickException(f"the codebook has {len(exc.problems)} problem(s):\n{exc}") from exc


def _answers(path: Path) -> list[tuple[str, str]]:
    """(id, text) pairs from a CSV with a `text` column and an optional `id` column."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "text" not in fields:
                raise click.ClickException(f"{path}, line 1: no 'text' column (found: {', '.join(fields)})")
            reader.fieldnames = fields
            rows = [(row.get("id") or str(n), row["text"] or "") for n, row in enumerate(reader, start=1)]
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: not a readable UTF-8 CSV file ({exc})") from exc
    return rows


@click.group("themes")
def themes_group() -> None:
    """Themes in free-text answers: evaluate, tag, discover; check codebooks."""


@themes_group.command("evaluate")
@click.option(
    "--train", "train_file", type=FILE, help="CSV of hand-coded answers (text,labels) to learn from."
)
@click.option("--test", "test_file", type=FILE, required=True, help="CSV of hand-coded answers to score.")
@click.option("--codebook", "codebook_file", type=FILE, help="Codebook JSON to use (keywords as features).")
@click.option(
    "--samples", default=1000, show_default=True, type=click.IntRange(10), help="Bootstrap resamples."
)
@click.option(
    "--supervised-only",
    is_flag=True,
    help="Learn from --train alone; by default the --test texts (not their labels) are also used as the"
    " uncoded answers, as the service learns with the answers staff have not coded.",
)
@click.option("--fewshot", is_flag=True, help="Few-shot protocol on --test: K per theme to learn from.")
@click.option("--k", "ks", multiple=True, type=click.IntRange(1), help="K for --fewshot (default 10 20 50).")
@click.option("--seeds", default=3, show_default=True, type=click.IntRange(1), help="Seeds for --fewshot.")
@click.option(
    "--embeddings",
    type=click.Choice(["auto", "off"]),
    default="auto",
    show_default=True,
    help="Use the optional sentence embedding when installed (auto) or never (off).",
)
def evaluate_command(
    train_file: Path | None,
    test_file: Path | None,
    codebook_file: Path | None,
    samples: int,
    supervised_only: bool,
    fewshot: bool,
    ks: tuple[int, ...],
    seeds: int,
    embeddings: str,
) -> None:
    """Learn from --train (and/or a --codebook), predict --test and print F1 with 95% intervals."""
    from analysis.text import LabelledCsvError, evaluate, format_report, read_labelled_csv

    if fewshot:
        _fewshot(test_file, codebook_file, ks or (10, 20, 50), seeds, embeddings)
        return
    if train_file is None and codebook_file is None:
        raise click.ClickException("give --train, --codebook, or both")
    assert test_file is not None
    codebook = _codebook(codebook_file) if codebook_file else None
    try:
        train_set = read_labelled_csv(train_file) if train_file else None
        test_set = read_labelled_csv(test_file)
    except LabelledCsvError as exc:
        raise click.ClickException(str(exc)) from exc
    if codebook is not None:
        known = set(codebook.theme_ids) | {t for row in (train_set.labels if train_set else ()) for t in row}
        unknown = sorted({t for row in test_set.labels for t in row} - known)
        if unknown:
            click.echo(
                f"Note: test labels not in the codebook or training set: {', '.join(unknown)}", err=True
            )
    report = evaluate(
        test_set,
        train_set=train_set,
        codebook=codebook,
        bootstrap_samples=samples,
        semi_supervised=not supervised_only,
    )
    click.echo(format_report(report))


def _fewshot(
    test_file: Path | None, codebook_file: Path | None, ks: tuple[int, ...], seeds: int, embeddings: str
) -> None:
    from analysis.text import LabelledCsvError, read_labelled_csv
    from analysis.text.embeddings import EmbeddingError, load_embedder
    from analysis.text.fewshot import format_fewshot, run_fewshot

    assert test_file is not None
    try:
        data = read_labelled_csv(test_file)
        embedder = load_embedder() if embeddings == "auto" else None
        runs = run_fewshot(
            data,
            ks=ks,
            seeds=range(seeds),
            codebook=_codebook(codebook_file) if codebook_file else None,
            embedder=embedder,
        )
    except (LabelledCsvError, EmbeddingError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Features: word, stem and character n-grams{' + ' + embedder.name if embedder else ''}")
    click.echo(format_fewshot(runs))


@themes_group.command("tag")
@click.argument("answers", type=FILE)
@click.option("--codebook", "codebook_file", type=FILE, help="Codebook JSON (default: community safety).")
@click.option("--output", type=FILE, help="Write the CSV here instead of standard output.")
@click.option("--redact", is_flag=True, help="Replace personal details in the text column.")
def tag_command(answers: Path, codebook_file: Path | None, output: Path | None, redact: bool) -> None:
    """Tag each answer of a CSV (id,text) with themes; prints id,themes,confidences,negated,text as CSV."""
    from analysis.text import Tagger
    from analysis.text import redact as redact_text

    tagger = Tagger(_codebook(codebook_file))
    rows = _answers(answers)
    try:
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write the file: {exc.strerror or exc}") from exc
    try:
        writer = csv.writer(handle)
        writer.writerow(["id", "themes", "confidences", "negated", "text"])
        for rid, text in rows:
            tagged = tagger.tag(text, rid)
            writer.writerow(
                [
                    rid,
                    ";".join(tagged.theme_ids),
                    ";".join(f"{m.confidence:.2f}" for m in tagged.themes),
                    ";".join(tagged.negated),
                    redact_text(text) if redact else text,
                ]
            )
    finally:
        if output:
            handle.close()
    if output:
        click.echo(f"Tagged {len(rows)} answers into {output}", err=True)


@themes_group.command("discover")
@click.argument("answers", type=FILE)
@click.option("--codebook", "codebook_file", type=FILE, help="Codebook JSON (default: community safety).")
@click.option(
    "--min-size", default=5, show_default=True, type=click.IntRange(1), help="Smallest suggestion to show."
)
def discover_command(answers: Path, codebook_file: Path | None, min_size: int) -> None:
    """Suggest emerging themes among the answers no codebook theme covers."""
    from analysis.text import Tagger, suggest_themes

    tagger = Tagger(_codebook(codebook_file))
    rows = _answers(answers)
    uncovered = [(rid, text) for rid, text in rows if text.strip() and tagger.tag(text, rid).untagged]
    click.echo(f"{len(uncovered)} of {len(rows)} answers have no theme.")
    for s in suggest_themes(uncovered, min_size=min_size):
        dup = (
            f"  (near-duplicate of {s.duplicate_of}, similarity {s.similarity:.2f})" if s.duplicate_of else ""
        )
        click.echo(f"\n{s.id}: {s.label}  [{s.size} answers]{dup}\n  terms: {', '.join(s.key_terms)}")
        for quote in s.examples:
            click.echo(f"  - {quote}")


@themes_group.command("cloud")
@click.argument("answers", type=FILE)
@click.option("--output", type=FILE, required=True, help="PNG file to write.")
def cloud_command(answers: Path, output: Path) -> None:
    """Draw a word cloud (PNG) of the answers' meaningful terms and phrases."""
    from analysis.text import word_cloud_png

    if not output.parent.is_dir():
        raise click.ClickException(f"{output}: the folder {output.parent} does not exist")
    output.write_bytes(word_cloud_png([text for _, text in _answers(answers) if text.strip()]))
    click.echo(f"Wrote {output}")


@themes_group.command("check-codebook")
@click.argument("codebook_file", type=FILE)
def check_codebook_command(codebook_file: Path) -> None:
    """Validate a codebook JSON file and list its themes."""
    codebook = _codebook(codebook_file)
    click.echo(
        f"{codebook_file}: codebook '{codebook.id}' version {codebook.version}, "
        f"{len(codebook.themes)} themes: OK"
    )
    click.echo(json.dumps({t.id: t.label for t in codebook.themes}, indent=2, ensure_ascii=False))
