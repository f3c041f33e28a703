"""Hand codes are the truth: staff codes count where they exist, the model's tags elsewhere, with sources."""

from __future__ import annotations

from typing import Any

from analysis.export.responses import Column, ExportTable
from analysis.export.themes import with_theme_columns
from analysis.text import Codebook, Tagger, Theme
from analysis.text.evaluation import ThemeScore
from analysis.text.handcodes import count_themes, resolve, with_staff_codes
from survey.engine import load_dict

QUESTIONNAIRE = load_dict(
    {
        "id": "x",
        "version": "1",
        "language": "en",
        "title": "X",
        "sections": [
            {"id": "s", "title": "S", "questions": [{"id": "q1", "type": "text", "text": "Issues?"}]}
        ],
    }
)
CODEBOOK = Codebook(
    "cb",
    "1.0.0",
    (Theme("bins", "Bins", keywords=("bins",)), Theme("buses", "Buses", keywords=("bus",))),
)


def test_a_staff_code_replaces_the_models_tags_even_when_it_is_no_theme() -> None:
    model = {1: ["bins"], 2: ["bins"], 3: ["buses"]}
    staff = {2: ["buses"], 3: []}
    resolved = resolve([1, 2, 3], model, staff)
    assert [(r.themes, r.source) for r in resolved] == [
        (("bins",), "model"),
        (("buses",), "staff"),
        ((), "staff"),
    ]


def test_counts_say_how_many_came_from_each_source() -> None:
    model = {1: ["bins"], 2: ["bins"], 3: ["buses"], 4: ["bins"]}
    staff = {2: ["buses"], 3: [], 99: ["bins"]}
    agreement = (ThemeScore("bins", 0.9, 0.8, 0.85, 12),)
    counts = count_themes([1, 2, 3, 4], model, staff, ["bins", "buses"], agreement)
    assert (counts.answers, counts.staff_answers, counts.model_answers) == (4, 2, 2)
    by_id = {c.theme_id: c for c in counts.themes}
    assert (by_id["bins"].respondents, by_id["bins"].staff, by_id["bins"].model) == (2, 0, 2)
    assert (by_id["buses"].respondents, by_id["buses"].staff, by_id["buses"].model) == (1, 1, 0)
    assert by_id["bins"].agreement is not None and by_id["bins"].agreement.f1 == 0.85
    assert by_id["buses"].agreement is None
    assert counts.unknown_codes == (
        99,
    )  # a code for an answer not in the set is reported, not dropped silently


def test_staff_codes_flow_into_the_tagged_answers_summaries_take() -> None:
    tagger = Tagger(CODEBOOK)
    tagged = [tagger.tag("the bins again", 1), tagger.tag("bins and a bus", 2)]
    merged = with_staff_codes(tagged, {2: ["buses"]})
    assert merged[0].theme_ids == ("bins",)
    assert merged[1].theme_ids == ("buses",) and merged[1].themes[0].terms == ("staff",)


def _responses(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "status": "complete",
            "answers": {"q1": "the bins are overflowing" if i < 15 else "bus late"},
        }
        for i in range(30)
    ][:n]


def test_the_report_theme_table_counts_staff_codes() -> None:
    from analysis.report.themes import theme_blocks

    plain, _ = theme_blocks(_responses(30), QUESTIONNAIRE, CODEBOOK, 5)
    rows = {t.id: t for t in plain[0].themes}
    assert rows["bins"].respondents == 15 and rows["bins"].staff is None and plain[0].hand_coded == 0
    # Staff say ten of the "bins" answers are really about buses.
    codes = {"q1": {i: ["buses"] for i in range(10)}}
    coded, _ = theme_blocks(_responses(30), QUESTIONNAIRE, CODEBOOK, 5, hand_codes=codes)
    rows = {t.id: t for t in coded[0].themes}
    assert rows["bins"].respondents == 5 and (rows["bins"].staff, rows["bins"].model) == (0, 5)
    assert rows["buses"].respondents == 25 and (rows["buses"].staff, rows["buses"].model) == (10, 15)
    assert coded[0].hand_coded == 10


def test_a_small_staff_or_model_part_is_not_shown() -> None:
    from analysis.report.themes import theme_blocks

    coded, _ = theme_blocks(_responses(30), QUESTIONNAIRE, CODEBOOK, 5, hand_codes={"q1": {0: ["buses"]}})
    rows = {t.id: t for t in coded[0].themes}
    assert rows["buses"].respondents == 16 and rows["buses"].staff is None  # 1 from staff: a small cell


def test_export_theme_columns_carry_their_source() -> None:
    table = ExportTable((Column("response_id", "Response", "meta"),), ((1,), (2,), (3,)))
    resolved = resolve([1, 2], {1: ["bins"], 2: ["bins"]}, {2: ["buses"]})
    out = with_theme_columns(table, "q1", resolved, CODEBOOK)
    assert [c.name for c in out.columns] == [
        "response_id",
        "q1_theme_bins",
        "q1_theme_buses",
        "q1_theme_source",
    ]
    assert out.rows == ((1, 1, 0, "model"), (2, 0, 1, "staff"), (3, None, None, None))


def test_export_theme_columns_are_asked_when_their_question_was() -> None:
    columns = (Column("response_id", "Response", "meta"), Column("q1", "Issues?", "text", question="q1"))
    table = ExportTable(columns, ((1, "bins"), (2, None)), ((True, True), (True, False)))
    resolved = resolve([1], {1: ["bins"]}, {})
    out = with_theme_columns(table, "q1", resolved, CODEBOOK)
    assert out.asked == ((True, True, True, True, True), (True, False, False, False, False))
    assert len(out.asked[0]) == len(out.columns)
