"""The three reads of report rows agree, on SQLite and Postgres: `repository.responses_for_report` (one
read), `repository_stream.iter_responses_for_report` (in chunks, the report jobs') and
`repository_dashboard.responses_for_dashboard` (without `as_of` and `missing_reasons`), and all three give
the rows the "as of" rule says (started by then; complete only if completed by then, else in progress;
staff's exclusions left out; paper forms' missing reasons attached). The count of complete responses and a
partner release's ids agree with them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlmodel import Session, col, select

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository, repository_moderation
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_paper import PaperForm
from survey.store.repository_dashboard import released_response_ids, responses_for_dashboard
from survey.store.repository_stream import count_complete, iter_responses_for_report

QID = "safermk-2016"
AS_OF = date(2026, 4, 6)


def _expected(
    responses: list[Response], excluded: set[int], marks: dict[int, Any], as_of: date | None
) -> Any:
    """The rule, spelt out on the stored rows (as `responses_for_report` read ORM objects before)."""
    out = []
    for r in sorted(responses, key=lambda r: r.id or 0):
        if r.id in excluded or (as_of is not None and r.started_on > as_of):
            continue
        complete = r.status == "complete" and (
            as_of is None or (r.completed_on is not None and r.completed_on <= as_of)
        )
        row = {
            "id": r.id,
            "questionnaire_version": r.questionnaire_version,
            "channel": r.channel,
            "mode": r.mode,
            "status": "complete" if complete else "in_progress",
            "started_on": r.started_on,
            "completed_on": r.completed_on if complete else None,
            "duration_seconds": r.duration_seconds if complete else None,
            "last_question": r.last_question,
            "answers": dict(r.answers),
        }
        if r.id in marks:
            row["missing_reasons"] = marks[r.id]
        out.append(list(row.items()))
    return out


def test_the_report_reads_and_the_dashboard_give_the_rows_of_the_as_of_rule(app: Flask) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(
            session, QID, row.version, generate(load_dict(row.definition), 24, 7, date(2026, 4, 1), days=12)
        )
        responses = list(session.exec(select(Response).where(col(Response.questionnaire_id) == QID)))
        complete = [r for r in responses if r.status == "complete" and r.started_on <= AS_OF]
        later = complete[:3]  # completed after AS_OF: complete now, in progress as of AS_OF
        for r in later:
            r.completed_on = AS_OF + timedelta(days=2)
            session.add(r)
        now = datetime(2026, 4, 20, tzinfo=UTC)
        marks = {
            complete[3].id: {"sex": "blank"},
            complete[4].id: {"ward": "multiple"},
            later[1].id: {"age": "blank"},
        }
        for n, rid in enumerate([*marks, complete[5].id]):  # the last form has no marks
            assert rid is not None
            session.add(
                PaperForm(
                    response_id=rid,
                    questionnaire_id=QID,
                    batch="B1",
                    form_number=str(n),
                    received_on=AS_OF,
                    marks=marks.get(rid, {}),
                    keyed_by="clerk@example.org",
                    keyed_at=now,
                )
            )
        session.commit()
        in_progress = [r for r in responses if r.status == "in_progress"]
        excluded = {complete[4].id, complete[6].id, later[2].id, in_progress[0].id}
        for rid in excluded:
            assert rid is not None
            stamp = repository_moderation.stamp(
                response_id=rid, questionnaire_id=QID, reason="test", note="", by="staff@example.org", now=now
            )
            assert repository_moderation.exclude(session=session, row=stamp)
        assert any(r.started_on > AS_OF for r in responses)  # the date leaves some out
        shown_marks = {rid: m for rid, m in marks.items() if rid not in excluded}
        assert len(shown_marks) == 2

        for as_of in (None, AS_OF):
            expected = _expected(responses, excluded, marks, as_of)
            whole = repository.responses_for_report(session=session, questionnaire_id=QID, as_of=as_of)
            chunked = [
                r
                for c in iter_responses_for_report(
                    session=session, questionnaire_id=QID, as_of=as_of, chunk=4
                )
                for r in c
            ]
            assert [list(r.items()) for r in whole] == expected  # same keys in the same order, same values
            assert [list(r.items()) for r in chunked] == expected
            with_reasons = {r["id"] for r in whole if "missing_reasons" in r}
            assert with_reasons == set(shown_marks)
            cut = {
                r["id"] for r in whole if r["status"] == "in_progress" and r["id"] in {x.id for x in later}
            }
            assert cut == ({later[0].id, later[1].id} if as_of else set())
            complete_ids = [r["id"] for r in whole if r["status"] == "complete"]
            assert count_complete(session=session, questionnaire_id=QID, as_of=as_of) == len(complete_ids)
            if as_of is not None:  # a partner release as of the date: the same complete responses
                assert (
                    released_response_ids(session=session, questionnaire_id=QID, through=as_of)
                    == complete_ids
                )
        dashboard = responses_for_dashboard(session=session, questionnaire_id=QID)
        everyone = _expected(responses, excluded, {}, None)
        assert [list(r.items()) for r in dashboard] == everyone
