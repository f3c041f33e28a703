"""The bundled questionnaires: valid, within budget, and able to answer what they exist to answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from analysis.mapping import map_dimension, population_mask
from analysis.reference import resolve_reference
from survey.engine import (
    DemographicMapping,
    Question,
    Questionnaire,
    analyse_paths,
    load_file,
    validate_file,
    visible_questions,
)

FOLDER = Path(__file__).resolve().parents[3] / "questionnaires"
BUNDLED = sorted(p for p in FOLDER.glob("*.json") if not p.name.endswith(".schema.json"))


def _load(name: str) -> Questionnaire:
    return load_file(FOLDER / name)


@pytest.fixture(scope="module")
def safermk() -> Questionnaire:
    return _load("safermk-2016.json")


@pytest.fixture(scope="module")
def tenant() -> Questionnaire:
    return _load("tenant-satisfaction.json")


def _codes(question: Question) -> set[str]:
    return {o.code for o in question.options}


def _kinds(question: Question) -> dict[str, str]:
    return {o.code: o.kind for o in question.options}


def _shown(q: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    return [x.id for x in visible_questions(q, answers)]


# Deliberate: the tenant survey's Urdu covers the start page and first section only (the right-to-left
# example, docs/translating.md); the rest falls back to English, marked lang="en". Nothing else may warn.
EXPECTED_WARNINGS = {"tenant-satisfaction.json": [("MISSING_TRANSLATION", "no 'ur' text")]}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_questionnaire_is_valid_without_warnings(path: Path) -> None:
    result = validate_file(path)
    assert [str(p) for p in result.errors] == []
    expected = EXPECTED_WARNINGS.get(path.name, [])
    unexpected = [
        str(p)
        for p in result.warnings
        if not any(p.code == code and words in p.message for code, words in expected)
    ]
    assert unexpected == []
    assert len(result.warnings) == len(expected)  # each expected warning is still there, once


def test_both_questionnaires_are_bundled() -> None:
    assert {p.name for p in BUNDLED} >= {"safermk-2016.json", "tenant-satisfaction.json"}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_every_mapped_category_exists_in_the_shipped_reference(path: Path) -> None:
    reference = resolve_reference()
    raw = json.loads(path.read_text(encoding="utf-8"))
    for mapping in raw.get("demographics", []):
        known = {c.name for c in reference.dimension(mapping["dimension"]).categories}
        used = {v for v in mapping.get("map", {}).values() if v is not None}
        used |= {r["category"] for r in mapping.get("ranges", []) if r["category"] is not None}
        assert used <= known, (mapping["dimension"], used - known)
        assert used == known, f"{mapping['dimension']}: no answer maps to {known - used}"


def test_safermk_has_the_six_2016_themes_in_order(safermk: Questionnaire) -> None:
    assert [s.id for s in safermk.sections] == [
        "about_you",
        "perceptions",
        "experience",
        "domestic_abuse",
        "substance_misuse",
        "fire_safety",
    ]
    assert all(s.intro for s in safermk.sections)


def test_safermk_paths_stay_within_30_questions_and_10_minutes(safermk: Questionnaire) -> None:
    report = analyse_paths(safermk)
    assert report.exhaustive and not report.unreachable
    assert report.max_questions <= 30 and report.max_minutes <= 10
    assert report.min_questions < report.max_questions  # the survey really branches


def test_safermk_has_the_two_optional_free_text_questions(safermk: Questionnaire) -> None:
    free_text = [x for x in safermk.questions if x.type == "text"]
    assert [x.id for x in free_text] == ["concerns_text", "closing_text"]
    assert not any(x.required for x in free_text)
    assert "where you work" in str(free_text[0].text)
    assert "crime and community safety" in str(free_text[1].text)
    assert safermk.questions[-1].id == "closing_text"


def test_safermk_answers_the_interim_report_figures(safermk: Questionnaire) -> None:
    q = safermk.question
    assert _codes(q("respondent_type")) == {"resident", "business", "visitor"}
    assert {"female", "male"} <= _codes(q("sex"))
    assert (q("age").type, q("age").min, q("age").max, q("age").required) == ("number", 16, 120, False)
    assert {"owned_outright", "owned_mortgage", "shared_ownership"} <= _codes(q("tenure"))
    concern = q("concern")
    assert {"burglary", "cyber_crime"} <= {i.id for i in concern.items}
    assert [o.code for o in concern.options] == [
        "very_concerned",
        "fairly_concerned",
        "not_very_concerned",
        "not_at_all_concerned",
        "dont_know",
    ]
    safe = q("feel_safe")
    assert [i.id for i in safe.items] == ["daytime", "after_dark"]
    assert [o.code for o in safe.options] == [
        "very_safe",
        "fairly_safe",
        "neither",
        "fairly_unsafe",
        "very_unsafe",
        "dont_know",
    ]
    assert {"yes", "no"} <= _codes(q("victim_any"))
    assert q("victim_types").type == "multiple" and q("reported").type == "single"
    assert _kinds(q("da_ever"))["prefer_not_to_say"] == "prefer_not_to_say"
    substances = q("substances")
    assert {"alcohol", "cannabis", "other_drugs"} <= _codes(substances)
    assert {o.code for o in substances.exclusive_options} == {"none", "dont_know"}
    assert {"yes", "no"} <= _codes(q("fire_plan_home"))
    assert {"every_level", "some_levels", "none"} <= _codes(q("smoke_alarms"))


def test_victims_are_asked_what_and_whether_reported(safermk: Questionnaire) -> None:
    victim = _shown(safermk, {"respondent_type": "resident", "victim_any": "yes"})
    not_victim = _shown(safermk, {"respondent_type": "resident", "victim_any": "no"})
    assert {"victim_types", "reported"} <= set(victim)
    assert not {"victim_types", "reported"} & set(not_victim)


@pytest.mark.parametrize("respondent_type", ["business", "visitor"])
def test_only_residents_get_household_questions(safermk: Questionnaire, respondent_type: str) -> None:
    household = {"ward", "tenure", "fire_plan_home", "smoke_alarms"}
    assert household <= set(_shown(safermk, {"respondent_type": "resident"}))
    assert not household & set(_shown(safermk, {"respondent_type": respondent_type}))


def test_business_respondents_get_business_questions(safermk: Questionnaire) -> None:
    business = _shown(safermk, {"respondent_type": "business", "business_crime": "yes"})
    assert {"business_crime", "business_crime_types", "fire_plan_business"} <= set(business)
    resident = _shown(safermk, {"respondent_type": "resident", "business_crime": "yes"})
    assert not {"business_crime", "business_crime_types", "fire_plan_business"} & set(resident)


def test_domestic_abuse_section_is_sensitive_and_opens_with_support(safermk: Questionnaire) -> None:
    section = safermk.section_of("da_ever")
    assert section.id == "domestic_abuse" and section.sensitive
    first = section.questions[0]
    assert (first.type, first.style, first.show_support_contacts) == ("info", "interruption", True)
    raw = safermk.raw
    phones = {c["phone"] for c in raw["support_contacts"]}
    assert {"0808 2000 247", "0808 801 0327", "999"} <= phones
    assert raw["exit_url"].startswith("https://")
    follow_up = _shown(safermk, {"respondent_type": "visitor", "da_ever": "yes"})
    assert {"da_recent", "da_support"} <= set(follow_up)
    no_abuse = _shown(safermk, {"respondent_type": "visitor", "da_ever": "no"})
    assert not {"da_recent", "da_support"} & set(no_abuse)
    assert not safermk.question("da_support").required


def test_safermk_offers_polish_and_leaves_dates_to_the_service(safermk: Questionnaire) -> None:
    assert list(safermk.languages) == ["en", "pl"]
    assert safermk.opens is None and safermk.closes is None
    polish = safermk.text(safermk.question("da_ever").text, "pl")
    assert polish == "Czy kiedykolwiek spotkała Cię przemoc domowa?"


def test_population_filter_keeps_residents_of_milton_keynes_only(safermk: Questionnaire) -> None:
    rows = [
        {"answers": {"respondent_type": "resident", "ward": "olney"}},
        {"answers": {"respondent_type": "resident", "ward": "not_in_mk"}},
        {"answers": {"respondent_type": "business"}},
        {"answers": {"respondent_type": "visitor"}},
    ]
    assert population_mask(rows, safermk.population_filter) == (True, False, False, False)


def _mapping(q: Questionnaire, dimension: str) -> DemographicMapping:
    return next(m for m in q.demographics if m.dimension == dimension)


def test_age_in_years_gives_census_bands_and_the_2016_span(safermk: Questionnaire) -> None:
    ages = [16, 24, 25, 41, 49, 50, 64, 65, 80, 120, None]
    rows = [{"answers": {"age": a} if a is not None else {}} for a in ages]
    mapped = map_dimension(rows, _mapping(safermk, "age_adult16plus"))
    assert mapped.categories == (
        "16-24",
        "16-24",
        "25-34",
        "35-49",
        "35-49",
        "50-64",
        "50-64",
        "65+",
        "65+",
        "65+",
        None,
    )
    assert sum(1 for a in ages if a is not None and 41 <= a <= 80) == 6  # the 2016 "aged 41-80" is computable


def test_tenure_and_disability_map_to_census_groups(safermk: Questionnaire) -> None:
    rows = [
        {"answers": {"tenure": c, "disability": d}}
        for c, d in [
            ("shared_ownership", "limited_a_little"),
            ("rent_housing_association", "not_limited"),
            ("rent_free", "prefer_not_to_say"),
        ]
    ]
    tenure = map_dimension(rows, _mapping(safermk, "tenure_households_grouped"))
    assert tenure.categories == (
        "Owner-occupied incl. shared ownership",
        "Social rented",
        "Private rented incl. rent free",
    )
    disability = map_dimension(rows, _mapping(safermk, "disability_all_ages"))
    assert disability.categories == (
        "Disabled under the Equality Act",
        "Not disabled under the Equality Act",
        None,
    )


def test_ward_options_are_the_19_wards_plus_outside_and_unknown(safermk: Questionnaire) -> None:
    ward = safermk.question("ward")
    assert len(ward.options) == 21
    mapping = dict(_mapping(safermk, "ward").map)
    assert mapping["not_in_mk"] is None and mapping["dont_know"] is None
    assert sum(1 for v in mapping.values() if v is not None) == 19


def test_tenant_survey_covers_the_tenant_satisfaction_measures(tenant: Questionnaire) -> None:
    ids = {x.id for x in tenant.questions}
    items = {i.id for x in tenant.questions for i in x.items}
    assert {"overall", "fair_respect", "complaint_handling", "communal_clean"} <= ids  # TP01, TP08-TP10
    assert {
        "repairs_service",
        "repair_time",
        "well_maintained",
        "safe",
        "listens_acts",
        "keeps_informed",
        "positive_contribution",
        "asb_handling",
    } <= items  # TP02-TP07, TP11, TP12
    report = analyse_paths(tenant)
    assert 10 <= report.max_questions <= 15 and report.branch_points
    types = {x.type for x in tenant.questions}
    assert {"single", "rating", "text", "number"} <= types
    assert any(not x.required for x in tenant.questions)
    assert tenant.raw["demographics"]


def test_tenant_gates_hide_follow_ups(tenant: Questionnaire) -> None:
    none = _shown(tenant, {"repair_had": "no", "complaint_made": "no", "communal_areas": "no"})
    every = _shown(tenant, {"repair_had": "yes", "complaint_made": "yes", "communal_areas": "yes"})
    assert set(every) - set(none) == {"repairs", "complaint_handling", "communal_clean"}
