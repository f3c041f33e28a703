"""The codebook of a questionnaire in the staff area: view, download, upload a replacement, edit themes.

Every save is a new version in the `codebook_versions` table (validated first; a broken upload changes
nothing and lists each problem with its JSON path); every change and download is audited.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.text import (
    Codebook,
    Problem,
    Theme,
    codebook_from_dict,
    codebook_to_dict,
    validate_codebook_dict,
    with_theme,
    without_theme,
)
from analysis.text.codebook import bump_version
from survey.engine import Questionnaire
from survey.services import themes as theme_rules
from survey.services.codebooks import InUse
from survey.services.inputs import JsonInputError, read_json
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import require_role
from survey.staff.codebook_forms import (
    MAX_UPLOAD,
    CodebookUploadForm,
    EditThemeForm,
    NewThemeForm,
    RemoveThemeForm,
)
from survey.staff.dashboard import current_or_404
from survey.staff.form_fields import add_error
from survey.staff.themes_common import codebook_in_use, problem_lines, stale, store_codebook
from survey.store import repository_themes as repo
from survey.store.db import get_session

Page = str | WerkzeugResponse | tuple[str, int]
TERM_FIELDS = {"keywords": "Keywords", "exact_keywords": lazy_gettext("Exact keywords"), "phrases": "Phrases"}
FIELD_NAMES = {
    "id": "theme_id",
    "label": "label",
    "description": "description",
    "keywords": "keywords",
    "exact_keywords": "exact_keywords",
    "phrases": "phrases",
}


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _page(
    q: Questionnaire,
    in_use: InUse,
    *,
    problems: list[dict[str, str]] | None = None,
    upload: Any = None,
    remove: Any = None,
    status: int = 200,
) -> tuple[str, int]:
    """The codebook page; `upload` or `remove` is the form just sent, with its errors."""
    history = repo.codebook_history(session=get_session(), questionnaire_id=q.id)
    return render_template(
        "staff/themes_codebook.html",
        q=q,
        in_use=in_use,
        history=history,
        problems=problems or [],
        upload=upload or CodebookUploadForm(formdata=None),
        remove=remove,
    ), status


@bp.get("/themes/<questionnaire_id>/codebook")
@require_role("analyst")
def codebook(questionnaire_id: str) -> Page:
    """A questionnaire's codebook: its themes and versions; download, upload or edit it."""
    _row, q = current_or_404(questionnaire_id)
    return _page(q, codebook_in_use(q.id))


