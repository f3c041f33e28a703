"""Groups named in natural English in comparisons ("among women", "among people aged 16 to 24"), from the
reference's categories, its optional phrase column, built-in wording and rules, with a fallback."""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import date
from typing import Any

import pytest

from analysis.reference import ReferenceDataError, parse_reference, reference_name_for, resolve_reference
from analysis.reference.catalogue import DIMENSIONS
from analysis.reference.phrases import among, channel_people, fallback, people
from analysis.report import build_report, render_html, render_xlsx, report_to_dict
from analysis.report.findings import figures, group_tests
from analysis.report.keyfindings import key_findings, natural_frequency
from analysis.text import default_codebook
from survey.engine import load_dict
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: the module's demo
# rows are made once per process.
pytestmark = pytest.mark.xdist_group("group-wording-rows")

HEADER = "dimension,category,count,share,source"


@pytest.mark.parametrize(
    ("dimension", "category", "expected"),
    [
        ("sex_age16to74", "Female", "among women"),
        ("sex_all_ages", "Male", "among men"),
        ("age_adult16plus", "16-24", "among people aged 16 to 24"),
        ("age_adult16plus", "65+", "among people aged 65 or over"),
        ("age_5yr_all_ages", "80-84", "among people aged 80 to 84"),
        ("tenure_households_grouped", "Owner-occupied incl. shared ownership", "among owner-occupiers"),
        ("tenure_households_grouped", "Social rented", "among social renters"),
        (
            "tenure_households_grouped",
            "Private rented incl. rent free",
            "among private renters and people living rent free",
        ),
        ("tenure_households", "Social rented: council/LA", "among council tenants"),
        ("ethnic_group_5", "White", "among White people"),
        ("ethnic_group_5", "Mixed or Multiple", "among people of mixed or multiple ethnic groups"),
        ("disability_all_ages", "Disabled under the Equality Act", "among disabled people"),
        ("disability_all_ages", "Not disabled under the Equality Act", "among people who are not disabled"),
        ("ward", "Bletchley East", "among people in Bletchley East ward"),
        ("ward", "Olney Ward", "among people in Olney Ward"),  # no "ward ward"
        ("ethnic_white_british", "White: English/Welsh/Scottish/NI/British", "among White British people"),
    ],
)
def test_each_dimension_has_natural_wording(dimension: str, category: str, expected: str) -> None:
    assert among(dimension, category) == expected


def test_every_fixed_census_category_has_wording_of_its_own() -> None:
    """No category the catalogue fixes falls back to "respondents in the group '...'"."""
    for name, info in DIMENSIONS.items():
        if not info.margin or info.categories is None:
            continue
        for category in info.categories:
            assert people(name, category) != fallback(category), (name, category)
            assert category not in people(name, category) or name.startswith(("ethnic", "age")), category


def test_categories_without_wording_fall_back_to_the_group_name() -> None:
    assert among("sex_age16to74", "Intersex") == "among respondents in the group 'Intersex'"
    assert among("ethnic_white_british", "Gypsy or Irish Traveller") == (
        "among respondents in the group 'Gypsy or Irish Traveller'"
    )
    assert among("age_adult16plus", "Working age") == "among respondents in the group 'Working age'"
    assert among("sex_age16to74", "16-24") == "among respondents in the group '16-24'"  # age rule: ages only


def test_a_phrase_given_in_the_reference_wins() -> None:
    assert among("sex_age16to74", "Female", "female residents") == "among female residents"
    assert among("ward", "Olney", "among people in Olney") == "among people in Olney"  # "among" not doubled
    assert among("ward", "Olney", "  ") == "among people in Olney ward"  # blank: the rule


def test_channels_are_named_by_their_label_without_their_code() -> None:
    assert channel_people("Housing trust A – Posters (housing-trust-a)", "housing-trust-a") == (
        "respondents who came through Housing trust A – Posters"
    )
    assert channel_people("Council – Newsletter (print)", "council-news") == (
        "respondents who came through Council – Newsletter (print)"  # a bracket that is not the code stays
    )
    assert channel_people("Direct link or no channel") == (
        "respondents who came by the direct link (no partner channel)"
    )


def _reference_csv(phrases: dict[tuple[str, str], str]) -> str:
    """The shipped reference with a phrase column (empty except for `phrases`)."""
    from analysis.reference import shipped_references

    lines = shipped_references()["milton-keynes-census-2021"].read_text(encoding="utf-8").splitlines()
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, row in enumerate(csv.reader(lines)):
        writer.writerow([*row, "phrase" if i == 0 else phrases.get((row[0], row[1]), "")])
    return out.getvalue()


