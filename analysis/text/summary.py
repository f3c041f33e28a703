"""Theme summaries: respondents and shares per theme, by group, with quotes, tone, and change over time."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analysis.suppression import suppress
from analysis.text.codebook import Codebook
from analysis.text.redaction import redact
from analysis.text.tagging import ResponseId, TaggedAnswer
from analysis.text.tone import ToneSummary, answer_tone, summarise_scores

MIN_CELL = 10  # counts and bases of 1-9 respondents are hidden (analysis.suppression, audited)


@dataclass(frozen=True)
class GroupCell:
    """Respondents in one demographic group mentioning a theme; count and share are None when suppressed."""

    dimension: str
    group: str
    base: int | None
    count: int | None
    share: float | None
    suppressed: bool
    reason: str | None = None  # "suppressed" (one label for every hidden cell), as analysis.suppression


@dataclass(frozen=True)
class ThemeResult:
    """One theme's figures: respondents mentioning it, share of those answering, quotes, tone, groups."""

    theme_id: str
    label: str
    respondents: int
    share: float
    quotes: tuple[str, ...]
    tone: ToneSummary | None
    by_group: tuple[GroupCell, ...]
    negated_mentions: int


@dataclass(frozen=True)
class ThemeSummary:
    """Themes in a set of answers, most mentioned first; `respondents` is the base (who answered)."""

    codebook_id: str
    codebook_version: str
    respondents: int
    untagged: int
    themes: tuple[ThemeResult, ...]
    min_cell: int

    def theme(self, theme_id: str) -> ThemeResult:
        """The result for one theme (KeyError if absent)."""
        for result in self.themes:
            if result.theme_id == theme_id:
                return result
        raise KeyError(theme_id)


@dataclass(frozen=True)
class ThemeChange:
    """A theme's share in two summaries (e.g. interim and final), the change and whether it is significant."""

    theme_id: str
    label: str
    before_respondents: int
    before_share: float
    after_respondents: int
    after_share: float
    change_points: float
    significant: bool


def summarise(
    tagged: Sequence[TaggedAnswer],
    codebook: Codebook,
    *,
    groups: Mapping[ResponseId, Mapping[str, str]] | None = None,
    min_cell: int = MIN_CELL,
    quotes: int = 3,
    tone: bool = True,
) -> ThemeSummary:
    """Summarise tagged answers per respondent (a respondent with several answers counts once per theme)."""
    respondents = {t.response_id for t in tagged}
    mentions: dict[str, set[ResponseId]] = defaultdict(set)
    denials: dict[str, set[ResponseId]] = defaultdict(set)
    texts: dict[str, list[tuple[float, TaggedAnswer]]] = defaultdict(list)
    for answer in tagged:
        for match in answer.themes:
            mentions[match.theme_id].add(answer.response_id)
            texts[match.theme_id].append((match.confidence, answer))
        for theme_id in answer.negated:
            denials[theme_id].add(answer.response_id)
    tagged_respondents = set().union(*mentions.values()) if mentions else set()
    base = len(respondents)
    # Each answer's tone is scored once, however many themes it mentions.
    scores = {id(a): answer_tone(a.text) for a in tagged if a.themes} if tone else {}
    cells = _group_cells(codebook.theme_ids, mentions, respondents, groups, min_cell) if groups else {}
    results = []
    for theme in codebook.themes:
        ids = mentions.get(theme.id, set())
        examples = texts.get(theme.id, [])
        results.append(
            ThemeResult(
                theme.id,
                theme.label,
                len(ids),
                round(len(ids) / base, 4) if base else 0.0,
                pick_quotes(examples, quotes),
                summarise_scores([scores[id(a)] for _, a in examples]) if tone else None,
                cells.get(theme.id, ()),
                len(denials.get(theme.id, set()) - ids),
            )
        )
    results.sort(key=lambda r: (-r.respondents, r.label))
    return ThemeSummary(
        codebook.id, codebook.version, base, base - len(tagged_respondents), tuple(results), min_cell
    )


def pick_quotes(examples: Sequence[tuple[float, TaggedAnswer]], limit: int) -> tuple[str, ...]:
    """Up to `limit` redacted quotes: most confident first, preferring answers of a readable length."""

    def key(item: tuple[float, TaggedAnswer]) -> tuple[float, bool, int, str]:
        confidence, answer = item
        readable = 25 <= len(answer.text) <= 300
        return (-confidence, not readable, -len(answer.text), str(answer.response_id))

    chosen: list[str] = []
    for _, answer in sorted(examples, key=key):
        quote = redact(" ".join(answer.text.split()))
        if quote not in chosen:
            chosen.append(quote)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def _group_cells(
    theme_ids: Sequence[str],
    mentions: Mapping[str, set[ResponseId]],
    respondents: set[ResponseId],
    groups: Mapping[ResponseId, Mapping[str, str]],
    min_cell: int,
) -> dict[str, tuple[GroupCell, ...]]:
    """Per theme, one cell per (dimension, group), with primary and secondary suppression per dimension."""
    members: dict[str, dict[str, set[ResponseId]]] = defaultdict(lambda: defaultdict(set))
    for rid in respondents:
        for dimension, group in groups.get(rid, {}).items():
            members[dimension][group].add(rid)
    out: dict[str, list[GroupCell]] = {t: [] for t in theme_ids}
    for dimension in sorted(members):
        names = sorted(members[dimension])
        bases = [len(members[dimension][g]) for g in names]
        table = [[len(members[dimension][g] & mentions.get(t, set())) for t in theme_ids] for g in names]
        # Themes are not exclusive, so a group's cells need not add up to its base (rows_add_up=False).
        mask = suppress(table, bases, min_cell=min_cell, rows_add_up=False)
        for i, group in enumerate(names):
            for j, theme_id in enumerate(theme_ids):
                reason = mask.cells[i][j]
                base = None if mask.bases[i] else bases[i]
                if reason:
                    out[theme_id].append(GroupCell(dimension, group, base, None, None, True, reason))
                else:
                    count = table[i][j]
                    share = round(count / bases[i], 4) if bases[i] else 0.0
                    out[theme_id].append(GroupCell(dimension, group, base, count, share, False))
    return {t: tuple(c) for t, c in out.items()}


def compare_summaries(before: ThemeSummary, after: ThemeSummary) -> tuple[ThemeChange, ...]:
    """Change in each theme's share between two summaries (two-proportion z-test at the 95% level)."""
    previous = {r.theme_id: r for r in before.themes}
    changes = []
    for result in after.themes:
        old = previous.get(result.theme_id)
        old_n, old_share = (old.respondents, old.share) if old else (0, 0.0)
        changes.append(
            ThemeChange(
                result.theme_id,
                result.label,
                old_n,
                old_share,
                result.respondents,
                result.share,
                round(100 * (result.share - old_share), 2),
                _significant(old_n, before.respondents, result.respondents, after.respondents),
            )
        )
    return tuple(sorted(changes, key=lambda c: -abs(c.change_points)))


def _significant(x1: int, n1: int, x2: int, n2: int) -> bool:
    if not n1 or not n2:
        return False
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return se > 0 and abs(x2 / n2 - x1 / n1) / se > 1.96
