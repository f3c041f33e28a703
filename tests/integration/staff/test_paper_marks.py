"""Paper marks ("left blank", "more than one box ticked"): per rating row, and in exports and reports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyreadstat
import pytest
from flask import Flask

from survey.engine import form_data_for
from survey.journey import answering
from survey.store.models import Response
from survey.store.models_paper import PaperForm
from tests.helpers import soup, table_rows
from tests.integration.staff.paper_helpers import ANSWERS, QID, Keyer
from tests.integration.staff.test_paper_double_entry import RECEIVED
from tests.respondent import default_answer

KEYED_ROWS = {"cyber_crime": "not_very_concerned", "vehicle_crime": "fairly_concerned"}


def key_with_row_marks(keyer: Keyer, form_number: str = "1") -> None:
    """Key a form: sex with two boxes ticked, age left blank, and on the concern rating set two rows keyed,
    burglary with two boxes ticked and the other rows left blank."""
    started = keyer.start(mode="paper", batch="B1", form_number=form_number, entry="first", **RECEIVED)
    assert started.status_code == 200
    for _ in range(60):
        question = keyer.question
        if question is None:
            break
        keyer.seen.append(question.id)
        if question.id == "sex":
            keyer.post(keyer.path, {"mark": "multiple"})
        elif question.id == "age":
            keyer.post(keyer.path, {"mark": "blank"})
        elif question.id == "concern":
            marks = {
                f"item_mark-{item.id}": "multiple" if item.id == "burglary" else "blank"
                for item in question.items
                if item.id not in KEYED_ROWS
            }
            page = keyer.post(keyer.path, {**form_data_for(question, KEYED_ROWS), **marks})
            assert keyer.question is None or keyer.question.id != "concern", soup(page).get_text()[:600]
        else:
            keyer.answer(ANSWERS.get(question.id, default_answer(question)) if question.asks else None)
    assert keyer.path == f"/staff/paper/{QID}/check", keyer.path


def test_a_row_of_a_rating_set_is_marked_without_wiping_the_rows_keyed(app: Flask, keyer: Keyer) -> None:
    key_with_row_marks(keyer)
    check = soup(keyer.page).get_text(" ", strip=True)
    assert "Burglary: More than one box ticked" in check
    # Going back to the rating set: the rows keyed are still chosen, the marked rows still marked.
    back = soup(keyer.get(f"/staff/paper/{QID}/p/8"))
    chosen = {i["name"]: i["value"] for i in back.select("input[type=radio][checked]")}
    assert chosen == {"item-cyber_crime": "not_very_concerned", "item-vehicle_crime": "fairly_concerned"}
    selected = back.select_one("#item_mark-burglary option[selected]")
    assert selected is not None and selected["value"] == "multiple"
    # A row both chosen and marked is refused with a clear message.
    both = keyer.post(
        f"/staff/paper/{QID}/p/8",
        {
            "item-burglary": "very_concerned",
            "item_mark-burglary": "multiple",
            "item-cyber_crime": "dont_know",
        },
    )
    assert both.status_code == 400 and "Choose a box or a mark for" in both.get_data(as_text=True)
    keyer.get(f"/staff/paper/{QID}/check")
    keyer.post(f"/staff/paper/{QID}/check", {})
    [stored] = table_rows(app, Response)
    assert stored.answers["concern"] == KEYED_ROWS
    assert "sex" not in stored.answers and "age" not in stored.answers
    [form] = table_rows(app, PaperForm)
    assert form.marks["sex"] == "multiple" and form.marks["age"] == "blank"
    concern = form.marks["concern"]
    assert concern["burglary"] == "multiple" and concern["violent_crime"] == "blank"
    assert "cyber_crime" not in concern


def _download(keyer: Keyer, **data: str) -> bytes:
    keyer.get(f"/staff/reports/{QID}")
    assert keyer.page is not None
    page = keyer.post(f"/staff/reports/{QID}/{'export' if 'export_format' in data else 'generate'}", data)
    assert page.status_code == 200 and 'data-status="done"' in page.get_data(as_text=True)
    return keyer.client.get(page.request.path + "/download").data


def test_marks_reach_the_exports_the_dictionary_and_the_report(
    app: Flask, keyer: Keyer, tmp_path: Path
) -> None:
    key_with_row_marks(keyer)
    keyer.post(f"/staff/paper/{QID}/check", {})
    [stored] = table_rows(app, Response)
    table = list(csv.DictReader(io.StringIO(_download(keyer, export_format="csv").decode("utf-8-sig"))))
    [row] = [r for r in table if r["response_id"] == str(stored.id)]
    assert row["sex"] == "" and row["sex_paper_mark"] == "multiple"  # not the same as "not asked"
    assert row["age"] == "" and row["age_paper_mark"] == "blank"
    assert row["concern_burglary_paper_mark"] == "multiple"
    assert row["concern_violent_crime_paper_mark"] == "blank"
    assert "concern_cyber_crime_paper_mark" not in row  # no form marked that row
    assert row["concern_cyber_crime"] == "not_very_concerned"
    header = list(table[0])
    assert header.index("sex_paper_mark") == header.index("sex") + 1  # right after its question

    dictionary = list(
        csv.DictReader(io.StringIO(_download(keyer, export_format="dictionary").decode("utf-8-sig")))
    )
    [entry] = [d for d in dictionary if d["variable"] == "sex_paper_mark"]
    assert "blank = Left blank on the paper form" in entry["values (CSV codes)"]
    assert "2 = More than one box ticked" in entry["values (SPSS)"]

    sav = tmp_path / "export.sav"
    sav.write_bytes(_download(keyer, export_format="sav"))
    frame, meta = pyreadstat.read_sav(str(sav), user_missing=True)
    [spss] = frame[frame["response_id"] == stored.id].to_dict("records")
    assert spss["sex_paper_mark"] == 2 and spss["age_paper_mark"] == 1
    assert meta.variable_value_labels["sex_paper_mark"][2.0] == "More than one box ticked"

    report = _download(keyer, kind="interim", format="html", keep="no").decode()
    assert "Paper forms: 1 paper form had more than one box ticked (not in the base)" in report
    assert "Paper forms: 1 paper form left it blank (not in the base)" in report


def test_a_mark_lost_to_another_tab_says_it_was_not_saved(
    app: Flask, keyer: Keyer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another tab stores or discards the keyed form between this page's loading and its saving (the
    guarded UPDATE finds no response in progress): a whole-question mark is not kept, and the keyer is told,
    as for an answer."""
    keyer.start(mode="paper", batch="B1", form_number="1", entry="first", **RECEIVED)
    keyer.answer("resident")
    while keyer.question is not None and keyer.question.id != "sex":
        question = keyer.question
        keyer.answer(ANSWERS.get(question.id, default_answer(question)) if question.asks else None)
    monkeypatch.setattr(answering, "store_answer", lambda *args, **kwargs: False)  # the other tab won
    page = keyer.post(keyer.path, {"mark": "multiple"})
    assert page.request.path == f"/staff/paper/{QID}"
    assert "That answer was not saved" in soup(page).get_text(" ", strip=True)
