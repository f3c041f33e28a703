"""build_report: every part of an interim or final report from plain responses and the questionnaire."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from analysis.disclosure.policy import (
    NOTICES,
    Audience,
    DisclosurePolicy,
    audience_of,
    describe_policy,
    policy_of,
)
from analysis.disclosure.release import release_points
from analysis.mapping import population_mask, usable
from analysis.reference import Reference
from analysis.reference.phrases import people
from analysis.report import chart_text
from analysis.report.appendix import appendix
from analysis.report.audience import protect_outline, protect_results, protect_weighted, weighted_withheld
from analysis.report.audience_flags import flag_limits, profile_links, protect_flags
from analysis.report.compare import compare
from analysis.report.findings import Figure, GroupTest, figures, group_tests, period_changes
from analysis.report.jsonout import plain
from analysis.report.keyfindings import key_findings
from analysis.report.methods import methods
from analysis.report.model import KINDS, Change, Chart, Comparison, Headline, Report, ThemeBlock
from analysis.report.population_note import population_note
from analysis.report.profile import profile, weigh
from analysis.report.profile_words import reference_phrase
from analysis.report.progress import DIRECT, MODE_NAMES, headline, progress, progress_end, tallies
from analysis.report.questions import number_results, question_results, rating_sets
from analysis.report.sourcelang import (
    answers_language,
    data_texts,
    questionnaire_fallbacks,
    untranslated_texts,
)
from analysis.report.themes import theme_blocks
from analysis.report.words import words
from analysis.text import Codebook, term_frequencies
from survey.engine import Questionnaire
from survey.engine.lru import LRU
from survey.engine.text import localise

Progress = Callable[[str], None]
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")  # as the questionnaire schema's "language"
STEPS = (
    "responses",
    "weighting",
    "profile",
    "questions",
    "themes",
    "findings",
    "disclosure",
    "flags",
    "charts",
)


def reference_version(reference: Reference) -> str:
    """A short content hash of the reference population (its file, or its figures)."""
    path = Path(reference.path)
    if path.is_file():
        data = path.read_bytes()
    else:
        figures = [(d.name, [(c.name, c.count, c.share) for c in d.categories]) for d in reference.dimensions]
        data = repr(figures).encode()
    return hashlib.sha256(data).hexdigest()[:12]


def _protected_headline(head: Headline, threshold: int) -> Headline:
    """A partner or public output's headline: no count outside the population, and the journeys a
    screen-out page ended only when at least `threshold` (else hidden, and the completion rate is of every
    journey started, so the hidden count cannot be worked out from it)."""
    head = replace(head, outside_population=None)
    if head.screened_out is not None and head.screened_out < threshold:
        rate = head.complete / head.started if head.started else None
        head = replace(head, screened_out=None, completion_rate=rate)
    return head


def as_of_view(responses: Sequence[Mapping[str, Any]], as_of: date) -> list[Mapping[str, Any]]:
    """Responses as they stood at the end of `as_of` (later starts dropped, later completions not counted)."""
    out: list[Mapping[str, Any]] = []
    for r in responses:
        started = _as_date(r.get("started_on"))
        if started is not None and started > as_of:
            continue
        done = _as_date(r.get("completed_on"))
        if r.get("status") == "complete" and (done is None or done > as_of):
            r = {**r, "status": "in_progress", "completed_on": None, "duration_seconds": None}
        out.append(r)
    return out


def population(rows: Sequence[Mapping[str, Any]], questionnaire: Questionnaire) -> dict[Any, bool] | None:
    """Which complete responses are in the population, evaluated once (None when ids are not unique)."""
    complete = usable(rows)
    ids = [r.get("id") for r in complete]
    if len(set(ids)) != len(ids):
        return None
    mask = population_mask(complete, questionnaire.population_filter)
    return dict(zip(ids, mask, strict=True))


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def build_report(
    kind: str,
    questionnaire: Questionnaire,
    responses: Sequence[Mapping[str, Any]],
    as_of: date,
    reference: Reference,
    codebook: Codebook,
    *,
    previous: Mapping[str, Any] | None = None,
    previous_id: int | None = None,
    opens: date | None = None,
    closes: date | None = None,
    generated_at: datetime | None = None,
    min_cell: int = 10,
    weight_dimensions: Sequence[str] | None = None,
    cap: float | None = 5.0,
    with_charts: bool = True,
    draw_charts: bool = True,
    on_step: Progress | None = None,
    channel_names: Mapping[str, str] | None = None,
    audience: Audience | str = Audience.INTERNAL,
    policy: DisclosurePolicy | None = None,
    published: Sequence[date] = (),
    hand_codes: Mapping[str, Mapping[Any, Sequence[str]]] | None = None,
    language: str | None = None,
) -> Report:
    """Build an interim or final report; `previous`: the interim JSON; `channel_names`: code -> label.

    `audience`: internal (sensitive questions protected), partner or public (every table protected, made
    as of the last release point on or before `as_of`: see analysis.disclosure.release; `published`: dates
    staff released outputs for this audience). `policy` defaults to the questionnaire's, with `min_cell` as
    its threshold when min_cell is not the default 10. `draw_charts=False`: the charts keep their text
    alternatives (the JSON and a snapshot's numbers carry them) but no picture is drawn (JSON and XLSX show
    none); HTML and PDF need them drawn. `language`: the report's language (its words, the questionnaire's
    text in that language where it has it, dates and numbers); the questionnaire's `language` by default.
    """
    if kind not in KINDS:
        raise ValueError(f"report kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if min_cell < 1:
        raise ValueError(f"min_cell must be at least 1, got {min_cell}")
    who = audience_of(audience)
    policy = policy or policy_of(questionnaire, None if min_cell == 10 else min_cell)
    min_cell = policy.threshold
    step = on_step or (lambda _name: None)
    q = in_language(questionnaire, language)
    lang = q.language
    _ = words(lang).gettext
    asked = as_of
    completions = completion_days(responses)
    points: list[date] = []
    if who.protected:
        points = release_points(completions, as_of, min_cell, published)
        point = points[-1] if points else None
        if point is None:
            raise ValueError(
                f"fewer than {min_cell} complete responses up to {as_of:%Y-%m-%d}: nothing may be shown to "
                f"a {who.value} audience yet"
            )
        as_of = point
    rows = as_of_view(responses, as_of)
    inside = population(rows, q)
    head = headline(rows, q, as_of, opens or q.opens, closes or q.closes, inside)
    step("responses")
    result, weighting = weigh(rows, q, reference, weight_dimensions, cap, inside)
    weights = result.weights if result is not None else None
    step("weighting")
    dims, actions, _table = profile(rows, q, reference, weights, inside, channel_names, words(lang))
    step("profile")
    # every count: protect_results hides them; partner and public tables of the filter's questions describe
    # the population (questions.question_results)
    questions = question_results(rows, q, weights, 1, inside, filter_among_population=who.protected)
    numbers = number_results(rows, q, 1, inside)
    step("questions")
    cloud_themes: dict[str, list[tuple[str, ...]]] = {}  # each cloud text's themes, for _public_text
    cloud_terms: dict[str, Counter[str]] = {}  # each cloud's term frequencies, counted once
    themes, cloud_texts = theme_blocks(
        rows,
        q,
        codebook,
        min_cell,
        hand_codes=hand_codes,
        cloud_themes=cloud_themes,
        cloud_terms=cloud_terms,
    )
    step("themes")
    figs: tuple[Figure, ...] = ()
    tests: tuple[GroupTest, ...] = ()
    if not who.protected:  # partner and public outputs leave them out (below): not worked out for them
        values: dict[str, Any] = {}  # each figure's respondent values, read once for both
        figs = figures(rows, q, weights, inside, keep=values)
        tests = group_tests(rows, q, figs, weights, inside, channel_names, reference, kept=values)
    step("findings")
    flag_links = profile_links(q, questions, dims) if who.protected else []  # from the full counts
    safe = protect_results(q, questions, numbers, themes, complete=head.complete, policy=policy, audience=who)
    questions, numbers, themes = safe.questions, safe.numbers, safe.themes
    ratings = rating_sets(q, questions)
    if who.protected:
        # Net figures and group comparisons are not yet part of the audited output: left out (see
        # docs/disclosure-control.md, "Not covered"); so are the columns of groups outside the population
        # (visitors, people who work here): exact counts of a handful of people, never audited.
        questions = tuple(replace(table, others=()) for table in questions)
        themes, cloud_texts = _public_text(themes, cloud_texts, cloud_themes, policy, cloud_terms)
        if previous is not None and previous.get("audience", Audience.INTERNAL.value) != who.value:
            previous = None  # never compare with figures another audience saw
    step("disclosure")
    comparison = None
    changes: tuple[Any, ...] = ()
    if kind == "final" and previous is not None:
        after = {"questions": plain(questions), "themes": plain(themes), "headline": plain(head)}
        comparison = compare(previous, after, previous_id)
        if comparison.as_of is not None:
            changes = period_changes(rows, q, figs, weights, inside, comparison.as_of)
            comparison = _period_comparison(comparison, changes, figs, rows, inside)
    report = Report(
        kind=kind,
        title=localise(q.title, lang),
        organisation=q.owner.name if q.owner is not None else "",
        questionnaire_id=q.id,
        questionnaire_versions=tuple(
            sorted({str(r.get("questionnaire_version") or q.version) for r in rows} or {q.version})
        ),
        as_of=as_of,
        generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        reference=reference.name,
        reference_version=reference_version(reference),
        codebook=codebook.id,
        codebook_version=codebook.version,
        min_cell=min_cell,
        headline=head,
        progress=progress(rows, head.opens, progress_end(rows, as_of, head.closes)),
        channels=tallies(rows, "channel", channel_names, _(DIRECT)),
        modes=tallies(rows, "mode", {code: _(name) for code, name in MODE_NAMES.items()}),
        profile=dims,
        actions=() if who.protected else actions,
        weighting=weighting,
        questions=questions,
        ratings=ratings,
        numbers=numbers,
        themes=themes,
        comparison=comparison,
        methods=(),
        appendix=appendix(q),
        language=lang,
        audience=who.value,
        disclosure={
            "audience": who.value,
            "threshold": policy.threshold,
            "rounding": policy.rounding_for(who),
            "share_decimals": 2 if policy.rounding_for(who) else 4,
            "sensitive_shown": policy.shows_sensitive(who),
            "links": list(safe.links),
            "asked_for": asked.isoformat(),
            "release_point": as_of.isoformat() if who.protected else None,
            "unresolved": list(safe.unresolved),
            "notice": NOTICES[who],
        },
    )
    if who.protected:
        day_counts, chans, mods, dims2 = protect_outline(
            report.progress,
            report.channels,
            report.modes,
            report.profile,
            [d for d in completions if d <= as_of],
            points,
            policy=policy,
            complete=head.complete,
        )
        report = replace(
            report,
            progress=day_counts,
            channels=chans,
            modes=mods,
            profile=dims2,
            disclosure={**report.disclosure, "flag_limits": flag_limits(), "profile_links": flag_links},
            headline=_protected_headline(head, policy.threshold),
            weighting=replace(
                weighting,
                respondents=None,
                messages=tuple(
                    "Respondents who did not state a weighting answer keep their share of the weight."
                    for _ in weighting.messages[:1]
                ),
            ),
        )
        report = protect_flags(report, flag_links, policy.threshold)
        withheld = weighted_withheld(report, q, dims, policy.threshold)
        report = replace(
            protect_weighted(report, withheld),
            disclosure={**report.disclosure, "weighted_withheld": withheld},
        )
    else:  # counts of a few people: internal reports only
        report = replace(report, extra={**report.extra, "population_note": population_note(q, usable(rows))})
    step("flags")
    report = replace(
        report,
        figures=figs,
        group_tests=tests,
        period_changes=changes,
        key_findings=()
        if who.protected
        else key_findings(q, figs, tests, changes, caveat(report, reference)),
    )
    report = replace(
        report, methods=methods(report, q) + (((_("Disclosure control"), describe_policy(policy, who, _)),))
    )
    report = with_source_languages(report, questionnaire)
    if with_charts:
        report = replace(report, charts=make_charts(report, cloud_texts, draw=draw_charts, terms=cloud_terms))
    step("charts")
    return report


def with_source_languages(report: Report, questionnaire: Questionnaire) -> Report:
    """The report with `extra["source_languages"]`: the texts it shows that are not in its language (the
    questionnaire's where it has no translation, the reference's and codebook's names), each with its
    language, which the HTML marks (analysis/report/sourcelang.py). Nothing for a report in the
    questionnaire's own language when that is English."""
    lang = report.language
    if lang == questionnaire.language and words(lang).english:
        return report
    known = {
        **untranslated_texts(report, questionnaire),
        **data_texts(report),
        **questionnaire_fallbacks(questionnaire, lang),
    }
    answers = answers_language(report, questionnaire)
    if not known and not answers:
        return report
    return replace(report, extra={**report.extra, "source_languages": known, "answers_language": answers})


def in_language(questionnaire: Questionnaire, language: str | None) -> Questionnaire:
    """The questionnaire as the report reads it: in `language` when one is asked for (a language code)."""
    if language is None:
        return questionnaire
    if not LANGUAGE_CODE.fullmatch(language):
        raise ValueError(f"report language must be a language code such as 'cy' or 'en', not {language!r}")
    return replace(questionnaire, language=language)


def completion_days(responses: Sequence[Mapping[str, Any]]) -> list[date]:
    """The completion date of every complete response (the clock the release rule counts on)."""
    out = []
    for r in responses:
        if r.get("status") == "complete":
            day = _as_date(r.get("completed_on"))
            if day is not None:
                out.append(day)
    return out


def _public_text(
    themes: Sequence[ThemeBlock],
    cloud_texts: Mapping[str, Sequence[str]],
    cloud_themes: Mapping[str, Sequence[Sequence[str]]],
    policy: DisclosurePolicy,
    cloud_terms: dict[str, Counter[str]] | None = None,
) -> tuple[tuple[ThemeBlock, ...], dict[str, list[str]]]:
    """Partner and public outputs: word clouds and top terms without answers about sensitive themes (as
    the theme step tagged them, staff codes included), terms used fewer than threshold times dropped,
    emerging themes without example answers. `cloud_terms` is set to the term frequencies of the clouds
    left (for the word cloud)."""
    if cloud_terms is not None:
        cloud_terms.clear()
    blocks = []
    clouds: dict[str, list[str]] = {}
    keep = {b.question for b in themes}
    for qid, texts in cloud_texts.items():
        if qid not in keep:
            continue
        themes_of = cloud_themes[qid]
        clouds[qid] = [
            text
            for text, ids in zip(texts, themes_of, strict=True)
            if not any(theme in policy.sensitive_themes for theme in ids)
        ]
    for b in themes:
        texts = clouds.get(b.question) or []
        counted = term_frequencies(texts) if texts else Counter()
        if cloud_terms is not None and texts:
            cloud_terms[b.question] = counted
        terms = tuple((term, n) for term, n in counted.most_common(20) if n >= policy.threshold)
        blocks.append(
            replace(b, top_terms=terms, emerging=tuple(replace(e, examples=()) for e in b.emerging))
        )
        if len(texts) < policy.threshold:
            clouds.pop(b.question, None)
    return tuple(blocks), clouds


def caveat(report: Report, reference: Reference | None = None) -> str:
    """The representativeness caveat of the key findings, in plain words ("people aged 16 to 24", not
    "16-24 (age)"; the reference file's phrases where it has them)."""
    _ = words(report.language).gettext
    if report.weighting.applied:
        text = _(
            "These are the views of the %(n)s people who chose to respond, not of a random sample; figures "
            "are weighted to the census by age, sex and tenure, which corrects only part of it",
            n=report.headline.complete,
        )
    else:
        text = _(
            "These are the views of the %(n)s people who chose to respond, not of a random sample",
            n=report.headline.complete,
        )
    under = [
        people(
            a.dimension, a.group, reference_phrase(reference, a.dimension, a.group), words(report.language)
        )
        for a in report.actions[:3]
    ]
    if under:
        text += ". " + _(
            "Groups that responded less than their share of the area: %(groups)s", groups="; ".join(under)
        )
    return text + "."


def _period_comparison(
    comparison: Comparison,
    changes: Sequence[Any],
    figs: Sequence[Any],
    rows: Sequence[Mapping[str, Any]],
    inside: Mapping[Any, bool] | None,
) -> Comparison:
    """The comparison's changes: headline figures, earlier against later respondents (not the snapshot)."""
    by_id = {f.id: f for f in figs}
    people = [r for r in usable(rows) if inside is None or inside.get(r.get("id"))]
    interim = comparison.as_of or date.max
    after_n = sum(1 for r in people if (_as_date(r.get("completed_on")) or date.min) > interim)
    return replace(
        comparison,
        responses_before=len(people) - after_n,
        responses_after=after_n,
        changes=tuple(
            Change(
                by_id[c.figure].question,
                by_id[c.figure].item,
                c.figure,
                f"{by_id[c.figure].number} {c.label}",
                c.before,
                c.after,
                c.points,
                c.significant,
            )
            for c in changes
        ),
        theme_changes=(),
    )


def make_charts(
    report: Report,
    cloud_texts: Mapping[str, Sequence[str]],
    *,
    draw: bool = True,
    terms: Mapping[str, Counter[str]] | None = None,
) -> dict[str, Chart]:
    """Every chart of the report, keyed by the part it illustrates. `draw=False`: the same charts with the
    same text alternatives and no picture (empty data; matplotlib and the word cloud are not loaded).
    `terms`: each cloud's term frequencies when they are counted already (else the word cloud counts)."""
    out: dict[str, Chart] = {}
    said = words(report.language)
    for key, subject in chart_subjects(report, cloud_texts):
        kind = key.partition(":")[0]
        alt = chart_text.alternative(kind, subject, said)
        if draw:
            out[key] = replace(_drawn(kind, subject, report, cloud_texts, terms or {}), alt=alt)
        else:
            out[key] = Chart(chart_text.MIMES.get(kind, chart_text.SVG), b"", alt)
    return out


def chart_subjects(report: Report, cloud_texts: Mapping[str, Sequence[str]]) -> list[tuple[str, Any]]:
    """(key, what it charts) of every chart of the report, in the report's order."""
    out: list[tuple[str, Any]] = [("progress", report)]
    for dim in report.profile:
        if any(r.sample_share is None for r in dim.rows):
            continue  # partner and public outputs: no respondent shares, so no chart of them
        out.append((f"profile:{dim.dimension}", dim))
    out += [(f"question:{r.id}", r) for r in report.questions if r.item is None]
    out += [(f"rating:{r.id}", r) for r in report.ratings]
    out += [(f"number:{n.id}", n) for n in report.numbers]
    for block in report.themes:
        if any(t.share for t in block.themes):
            out.append((f"themes:{block.question}", block))
        if cloud_texts.get(block.question):
            out.append((f"cloud:{block.question}", block))
    return out


class DrawnCharts(LRU[bytes, Chart]):
    """Charts drawn in this process, by a digest of everything their picture is drawn from: the least
    recently used go first past `limit` bytes. A chart is a function of its subject (the same numbers give
    the same SVG), so a report made again from the same responses (in another format, for another
    audience where a table is the same) draws only what changed."""

    def __init__(self, limit: int = 32 * 1024 * 1024) -> None:
        super().__init__(limit, weight=_chart_bytes)


def _chart_bytes(chart: Chart) -> int:
    return len(chart.data)


DRAWN = DrawnCharts()


def _drawn(
    kind: str,
    subject: Any,
    report: Report,
    cloud_texts: Mapping[str, Sequence[str]],
    terms: Mapping[str, Counter[str]],
) -> Chart:
    """_draw's chart, from DRAWN when the same picture was drawn before (its text alternative is the
    caller's to set)."""
    if kind == "progress":
        drawn_from: Any = (report.progress, report.headline)
    elif kind == "cloud":
        frequencies = terms.get(subject.question)
        counted = None if frequencies is None else sorted(frequencies.items())
        drawn_from = (tuple(cloud_texts[subject.question]), counted, subject.number, subject.top_terms)
    else:
        drawn_from = subject
    key = hashlib.blake2b(repr((kind, drawn_from)).encode(), digest_size=20).digest()
    chart = DRAWN.get(key)
    if chart is None:
        chart = _draw(kind, subject, report, cloud_texts, terms)
        DRAWN.put(key, chart)
    return chart


def _draw(
    kind: str,
    subject: Any,
    report: Report,
    cloud_texts: Mapping[str, Sequence[str]],
    terms: Mapping[str, Counter[str]],
) -> Chart:
    """One chart drawn (analysis.report.charts loads matplotlib; imported only here)."""
    from analysis.report import charts

    if kind == "progress":
        return charts.progress_chart(report.progress, report.headline)
    if kind == "cloud":
        from analysis.text.cloud import word_cloud_png

        texts = cloud_texts[subject.question]
        png = word_cloud_png(texts, width=1000, height=450, frequencies=terms.get(subject.question))
        return charts.cloud_chart(png, subject.number, subject.top_terms)
    draw: dict[str, Callable[[Any], Chart]] = {
        "profile": charts.profile_chart,
        "question": charts.question_chart,
        "rating": charts.rating_chart,
        "number": charts.number_chart,
        "themes": charts.theme_chart,
    }
    return draw[kind](subject)
