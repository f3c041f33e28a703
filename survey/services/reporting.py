"""Making an interim or final report: the one use case behind the staff page, the command line and jobs.

It gathers what a report needs from storage (the current version, the responses as they stood at the end of
`as_of`, the latest stored interim for a final report, the reference population, the codebook in use, the
partner channels' names, the effective dates), hands plain inputs to `analysis.report`, renders the chosen
format and keeps a snapshot. Faces only word the problems (`ReportProblem.code`) their own way.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from analysis.disclosure import audience_of, policy_of
from analysis.export import ExportTable, flatten
from analysis.reference import Reference, ReferenceDataError, reference_name_for, resolve_reference
from analysis.report import Report, build_report, render, report_to_dict
from analysis.text import Codebook
from survey.engine import Questionnaire
from survey.services import codebooks, questionnaires, screening, themes
from survey.services.moderation import with_exclusions
from survey.services.reference import imported_reference_dir
from survey.services.words import ngettext
from survey.store import repository, repository_moderation, repository_reports, repository_stream
from survey.store.db import Session

DRAWN = ("html", "pdf")  # the formats that show the charts; JSON and XLSX keep only their text alternatives


class ReportProblem(Exception):
    """A report cannot be made: `code` says why (no_questionnaire, no_responses, reference,
    too_few_for_audience: a partner or public report before the first release point), `detail` what."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class MadeReport:
    """A report made and rendered, and the snapshot it was kept as (None when not kept)."""

    report: Report
    data: bytes
    fmt: str
    filename: str
    snapshot_id: int | None
    previous_id: int | None  # the interim a final report compared with
    closes: date | None


