"""Moderation rules: quality flags to help staff choose what to exclude, and the report's note on it.

Flags (on complete responses, as `responses_for_report` dicts; a flag is a prompt to look, never a verdict):
- `fast`: completed in less than a third of the median time of online responses with a time;
- `straight_line`: the same scale answer for every item of a rating set of 4 or more items;
- `duplicate`: the same channel, the same day, and the same answers to at least 90% of the questions both
  answered (at least 5 of them) as an earlier response;
- `burst`: completed on a day when its channel (or the direct link) had at least 10 completions and more
  than 3 times its median day, except in its first 3 days: a new link, poster or launch brings its first
  rush, which is expected and would otherwise flag every early response.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from analysis.report.model import Report
from survey.engine import Questionnaire
from survey.engine.catalogue import N_, gettext, ngettext
from survey.services import words
from survey.store.models_moderation import EXCLUSION_REASONS

# The flags' names and rules are msgids (N_), translated for the page by `flag_names()` and `flag_rules()`.
FLAG_NAMES = {
    "fast": N_("Much faster than most"),
    "straight_line": N_("Same answer to every item of a rating set"),
    "duplicate": N_("Near-duplicate of an earlier response from the same channel that day"),
    "burst": N_("Part of a burst of completions"),
}
FAST_SHARE = 1 / 3
STRAIGHT_MIN_ITEMS = 4
DUPLICATE_SHARE = 0.9
DUPLICATE_MIN_QUESTIONS = 5
DUPLICATE_GROUP_LIMIT = 2000  # pairs compared in one channel-day at most (beyond: exact duplicates only)
BURST_MIN = 10
BURST_FACTOR = 3
LAUNCH_DAYS = 3  # a channel's first days (from its first completion) are never a burst
FLAG_RULES = {
    "fast": N_("completed in less than a third of the median time of timed online responses (5 or more)"),
    "straight_line": N_("the same answer to every item of a rating set of %(items)s or more items"),
    "duplicate": N_(
        "from the same channel on the same day, with the same answers to at least %(share)s of the questions "
        "both answered (%(questions)s or more) as an earlier response"
    ),
    "burst": N_(
        "completed on a day with at least %(completions)s completions from its channel (or the direct link) "
        "and more than %(factor)s times that channel's median day; a channel's first %(days)s days are not "
        "counted, since a launch or a new poster brings an expected rush"
    ),
}
_RULE_VALUES: dict[str, dict[str, object]] = {
    "fast": {},
    "straight_line": {"items": STRAIGHT_MIN_ITEMS},
    "duplicate": {"share": f"{DUPLICATE_SHARE:.0%}", "questions": DUPLICATE_MIN_QUESTIONS},
    "burst": {"completions": BURST_MIN, "factor": BURST_FACTOR, "days": LAUNCH_DAYS},
}


def flag_names() -> dict[str, str]:
    """Flag kind -> its name, translated for the page."""
    return {kind: words.gettext(name) for kind, name in FLAG_NAMES.items()}


def flag_rules() -> dict[str, str]:
    """Flag kind -> how it is chosen, in words, translated for the page."""
    return {kind: words.gettext(rule, **_RULE_VALUES[kind]) for kind, rule in FLAG_RULES.items()}


@dataclass(frozen=True)
class Flagged:
    """A complete response with the flags it raised and a word on each."""

    response_id: int
    channel: str | None
    completed_on: Any
    flags: tuple[tuple[str, str], ...]


def _comparable(answers: Mapping[str, Any]) -> dict[str, str]:
    return {k: repr(v) for k, v in answers.items() if v is not None}


def _duplicates(rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    found: dict[int, str] = {}
    groups: dict[tuple[Any, Any], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row.get("channel"), row.get("completed_on"))].append(row)
    for members in groups.values():
        seen_exact: dict[str, int] = {}
        compare_all = len(members) * (len(members) - 1) // 2 <= DUPLICATE_GROUP_LIMIT
        for index, row in enumerate(members):
            answers = _comparable(row["answers"])
            key = repr(sorted(answers.items()))
            if key in seen_exact and len(answers) >= DUPLICATE_MIN_QUESTIONS:
                found[row["id"]] = words.gettext("same answers as response %(id)s", id=seen_exact[key])
                continue
            seen_exact.setdefault(key, row["id"])
            if not compare_all:
                continue
            for earlier in members[:index]:
                other = _comparable(earlier["answers"])
                shared = set(answers) & set(other)
                if len(shared) < DUPLICATE_MIN_QUESTIONS:
                    continue
                same = sum(answers[k] == other[k] for k in shared)
                if same / len(shared) >= DUPLICATE_SHARE:
                    found[row["id"]] = words.gettext(
                        "%(same)s of %(shared)s answers as response %(id)s",
                        same=same,
                        shared=len(shared),
                        id=earlier["id"],
                    )
                    break
    return found


def _bursts(rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    per_day: dict[Any, Counter[Any]] = defaultdict(Counter)
    for row in rows:
        per_day[row.get("channel")][row.get("completed_on")] += 1
    found: dict[int, str] = {}
    for channel, days in per_day.items():
        median = statistics.median(days.values())
        dated = [d for d in days if isinstance(d, date)]
        launch = {d for d in dated if (d - min(dated)).days < LAUNCH_DAYS} if dated else set()
        loud = {
            day
            for day, n in days.items()
            if day not in launch and n >= BURST_MIN and n > BURST_FACTOR * median
        }
        for row in rows:
            if row.get("channel") == channel and row.get("completed_on") in loud:
                n = days[row["completed_on"]]
                found[row["id"]] = words.gettext(
                    "%(n)s completions that day from %(channel)s (median day %(median)s)",
                    n=n,
                    channel=channel or words.gettext("no channel"),
                    median=format(median, "g"),
                )
    return found


def quality_flags(rows: Sequence[Mapping[str, Any]], questionnaire: Questionnaire) -> list[Flagged]:
    """The complete responses that raised at least one flag, in id order."""
    complete = [r for r in rows if r.get("status") == "complete"]
    flags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    timed = [
        r["duration_seconds"] for r in complete if r.get("mode") == "online" and r.get("duration_seconds")
    ]
    if len(timed) >= 5:
        median = statistics.median(timed)
        for row in complete:
            seconds = row.get("duration_seconds")
            if row.get("mode") == "online" and seconds and seconds < median * FAST_SHARE:
                why = words.gettext(
                    "%(seconds)s s against a median of %(median)s s",
                    seconds=seconds,
                    median=format(median, "g"),
                )
                flags[row["id"]].append(("fast", why))
    ratings = [
        question.id
        for question in questionnaire.questions
        if question.type == "rating" and len(question.items) >= STRAIGHT_MIN_ITEMS
    ]
    for row in complete:
        for question in ratings:
            value = row["answers"].get(question)
            if isinstance(value, dict) and len(value) >= STRAIGHT_MIN_ITEMS and len(set(value.values())) == 1:
                flags[row["id"]].append(
                    (
                        "straight_line",
                        words.gettext(
                            "“%(answer)s” for all %(items)s items of %(question)s",
                            answer=next(iter(value.values())),
                            items=len(value),
                            question=question,
                        ),
                    )
                )
    for kind, found in (("duplicate", _duplicates(complete)), ("burst", _bursts(complete))):
        for rid, why in found.items():
            flags[rid].append((kind, why))
    by_id = {row["id"]: row for row in complete}
    return [
        Flagged(rid, by_id[rid].get("channel"), by_id[rid].get("completed_on"), tuple(flags[rid]))
        for rid in sorted(flags)
    ]


def exclusion_note(summary: Mapping[str, int], lang: str = "en") -> tuple[str, str] | None:
    """The methods paragraph saying how many responses staff excluded and why (None when none were), in
    the report's language (the reasons are the staff pages' English words)."""
    total = sum(summary.values())
    if not total:
        return None
    reasons = "; ".join(
        f"{gettext(EXCLUSION_REASONS[code], lang).lower() if code in EXCLUSION_REASONS else code}: {n}"
        for code, n in sorted(summary.items())
    )
    said = ngettext(
        "%(num)s complete response was left out of this report by staff after review (%(reasons)s).",
        "%(num)s complete responses were left out of this report by staff after review (%(reasons)s).",
        total,
        lang,
    ) % {"num": total, "reasons": reasons}
    return (
        gettext("Responses left out", lang),
        said
        + " "
        + gettext(
            "Left-out responses are in no table, figure or export; each exclusion is in the audit trail "
            "with who made it and when, and can be reversed.",
            lang,
        ),
    )


def with_exclusions(report: Report, summary: Mapping[str, int]) -> Report:
    """The report with its methods saying how many responses were excluded and why."""
    note = exclusion_note(summary, report.language)
    return report if note is None else replace(report, methods=(*report.methods, note))
