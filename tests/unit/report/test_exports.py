"""Analyst exports: CSV (codes and labels) with a data dictionary, SPSS .sav with labels, formula safety."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.export import (
    dictionary_csv,
    dictionary_markdown,
    flatten,
    safe_cell,
    write_csv,
    write_sav,
)
from survey.engine import load_dict
from tests.unit.report.helpers import demo_rows, safermk


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1908", "'+44 1908"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("fine = ok", "fine = ok"),
        ("bell\x07 and \x1b[31mred\x00", "bell and [31mred"),
        ("\x1b=1+1", "'=1+1"),
        ("tab\tand\nnew line\r", "tab\tand\nnew line\r"),
        (-2, -2),
        (None, None),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def _frame(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_csv_one_row_per_response_one_column_per_option_and_item() -> None:
    rows = demo_rows(120, seed=2)
    table = flatten(rows, safermk(), {1: 1.5})
    frame = _frame(write_csv(table))
    complete = [r for r in rows if r["status"] == "complete"]
    assert len(frame) == len(complete) == 120
    assert {"response_id", "channel", "mode", "questionnaire_version", "weight"} <= set(frame.columns)
    assert {"substances_alcohol", "substances_none", "concern_burglary", "feel_safe_daytime"} <= set(
        frame.columns
    )
    first = complete[0]
    line = frame.iloc[0]
    assert line["response_id"] == str(first["id"])
    assert line["substances_alcohol"] == str(int("alcohol" in first["answers"]["substances"]))
    assert line["concern_burglary"] == first["answers"]["concern"]["burglary"]
    assert set(frame["substances_cannabis"]) <= {"0", "1"}
    # not asked: empty, not 0
    not_victims = frame[frame["victim_any"] != "yes"]
    assert set(not_victims["victim_types_burglary"]) == {""}


def test_labels_variant_and_leaving_out_free_text_and_sensitive() -> None:
    rows = demo_rows(60, seed=4)
    labelled = _frame(write_csv(flatten(rows, safermk()), labels=True))
    assert set(labelled["respondent_type"]) <= {
        "I live in Milton Keynes",
        "I work in Milton Keynes or run a business here",
        "I am visiting Milton Keynes",
    }
    assert set(labelled["substances_alcohol"]) <= {"Chosen", "Not chosen"}
    slim = flatten(rows, safermk(), free_text=False, sensitive=False)
    names = {c.name for c in slim.columns}
    assert "concerns_text" not in names and "closing_text" not in names
    assert not any(n.startswith("da_") for n in names)
    assert "substances_alcohol" in names


def test_incomplete_journeys_only_when_asked() -> None:
    rows = demo_rows(60, seed=4)
    assert len(flatten(rows, safermk()).rows) == 60
    everything = flatten(rows, safermk(), include_incomplete=True)
    assert len(everything.rows) == len(rows)


def test_csv_neutralises_formulas_in_free_text() -> None:
    rows = demo_rows(20, seed=6)
    rows[0]["answers"]["concerns_text"] = '=HYPERLINK("http://x","click")'
    rows[0]["status"] = "complete"
    data = write_csv(flatten(rows, safermk())).decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(data)) for cell in line]
    assert '\'=HYPERLINK("http://x","click")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_data_dictionary_describes_every_column() -> None:
    table = flatten(demo_rows(30, seed=8), safermk(), {})
    entries = list(csv.DictReader(io.StringIO(dictionary_csv(table).decode("utf-8-sig"))))
    assert [e["variable"] for e in entries] == [c.name for c in table.columns]
    by_name = {e["variable"]: e for e in entries}
    assert "1 = I live in Milton Keynes" in by_name["respondent_type"]["values (SPSS)"]
    assert "resident = I live in Milton Keynes" in by_name["respondent_type"]["values (CSV codes)"]
    assert by_name["substances_alcohol"]["type"] == "0/1"
    assert "some respondents" in by_name["ward"]["note"]
    markdown = dictionary_markdown(table).decode()
    # an audience line and a blank line, the header and its rule, then one line per column
    assert markdown.count("\n") == len(table.columns) + 4 and "| concern_burglary |" in markdown


def test_spss_file_opens_with_variable_and_value_labels(tmp_path: Path) -> None:
    import pyreadstat

    rows = demo_rows(80, seed=9)
    table = flatten(rows, safermk(), {r["id"]: 1.0 for r in rows})
    path = tmp_path / "safermk.sav"
    write_sav(table, path)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 80 and list(frame.columns) == [c.name for c in table.columns]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["respondent_type"] == "Which of these best describes you?"
    assert meta.variable_value_labels["respondent_type"][1.0] == "I live in Milton Keynes"
    assert meta.variable_value_labels["substances_alcohol"] == {
        0.0: "Not chosen",
        1.0: "Chosen",
        99.0: "Skipped (shown, not answered)",
        -1.0: "Not asked",
    }
    complete = [r for r in rows if r["status"] == "complete"]
    codes = list(safermk().sections[0].questions[0].codes)
    assert frame["respondent_type"].iloc[0] == codes.index(complete[0]["answers"]["respondent_type"]) + 1
    texts = [r["answers"].get("concerns_text", "") for r in complete]
    assert list(frame["concerns_text"]) == texts


CONTROL = "sheds broken into\x1b[2J twice\x07 this year\x00\x0b"


def _with_control_characters() -> list[dict[str, object]]:
    rows = demo_rows(40, seed=12)
    first = next(r for r in rows if r["status"] == "complete")
    first["answers"]["concerns_text"] = CONTROL
    return rows


def test_control_characters_are_removed_from_csv_and_dictionary() -> None:
    table = flatten(_with_control_characters(), safermk())
    data = write_csv(table).decode("utf-8-sig")
    assert "sheds broken into[2J twice this year" in data
    assert not any(ch in data for ch in "\x1b\x07\x00\x0b")
    assert "\x1b" not in dictionary_markdown(table).decode()


def test_control_characters_are_removed_from_spss(tmp_path: Path) -> None:
    import pyreadstat

    table = flatten(_with_control_characters(), safermk())
    path = tmp_path / "control.sav"
    write_sav(table, path)
    frame, _ = pyreadstat.read_sav(str(path))
    assert "sheds broken into[2J twice this year" in list(frame["concerns_text"])


def test_spss_declares_missing_values_measures_formats_and_dates(tmp_path: Path) -> None:
    """Read back with pyreadstat: user-missing ranges, not asked vs skipped, measures, formats, dates."""
    import pyreadstat

    rows = demo_rows(120, seed=4)
    complete = [r for r in rows if r["status"] == "complete"]
    first = complete[0]
    first["answers"].pop("sex", None)  # shown to everyone, left unanswered: skipped
    table = flatten(rows, safermk(), {r["id"]: 1.0 for r in rows})
    path = tmp_path / "missing.sav"
    write_sav(table, path)
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.missing_ranges["tenure"] == [{"lo": 97.0, "hi": 99.0}, {"lo": -1.0, "hi": -1.0}]
    labels = meta.variable_value_labels["tenure"]
    assert labels[97.0] == "I don't know" and labels[98.0] == "Prefer not to say"
    assert labels[99.0].startswith("Skipped") and labels[-1.0] == "Not asked"
    # businesses are not asked their tenure; the resident who skipped sex is "skipped"
    business = [i for i, r in enumerate(complete) if r["answers"]["respondent_type"] == "business"]
    assert business and all(frame["tenure"].iloc[i] == -1.0 for i in business)
    assert frame["sex"].iloc[0] == 99.0
    assert meta.variable_measure["concern_burglary"] == "ordinal"
    assert meta.variable_measure["respondent_type"] == "nominal"
    assert meta.variable_measure["age"] == "scale" and meta.variable_measure["weight"] == "scale"
    assert meta.original_variable_types["respondent_type"] == "F3.0"
    assert meta.original_variable_types["started_on"] == "DATE11"
    assert isinstance(frame["started_on"].iloc[0], date)
    # without user_missing, the declared missing values read as missing
    plain, _ = pyreadstat.read_sav(str(path))
    assert plain["tenure"].iloc[business[0]] != plain["tenure"].iloc[business[0]]  # NaN


def test_dictionary_gives_question_numbers_and_routing() -> None:
    table = flatten(demo_rows(30, seed=8), safermk(), {})
    text = dictionary_csv(table).decode("utf-8-sig")
    entries = {e["variable"]: e for e in csv.DictReader(io.StringIO(text))}
    assert entries["respondent_type"]["question number"] == "Q1"
    assert entries["respondent_type"]["asked when"] == "everyone"
    asked = entries["tenure"]["asked when"]
    assert "Q1" in asked and "I live in Milton Keynes" in asked
    assert entries["concern_burglary"]["SPSS measure"] == "ordinal"
    assert "97 = I don't know" in entries["tenure"]["values (SPSS)"]
    assert "-1 (not asked)" in entries["tenure"]["SPSS missing values"]


def test_generated_column_names_never_clash_and_the_spss_file_is_written(tmp_path: Path) -> None:
    """Question `q`'s option `yes` makes column `q_yes`; a question with the id `q_yes` beside it used to
    give two columns of one name, and the SPSS export failed."""
    import pyreadstat

    yes_no = [{"code": "yes", "label": {"en": "Yes"}}, {"code": "no", "label": {"en": "No"}}]
    questionnaire = {
        "id": "clash",
        "version": "1.0.0",
        "language": "en",
        "title": {"en": "Clash"},
        "sections": [
            {
                "id": "s",
                "title": {"en": "S"},
                "questions": [
                    {"id": "q", "type": "multiple", "text": {"en": "Which?"}, "options": yes_no},
                    {"id": "q_yes", "type": "single", "text": {"en": "Sure?"}, "options": yes_no},
                ],
            }
        ],
    }
    rows = [
        {"id": 1, "status": "complete", "answers": {"q": ["yes"], "q_yes": "no"}},
        {"id": 2, "status": "complete", "answers": {"q": ["no"], "q_yes": "yes"}},
    ]
    table = flatten(rows, load_dict(questionnaire))
    names = [c.name for c in table.columns]
    assert len(names) == len(set(names))
    assert "q_yes" in names and "q_yes_2" in names
    renamed = next(c for c in table.columns if c.name == "q_yes_2")
    assert "another column is q_yes" in renamed.note
    values = dict(zip(names, table.rows[0], strict=True))
    assert (values["q_yes"], values["q_yes_2"]) == (1, "no")  # the option's 1/0, then the question
    write_sav(table, tmp_path / "clash.sav")
    frame, _meta = pyreadstat.read_sav(str(tmp_path / "clash.sav"))
    assert {"q_yes", "q_yes_2"} <= set(frame.columns)


def test_the_control_characters_removed_are_openpyxls() -> None:
    """analysis.export.safe writes openpyxl's pattern out (importing it loads no openpyxl): the same set."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL

    from analysis.export.safe import ILLEGAL_CHARACTERS_RE

    every = "".join(chr(i) for i in range(0x3000))
    assert OPENPYXL.findall(every) == ILLEGAL_CHARACTERS_RE.findall(every)
    assert len(ILLEGAL_CHARACTERS_RE.findall(every)) == 29


def test_routing_is_worked_out_once_per_export_not_per_row_or_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """The questions' conditions and numbers are made once per flatten: rebuilding them for every response
    (and every column) cost a tenth of a 10,000-response export."""
    import analysis.export.routing as export_routing
    from analysis.disclosure.routing import show_conditions
    from analysis.report.appendix import numbering

    calls = {"conditions": 0, "numbering": 0}

    def counted_conditions(*args: Any) -> Any:
        calls["conditions"] += 1
        return show_conditions(*args)

    def counted_numbering(*args: Any) -> Any:
        calls["numbering"] += 1
        return numbering(*args)

    monkeypatch.setattr(export_routing, "show_conditions", counted_conditions)
    monkeypatch.setattr(export_routing, "numbering", counted_numbering)
    q = safermk()
    table = flatten(demo_rows(60, seed=3), q)
    assert len(table.rows) == 60
    assert calls == {"conditions": len(q.questions), "numbering": 1}
