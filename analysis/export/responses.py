"""Responses flattened for analysts: one row per response, one column per question, option or rating item."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from analysis.disclosure.routing import sensitive_dependent
from analysis.export.marks import with_mark_columns
from analysis.export.routing import Routes
from analysis.export.safe import clean_text, safe_cell
from analysis.export.spss import measure, spss_missing_text, spss_values_text
from analysis.paper_marks import mark_of
from survey.engine import Question, Questionnaire
from survey.engine.semantic import RESERVED_QUESTION_IDS
from survey.engine.text import localise

# the columns every export has before the questions': the engine keeps them from question ids (RESERVED_ID)
META = tuple(name for name in RESERVED_QUESTION_IDS if name != "weight")
META_LABELS = {
    "response_id": "Response number",
    "questionnaire_version": "Questionnaire version answered",
    "status": "complete or in_progress",
    "channel": "Partner link (channel) the response came through",
    "mode": "online, paper, phone or assisted",
    "started_on": "Date started",
    "completed_on": "Date completed",
    "duration_seconds": "Time to complete (seconds)",
    "last_question": "Last question answered (drop-off)",
    "weight": "Raking weight (empty: outside the weighted population)",
}


@dataclass(frozen=True)
class Column:
    """One exported variable."""

    name: str
    label: str
    kind: str  # meta, weight, single, multiple, rating, number, text, grid, dont_know, rank, date, postcode,
    # paper_mark (why a paper form's answer is missing: analysis.paper_marks)
    question: str | None = None
    key: str | None = None  # the option code (multiple) or item id (rating)
    values: tuple[tuple[str, str], ...] = ()  # (code, label) for single and rating columns
    note: str = ""
    number: str = ""  # the question number as the report and questionnaire appendix give it (Q1, Q2, ...)
    asked_when: str = ""  # the routing condition in words ("" when everyone is asked)
    missing: tuple[str, ...] = ()  # codes that are user-missing in SPSS (don't know, prefer not to say)


@dataclass(frozen=True)
class ExportTable:
    """Columns and rows (codes) ready for CSV or SPSS."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    asked: tuple[tuple[bool, ...], ...] = ()  # per row and column: was the question shown (routing)?
    audience: str = "internal"  # internal, partner or public (analysis.disclosure.Audience)

    def __post_init__(self) -> None:
        """Every column has a name of its own: a generated name another column already has (a question
        `q_yes` beside question `q`'s option `yes`) gets `_2`, `_3` ... and says so in its note; two
        columns of one name made SPSS files fail and CSV readers drop one."""
        names = [c.name for c in self.columns]
        if len(set(names)) == len(names):
            return
        taken, out = set(names), []
        used: set[str] = set()
        for c in self.columns:
            if c.name in used:
                k = 2
                while f"{c.name}_{k}" in taken or f"{c.name}_{k}" in used:
                    k += 1
                new = f"{c.name}_{k}"
                c = replace(c, name=new, note=f"{c.note} (named {new}: another column is {c.name})".strip())
            used.add(c.name)
            out.append(c)
        object.__setattr__(self, "columns", tuple(out))


ROUTING_META = ("last_question",)  # where a journey stopped: follows the route, so sensitive answers


def route_dependent_duration(questionnaire: Questionnaire) -> bool:
    """Whether the time taken can give a sensitive answer away: whenever a question depends on a sensitive
    one (analysis.disclosure.routing.sensitive_dependent), whether or not its page is routed (answering a
    sensitive question at all takes time: conservative)."""
    return bool(sensitive_dependent(questionnaire))


def _columns(routes: Routes, free_text: bool, sensitive: bool) -> list[Column]:
    return [
        replace(c, **routes.routing(c)) if c.question else c
        for c in _question_columns(routes.questionnaire, free_text, sensitive)
    ]


