"""Questionnaires as spreadsheets on the web: download any version as XLSX; upload a workbook (admins), see
every problem on its sheet, row and column, then check the changes in words and publish with a version number.

The workbook is read and checked by survey.services.xlsform (the same engine checks as a JSON upload); the
publish step re-checks the definition and stores it exactly as the JSON upload does.
"""

from __future__ import annotations

import io
import json
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import analyse_paths, validate_dict
from survey.services.inputs import read_json
from survey.services.publishing import known_references, publish_problems
from survey.services.questionnaire_diff import describe_changes, next_version
from survey.services.words import gettext
from survey.services.xlsform import WorkbookWriteError, read_xlsx, to_xlsx
from survey.staff import audit, bp
from survey.staff.auth import require_role
from survey.staff.form_fields import add_error
from survey.staff.questionnaire_forms import (
    SpreadsheetCheckForm,
    SpreadsheetPublishForm,
    SpreadsheetUploadForm,
)
from survey.store import repository
from survey.store import repository_staff as repo
from survey.store.db import get_session

Page = str | WerkzeugResponse | tuple[str, int]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = "staff/publish_xlsx.html"
CHECK = "staff/publish_xlsx_check.html"


@bp.get("/questionnaires/<questionnaire_id>/spreadsheet")
@require_role("admin", "analyst")
def download_xlsx(questionnaire_id: str) -> WerkzeugResponse:
    """The current version (or ?version=) as an XLSForm-style workbook."""
    session = get_session()
    version = request.args.get("version")
    row = (
        repository.questionnaire_version(session=session, questionnaire_id=questionnaire_id, version=version)
        if version
        else repository.current_questionnaire(session=session, questionnaire_id=questionnaire_id)
    )
    if row is None:
        abort(404)
    try:
        data = to_xlsx(row.definition)
    except WorkbookWriteError as exc:
        flash(gettext("This version cannot be written as a spreadsheet: %(problem)s", problem=exc), "error")
        return redirect(url_for("staff.questionnaire", questionnaire_id=questionnaire_id))
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"{row.questionnaire_id}-{row.version}.xlsx",
    )


def _taken(questionnaire_id: str) -> set[str]:
    return {
        v.version
        for v in repo.questionnaire_versions(session=get_session(), questionnaire_id=questionnaire_id)
    }


def _check_page(
    definition: dict[str, Any],
    filename: str,
    warnings: list[str],
    form: Any = None,
    problems: list[str] | None = None,
) -> Page:
    """The changes against the current version in words, the paths, and the version to publish as.

    `form` is the publish form just sent, with its errors and the version typed; without it the version
    offered is the file's own, or the next one free when that is taken by other content.
    """
    qid = str(definition.get("id"))
    current = repository.current_questionnaire(session=get_session(), questionnaire_id=qid)
    changes = describe_changes(current.definition, definition) if current else []
    if form is None:
        taken = _taken(qid)
        stored = repository.questionnaire_version(
            session=get_session(), questionnaire_id=qid, version=str(definition.get("version"))
        )
        same = stored is not None and stored.definition == definition
        version = (
            str(definition["version"])
            if str(definition["version"]) not in taken or same
            else next_version(str(definition["version"]), taken)
        )
        form = SpreadsheetPublishForm(formdata=None, data={"version": version})
    checked = validate_dict(definition, filename, references=known_references())
    paths = analyse_paths(checked.questionnaire) if checked.questionnaire else None
    return render_template(
        CHECK,
        definition=definition,
        definition_json=json.dumps(definition, ensure_ascii=False),
        filename=filename,
        current=current,
        changes=changes,
        form=form,
        warnings=warnings,
        paths=paths,
        problems=problems or [],
    ), 200


def _upload_again() -> Page:
    """The upload page, for a definition that did not come back from the check page intact."""
    upload = SpreadsheetUploadForm(formdata=None)
    add_error(upload.workbook, gettext("Upload the spreadsheet again"))
    return render_template(UPLOAD, form=upload, problems=[], warnings=[]), 200


@bp.route("/questionnaires/publish-spreadsheet", methods=["GET", "POST"])
@require_role("admin")
def publish_xlsx() -> Page:
    """Upload a questionnaire workbook: located problems, or the check page before publishing."""
    form = SpreadsheetUploadForm()
    if not form.validate_on_submit():
        return render_template(UPLOAD, form=form, problems=[], warnings=[]), 200
    upload = form.workbook.data
    filename = (upload.filename or "").rsplit("/", 1)[-1]
    result = read_xlsx(upload.read(), filename, references=known_references())
    warnings = [str(p) for p in result.warnings]
    if not result.ok or result.definition is None:
        add_error(form.workbook, gettext("The selected spreadsheet has problems: see the list below"))
        return render_template(UPLOAD, form=form, problems=result.errors, warnings=warnings), 200
    return _check_page(result.definition, filename, warnings)


def _definition(form: Any) -> Any:
    """The definition carried in the form's hidden field (None when it is not JSON)."""
    try:
        return read_json(form.definition.data or "")
    except ValueError:  # JsonInputError too: too deep, a huge number, not JSON
        return None


@bp.post("/questionnaires/publish-spreadsheet/check")
@require_role("admin")
def publish_xlsx_review() -> Page:
    """The check page again (coming back from the preview), for the definition carried in the form."""
    form = SpreadsheetCheckForm()
    form.validate_on_submit()
    definition = _definition(form)
    checked = (
        validate_dict(definition, form.filename.data or "", references=known_references())
        if isinstance(definition, dict)
        else None
    )
    if checked is None or not checked.ok:
        return _upload_again()
    return _check_page(
        definition, form.filename.data or "spreadsheet.xlsx", [str(p) for p in checked.warnings]
    )


@bp.post("/questionnaires/publish-spreadsheet/confirm")
@require_role("admin")
def publish_xlsx_confirm() -> Page:
    """Publish the checked workbook's definition under the version number given."""
    form = SpreadsheetPublishForm()
    filename = form.filename.data or "spreadsheet.xlsx"
    definition = _definition(form)
    if not isinstance(definition, dict):
        return _upload_again()
    if not form.validate_on_submit():
        return _check_page(definition, filename, [], form)
    version = form.version.data
    definition["version"] = version
    problems, q = publish_problems(get_session(), definition, filename)
    if problems or q is None:
        add_error(form.version, gettext("This version cannot be published"))
        return _check_page(definition, filename, [], form, problems)
    previous = repository.current_questionnaire(session=get_session(), questionnaire_id=q.id)
    row, _action = repository.store_questionnaire(session=get_session(), definition=q.raw, loaded_on=today())
    audit.record(
        "questionnaire.publish",
        questionnaire=q.id,
        file=filename,
        version={"old": previous.version if previous else None, "new": q.version},
    )
    flash(
        gettext(
            "Published version %(version)s from %(file)s: new responses use it; earlier responses keep the "
            "version they answered",
            version=q.version,
            file=filename,
        ),
        "success",
    )
    return redirect(url_for("staff.questionnaire", questionnaire_id=row.questionnaire_id))
