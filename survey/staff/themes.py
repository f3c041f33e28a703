"""Themes in free-text answers: theme table, quotes, word cloud and emerging-theme suggestions per question.

Suggestions are made by a background job (survey/services/jobs/suggestions.py) that staff start from the
page ("Suggest new themes") and follow on its progress page; the page shows the newest finished run.
Analysts and admins act on its suggestions (accept into the codebook as a new version, rename, merge,
reject); every change is audited. The codebook pages are in themes_codebook.py, hand coding in
themes_coding.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from flask import Response, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.text import (
    Suggestion,
    merge_suggestions,
    redact,
    rename_suggestion,
    summarise,
    tag_answers,
    term_frequencies,
    word_cloud_png,
)
from analysis.text.handcodes import with_staff_codes
from analysis.text.suggestions import AcceptPreview, preview_accept
from survey.engine import Questionnaire
from survey.services import jobs
from survey.services import themes as theme_rules
from survey.services.jobs import suggestions as suggesting
from survey.services.jobs.suggestions import sample
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.dashboard import definition
from survey.staff.form_fields import add_error
from survey.staff.jobs import job_url
from survey.staff.themes_common import (
    answers_to,
    codebook_in_use,
    staff_name,
    stale,
    store_codebook,
    text_question_or_404,
    text_questions,
)
from survey.staff.themes_forms import SuggestionForm
from survey.staff.viewing import quoted_ids, record_view
from survey.store import repository, repository_reports
from survey.store import repository_themes as repo
from survey.store.db import get_session
from survey.store.models_themes import SuggestionDecision

TOP_TERMS = 20
Page = str | WerkzeugResponse | tuple[str, int]


@dataclass(frozen=True)
class Offered:
    """A suggestion as the analyst sees it: renamed or merged as they decided, with its stable key."""

    key: str
    suggestion: Suggestion
    merged_keys: tuple[str, ...] = ()
    decision: SuggestionDecision | None = None


def field_id(prefix: str, key: str) -> str:
    """An HTML id for a suggestion's form field (keys such as 'dog / mess' hold spaces and slashes)."""
    return f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def suggestion_key(suggestion: Suggestion) -> str:
    """A suggestion's key for decisions: its two strongest terms, sorted (their order shifts with answers)."""
    return " / ".join(sorted(suggestion.key_terms[:2])) or suggestion.label


def offered(
    suggestions: tuple[Suggestion, ...], decisions: dict[str, SuggestionDecision]
) -> tuple[list[Offered], list[Offered]]:
    """(suggestions to show, rejected ones) after the recorded decisions; accepted ones are left out."""
    by_key = {suggestion_key(s): s for s in suggestions}
    still_open = {"renamed", "merged"}
    open_keys = [k for k in by_key if k not in decisions or decisions[k].decision in still_open]
    folded: dict[str, list[str]] = {}
    for key in open_keys:
        d = decisions.get(key)
        if d is not None and d.decision == "merged" and d.merged_into in open_keys and d.merged_into != key:
            target = decisions.get(d.merged_into)
            if target is None or target.decision != "merged":
                folded.setdefault(d.merged_into, []).append(key)
    gone = {k for keys in folded.values() for k in keys}
    shown: list[Offered] = []
    for key in open_keys:
        if key in gone:
            continue
        s = by_key[key]
        for other in folded.get(key, []):
            s = merge_suggestions(s, by_key[other])
        d = decisions.get(key)
        if d is not None and d.decision == "renamed" and d.label:
            s = rename_suggestion(s, d.label)
        shown.append(Offered(key, s, tuple(folded.get(key, [])), d))
    rejected = [
        Offered(k, s, (), decisions[k])
        for k, s in by_key.items()
        if k in decisions and decisions[k].decision == "rejected"
    ]
    return shown, rejected


