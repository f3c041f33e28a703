"""Normalise answers: UK variants, tokens, stems, and which tokens sit inside a negation's scope."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from analysis.text import nlp

# Cues that negate the next few words of the same clause ("no burglaries round here").
NEGATION_CUES = frozenset({"no", "not", "never", "without", "none", "nobody", "neither", "nor", "hardly"})
# Cue + next word that is not a negation ("not enough police", "no longer safe", "no parking spaces").
PSEUDO_NEGATIONS = {
    "no": frozenset(
        {"longer", "go", "doubt", "matter", "idea", "end", "wonder", "parking", "sooner", "more"}
    ),
    "not": frozenset({"enough", "only", "just", "sure", "much", "long"}),
    "never": frozenset({"ending", "mind"}),
    "without": frozenset({"doubt", "question", "fail"}),
    "nobody": frozenset({"cares", "does", "do", "seems", "listens", "bothers", "came", "comes"}),
}
# Words that end a negation's scope: a new clause starts ("no burglary but speeding is bad").
SCOPE_ENDS = frozenset(
    {"but", "although", "though", "however", "except", "apart", "whereas", "yet", "besides", "other", "only"}
)
# After a cue: words a post-negation ("speeding is not a problem") may contain, and the nouns that close it.
_POST_FILLERS = frozenset({"really", "much", "of", "a", "an", "that", "too", "big", "major", "real", "the"})
_POST_HEADS = frozenset({"problem", "problems", "issue", "issues", "concern", "concerns", "bad", "worry"})
NEGATION_WINDOW = 4


@dataclass(frozen=True)
class Normalised:
    """One answer after normalisation: tokens, their stems, and whether each sits in a negation's scope."""

    text: str
    tokens: tuple[str, ...]
    stems: tuple[str, ...]
    negated: tuple[bool, ...]


@lru_cache(maxsize=1)
def _variant_rules() -> tuple[tuple[str, str, re.Pattern[str], str], ...]:
    """The variant rules, each with two literals that must be in the text for the rule to apply (its
    leading word and its longest other run of letters; "" when it has none)."""
    raw = resources.files("analysis.text").joinpath("data/variants.json").read_text(encoding="utf-8")
    rules = []
    for p, repl in json.loads(raw)["rules"]:
        lead = _trigger(p) or ""
        runs = sorted((r for r in _required_runs(p) if r != lead), key=len, reverse=True)
        rules.append((lead, runs[0] if runs else "", re.compile(p), repl))
    return tuple(rules)


def _required_runs(pattern: str) -> tuple[str, ...]:
    """Runs of 2+ literal characters every match of the pattern contains: the literals that follow each
    other in the pattern's top-level sequence ("speeding" in "\\b(?:cars|...)\\s+speeding\\b", "scooter" in
    "\\be[\\s-]*scooters?\\b"): a rule is skipped, unchanged, in text without them (most answers). None for
    a pattern with flags, or one the standard library's parser (re._parser) cannot read."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - any doubt: no requirement, the rule always runs
        return ()
    if parsed.state.flags & ~(re.UNICODE | re.ASCII):
        return ()
    runs, run = [], ""
    for op, arg in parsed:
        if op is _parser.LITERAL:
            run += chr(arg)
            continue
        runs.append(run)  # anything else (a class, a repeat, a group of alternatives) ends a run
        run = ""
    runs.append(run)
    return tuple(dict.fromkeys(r for r in runs if len(r) >= 2))


def _trigger(pattern: str) -> str | None:
    # Regex scanning dominates normalisation; most rules start with a literal word ("\\bfly..."), and a
    # substring test skips the rule in the many answers without it. Any doubt: no trigger, always run.
    leads = [re.match(r"\\b([a-z]+)(?![?*{])", part) for part in _top_level_alternatives(pattern)]
    if not all(leads):
        return None
    words = [m.group(1) for m in leads if m]
    shortest = min(words, key=len)
    return shortest if all(w.startswith(shortest) for w in words) else None


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        escaped = i > 0 and pattern[i - 1] == "\\"
        if ch == "(" and not escaped:
            depth += 1
        elif ch == ")" and not escaped:
            depth -= 1
        elif ch == "|" and depth == 0 and not escaped:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


def _apply_variants(text: str) -> str:
    for lead, other, pattern, repl in _variant_rules():
        if lead in text and other in text:  # "" is in every text
            text = pattern.sub(repl, text)
    return text


_APOSTROPHE_S = re.compile(r"'s\b")
_SEPARATORS = re.compile(r"[-/&+\"*#=<>\[\]{}~^|@%$£]")


def clean(text: str) -> str:
    """Lower-case, apply the UK variant rules, expand negative contractions and drop apostrophes."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\r", "\n")
    text = _apply_variants(text)
    text = _APOSTROPHE_S.sub("", text).replace("'", "")
    return _SEPARATORS.sub(" ", text)


def negation_flags(tokens: list[str]) -> list[bool]:
    """Mark tokens inside a negation's scope: forward after a cue, or backward before "is not a problem"."""
    flags = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token not in NEGATION_CUES or (
            i + 1 < len(tokens) and tokens[i + 1] in PSEUDO_NEGATIONS.get(token, ())
        ):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j] in _POST_FILLERS:
            j += 1
        # "not a problem" / "no real issue" close a clause about what came before; "no problems with X" not.
        if j < len(tokens) and tokens[j] in _POST_HEADS and (token == "not" or (token == "no" and j > i + 1)):
            _mark_backward(tokens, flags, i)
            i = j + 1
            continue
        i = _mark_forward(tokens, flags, i)
    return flags


def _mark_forward(tokens: list[str], flags: list[bool], cue: int) -> int:
    words = 0
    j = cue + 1
    while j < len(tokens) and words < NEGATION_WINDOW:
        token = tokens[j]
        if token in nlp.PUNCTUATION or token in SCOPE_ENDS:
            break
        flags[j] = True
        words += 1
        j += 1
    return cue + 1


def _mark_backward(tokens: list[str], flags: list[bool], cue: int) -> None:
    j = cue - 1
    words = 0
    while j >= 0 and words < NEGATION_WINDOW + 2:
        token = tokens[j]
        if token in nlp.PUNCTUATION or token in SCOPE_ENDS:
            break
        flags[j] = True
        words += 1
        j -= 1


def normalise(text: str) -> Normalised:
    """Normalise one answer for matching: cleaned text, tokens, stems and negation flags."""
    cleaned = clean(text)
    tokens = nlp.tokenise(cleaned)
    stems = tuple(map(nlp.stem, tokens))
    return Normalised(cleaned, tuple(tokens), stems, tuple(negation_flags(tokens)))


def content_clauses(text: str) -> list[list[str]]:
    """Content words of an answer, clause by clause (no stopwords, numbers or negated words)."""
    norm = normalise(text)
    stop = nlp.stopwords()
    clauses: list[list[str]] = [[]]
    for token, neg in zip(norm.tokens, norm.negated, strict=True):
        if token in nlp.PUNCTUATION:
            if clauses[-1]:
                clauses.append([])
        elif not neg and token not in stop and len(token) > 2 and not token.isdigit():
            clauses[-1].append(token)
    return [c for c in clauses if c]


def content_terms(text: str) -> list[str]:
    """Content words of an answer, unstemmed, in order (no stopwords, numbers or negated words)."""
    return [token for clause in content_clauses(text) for token in clause]