def _question_columns(questionnaire: Questionnaire, free_text: bool, sensitive: bool) -> list[Column]:
    lang = questionnaire.language
    dependent = sensitive_dependent(questionnaire)
    out = []
    for section in questionnaire.sections:
        for q in section.questions:
            kind = q.type
            qid = q.id
            text = localise(q.text, lang)
            if kind == "info" or (kind == "text" and not free_text):
                continue
            if not sensitive and qid in dependent:
                continue
            note = "asked only to some respondents (see the questionnaire's routing)" if q.show_if else ""
            options = tuple((o.code, localise(o.label, lang)) for o in q.options)
            if kind == "single":
                out.append(Column(qid, text, "single", qid, None, options, note))
            elif kind == "multiple":
                out.extend(
                    Column(f"{qid}_{code}", f"{text} – {label}", "multiple", qid, code, (), note)
                    for code, label in options
                )
            elif kind == "rating":  # the engine keeps a rating question's scale as its options
                out.extend(
                    Column(
                        f"{qid}_{i.id}",
                        f"{text} – {localise(i.text, lang)}",
                        "rating",
                        qid,
                        i.id,
                        options,
                        note,
                    )
                    for i in q.items
                )
            elif kind in ("number", "text"):
                out.append(Column(qid, text, kind, qid, None, (), note))
            out.extend(_more_columns(q, text, note, free_text, lang))
    return out


def _more_columns(q: Question, text: str, note: str, free_text: bool, lang: str) -> list[Column]:
    """Columns of the newer question types, "don't know" on numbers and "other, please specify" words."""
    out: list[Column] = []
    kind, qid = q.type, q.id
    if kind in ("decimal", "money"):
        out.append(Column(qid, text + (" (£)" if kind == "money" else ""), "number", qid, None, (), note))
    if kind in ("number", "decimal", "money") and q.dont_know is not None:
        label = localise(q.dont_know, lang)
        out.append(Column(f"{qid}_dont_know", f"{text} – {label}", "dont_know", qid, None, (), note))
    if kind == "date":
        out.append(Column(qid, text, "date", qid, None, (), note))
    if kind == "postcode":
        out.append(Column(qid, text + " (outward code only)", "postcode", qid, None, (), note))
    if kind == "consent":
        out.append(
            Column(qid, text, "single", qid, None, (("yes", localise(q.label or q.text, lang)),), note)
        )
    if kind == "grid":
        out.extend(
            Column(
                f"{qid}_{i.id}_{o.code}",
                f"{text} – {localise(i.text, lang)} – {localise(o.label, lang)}",
                "grid",
                qid,
                f"{i.id}/{o.code}",
                (),
                note,
            )
            for i in q.items
            for o in q.options
        )
    if kind == "ranking":
        out.extend(
            Column(
                f"{qid}_{i.id}",
                f"{text} – {localise(i.text, lang)} (rank, 1 = first)",
                "rank",
                qid,
                i.id,
                (),
                note,
            )
            for i in q.items
        )
    if kind in ("single", "multiple") and free_text and q.other_codes:
        out.append(
            Column(f"{qid}_other", f"{text} – in their own words", "text", f"{qid}.other", None, (), note)
        )
    return out


def flatten(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    weights: Mapping[Any, float] | None = None,
    *,
    free_text: bool = True,
    sensitive: bool = True,
    include_incomplete: bool = False,
    audience: str = "internal",
) -> ExportTable:
    """One row per response (complete ones unless include_incomplete), values as stored codes.

    sensitive=False (`--no-sensitive`, and every partner or public export) drops every field whose value
    depends on a sensitive answer: sensitive questions, questions asked only because of one, the routing
    field last_question, and the time taken when a sensitive answer changes the route. `audience` partner
    or public implies sensitive=False and free_text=False and is named in the data dictionary.
    """
    if audience not in ("internal", "partner", "public"):
        raise ValueError(f"audience must be one of internal, partner, public, not {audience!r}")
    if audience != "internal":  # partner and public exports: nothing sensitive, no free text
        sensitive = free_text = False
    dropped: set[str] = set()
    if not sensitive:
        dropped |= set(ROUTING_META)
        if route_dependent_duration(questionnaire):
            dropped.add("duration_seconds")
    columns = [Column(name, META_LABELS[name], "meta") for name in META if name not in dropped]
    if weights is not None:
        columns.append(Column("weight", META_LABELS["weight"], "weight"))
    routes = Routes(questionnaire)
    columns.extend(_columns(routes, free_text, sensitive))
    included = [r for r in responses if r.get("status") == "complete" or include_incomplete]
    columns = with_mark_columns(columns, included)
    rows = []
    asked = []
    for r in included:
        answers = r.get("answers") or {}
        row: list[Any] = []
        for col in columns:
            row.append(_value(col, r, answers, weights))
        rows.append(tuple(row))
        asked.append(routes.shown(columns, answers))
    return ExportTable(tuple(columns), tuple(rows), tuple(asked), audience)