def test_reference_files_may_carry_a_phrase_per_category() -> None:
    ref = parse_reference(_reference_csv({("sex_age16to74", "Female"): "  female   residents "}), "x")
    sex = ref.dimension("sex_age16to74")
    assert sex.phrases == {"Female": "female residents"}
    assert next(c for c in sex.categories if c.name == "Male").phrase == ""
    plain = parse_reference(f"{HEADER}\nsex_age16to74,Female,5,,s\nsex_age16to74,Male,5,,s\n", "y")
    assert plain.dimension("sex_age16to74").phrases == {}


def test_a_phrase_too_long_is_refused_with_its_line() -> None:
    text = f"{HEADER},phrase\nsex_age16to74,Female,5,,s,{'w' * 101}\nsex_age16to74,Male,5,,s,men\n"
    with pytest.raises(ReferenceDataError) as caught:
        parse_reference(text, "t", "t.csv")
    assert [str(p) for p in caught.value.problems] == [
        "line 2: phrase is 101 characters long; keep it under 100 (the people in the category as they "
        "follow 'among', e.g. 'people aged 16 to 24')"
    ]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return demo_rows(557)


def test_group_tests_use_the_references_phrase_and_the_mappings_order(rows: list[dict[str, Any]]) -> None:
    q = safermk()
    reference = parse_reference(_reference_csv({("sex_age16to74", "Female"): "female residents"}), "x")
    figs = figures(rows, q, None, None)
    tests = group_tests(rows, q, figs, None, None, None, reference)
    sex = next(t for t in tests if t.figure == "da_ever#0" and t.dimension == "sex_age16to74")
    assert [(g.group, g.among) for g in sex.groups] == [
        ("Female", "among female residents"),
        ("Male", "among men"),
    ]
    assert sex.significant and "highest among female residents" in sex.words
    age = next(t for t in tests if t.dimension == "age_adult16plus")
    assert [g.group for g in age.groups] == [
        "16-24",
        "25-34",
        "35-49",
        "50-64",
        "65+",
    ]  # not first-seen order
    channel = next(t for t in tests if t.dimension == "channel")
    assert channel.groups[0].group == "Direct link or no channel"


def test_groups_without_wording_use_the_fallback_in_every_sentence(rows: list[dict[str, Any]]) -> None:
    raw = copy.deepcopy(safermk().raw)
    sex = next(m for m in raw["demographics"] if m["question"] == "sex")
    sex["map"] = {"female": "Group A", "male": "Group B", "prefer_not_to_say": None}
    q = load_dict(raw)
    figs = figures(rows, q, None, None)
    tests = group_tests(rows, q, figs, None, None)
    abuse = next(t for t in tests if t.figure == "da_ever#0" and t.dimension == "sex_age16to74")
    assert abuse.significant
    female, male = (next(g for g in abuse.groups if g.group == name) for name in ("Group A", "Group B"))
    assert abuse.words == (
        f"Differs by sex: highest among respondents in the group 'Group A' ({100 * female.share:.0f}%), "
        f"lowest among respondents in the group 'Group B' ({100 * male.share:.0f}%)."
    )
    findings = key_findings(q, figs, [abuse], [], "Caveat.")
    difference = next(f for f in findings if f.kind == "difference")
    assert (
        f"{100 * female.share:.0f}% among respondents in the group 'Group A' against "
        f"{100 * male.share:.0f}% among respondents in the group 'Group B'"
    ) in difference.text
    assert [c.among for c in difference.compared] == [
        "among respondents in the group 'Group A'",
        "among respondents in the group 'Group B'",
    ]


LABEL_AFTER_AMONG = re.compile(
    r"among (Female|Male|\d+[-+]|Owner-occupied|Social rented|Private rented|Disabled under|Not disabled"
    r"|Bletchley|Olney|housing-trust-a|safermk-facebook|p3-outreach|parish-newsletter)"
)