def reference_for(questionnaire: Questionnaire) -> Reference:
    """The reference population a questionnaire names (bundled, or imported into the instance)."""
    try:
        return resolve_reference(reference_name_for(questionnaire), imported_reference_dir())
    except (KeyError, ReferenceDataError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        raise ReportProblem("reference", str(message)) from error


def too_few(complete: int, as_of: date, audience: str, threshold: int) -> str:
    """Why a partner or public report cannot be made for `as_of` (ReportProblem.detail)."""
    return ngettext(
        "there is %(count)s complete response up to %(date)s, and a %(audience)s report needs at least "
        "%(threshold)s",
        "there are %(count)s complete responses up to %(date)s, and a %(audience)s report needs at least "
        "%(threshold)s",
        complete,
        count=format(complete, ","),
        date=as_of.strftime("%-d %B %Y"),
        audience=audience,
        threshold=threshold,
    )


def audience_ready(*, session: Session, questionnaire_id: str, audience: str, as_of: date) -> None:
    """Check, before the work starts, that a report for `audience` may be made as of `as_of`.

    ValueError for an unknown audience; ReportProblem("too_few_for_audience") when a partner or public
    report has no release point yet: fewer than the questionnaire's disclosure threshold of complete
    responses (staff's exclusions left out) by the end of `as_of` (analysis.disclosure.release). Internal
    reports may be made for any date.
    """
    who = audience_of(audience)
    if not who.protected:
        return
    row = repository.current_questionnaire(session=session, questionnaire_id=questionnaire_id)
    q = questionnaires.definition(row) if row is not None else None
    if row is None or q is None:
        raise ReportProblem("no_questionnaire", questionnaire_id)
    threshold = policy_of(q).threshold
    complete = repository_stream.count_complete(session=session, questionnaire_id=q.id, as_of=as_of)
    if complete < threshold:
        raise ReportProblem("too_few_for_audience", too_few(complete, as_of, who.value, threshold))


@contextmanager
def rows_out_of_gc() -> Iterator[Callable[[], None]]:
    """Keep rows already read out of Python's cyclic garbage collector while a report is made.

    Yields `settle()`, which moves every object alive now into the collector's permanent generation
    (`gc.freeze`); the block's end puts them back (`gc.unfreeze`). The collector's full passes otherwise
    walk every response dict and answer again and again as the report makes new objects: about a fifth
    of a 100,000-response report's CPU time. Response rows hold no reference cycles, so nothing is kept
    longer than it would be; objects made later are collected as usual. A process that froze objects
    itself (or runs without the collector) is left as it is.
    """
    if gc.get_freeze_count() or not gc.isenabled():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def read_responses(
    *,
    session: Session,
    questionnaire_id: str,
    as_of: date | None,
    on_rows: Callable[[int], None] | None = None,
    on_chunk: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """The report rows (as `repository.responses_for_report`), read in chunks; `on_rows(count so far)`;
    `on_chunk()` after each chunk (make_report's `rows_out_of_gc`)."""
    rows: list[dict[str, Any]] = []
    chunks = repository_stream.iter_responses_for_report(
        session=session, questionnaire_id=questionnaire_id, as_of=as_of
    )
    for chunk in chunks:
        rows.extend(chunk)
        if on_chunk is not None:
            on_chunk()
        if on_rows is not None:
            on_rows(len(rows))
    return rows


def make_report(
    *,
    session: Session,
    questionnaire_id: str,
    kind: str,
    fmt: str,
    as_of: date,
    created_by: str,
    keep: bool = True,
    codebook: Codebook | None = None,
    min_cell: int = 10,
    filename: str | None = None,
    on_step: Callable[[str], None] | None = None,
    audience: str = "internal",
    on_rows: Callable[[int], None] | None = None,
    language: str | None = None,
) -> MadeReport:
    """Make, render and (unless `keep` is False) store an interim or final report of the current version.

    `audience` (internal, partner or public: analysis.disclosure.Audience) decides what the report may
    show; a partner or public one is made as of the last release point, and raises
    ReportProblem("too_few_for_audience") before the first. `language`: the report's language (default: the
    questionnaire's; analysis.report.words).
    """
    with rows_out_of_gc() as settle:  # about a fifth of the CPU time at 100,000 responses
        who = audience_of(audience)
        row = repository.current_questionnaire(session=session, questionnaire_id=questionnaire_id)
        q = questionnaires.definition(row) if row is not None else None
        if row is None or q is None:
            raise ReportProblem("no_questionnaire", questionnaire_id)
        responses = read_responses(
            session=session, questionnaire_id=q.id, as_of=as_of, on_rows=on_rows, on_chunk=settle
        )
        screening.mark(q, responses)  # the headline counts journeys a screen-out page ended on their own
        complete = sum(1 for r in responses if r["status"] == "complete")
        if not complete:
            raise ReportProblem("no_responses", f"{as_of:%Y-%m-%d}")
        threshold = policy_of(q, None if min_cell == 10 else min_cell).threshold
        if who.protected and complete < threshold:
            raise ReportProblem("too_few_for_audience", too_few(complete, as_of, who.value, threshold))
        reference = reference_for(q)
        previous = None
        # the final report shows what changed since the latest interim one of its audience
        if kind == "final":
            previous = repository_reports.latest_snapshot(
                session=session, questionnaire_id=q.id, audience=who.value
            )
        if codebook is None:
            codebook = codebooks.codebook_in_use(session=session, questionnaire_id=q.id).codebook
        closes = questionnaires.closing_date(row, q)
        options: dict[str, Any] = {"on_step": on_step} if on_step else {}
        try:
            report = build_report(
                kind,
                q,
                responses,
                as_of,
                reference,
                codebook,
                previous=previous.numbers if previous else None,
                previous_id=previous.id if previous else None,
                opens=questionnaires.opening_date(row, q),
                closes=closes,
                min_cell=min_cell,
                channel_names=repository_reports.channel_names(session=session, questionnaire_id=q.id),
                audience=who,
                hand_codes=themes.hand_codes(session=session, questionnaire_id=q.id),
                draw_charts=fmt in DRAWN,
                language=language,
                **options,
            )
        except ValueError as error:  # a partner or public report before the first release point
            if not who.protected:
                raise
            raise ReportProblem("too_few_for_audience", str(error)) from error
        report = with_exclusions(
            report,
            repository_moderation.exclusion_summary(  # what staff left out, and why
                session=session, questionnaire_id=q.id, completed_by=as_of
            ),
        )
        del responses  # the rows are summarised: free them before drawing the file (a PDF's peak memory)
        data = render(report, fmt)
        suffix = "" if not who.protected else f"-{who.value}"  # a partner or public file says so in its name
        name = filename or f"{q.id}-{kind}-{as_of.isoformat()}{suffix}.{fmt}"
        made = MadeReport(report, data, fmt, name, None, previous.id if previous else None, closes)
        return keep_snapshot(session=session, made=made, created_by=created_by) if keep else made


def export_table(
    *,
    session: Session,
    row: questionnaires.StoredVersion,
    as_of: date | None,
    free_text: bool,
    sensitive: bool,
    include_incomplete: bool,
    audience: str = "internal",
    on_rows: Callable[[int], None] | None = None,
    on_step: Callable[[int, str], None] | None = None,
) -> ExportTable:
    """The responses of a stored version's questionnaire as an export table (one row per response, as they
    stood at the end of `as_of`): raked weights (cap 5), themes (staff's hand codes, else the model's tags)
    and only what `audience` may see. The one rule behind `survey export responses` and the export job.
    Raises ReportProblem("no_questionnaire") or ("reference"); `on_step(percent, words)` as the work moves."""
    from analysis.report.profile import weigh

    step = on_step or (lambda _percent, _words: None)
    q = questionnaires.definition(row, session=session)
    if q is None:
        raise ReportProblem("no_questionnaire", row.questionnaire_id)
    reference = reference_for(q)
    responses = read_responses(session=session, questionnaire_id=q.id, as_of=as_of, on_rows=on_rows)
    codebook = codebooks.codebook_in_use(session=session, questionnaire_id=q.id).codebook
    codes = themes.hand_codes(session=session, questionnaire_id=q.id)
    step(55, "Weighting")
    result, _ = weigh(responses, q, reference, None, 5.0)
    step(70, "Flattening the answers")
    table = flatten(
        responses,
        q,
        result.weights if result else {},
        free_text=free_text,
        sensitive=sensitive,
        include_incomplete=include_incomplete,
        audience=audience,
    )
    step(78, "Adding the themes (staff hand codes, else the model's tags)")
    return themes.export_with_themes(table, responses, q, codebook, codes)


def keep_snapshot(*, session: Session, made: MadeReport, created_by: str) -> MadeReport:
    """Keep a made report as a snapshot (its JSON numbers and the file); returns it with the snapshot id."""
    snapshot = repository_reports.save_snapshot(
        session=session,
        numbers=report_to_dict(made.report),
        content=made.data,
        fmt=made.fmt,
        filename=made.filename,
        created_at=datetime.now(UTC),
        created_by=created_by,
    )
    return replace(made, snapshot_id=snapshot.id)
