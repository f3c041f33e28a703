"""Routing through all/any/not conditions and on multiple-choice questions, attacked.

A routed question's base is the number of respondents who met its condition. The questionnaire here is
SaferMK with questions asked on whole conditions, several of them on the sensitive domestic-abuse
questions: the auditor turns them into constraints on answer combinations (analysis.disclosure.routing),
and the attacker (attacker.py, which enumerates every combination of answers itself) pins no hidden
count. Without those constraints (the auditor as it was) the attacker pins hidden counts down.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import cache
from typing import Any

import pytest

import analysis.report.audience as audience
from analysis.disclosure import DisclosurePolicy, audit_report
from analysis.disclosure.routing import Routing, routing
from analysis.reference import reference_name_for, resolve_reference
from analysis.report import build_report, report_to_dict
from analysis.text import default_codebook
from survey.engine import load_dict, load_file, visible_questions
from survey.services.demo import generate
from tests.unit.disclosure.attacker import attack_report

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: its demo reports are
# built once per process.
pytestmark = pytest.mark.xdist_group("routing-attack-reports")

YES = "yes"


def _single(qid: str, show_if: Any, required: bool = True) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single",
        "text": f"Question {qid}",
        "required": required,
        "show_if": show_if,
        "options": [
            {"code": "yes", "label": "Yes"},
            {"code": "no", "label": "No"},
            {"code": "not_sure", "label": "Not sure"},
        ],
    }


ROUTED = {
    # any: recent abuse, or told the police (a multiple-choice answer)
    "da_help": {
        "any": [
            {"q": "da_recent", "op": "equals", "value": "yes"},
            {"q": "da_support", "op": "contains", "value": "police"},
        ]
    },
    # all + not: abused at some time, but not recently
    "da_past": {
        "all": [
            {"q": "da_ever", "op": "equals", "value": "yes"},
            {"not": {"q": "da_recent", "op": "equals", "value": "yes"}},
        ]
    },
    # not_in on a multiple choice question
    "da_alone": {"q": "da_support", "op": "in", "value": ["no_one", "prefer_not_to_say"]},
}
PUBLIC_ROUTED = {
    # not on a sensitive-free question: everyone who was not a victim (or did not say)
    "safe_area": {"not": {"q": "victim_any", "op": "equals", "value": "yes"}},
    # a multiple choice answer together with a single choice one
    "violence_reported": {
        "all": [
            {"q": "victim_types", "op": "in", "value": ["violence", "hate_crime"]},
            {"q": "reported", "op": "not_equals", "value": "no"},
        ]
    },
}


def questionnaire() -> dict[str, Any]:
    raw = copy.deepcopy(load_file("questionnaires/safermk-2016.json").raw)
    for section in raw["sections"]:
        if section["id"] == "domestic_abuse":
            section["questions"] += [_single(qid, cond) for qid, cond in ROUTED.items()]
        if section["id"] == "experience":
            section["questions"] += [_single(qid, cond) for qid, cond in PUBLIC_ROUTED.items()]
    return raw


@cache
def loaded() -> Any:
    return load_dict(questionnaire())


def _routed(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as the questionnaire's routing leaves them: the demo's re-dealt demographic bundles
    know nothing of the questions added here, so answers of questions no longer asked are dropped and a
    required one now asked gets an answer (as a journey through the engine would)."""
    q = loaded()
    added = set(ROUTED) | set(PUBLIC_ROUTED)
    while True:
        asked = {p.id for p in visible_questions(q, answers)}
        fixed = {k: v for k, v in answers.items() if k in asked}
        for qid in sorted(asked & added - set(fixed)):
            fixed[qid] = ("yes", "no", "not_sure")[sum(map(ord, str(sorted(answers.items())))) % 3]
        if fixed == answers:
            return answers
        answers = fixed


@cache
def rows(n: int) -> list[dict[str, Any]]:
    q = loaded()
    out = []
    for i, d in enumerate(generate(q, n, 2016, date(2016, 5, 3)), start=1):
        row = d.as_row(i, q.version)
        if row["status"] == "complete":
            row["answers"] = _routed(dict(row["answers"]))
        out.append(row)
    return out


def build(n: int, day: date, audience_name: str) -> dict[str, Any]:
    q = loaded()
    return report_to_dict(
        build_report(
            "interim",
            q,
            rows(n),
            day,
            resolve_reference(reference_name_for(q)),
            default_codebook(),
            audience=audience_name,
            policy=DisclosurePolicy(),
            with_charts=False,
        )
    )


@cache
def report(n: int, day: date, audience_name: str) -> dict[str, Any]:
    return build(n, day, audience_name)


def test_every_routed_question_here_is_modelled() -> None:
    route = routing(loaded())
    assert route.unmodelled == {}
    by_atoms = {link["question"] for link in route.links if link.get("condition")}
    assert by_atoms == set(ROUTED) | set(PUBLIC_ROUTED)


CASES = [
    (557, date(2016, 6, 13), "internal"),
    (557, date(2016, 6, 13), "partner"),
    (557, date(2016, 5, 20), "public"),
]


@pytest.mark.parametrize(("n", "day", "audience_name"), CASES)
def test_the_attacker_following_whole_conditions_pins_no_hidden_count(
    n: int, day: date, audience_name: str
) -> None:
    doc = report(n, day, audience_name)
    shown = {q["id"] for q in doc["questions"]}
    listed = {lk["question"] for lk in doc["disclosure"]["links"] if lk.get("condition")}
    if audience_name == "internal":
        assert set(ROUTED) <= shown and set(ROUTED) <= listed  # sensitive, protected, linked
        assert any(r["count"] is None for q in doc["questions"] if q["id"] in ROUTED for r in q["rows"])
    else:  # asked because of a sensitive answer: left out with the sensitive section
        assert not set(ROUTED) & shown
        assert set(PUBLIC_ROUTED) <= shown and set(PUBLIC_ROUTED) <= listed
    ranges = attack_report(doc, loaded().raw)
    assert {k: r for k, r in ranges.items() if r[1] - r[0] < 10} == {}
    assert audit_report(doc) == []


def test_without_the_conditions_the_auditor_passes_what_the_attacker_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The auditor as it was (whole conditions neither modelled nor hidden): the attacker, which follows
    them, pins hidden sensitive counts the auditor thought safe."""

    def simple_only(q: Any) -> Routing:
        full = routing(q)
        return Routing(tuple(lk for lk in full.links if not lk.get("condition")), {})

    monkeypatch.setattr(audience, "routing", simple_only)
    doc = build(557, date(2016, 6, 13), "internal")
    assert audit_report(doc) == []  # the old auditor sees nothing wrong
    listed = [lk for lk in doc["disclosure"]["links"] if lk.get("condition")]
    assert listed == []
    doc["disclosure"]["links"] += [lk for lk in routing(loaded()).links if lk.get("condition")]
    ranges = attack_report(doc, loaded().raw)  # the reader knows the questionnaire's routing anyway
    narrow = {k: r for k, r in ranges.items() if r[1] - r[0] < 10}
    assert narrow
    assert {r.name for r in audit_report(doc)}  # and the new auditor names them
