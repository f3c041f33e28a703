"""Hand codes are the truth: a staff code counts where an answer has one, the model's tag everywhere else.

`resolve` picks, per answer, the staff's themes (an empty list means "no theme applies", also a staff code)
or the model's; `count_themes` counts respondents per theme and how many of each count came from staff and
from the model, with the model's cross-validated agreement with staff per theme where it is known;
`with_staff_codes` turns tagged answers into the same TaggedAnswer shape the summaries take, so every
existing output (theme table, quotes, by-group cells) counts the staff's codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from analysis.text.evaluation import ThemeScore
from analysis.text.tagging import ResponseId, TaggedAnswer, ThemeMatch

Source = Literal["staff", "model"]
STAFF: Source = "staff"
MODEL: Source = "model"


@dataclass(frozen=True)
class ResolvedAnswer:
    """An answer's themes and where they come from."""

    response_id: ResponseId
    themes: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class ThemeCount:
    """Respondents with a theme: in all, from staff codes, from model tags; the model's agreement."""

    theme_id: str
    respondents: int
    staff: int
    model: int
    agreement: ThemeScore | None  # cross-validated precision/recall/F1 against staff; None: not measured


@dataclass(frozen=True)
class HandCodeCounts:
    """Per-theme counts over all answers, and how many answers each source decided."""

    answers: int
    staff_answers: int
    model_answers: int
    themes: tuple[ThemeCount, ...]
    unknown_codes: tuple[ResponseId, ...]  # staff codes for answers not in this set (reported, not counted)


def resolve(
    response_ids: Sequence[ResponseId],
    model_tags: Mapping[ResponseId, Sequence[str]],
    staff_codes: Mapping[ResponseId, Sequence[str]],
) -> list[ResolvedAnswer]:
    """Per answer: the staff's themes if staff coded it (even as "no theme"), else the model's."""
    out = []
    for rid in response_ids:
        if rid in staff_codes:
            out.append(ResolvedAnswer(rid, tuple(dict.fromkeys(staff_codes[rid])), STAFF))
        else:
            out.append(ResolvedAnswer(rid, tuple(dict.fromkeys(model_tags.get(rid, ()))), MODEL))
    return out


def count_themes(
    response_ids: Sequence[ResponseId],
    model_tags: Mapping[ResponseId, Sequence[str]],
    staff_codes: Mapping[ResponseId, Sequence[str]],
    theme_ids: Sequence[str],
    agreement: Sequence[ThemeScore] = (),
) -> HandCodeCounts:
    """Counts per theme (codebook order, then any other theme staff used) with the source of each count."""
    resolved = resolve(response_ids, model_tags, staff_codes)
    order = list(dict.fromkeys([*theme_ids, *(t for r in resolved for t in r.themes)]))
    staff = dict.fromkeys(order, 0)
    model = dict.fromkeys(order, 0)
    for answer in resolved:
        tally = staff if answer.source == STAFF else model
        for theme in answer.themes:
            tally[theme] += 1
    scores = {s.theme_id: s for s in agreement}
    known = set(response_ids)
    staff_answers = sum(1 for r in resolved if r.source == STAFF)
    return HandCodeCounts(
        answers=len(resolved),
        staff_answers=staff_answers,
        model_answers=len(resolved) - staff_answers,
        themes=tuple(ThemeCount(t, staff[t] + model[t], staff[t], model[t], scores.get(t)) for t in order),
        unknown_codes=tuple(rid for rid in staff_codes if rid not in known),
    )


def with_staff_codes(
    tagged: Sequence[TaggedAnswer], staff_codes: Mapping[ResponseId, Sequence[str]]
) -> list[TaggedAnswer]:
    """Tagged answers, each staff-coded one with the staff's themes (confidence 1, term "staff")."""
    out = []
    for answer in tagged:
        if answer.response_id in staff_codes:
            themes = tuple(
                ThemeMatch(t, 1.0, (STAFF,)) for t in dict.fromkeys(staff_codes[answer.response_id])
            )
            out.append(TaggedAnswer(answer.response_id, answer.text, themes, ()))
        else:
            out.append(answer)
    return out