def _value(
    col: Column, r: Mapping[str, Any], answers: Mapping[str, Any], weights: Mapping[Any, float] | None
) -> Any:
    if col.kind == "meta":
        value = r.get("id") if col.name == "response_id" else r.get(col.name)
        return value.isoformat() if isinstance(value, date) else value
    if col.kind == "weight":
        return None if weights is None else weights.get(r.get("id"))
    if col.kind == "paper_mark":
        return mark_of(r, col.question or "", col.key)
    answer = answers.get(col.question or "")
    if col.kind == "multiple":
        return None if not isinstance(answer, list) else int(col.key in answer)
    if col.kind in ("rating", "rank"):
        return answer.get(col.key) if isinstance(answer, Mapping) else None
    if col.kind == "grid":
        item, _, code = (col.key or "").partition("/")
        return None if not isinstance(answer, Mapping) else int(code in (answer.get(item) or []))
    if col.kind == "dont_know":
        return None if answer is None else int(answer == "dont_know")
    if col.kind == "number":
        return answer if isinstance(answer, int | float) and not isinstance(answer, bool) else None
    return answer


def _label(col: Column, value: Any) -> Any:
    if value is None or col.kind not in ("single", "rating", "multiple", "grid", "dont_know"):
        return value
    if col.kind in ("multiple", "grid", "dont_know"):
        return "Chosen" if value == 1 else "Not chosen"
    return dict(col.values).get(str(value), value)


def write_csv(table: ExportTable, *, labels: bool = False) -> bytes:
    """CSV (UTF-8 with BOM so spreadsheets read accents); codes or labels; formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        values = [_label(c, v) if labels else v for c, v in zip(table.columns, row, strict=True)]
        writer.writerow(["" if v is None else safe_cell(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _values_text(col: Column, numeric: bool) -> str:
    if col.kind == "paper_mark":
        if numeric:
            return spss_values_text(col)
        return "; ".join(f"{code} = {label}" for code, label in col.values) + "; empty = no mark"
    if col.kind in ("multiple", "grid", "dont_know"):
        return "1 = chosen; 0 = not chosen; empty = not asked"
    if col.values:
        return "; ".join(
            f"{i if numeric else code} = {label}" for i, (code, label) in enumerate(col.values, start=1)
        )
    return ""


def _type(col: Column) -> str:
    return (
        {
            "meta": "text",
            "weight": "number",
            "single": "code",
            "multiple": "0/1",
            "rating": "code",
            "number": "number",
            "text": "free text",
            "grid": "0/1",
            "dont_know": "0/1",
            "rank": "number",
            "date": "date (YYYY-MM-DD)",
            "postcode": "outward code",
            "paper_mark": "code",
        }[col.kind]
        if col.name not in ("response_id", "duration_seconds")
        else "number"
    )


def dictionary_csv(table: ExportTable) -> bytes:
    """The data dictionary as CSV: variable, label, type, question, values, note."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "variable",
            "label",
            "type",
            "question",
            "values (CSV codes)",
            "values (SPSS)",
            "note",
            "question number",
            "asked when",
            "SPSS missing values",
            "SPSS measure",
        ]
    )
    for c in table.columns:
        writer.writerow(
            [
                safe_cell(x)
                for x in (
                    c.name,
                    c.label,
                    _type(c),
                    c.question or "",
                    _values_text(c, False),
                    spss_values_text(c),
                    c.note,
                    c.number,
                    c.asked_when or ("everyone" if c.question else ""),
                    spss_missing_text(c),
                    measure(c),
                )
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _audience_note(table: ExportTable) -> str:
    if table.audience == "internal":
        return "internal (not for publication)"
    return f"{table.audience} (fields that depend on a sensitive answer and free text left out)"


def dictionary_markdown(table: ExportTable) -> bytes:
    """The data dictionary as a Markdown table."""

    def cell(text: str) -> str:
        return clean_text(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"Audience: {_audience_note(table)}", ""]
    lines += [
        "| variable | question | label | type | values (CSV codes) | asked when | SPSS missing values |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {cell(c.name)} | {c.number} | {cell(c.label)} | {_type(c)} | {cell(_values_text(c, False))} | "
        f"{cell(c.asked_when or ('everyone' if c.question else ''))} | {cell(spss_missing_text(c))} |"
        for c in table.columns
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_sav(table: ExportTable, path: str | Path) -> None:
    """SPSS .sav: labels, user-missing values, measures, formats and dates (analysis.export.spss)."""
    from analysis.export.spss import write_spss

    write_spss(table, path)
