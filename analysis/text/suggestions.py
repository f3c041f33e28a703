"""Safe suggestions: what accepting or merging a suggested theme would change; only distinctive terms added.

`distinctive_terms` keeps a suggestion's terms that are much more common in its own answers than in all
answers (lift >= 3 by default) and never generic words ("road", "park": words.generic_terms).
`preview_accept` applies the accepted codebook to the answers and reports, before anything is saved, how
many answers the target theme gains and loses (with examples) and which terms were left out and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from analysis.text import words
from analysis.text.codebook import Codebook, term_stems
from analysis.text.discovery import Suggestion, accept_suggestion
from analysis.text.normalise import normalise
from analysis.text.tagging import ResponseId, Tagger

MIN_LIFT = 3.0
EXAMPLES = 3


@dataclass(frozen=True)
class AcceptPreview:
    """What accepting a suggestion would do to the answers, before it is saved."""

    theme_id: str
    before: int  # answers with the theme now (0 for a new theme)
    after: int
    gained: tuple[tuple[ResponseId, str], ...]  # up to EXAMPLES examples each
    lost: tuple[tuple[ResponseId, str], ...]
    gained_count: int
    lost_count: int
    added_terms: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]  # (term, reason)
    codebook: Codebook  # the codebook that accepting would save


def _contains(stems: Sequence[str], term: tuple[str, ...]) -> bool:
    n = len(term)
    return any(tuple(stems[i : i + n]) == term for i in range(len(stems) - n + 1))


def distinctive_terms(
    suggestion: Suggestion,
    answers: Sequence[tuple[ResponseId, str]],
    *,
    min_lift: float = MIN_LIFT,
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(terms to add, (term, reason) left out): each term's lift in the suggestion's answers over all."""
    mine = set(suggestion.response_ids)
    stems_of = {rid: normalise(text).stems for rid, text in answers}
    inside = [s for rid, s in stems_of.items() if rid in mine]
    keep: list[str] = []
    left_out: list[tuple[str, str]] = []
    for term in suggestion.key_terms:
        if term.lower() in words.generic_terms():
            left_out.append((term, "too general: it appears in answers about every theme"))
            continue
        stems = term_stems(term)
        if not inside or not stems_of:
            keep.append(term)
            continue
        share_in = sum(_contains(s, stems) for s in inside) / len(inside)
        if (
            not share_in
        ):  # a phrase joined across other words ("block the road"): the tagger would not match it
            left_out.append(
                (term, "no answer contains it as written (its words are never next to each other)")
            )
            continue
        share_all = sum(_contains(s, stems) for s in stems_of.values()) / len(stems_of)
        lift = share_in / share_all if share_all else 0.0
        if lift >= min_lift:
            keep.append(term)
        else:
            left_out.append(
                (term, f"not distinctive: {lift:.1f} times as common in these answers (needs {min_lift:g})")
            )
    return tuple(keep), tuple(left_out)


def preview_accept(
    codebook: Codebook,
    suggestion: Suggestion,
    answers: Sequence[tuple[ResponseId, str]],
    *,
    into: str | None = None,
    theme_id: str | None = None,
    label: str | None = None,
    min_lift: float = MIN_LIFT,
    examples: int = EXAMPLES,
) -> AcceptPreview:
    """Accept (into=None: a new theme) or merge (into=theme id), distinctive terms only; show the effect."""
    keep, left_out = distinctive_terms(suggestion, answers, min_lift=min_lift)
    if not keep:
        raise ValueError(
            f"none of the suggestion's terms is distinctive ({', '.join(t for t, _ in left_out)}): "
            "nothing to add"
        )
    accepted = accept_suggestion(
        codebook, replace(suggestion, key_terms=keep), theme_id=theme_id, label=label, into=into
    )
    target = into or next(t for t in accepted.theme_ids if t not in codebook.theme_ids)
    old_tagger, new_tagger = Tagger(codebook), Tagger(accepted)
    before = {rid for rid, text in answers if target in old_tagger.tag(text).theme_ids}
    after = {rid for rid, text in answers if target in new_tagger.tag(text).theme_ids}
    gained = [(rid, text) for rid, text in answers if rid in after - before]
    lost = [(rid, text) for rid, text in answers if rid in before - after]
    return AcceptPreview(
        target,
        len(before),
        len(after),
        tuple(gained[:examples]),
        tuple(lost[:examples]),
        len(gained),
        len(lost),
        keep,
        left_out,
        accepted,
    )
