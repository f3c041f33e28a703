"""Moves (up and down buttons, the drag's move form, options and rating items) are recorded like every other
edit of a draft: the draft's last change (who and when) and the withdrawal of an approval to publish, then
the changes in words on the publish page and in the `questionnaire.publish` audit event. (Edits of a draft
are not audited one by one; only starting, approving, removing from and deleting a draft are, as `draft.*`.)
A move button from a page older than the list moves nothing and says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.store.db import get_engine
from survey.store.models_drafts import QuestionnaireDraft
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of
from tests.integration.staff.conftest import FAST_HASHING
from tests.integration.staff.test_builder import QID, build_branching, draft_of, new_draft, post, words

VICTIM = "have_you_been_a_victim_of_crime"


def last_change(app: Flask, draft_id: int) -> tuple[str, Any, str | None]:
    with Session(get_engine(app)) as session:
        draft = session.get(QuestionnaireDraft, draft_id)
        assert draft is not None
        return draft.updated_by, draft.updated_at, draft.approved_by


def publish_events(app: Flask) -> list[dict[str, Any]]:
    with Session(get_engine(app)) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "questionnaire.publish")).all()
        return [dict(e.details or {}) for e in events]


@pytest.mark.parametrize(
    "app_config", [{**FAST_HASHING, "SURVEY_PUBLISH_NEEDS_SECOND_ADMIN": 1}], indirect=False
)
def test_moves_are_recorded_like_other_edits_and_reach_the_audit_trail(
    staff_client: Callable[..., FlaskClient], app: Flask, app_config: dict[str, Any]
) -> None:
    first, second = staff_client("admin"), staff_client("admin")
    draft_id = new_draft(first)
    build_branching(first, draft_id)
    publish = f"/staff/builder/{draft_id}/publish"
    post(second, f"/staff/builder/{draft_id}/approve", {}, page_url=publish)
    assert post(first, publish, {"version": "1.0"}).status_code == 302

    token = csrf_of(first.get(f"/staff/questionnaires/{QID}"))
    again = first.post(f"/staff/builder/from/{QID}", data={"csrf_token": token})
    draft_id = int(again.headers["Location"].rsplit("/", 1)[1])
    base = f"/staff/builder/{draft_id}"
    publish = f"{base}/publish"
    post(second, f"{base}/approve", {}, page_url=publish)
    assert last_change(app, draft_id)[2] == "admin2@example.gov.uk"

    # The second admin moves an option up: the draft's last change is theirs, the approval withdrawn.
    post(second, f"{base}/questions/{VICTIM}/options", {"action": "up:1"})
    options = [o["code"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]]
    assert options == ["no", "yes", "prefer_not_to_say"]
    assert last_change(app, draft_id)[::2] == ("admin2@example.gov.uk", None)
    # The first admin drags a question (the move form the drop posts) and presses a question's Down button.
    moved = post(
        first,
        f"{base}/structure",
        {"action": "question-to:how_old_are_you", "section": "section_1", "position": "1"},
        page_url=base,
    )
    assert moved.status_code == 302
    post(first, f"{base}/structure", {"action": f"question-down:{VICTIM}"}, page_url=base)
    layout = [[q["id"] for q in s["questions"]] for s in draft_of(app, draft_id)["sections"]]
    assert layout == [["how_old_are_you"], [VICTIM, "what_happened"]]
    assert last_change(app, draft_id)[0] == "admin1@example.gov.uk"

    check = words(first.get(publish))
    assert "questions put in another order" in check and f"options of {VICTIM} put in another order" in check
    post(second, f"{base}/approve", {}, page_url=publish)
    assert post(first, publish, {"version": "1.1"}).status_code == 302
    first_version, second_version = publish_events(app)
    assert first_version["changes"] == []  # a new questionnaire: nothing to compare with
    assert "questions put in another order" in second_version["changes"]
    assert f"options of {VICTIM} put in another order" in second_version["changes"]
    assert f"{VICTIM} moved from section section_1 to about_the_crime" in second_version["changes"]
    assert second_version["version"] == {"old": "1.0", "new": "1.1"}
    audit_page = words(first.get("/staff/audit?action=questionnaire.publish"))
    assert f"options of {VICTIM} put in another order" in audit_page


def test_a_move_button_older_than_the_list_moves_nothing(
    staff_client: Callable[..., FlaskClient], app: Flask
) -> None:
    admin = staff_client("admin")
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/questions/{VICTIM}/options"
    before = last_change(app, draft_id)
    for action in ("down:3", "up:99999", "up:x", "sideways:1"):
        stale = post(admin, url, {"action": action})
        assert stale.status_code == 302 and stale.headers["Location"] == url, action
        assert "That entry is no longer in the list: nothing was changed" in words(admin.get(url))
    assert last_change(app, draft_id) == before
    options = [o["code"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]]
    assert options == ["yes", "no", "prefer_not_to_say"]
