"""Outputs: respondents per theme, groups with small-cell suppression, change, quotes, tone, word cloud."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from analysis.text import (
    compare_summaries,
    default_codebook,
    summarise,
    summarise_tone,
    tag_answers,
    term_frequencies,
    word_cloud_png,
)


def make_answers() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    answers: list[tuple[str, str]] = []
    groups: dict[str, dict[str, str]] = {}
    for i in range(40):  # 40 older respondents: 30 mention burglary
        rid = f"o{i}"
        answers.append((rid, "burglary is a worry" if i < 30 else "all fine"))
        groups[rid] = {"age": "65+"}
    for i in range(15):  # 15 younger respondents: 4 mention burglary, 12 speeding
        rid = f"y{i}"
        answers.append((rid, ("burglary and " if i < 4 else "") + ("speeding" if i < 12 else "nothing")))
        groups[rid] = {"age": "16-34"}
    answers.append(
        ("o0", "also burglary on my road, call me on 07700 900123")
    )  # a second answer, same person
    return answers, groups


def test_respondents_and_shares() -> None:
    answers, _ = make_answers()
    summary = summarise(tag_answers(answers, default_codebook()), default_codebook())
    assert summary.respondents == 55
    burglary = summary.theme("burglary")
    assert burglary.respondents == 34  # o0 counted once
    assert burglary.share == round(34 / 55, 4)
    assert summary.themes[0].theme_id == "burglary"  # most mentioned first
    assert summary.theme("road_safety").respondents == 12
    assert summary.untagged == 55 - 34 - 8  # y4..y11 mention speeding only


def test_groups_with_small_cell_suppression() -> None:
    answers, groups = make_answers()
    summary = summarise(tag_answers(answers, default_codebook()), default_codebook(), groups=groups)
    cells = {c.group: c for c in summary.theme("burglary").by_group}
    young = cells["16-34"]
    assert young.suppressed and young.count is None and young.reason == "suppressed"
    assert cells["16-34"].base == 15
    # The theme's total (34) is published, so 65+'s 30 would give the young count away: hidden too.
    assert cells["65+"].count is None and cells["65+"].reason == "suppressed" and cells["65+"].base == 40
    # Speeding has 12 young and 0 older respondents: shown, nothing to protect.
    speeding = {c.group: c for c in summary.theme("road_safety").by_group}
    assert speeding["16-34"].count == 12 and speeding["65+"].count == 0


def test_a_lone_small_cell_in_a_theme_gets_a_hidden_partner() -> None:
    answers = [(f"a{i}", "burglary") for i in range(12)] + [(f"b{i}", "burglary") for i in range(3)]
    answers += [(f"b{i}", "fine") for i in range(3, 12)] + [(f"c{i}", "burglary") for i in range(20)]
    groups = {rid: {"ward": rid[0]} for rid, _ in answers}
    summary = summarise(tag_answers(answers, default_codebook()), default_codebook(), groups=groups)
    cells = {c.group: c for c in summary.theme("burglary").by_group}
    assert cells["b"].reason == "suppressed"
    # hiding a (12 of 12) too would still pin b to 3-12 (the theme's total 35 is published and a is at most
    # its base 12): narrower than 10, so the auditor hides c as well
    assert cells["a"].reason == "suppressed" and cells["c"].reason == "suppressed"


def test_quotes_are_redacted_and_tone_measured() -> None:
    answers, _ = make_answers()
    summary = summarise(tag_answers(answers, default_codebook()), default_codebook())
    quotes = summary.theme("burglary").quotes
    assert quotes[0] == "also burglary on my road, call me on [phone]"
    assert not any("07700" in q for q in quotes)
    tone = summary.theme("burglary").tone
    assert tone is not None and tone.answers == 35


def test_tone_summary() -> None:
    tone = summarise_tone(["the police are great, very helpful", "terrible, awful speeding", "the bins"])
    assert tone.answers == 3
    assert tone.positive == pytest.approx(1 / 3, abs=1e-3)
    assert tone.negative == pytest.approx(1 / 3, abs=1e-3)
    assert tone.neutral == pytest.approx(1 / 3, abs=1e-3)
    assert summarise_tone([]).answers == 0


def test_compare_interim_and_final() -> None:
    codebook = default_codebook()
    interim = summarise(
        tag_answers([(i, "burglary" if i < 20 else "fine") for i in range(100)], codebook), codebook
    )
    final = summarise(
        tag_answers([(i, "burglary" if i < 60 else "fine") for i in range(200)], codebook), codebook
    )
    change = next(c for c in compare_summaries(interim, final) if c.theme_id == "burglary")
    assert (change.before_respondents, change.after_respondents) == (20, 60)
    assert change.change_points == 10.0 and not change.significant  # 20% -> 30%, z = 1.83
    bigger = summarise(
        tag_answers([(i, "burglary" if i < 80 else "fine") for i in range(200)], codebook), codebook
    )
    assert next(c for c in compare_summaries(interim, bigger) if c.theme_id == "burglary").significant


def test_word_cloud_terms_and_png() -> None:
    starts = ["racing", "speeding", "crashes", "potholes", "lorries", "cyclists"]
    places = ["Bletchley", "Wolverton", "Olney", "Fishermead", "Netherfield", "Oakgrove"]
    texts = [f"{w} on the grid roads near {p}" for w, p in zip(starts, places, strict=True)]
    texts += [f"fly-tipping by the {p}" for p in ("woods", "garages", "shops")] + ["Fly tipping", "the bins"]
    freqs = term_frequencies(texts)
    assert freqs["grid roads"] == 6 and freqs["fly-tipping"] == 4 and freqs["racing"] == 1
    assert "grid" not in freqs and "roads" not in freqs  # joined into the phrase
    assert not {"the", "on", "by", "near"} & set(freqs)
    png = word_cloud_png(texts, width=300, height=200)
    assert png == word_cloud_png(texts, width=300, height=200)  # fixed random_state: same picture
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (300, 200)


def test_collocations_do_not_cross_clauses() -> None:
    texts = [f"fly tipping, {w} again" for w in ("woods", "garages", "shops", "lanes")] + ["woods"]
    freqs = term_frequencies(texts)
    assert freqs["fly-tipping"] == 4 and freqs["woods"] == 2
    assert not any(term.startswith("fly-tipping ") for term in freqs)


def test_forms_of_a_word_are_counted_together() -> None:
    freqs = term_frequencies(["cars parked", "a car", "cars again", "ASB", "anti social behaviour"])
    assert freqs["cars"] == 3 and "car" not in freqs
    assert freqs["anti-social behaviour"] == 2
