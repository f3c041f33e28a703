"""The shipped Census 2021 reference and the validator for imported reference files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.reference import (
    DEFAULT_REFERENCE,
    ReferenceDataError,
    available_references,
    load_reference,
    parse_reference,
    reference_name_for,
    resolve_reference,
)
from survey.engine import load_dict
from tests.unit.analysis.synthetic import questionnaire

HEADER = "dimension,category,count,share,source\n"
SEX = "sex_age16to74,Female,500,0.5,test\nsex_age16to74,Male,500,0.5,test\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        parse_reference(text, "t", "t.csv")
    return [str(p) for p in caught.value.problems]


def test_shipped_milton_keynes_reference_has_the_documented_margins() -> None:
    ref = resolve_reference()
    assert ref.name == DEFAULT_REFERENCE
    for name in (
        "sex_age16to74",
        "age_adult16plus",
        "tenure_households_grouped",
        "tenure_households",
        "ethnic_group_5",
        "disability_all_ages",
        "ward",
    ):
        assert name in ref.margins
        assert sum(ref.dimension(name).shares.values()) == pytest.approx(1, abs=1e-12)
    age = ref.dimension("age_adult16plus").shares
    assert list(age) == ["16-24", "25-34", "35-49", "50-64", "65+"]
    assert age["16-24"] == pytest.approx(0.1233, abs=2e-4)
    assert ref.dimension("tenure_households_grouped").info.unit == "households"
    assert "ENGLAND_tenure_households_grouped" not in ref.margins
    assert ref.dimension("ENGLAND_tenure_households_grouped").comparator_for == "tenure_households_grouped"
    assert all(c.source for d in ref.dimensions for c in d.categories)


def test_wards_are_shares_of_residents_aged_16_and_over() -> None:
    ward = resolve_reference().dimension("ward")
    assert len(ward.categories) == 19
    total = sum(c.count or 0 for c in ward.categories)
    assert total == 224841  # the same total as age_adult16plus
    olney = next(c for c in ward.categories if c.name == "Olney")
    assert ward.shares["Olney"] == pytest.approx(10905 / total, abs=1e-4)
    assert olney.count == 10905


def test_valid_file_with_shares_computed_from_counts() -> None:
    ref = parse_reference(HEADER + "sex_age16to74,Female,300,,a\nsex_age16to74,Male,100,,a\n", "x")
    assert ref.dimension("sex_age16to74").shares == {"Female": 0.75, "Male": 0.25}


def test_missing_columns_named() -> None:
    assert problems_of("dimension,category,count,source\n" + "x,y,1,z\n") == [
        "line 1: missing column(s): share (the header must name dimension, category, count, share, source)"
    ]


def test_unknown_dimension_with_line_number() -> None:
    found = problems_of(HEADER + SEX + "age_adults,16-24,5,0.5,test\n")
    assert len(found) == 1 and found[0].startswith("line 4: unknown dimension 'age_adults'")


def test_shares_not_summing_to_one() -> None:
    text = HEADER + "sex_age16to74,Female,500,0.5,test\nsex_age16to74,Male,400,0.4,test\n"
    found = problems_of(text)
    assert any(
        p.startswith("line 2: dimension 'sex_age16to74' (lines 2-3): shares add up to 0.9000, not 1")
        for p in found
    )


def test_negative_count() -> None:
    found = problems_of(HEADER + "sex_age16to74,Female,-5,0.5,test\nsex_age16to74,Male,500,0.5,test\n")
    assert "line 2: count -5 is negative" in found


def test_duplicate_category_names_both_lines() -> None:
    found = problems_of(HEADER + SEX + "sex_age16to74,Male,500,0.5,test\n")
    assert "line 4: duplicate category 'Male' in dimension 'sex_age16to74' (first on line 3)" in found


def test_unknown_and_absent_categories() -> None:
    found = problems_of(HEADER + "sex_age16to74,Females,500,0.5,t\nsex_age16to74,Male,500,0.5,t\n")
    assert any(p.startswith("line 2: unknown category 'Females'") for p in found)
    assert "line 2: dimension 'sex_age16to74' lacks categories: Female" in found


def test_share_disagreeing_with_count() -> None:
    found = problems_of(HEADER + "sex_age16to74,Female,900,0.5,t\nsex_age16to74,Male,100,0.5,t\n")
    assert any(p.startswith("line 2: share 0.5 disagrees with count 900") for p in found)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("sex_age16to74,Female,many,0.5,t", "line 2: count 'many' is not a whole number"),
        ("sex_age16to74,Female,500,50,t", "line 2: share 50 is outside 0 to 1"),
        ("sex_age16to74,Female,500,0.5", "line 2: expected 5 fields, found 4"),
        ("sex_age16to74,Female,500,0.5,", "line 2: source is empty; say where the figure comes from"),
        ("sex_age16to74,Female,,,t", "line 2: count and share are both empty; give at least one"),
    ],
)
def test_bad_cells(row: str, expected: str) -> None:
    found = problems_of(HEADER + row + "\nsex_age16to74,Male,500,0.5,t\n")
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_reported_at_once_and_in_line_order() -> None:
    found = problems_of(HEADER + "nope,a,1,1,t\nsex_age16to74,Female,-1,0.5,t\nsex_age16to74,Male,1,0.5,t\n")
    assert [p.split(":")[0] for p in found] == ["line 2", "line 3"]


def test_empty_and_header_only_files() -> None:
    assert problems_of("")[0].startswith("line 1: the file is empty")
    assert problems_of(HEADER) == ["line 2: the file has a header but no rows"]


def test_comparator_rows_are_checked_like_their_dimension() -> None:
    ok = parse_reference(
        HEADER + SEX + "WALES_sex_age16to74,Female,5,0.5,t\nWALES_sex_age16to74,Male,5,0.5,t\n", "x"
    )
    assert ok.margins == ("sex_age16to74",)
    assert any("unknown category 'F'" in p for p in problems_of(HEADER + "WALES_sex_age16to74,F,5,1,t\n"))


def test_imported_files_are_found_but_cannot_shadow_shipped(tmp_path: Path) -> None:
    (tmp_path / "bedford.csv").write_text(HEADER + SEX, encoding="utf-8")
    (tmp_path / f"{DEFAULT_REFERENCE}.csv").write_text(HEADER + SEX, encoding="utf-8")
    found = available_references(tmp_path)
    assert found["bedford"] == tmp_path / "bedford.csv"
    assert found[DEFAULT_REFERENCE].parent != tmp_path
    assert resolve_reference("bedford", tmp_path).names == ("sex_age16to74",)
    with pytest.raises(KeyError, match="no reference population called 'luton'"):
        resolve_reference("luton", tmp_path)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "ward,Caf\xe9,1,1,t\n".encode("latin-1"))
    with pytest.raises(ReferenceDataError, match="not UTF-8"):
        load_reference(path)


def test_questionnaire_picks_its_reference() -> None:
    assert reference_name_for(load_dict(questionnaire())) == DEFAULT_REFERENCE
    assert reference_name_for(load_dict({**questionnaire(), "reference": "bedford"})) == "bedford"
    assert reference_name_for(load_dict({**questionnaire(), "x-reference": "luton"})) == "luton"
    both = {**questionnaire(), "reference": "bedford", "x-reference": "luton"}
    assert reference_name_for(load_dict(both)) == "bedford"
