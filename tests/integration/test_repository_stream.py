"""Report rows read in chunks are the rows `responses_for_report` gives, on SQLite and Postgres."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository
from survey.store.db import get_engine
from survey.store.repository_stream import count_complete, count_responses, iter_responses_for_report

QID = "safermk-2016"


def test_chunks_hold_the_same_rows_in_the_same_order_as_the_whole_read(app: Flask) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        done, _ = store(
            session, QID, row.version, generate(load_dict(row.definition), 23, 5, date(2026, 4, 1), days=30)
        )
        for as_of in (None, date(2026, 4, 12)):
            whole = repository.responses_for_report(session=session, questionnaire_id=QID, as_of=as_of)
            chunks = list(
                iter_responses_for_report(session=session, questionnaire_id=QID, as_of=as_of, chunk=7)
            )
            assert [len(c) for c in chunks[:-1]] == [7] * (len(chunks) - 1) and 0 < len(chunks[-1]) <= 7
            assert [r for c in chunks for r in c] == whole
            complete = sum(r["status"] == "complete" for r in whole)
            assert count_complete(session=session, questionnaire_id=QID, as_of=as_of) == complete
        everyone = repository.responses_for_report(session=session, questionnaire_id=QID)
        assert count_responses(session=session, questionnaire_id=QID) == len(everyone) > done > 0
        assert list(iter_responses_for_report(session=session, questionnaire_id="nobody")) == []


def test_equal_question_ids_codes_and_dates_are_one_object_across_rows_and_long_text_is_kept(
    app: Flask,
) -> None:
    """A million decoded rows would otherwise hold a million copies of each question id and code (memory)."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(session, QID, row.version, generate(load_dict(row.definition), 40, 9, date(2026, 4, 1), days=3))
        rows = [
            r for c in iter_responses_for_report(session=session, questionnaire_id=QID, chunk=9) for r in c
        ]
        whole = repository.responses_for_report(session=session, questionnaire_id=QID)
        assert rows == whole  # equal values: sharing changes no answer
        first: dict[object, object] = {}
        for r in rows:
            for value in (r["started_on"], r["channel"], *r["answers"], *r["answers"].values()):
                if isinstance(value, (str, date)) and len(str(value)) <= 64:
                    seen = first.setdefault(value, value)
                    assert seen is value, f"{value!r} is a copy, not the one object already read"
        assert len(first) < sum(len(r["answers"]) for r in rows)  # many rows, far fewer distinct objects
        long_texts = [v for r in rows for v in r["answers"].values() if isinstance(v, str) and len(v) > 64]
        assert long_texts, "the demo answers include free text longer than the shared length"