def test_no_category_label_or_channel_code_follows_among_anywhere() -> None:
    """Key findings, the comparisons list and tables, the workbook and the JSON all use the phrases."""
    q = safermk()
    names = {
        "housing-trust-a": "Housing trust A – Posters in blocks and offices (housing-trust-a)",
        "safermk-facebook": "SaferMK Partnership – Facebook page (safermk-facebook)",
        "p3-outreach": "P3 – Outreach with young people (p3-outreach)",
        "parish-newsletter": "Parish councils – Parish newsletters (parish-newsletter)",
    }
    report = build_report(
        "interim",
        q,
        demo_rows(557),
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        with_charts=False,
        channel_names=names,
    )
    numbers = report_to_dict(report)
    differences = [f for f in numbers["key_findings"] if f["kind"] == "difference"]
    assert differences and all(" among " in f["text"] for f in differences)
    said = [t["words"] for t in numbers["group_tests"] if t["significant"]]
    assert any("among people aged 65 or over" in w for w in said)
    assert any("among women" in w for w in said)
    assert any("respondents who came through" in w for w in said)  # the demo's smoke alarms by channel
    html = render_html(report).decode()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r if c]
    for where, text in (
        ("json", json.dumps(numbers, ensure_ascii=False)),
        ("html", html),
        ("xlsx", " ".join(cells)),
    ):
        found = LABEL_AFTER_AMONG.findall(text)
        assert found == [], (where, found[:5])
    assert "among women" in html and "among women" in " ".join(cells)


def test_a_final_reports_change_finding_names_both_periods() -> None:
    q = safermk()
    reference = resolve_reference(reference_name_for(q))
    rows = demo_rows(400, seed=11, days=84)
    early = build_report("interim", q, rows, INTERIM_DAY, reference, default_codebook(), with_charts=False)
    for row in rows:
        if row["status"] == "complete" and row["completed_on"] and row["completed_on"] > INTERIM_DAY:
            row["answers"]["substances"] = ["none"]
    final = build_report(
        "final",
        q,
        rows,
        date(2016, 8, 12),
        reference,
        default_codebook(),
        previous=report_to_dict(early),
        with_charts=False,
    )
    change = next(f for f in final.key_findings if f.kind == "change")
    assert "fell from" in change.text
    assert (
        "among those who answered by the interim report to 0% among those who answered later" in change.text
    )
    before, after = change.compared
    assert before.base + after.base == change.base and after.share == 0.0
    assert before.low is not None and before.low < before.share < (before.high or 0)


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.69, "About 7 in 10"),
        (0.65, "About 7 in 10"),  # half up, not Python's half to even (6 in 10)
        (0.75, "About 3 in 4"),
        (0.745, "About 3 in 4"),
        (0.82, "About 8 in 10"),
        (0.333, "About 1 in 3"),
        (0.67, "About 2 in 3"),
        (0.26, "About 1 in 4"),
        (0.5, "About half of"),
        (0.17, "About 1 in 6"),
        (0.19, "About 1 in 5"),
        (0.21, "About 1 in 5"),  # the same fifth as 19%, not "2 in 10" (demo final, domestic abuse ever)
        (0.23, "About 1 in 5"),
        (0.125, "About 1 in 8"),
        (0.96, "Almost all"),
        (0.02, "Very few"),
    ],
)
def test_natural_frequencies_read_as_people_say_them(share: float, words: str) -> None:
    assert natural_frequency(share) == words


@pytest.mark.parametrize(
    ("dimension", "category", "expected"),
    [
        ("sex_age16to74", "Female", "ymhlith menywod"),
        ("age_adult16plus", "16-24", "ymhlith pobl 16 i 24 oed"),
        ("age_adult16plus", "65+", "ymhlith pobl 65 oed neu hŷn"),
        ("tenure_households_grouped", "Social rented", "ymhlith rhentwyr tai cymdeithasol"),
        ("ward", "Olney", "ymhlith pobl yn ward Olney"),
        ("sex_age16to74", "Prefer to self-describe", "ymhlith ymatebwyr yn y grŵp 'Prefer to self-describe'"),
    ],
)
def test_a_welsh_report_names_its_groups_in_welsh(dimension: str, category: str, expected: str) -> None:
    from analysis.report.words import words

    assert among(dimension, category, said=words("cy")) == expected


def test_a_phrase_from_the_reference_file_and_channels_in_welsh() -> None:
    from analysis.report.words import words

    cy = words("cy")
    assert among("sex_age16to74", "Female", "among the women of the area", said=cy) == (
        "ymhlith the women of the area"  # the file's own words (English data), in the Welsh frame
    )
    assert channel_people("Housing trust A – Posters (HT1)", "HT1", said=cy) == (
        "ymatebwyr a ddaeth drwy Housing trust A – Posters"
    )
    direct = cy.gettext("Direct link or no channel")
    assert channel_people(direct, said=cy).startswith("ymatebwyr a ddaeth drwy'r ddolen uniongyrchol")