def interim_changes(questionnaire_id: str, question_id: str) -> tuple[Any, dict[str, float]]:
    """The latest interim snapshot (or None) and each theme's share in it for this question."""
    snap = repository_reports.latest_snapshot(session=get_session(), questionnaire_id=questionnaire_id)
    if snap is None:
        return None, {}
    for block in snap.numbers.get("themes") or []:
        if block.get("question") == question_id and block.get("themes"):
            return snap, {str(t.get("id")): float(t.get("share") or 0) for t in block["themes"]}
    return None, {}  # the interim report has no themes for this question: nothing to compare


def overview(
    q: Questionnaire, question_id: str, errors: dict[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    """The themes page of one free-text question (with `errors` after a refused action)."""
    in_use = codebook_in_use(q.id)
    answers = answers_to(q, question_id)
    db = get_session()
    codes = repo.manual_codes(session=db, questionnaire_id=q.id, question_id=question_id)
    known = {rid for rid, _ in answers}
    staff = {rid: themes for rid, themes in codes.items() if rid in known}
    tagged = with_staff_codes(tag_answers(answers, in_use.codebook), dict(staff.items()))
    summary = summarise(tagged, in_use.codebook, quotes=3, tone=True)
    counts = {c.theme_id: c for c in theme_rules.question_counts(answers, staff, in_use.codebook).themes}
    made, pending = suggesting.latest(session=db, questionnaire_id=q.id, question_id=question_id)
    decisions = repo.suggestion_decisions(session=db, questionnaire_id=q.id, question_id=question_id)
    shown, rejected = offered(made.suggestions if made else (), decisions)
    changed = made is not None and (
        made.codebook_version != in_use.codebook.version or made.answers != len(answers)
    )
    snapshot, before = interim_changes(q.id, question_id)
    texts = [text for _, text in sample(answers)]
    quotes = {quote for theme in summary.themes for quote in theme.quotes}
    quotes |= {example for item in (*shown, *rejected) for example in item.suggestion.examples}
    record_view("themes", questionnaire=q.id, question=question_id, response_ids=quoted_ids(answers, quotes))
    return render_template(
        "staff/themes_question.html",
        q=q,
        question=q.question(question_id),
        questions=text_questions(q),
        in_use=in_use,
        summary=summary,
        answered=len(answers),
        suggestions=shown,
        rejected=rejected,
        made=made,
        pending=pending,
        changed=changed,
        snapshot=snapshot,
        before=before,
        errors=errors or {},
        top_terms=term_frequencies(texts).most_common(TOP_TERMS) if texts else [],
        fid=field_id,
        coded=len(staff),
        counts=counts,
    ), status


@bp.get("/themes")
@on_home_page
@require_role("analyst")
def themes_index() -> str:
    """Themes in free text: what residents wrote, grouped into themes, with the codebook and hand coding."""
    rows = repository.current_questionnaires(session=get_session())
    listed = [(row, text_questions(definition(row))) for row in rows]
    return render_template("staff/themes_index.html", listed=listed)


@bp.get("/themes/<questionnaire_id>/<question_id>")
@require_role("analyst")
def themes_question(questionnaire_id: str, question_id: str) -> Page:
    """One free-text question's themes, quotes, word cloud and suggested new themes."""
    _row, q, _question = text_question_or_404(questionnaire_id, question_id)
    return overview(q, question_id)


@bp.get("/themes/<questionnaire_id>/<question_id>/cloud.png")
@require_role("analyst")
def themes_cloud(questionnaire_id: str, question_id: str) -> Response:
    """The word cloud of one free-text question's answers, as a PNG."""
    _row, q, _question = text_question_or_404(questionnaire_id, question_id)
    texts = [text for _, text in sample(answers_to(q, question_id))]
    return Response(word_cloud_png(texts, width=1000, height=450), mimetype="image/png")


@bp.post("/themes/<questionnaire_id>/<question_id>/suggest")
@require_role("analyst")
def themes_suggest(questionnaire_id: str, question_id: str) -> WerkzeugResponse:
    """Suggest new themes from the answers no theme covers: a background job (its progress page follows);
    while one is still waiting or running for the question, staff are sent to it instead of a second."""
    _row, q, _question = text_question_or_404(questionnaire_id, question_id)
    db = get_session()
    _made, pending = suggesting.latest(session=db, questionnaire_id=q.id, question_id=question_id)
    if pending is not None:
        return redirect(job_url(pending), 303)
    job = jobs.submit(
        session=db,
        kind=suggesting.KIND,
        questionnaire_id=q.id,
        created_by=staff_name(),
        params={"question": question_id},
    )
    audit.record("themes.suggest", questionnaire=q.id, question=question_id, job=job.id)
    return redirect(job_url(job), 303)


@bp.post("/themes/<questionnaire_id>/<question_id>/suggestions")
@require_role("analyst")
def themes_suggestion(questionnaire_id: str, question_id: str) -> Page:
    """Accept, rename, merge, reject (or restore) a suggested theme."""
    _row, q, _question = text_question_or_404(questionnaire_id, question_id)
    form = SuggestionForm()
    valid = form.validate_on_submit()
    form.field_ids(field_id)
    if not valid:
        return overview(q, question_id, form.page_errors(), 400)
    action, key = form.action.data, form.key.data or ""
    db = get_session()
    decisions = repo.suggestion_decisions(session=db, questionnaire_id=q.id, question_id=question_id)
    if action == "undo" and key in decisions:
        repo.undo_decision(session=db, questionnaire_id=q.id, question_id=question_id, suggestion_key=key)
        audit.record("themes.suggestion.restore", questionnaire=q.id, question=question_id, suggestion=key)
        flash(
            gettext("'%(key)s' is suggested again (when the answers still suggest it).", key=key), "success"
        )
        return redirect(url_for("staff.themes_question", questionnaire_id=q.id, question_id=question_id))
    in_use = codebook_in_use(q.id)
    made, _pending = suggesting.latest(session=db, questionnaire_id=q.id, question_id=question_id)
    shown, rejected = offered(made.suggestions if made else (), decisions)
    found = {o.key: o for o in (*shown, *rejected)}
    if key not in found:
        gone = gettext(
            "That suggestion is no longer offered (new answers or another analyst's decision changed the "
            "list). Nothing was changed."
        )
        return overview(q, question_id, {"suggestions": gone}, 409)
    item = found[key]
    if action == "accept":
        preview = _preview(form, item, in_use, answers_to(q, question_id))
        if preview is None:
            return overview(q, question_id, form.page_errors(), 400)
        if form.confirm.data != "yes":
            return _confirm_page(form, q, question_id, item, preview, in_use)
        accepted = _accept(form, q, question_id, item, in_use, preview)
        if accepted.startswith("!"):
            return overview(q, question_id, {"suggestions": accepted[1:]}, 409)
        done: str | None = accepted
    else:
        done = _decide(form, q, question_id, item, {o.key for o in shown})
    if done is None:
        return overview(q, question_id, form.page_errors(), 400)
    flash(done, "success")
    return redirect(url_for("staff.themes_question", questionnaire_id=q.id, question_id=question_id))


def _decide(
    form: SuggestionForm, q: Questionnaire, question_id: str, item: Offered, open_keys: set[str]
) -> str | None:
    """Carry out one decision; a success message, or None with the message on the form when refused."""
    db, who, action = get_session(), staff_name(), form.action.data
    where: dict[str, Any] = {"session": db, "questionnaire_id": q.id, "question_id": question_id}
    label = form.label.data
    details: dict[str, Any] = {"question": question_id, "suggestion": item.key}
    if action == "rename":
        if not label:
            add_error(form.label, gettext("Enter a new name for the suggestion"))
            return None
        repo.decide_suggestion(
            **where, suggestion_key=item.key, decision="renamed", label=label, decided_by=who
        )
        audit.record("themes.suggestion.rename", questionnaire=q.id, label=label, **details)
        return gettext("Renamed the suggestion to '%(label)s'.", label=label)
    if action == "merge":
        other = form.merge_with.data
        if other == item.key or other not in open_keys:
            add_error(form.merge_with, gettext("Choose another suggestion to merge this one into"))
            return None
        repo.decide_suggestion(
            **where, suggestion_key=item.key, decision="merged", merged_into=other, decided_by=who
        )
        audit.record("themes.suggestion.merge", questionnaire=q.id, into=other, **details)
        return gettext("Merged '%(label)s' into '%(other)s'.", label=item.suggestion.label, other=other)
    if action == "reject":
        repo.decide_suggestion(**where, suggestion_key=item.key, decision="rejected", decided_by=who)
        audit.record("themes.suggestion.reject", questionnaire=q.id, **details)
        return gettext("Rejected '%(label)s': it will not be suggested again.", label=item.suggestion.label)
    add_error(form.action, gettext("'%(key)s' has no decision to undo", key=item.key))
    return None


def _preview(
    form: SuggestionForm, item: Offered, in_use: Any, answers: list[tuple[int, str]]
) -> AcceptPreview | None:
    """What accepting (or adding to an existing theme) would change; None, with the message on the form,
    when it cannot be done."""
    problem = stale(in_use, form.base_version.data)
    if problem:
        add_error(form.base_version, problem)
        return None
    label, into = form.label.data, form.into.data or None
    if into is not None and into not in in_use.codebook.theme_ids:
        add_error(form.into, gettext("Choose a theme of the codebook, or make it a new theme"))
        return None
    try:
        named = replace(item.suggestion, label=label or item.suggestion.label)
        return preview_accept(in_use.codebook, named, list(answers), into=into, label=label or None)
    except ValueError as error:
        add_error(form.label, str(error)[:1].upper() + str(error)[1:])
        return None


def _confirm_page(
    form: SuggestionForm,
    q: Questionnaire,
    question_id: str,
    item: Offered,
    preview: AcceptPreview,
    in_use: Any,
) -> tuple[str, int]:
    """The effect of accepting, shown before anything is saved, with a button to confirm."""
    examples = [int(rid) for rid, _ in (*preview.gained, *preview.lost)]
    record_view("themes.suggestion.preview", questionnaire=q.id, question=question_id, response_ids=examples)
    labels = {t.id: t.label for t in preview.codebook.themes}
    return render_template(
        "staff/themes_suggestion_confirm.html",
        q=q,
        question=q.question(question_id),
        item=item,
        preview=preview,
        in_use=in_use,
        theme_label=labels.get(preview.theme_id, preview.theme_id),
        label=form.label.data,
        into=form.into.data,
        redact=redact,
    ), 200


def _accept(
    form: SuggestionForm,
    q: Questionnaire,
    question_id: str,
    item: Offered,
    in_use: Any,
    preview: AcceptPreview,
) -> str:
    """Save the previewed codebook (distinctive terms only) and record the decision."""
    db, who = get_session(), staff_name()
    into = form.into.data or None
    label = form.label.data or item.suggestion.label
    _saved, problems = store_codebook(
        q.id,
        preview.codebook,
        old=in_use.codebook,
        action="themes.suggestion.accept",
        note=f"accepted suggestion '{item.key}'",
        into=into,
        label=label,
        question=question_id,
        suggestion=item.key,
        terms=list(preview.added_terms),
        gained=preview.gained_count,
        lost=preview.lost_count,
    )
    if problems:
        return "!" + " ".join(problems)
    for key in (item.key, *item.merged_keys):
        repo.decide_suggestion(
            session=db,
            questionnaire_id=q.id,
            question_id=question_id,
            suggestion_key=key,
            decision="accepted",
            decided_by=who,
        )
    words = ", ".join(preview.added_terms)
    version = preview.codebook.version
    return gettext(
        "Accepted '%(label)s' with the words %(words)s: the codebook is now version %(version)s.",
        label=label,
        words=words,
        version=version,
    )
