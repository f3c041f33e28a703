"""The audit trail's rule: what is recorded, by whom (the caller says), and the list of actions.

Actions in use (`area.verb` names; add a new one to ACTIONS too, so admins can filter by it — a test
checks every action the code records is listed):
sign_in, sign_in.failed, sign_out, password.change, password.change.failed, password.reset, staff.add,
staff.disable, questionnaire.dates, questionnaire.close, questionnaire.reopen, questionnaire.publish,
questionnaire.retention, retention.dry_run, retention.apply, audit.download, report.download,
export.download, channel.create, channel.edit, response.keyed, response.keying_discarded,
codebook.download, codebook.upload, codebook.theme.add, codebook.theme.edit, codebook.theme.remove,
themes.coding, themes.suggest, themes.suggestion.accept, themes.suggestion.rename, themes.suggestion.merge,
themes.suggestion.reject, themes.suggestion.restore, sign_out.everywhere, responses.view, response.erase,
response.erase.resident, draft.create, draft.delete, draft.approve, draft.remove, draft.rename; staff.invite,
staff.invite_accepted, staff.role, staff.enable, staff.two_factor_reset, staff.two_factor_on,
staff.two_factor_off, staff.recovery_codes, response.excluded, response.restored, paper.second_entry,
paper.resolved, results.publish, results.unpublish, results.we_did, results.we_did_removed,
results.we_did_translated.

`responses.view` is recorded whenever a staff page shows individual residents' answers (hand-coding
pages, quotes and suggestions, a keyed response): who, which page, which response ids, when.
"""

from __future__ import annotations

from typing import Any

from survey.store import repository_staff as repo
from survey.store.db import Session
from survey.store.models_staff import AuditEvent, StaffUser

ACTIONS = (
    "sign_in",
    "sign_in.failed",
    "sign_out",
    "password.change",
    "password.change.failed",
    "password.reset",
    "staff.add",
    "staff.disable",
    "staff.invite",
    "staff.invite_accepted",
    "staff.role",
    "staff.enable",
    "staff.two_factor_reset",
    "staff.two_factor_on",
    "staff.two_factor_off",
    "staff.recovery_codes",
    "response.excluded",
    "response.restored",
    "paper.second_entry",
    "paper.resolved",
    "results.publish",
    "results.unpublish",
    "results.we_did",
    "results.we_did_removed",
    "results.we_did_translated",
    "questionnaire.dates",
    "questionnaire.close",
    "questionnaire.reopen",
    "questionnaire.publish",
    "questionnaire.retention",
    "retention.dry_run",
    "retention.apply",
    "audit.download",
    "report.download",
    "export.download",
    "channel.create",
    "channel.edit",
    "response.keyed",
    "response.keying_discarded",
    "codebook.download",
    "codebook.upload",
    "codebook.theme.add",
    "codebook.theme.edit",
    "codebook.theme.remove",
    "themes.coding",
    "themes.suggest",
    "themes.suggestion.accept",
    "themes.suggestion.rename",
    "themes.suggestion.merge",
    "themes.suggestion.reject",
    "themes.suggestion.restore",
    "sign_out.everywhere",
    "responses.view",
    "response.erase",
    "response.erase.resident",
    "draft.create",
    "draft.delete",
    "draft.approve",
    "draft.remove",
    "draft.rename",
)
CLI_ACTOR = "command line"
CSV_LIMIT = 100_000


def _json_safe(value: Any) -> Any:
    """Dates and other values as text, so any detail can be stored in the JSON column."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    action: str,
    *,
    questionnaire: str | None = None,
    actor: StaffUser | str,
    session: Session,
    **details: Any,
) -> AuditEvent:
    """Append an event: who (`actor`: a member of staff or a name such as CLI_ACTOR), what, on what.

    The caller says who acts (the staff face: the signed-in member of staff; the command line: CLI_ACTOR).
    A setting change passes `old=` and `new=`. Commits at once: the event stays even if the page fails later.
    """
    if isinstance(actor, StaffUser):
        actor_id, name = actor.id, actor.email
    else:
        actor_id, name = None, actor
    return repo.add_audit_event(
        session=session,
        actor_id=actor_id,
        actor=name,
        action=action,
        questionnaire_id=questionnaire,
        details=_json_safe(details),
    )