@bp.get("/themes/<questionnaire_id>/codebook.json")
@require_role("analyst")
def codebook_download(questionnaire_id: str) -> Response:
    """Download the codebook in use (or `?version=` an earlier saved one) as JSON."""
    _row, q = current_or_404(questionnaire_id)
    wanted = request.args.get("version")
    if wanted:
        saved = repo.codebook_version(session=get_session(), questionnaire_id=q.id, version=wanted)
        if saved is None:
            abort(404)
        data: dict[str, Any] = dict(saved.definition)
    else:
        data = codebook_to_dict(codebook_in_use(q.id).codebook)
    audit.record("codebook.download", questionnaire=q.id, codebook=data["id"], version=data["version"])
    response = Response(json.dumps(data, indent=2, ensure_ascii=False) + "\n", mimetype="application/json")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{q.id}-codebook-{data['version']}.json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _read_upload(form: Any) -> tuple[Any, list[dict[str, str]], str]:
    """The uploaded file's JSON, or the problems that stop it (path and message), and the file name."""
    upload = form.codebook.data
    if upload is None or not upload.filename:
        return None, [{"path": "", "message": gettext("Choose a codebook JSON file to upload")}], ""
    name = upload.filename
    raw = upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return (
            None,
            [
                {
                    "path": "",
                    "message": gettext(
                        "The file is larger than %(MAX_UPLOAD)s kB", MAX_UPLOAD=MAX_UPLOAD // 1000
                    ),
                }
            ],
            name,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (
            None,
            [{"path": "", "message": gettext("The file is not UTF-8 text: save it as UTF-8 JSON")}],
            name,
        )
    try:
        data = read_json(text)  # too deep, a huge number or not JSON: said plainly
    except JsonInputError as error:
        return None, [{"path": "", "message": str(error)}], name
    return data, problem_lines(validate_codebook_dict(data, name)), name


def _refused(
    q: Questionnaire, in_use: InUse, form: Any, problems: list[dict[str, str]], status: int
) -> tuple[str, int]:
    """The codebook page listing why the file was not used (each problem by its place in the file)."""
    add_error(
        form.codebook, gettext("The file was not used: fix the problems listed above and upload it again")
    )
    return _page(q, in_use, problems=problems, upload=form, status=status)


def _theme_names(themes: list[tuple[str, str]]) -> str:
    """ "‘Dog fouling’ (dog_fouling), …": themes as an upload's refusal names them."""
    return ", ".join(f"‘{label}’ ({theme_id})" for theme_id, label in themes)


@bp.post("/themes/<questionnaire_id>/codebook/upload")
@require_role("analyst")
def codebook_upload(questionnaire_id: str) -> Page:
    """Replace the codebook with an uploaded JSON file (checked first; a broken file changes nothing)."""
    _row, q = current_or_404(questionnaire_id)
    in_use = codebook_in_use(q.id)
    form = CodebookUploadForm()
    form.validate_on_submit()
    data, problems, name = _read_upload(form)
    if problems:
        return _refused(q, in_use, form, problems, 400)
    uploaded = codebook_from_dict(data, name)
    current = in_use.codebook
    if replace(uploaded, version=current.version, questionnaires=current.questionnaires) == current:
        flash(
            gettext(
                "The uploaded codebook is the same as version %(version)s: nothing saved.",
                version=current.version,
            ),
            "success",
        )
        return redirect(url_for("staff.codebook", questionnaire_id=q.id))
    dropped = theme_rules.themes_dropped_since_download(
        session=get_session(), questionnaire_id=q.id, current=current, uploaded=uploaded
    )
    if dropped:
        message = gettext(
            "Nothing was saved: %(name)s (version %(version)s) does not have the themes %(names)s, "
            "added to the codebook since that version. Download the current version (%(version2)s), "
            "make your changes to it and upload it again; to remove a theme, use its Remove button.",
            name=name,
            version=uploaded.version,
            names=_theme_names(dropped),
            version2=current.version,
        )
        return _refused(q, in_use, form, [{"path": "themes", "message": message}], 409)
    restored = theme_rules.themes_restored_since_download(
        session=get_session(), questionnaire_id=q.id, current=current, uploaded=uploaded
    )
    if restored:
        message = gettext(
            "Nothing was saved: %(name)s (version %(version)s) has the themes %(names)s, removed from the "
            "codebook since that version. Download the current version (%(version2)s), make your changes to "
            "it and upload it again; to bring a theme back on purpose, add it with Add a theme.",
            name=name,
            version=uploaded.version,
            names=_theme_names(restored),
            version2=current.version,
        )
        return _refused(q, in_use, form, [{"path": "themes", "message": message}], 409)
    version = uploaded.version
    if _semver(version) <= _semver(current.version):
        version = bump_version(current.version, "minor")
    new = replace(uploaded, version=version)
    _saved, errors = store_codebook(
        q.id,
        new,
        old=current,
        action="codebook.upload",
        note=f"uploaded {name}"[:500],
        file=name,
        file_version=uploaded.version,
    )
    if errors:
        return _refused(q, in_use, form, [{"path": "", "message": e} for e in errors], 409)
    if version == uploaded.version:
        uploaded_words = gettext(
            "Uploaded %(file)s: the codebook is now version %(version)s.", file=name, version=version
        )
    else:
        uploaded_words = gettext(
            "Uploaded %(file)s: the codebook is now version %(version)s (the file said %(said)s: not newer).",
            file=name,
            version=version,
            said=uploaded.version,
        )
    flash(uploaded_words, "success")
    return redirect(url_for("staff.codebook", questionnaire_id=q.id))


def _terms(text: str | None) -> tuple[str, ...]:
    """One term per line (or separated by commas), blanks and repeats dropped."""
    return tuple(dict.fromkeys(t.strip() for t in re.split(r"[\n,]", text or "") if t.strip()))


def _theme_errors(problems: list[Problem], index: int) -> dict[str, str]:
    """Codebook problems of the edited theme, by form field, in plain words."""
    errors: dict[str, str] = {}
    prefix = f"/themes/{index}"
    for problem in problems:
        rest = problem.path[len(prefix) :].strip("/").split("/") if problem.path.startswith(prefix) else [""]
        field = FIELD_NAMES.get(rest[0], "keywords")
        label = TERM_FIELDS.get(field, field.replace("theme_id", "Theme id").capitalize())
        message = problem.message
        if "has no keywords or phrases" in message:
            message = gettext("Enter at least one keyword or phrase")
        else:
            message = f"{label}: {message}"
        errors.setdefault(field, message)
    return errors


def _theme_form(
    q: Questionnaire, in_use: InUse, theme: Theme | None, form: Any, status: int = 200
) -> tuple[str, int]:
    form.base_version.data = in_use.codebook.version  # what the page shows; a save checks it is still so
    return render_template(
        "staff/themes_codebook_theme.html",
        q=q,
        in_use=in_use,
        theme=theme,
        form=form,
        term_fields=TERM_FIELDS,
    ), status


def _shown(theme: Theme | None) -> dict[str, Any] | None:
    """What the form shows at first: the theme as it is (nothing for a new one)."""
    if theme is None:
        return None
    return {
        "label": theme.label,
        "description": theme.description,
        **{k: "\n".join(getattr(theme, k)) for k in TERM_FIELDS},
    }


def _edited(codebook: Codebook, theme: Theme | None, form: Any) -> tuple[Codebook, Theme]:
    """The codebook with the form's theme in it; the problems that stop it are added to the form."""
    form.validate()
    theme_id = theme.id if theme else form.theme_id.data
    label = form.label.data
    if theme is None and not form.theme_id.errors and theme_id in codebook.theme_ids:
        add_error(
            form.theme_id,
            gettext(
                "The codebook already has a theme with the id %(theme_id)s: choose another", theme_id=theme_id
            ),
        )
    base = theme or Theme(theme_id, label)
    terms = {k: _terms(getattr(form, k).data) for k in TERM_FIELDS}
    kept = set().union(*terms.values())
    placeholder = "new_theme" if theme is None and form.theme_id.errors else theme_id  # checks the rest too
    edited = replace(
        base,
        id=placeholder,
        label=label or "theme",
        keywords=terms["keywords"],
        exact_keywords=terms["exact_keywords"],
        phrases=terms["phrases"],
        description=form.description.data,
        negation_exempt=tuple(t for t in base.negation_exempt if t in kept),
    )
    new = with_theme(codebook, edited)
    index = new.theme_ids.index(edited.id)
    problems = validate_codebook_dict(codebook_to_dict(new))
    for name, message in _theme_errors(problems, index).items():
        field = getattr(form, name, None) or form.label  # an edited theme's id is not in its form
        if not field.errors:
            add_error(field, message)
    return new, edited


def _theme_or_404(in_use: InUse, theme_id: str | None) -> Theme | None:
    if theme_id is None:
        return None
    if theme_id not in in_use.codebook.theme_ids:
        abort(404)
    return in_use.codebook.theme(theme_id)


@bp.route("/themes/<questionnaire_id>/codebook/themes/new", methods=["GET", "POST"])
@require_role("analyst")
def codebook_theme_new(questionnaire_id: str) -> Page:
    """Add a theme to the codebook (a new minor version)."""
    return _edit_theme(questionnaire_id, None)


@bp.route("/themes/<questionnaire_id>/codebook/themes/<theme_id>", methods=["GET", "POST"])
@require_role("analyst")
def codebook_theme_edit(questionnaire_id: str, theme_id: str) -> Page:
    """Change a theme's label, description, keywords and phrases (a new patch version)."""
    return _edit_theme(questionnaire_id, theme_id)


def _edit_theme(questionnaire_id: str, theme_id: str | None) -> Page:
    _row, q = current_or_404(questionnaire_id)
    in_use = codebook_in_use(q.id)
    theme = _theme_or_404(in_use, theme_id)
    kind = EditThemeForm if theme else NewThemeForm
    form = kind(data=None if request.method == "POST" else _shown(theme))
    if not form.is_submitted():
        return _theme_form(q, in_use, theme, form)
    problem = stale(in_use, form.base_version.data)
    if problem:
        add_error(form.label, problem)
        return _theme_form(q, in_use, theme, form, 409)
    new, edited = _edited(in_use.codebook, theme, form)
    if form.errors:
        return _theme_form(q, in_use, theme, form, 400)
    if theme is not None and edited == theme:
        flash(gettext("Nothing changed in '%(label)s'.", label=theme.label), "success")
        return redirect(url_for("staff.codebook", questionnaire_id=q.id))
    action = "codebook.theme.edit" if theme else "codebook.theme.add"
    _saved, problems = store_codebook(
        q.id,
        new,
        old=in_use.codebook,
        action=action,
        note=f"{'edited' if theme else 'added'} theme {edited.id}",
        theme=edited.id,
    )
    if problems:
        add_error(form.label, " ".join(problems))
        return _theme_form(q, in_use, theme, form, 409)
    flash(
        gettext(
            "Saved '%(label)s': the codebook is now version %(version)s.",
            label=edited.label,
            version=new.version,
        ),
        "success",
    )
    return redirect(url_for("staff.codebook", questionnaire_id=q.id))


@bp.post("/themes/<questionnaire_id>/codebook/themes/<theme_id>/remove")
@require_role("analyst")
def codebook_theme_remove(questionnaire_id: str, theme_id: str) -> Page:
    """Remove a theme from the codebook (a new major version: older reports keep it)."""
    _row, q = current_or_404(questionnaire_id)
    in_use = codebook_in_use(q.id)
    theme = _theme_or_404(in_use, theme_id)
    assert theme is not None
    form = RemoveThemeForm()
    form.validate_on_submit()
    problem = stale(in_use, form.base_version.data)
    if problem:
        form.form_errors.append(problem)
        return _page(q, in_use, remove=form, status=409)
    try:
        new = without_theme(in_use.codebook, theme.id)
    except ValueError as error:
        form.form_errors.append(str(error).capitalize())
        return _page(q, in_use, remove=form, status=400)
    _saved, problems = store_codebook(
        q.id,
        new,
        old=in_use.codebook,
        action="codebook.theme.remove",
        note=f"removed theme {theme.id}",
        theme=theme.id,
    )
    if problems:
        form.form_errors.append(" ".join(problems))
        return _page(q, in_use, remove=form, status=409)
    flash(
        gettext(
            "Removed '%(label)s': the codebook is now version %(version)s.",
            label=theme.label,
            version=new.version,
        ),
        "success",
    )
    return redirect(url_for("staff.codebook", questionnaire_id=q.id))
