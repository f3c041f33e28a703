"""Demo responses in memory (the generator's pure part) as the dicts responses_for_report returns."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from survey.engine import Questionnaire, load_file
from survey.services.demo import generate

ROOT = Path(__file__).resolve().parents[3]
START = date(2016, 5, 3)
INTERIM_DAY = date(2016, 6, 13)


@cache
def safermk() -> Questionnaire:
    """The bundled SaferMK 2016 questionnaire."""
    return load_file(ROOT / "questionnaires" / "safermk-2016.json")


def demo_rows(n: int = 557, seed: int = 2016, start: date = START, days: int = 42) -> list[dict[str, Any]]:
    """`n` complete demo responses (plus drop-offs) as plain dicts, ids from 1."""
    demo = generate(safermk(), n, seed, start, days=days)
    return [d.as_row(i, "1.0.0") for i, d in enumerate(demo, start=1)]


def share(numbers: dict[str, Any], qid: str, codes: tuple[str, ...], item: str | None = None) -> float:
    """Sum of the unweighted shares (percent) of some answers to a question in a report's JSON numbers."""
    question = next(q for q in numbers["questions"] if q["id"] == qid and q["item"] == item)
    return 100 * float(sum(row["share"] for row in question["rows"] if row["code"] in codes))


def everyone_share(numbers: dict[str, Any], qid: str, codes: tuple[str, ...]) -> float:
    """Share (percent) among all respondents: the population's table plus its outside groups' columns."""
    question = next(q for q in numbers["questions"] if q["id"] == qid and q["item"] is None)
    picked = [i for i, row in enumerate(question["rows"]) if row["code"] in codes]
    total = question["base"] + sum(g["base"] for g in question["others"])
    chosen = sum(question["rows"][i]["count"] for i in picked)
    for group in question["others"]:
        chosen += sum(group["counts"][i] for i in picked)
    return float(100 * chosen / total)


def number_share(numbers: dict[str, Any], qid: str, bands: tuple[str, ...]) -> float:
    """Sum of the shares (percent) of some bands of a number question."""
    result = next(n for n in numbers["numbers"] if n["id"] == qid)
    return 100 * float(sum(share for label, _, share in result["bands"] if label in bands))


# The 2016 interim figures (docs/reports.md says which base each uses): (what, function of numbers, target).
FIGURES_2016: tuple[tuple[str, Any, float], ...] = (
    ("residents", lambda n: share(n, "respondent_type", ("resident",)), 94),
    ("business related", lambda n: share(n, "respondent_type", ("business",)), 5),
    ("visitors", lambda n: share(n, "respondent_type", ("visitor",)), 1),
    ("male", lambda n: everyone_share(n, "sex", ("male",)), 47),  # 2016: of all respondents
    ("female", lambda n: everyone_share(n, "sex", ("female",)), 53),
    ("aged 41-80", lambda n: number_share(n, "age", ("41-50", "51-60", "61-70", "71-80")), 80),
    (
        "home owners",
        lambda n: share(n, "tenure", ("owned_outright", "owned_mortgage", "shared_ownership")),
        78,
    ),
    ("burglary: fairly concerned", lambda n: share(n, "concern", ("fairly_concerned",), "burglary"), 48),
    ("burglary: very concerned", lambda n: share(n, "concern", ("very_concerned",), "burglary"), 21),
    ("cyber: fairly concerned", lambda n: share(n, "concern", ("fairly_concerned",), "cyber_crime"), 43),
    ("cyber: very concerned", lambda n: share(n, "concern", ("very_concerned",), "cyber_crime"), 15.43),
    ("safe in daytime", lambda n: share(n, "feel_safe", ("very_safe", "fairly_safe"), "daytime"), 84),
    ("not a victim", lambda n: share(n, "victim_any", ("no",)), 77),
    ("domestic abuse ever", lambda n: share(n, "da_ever", ("yes",)), 17),
    ("alcohol a problem", lambda n: share(n, "substances", ("alcohol",)), 82),
    ("cannabis a problem", lambda n: share(n, "substances", ("cannabis",)), 51),
    ("no evacuation plan", lambda n: share(n, "fire_plan_home", ("no",)), 38),
    ("no smoke alarm on every level", lambda n: share(n, "smoke_alarms", ("some_levels", "none")), 12),
)
