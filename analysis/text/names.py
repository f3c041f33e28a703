"""First names for redaction, from the name dictionary shipped in the `gender-guesser` PyPI package.

gender-guesser's nam_dict.txt (Jörg Michael's first-name dictionary, GNU FDL) lists about 40,000 first names
with their frequency in 50-odd countries. We keep the names used in Great Britain, Ireland or the USA, and
those at least fairly common (frequency 3 of 13) anywhere, so residents of every origin are covered.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

_FIRST_COUNTRY_COLUMN = 30  # the file's fixed layout: name in columns 3-28, one frequency digit per country
_LOCAL_COUNTRIES = 3  # Great Britain, Ireland, USA come first
_COMMON = 3
# one hexadecimal digit per country (blank: not used there): any use, and at least fairly common (_COMMON)
_USED = frozenset("123456789ABCDEF")
_FAIRLY_COMMON = frozenset("3456789ABCDEF")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lower-case first names (one word each)."""
    raw = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    names: set[str] = set()
    for line in raw.splitlines():
        if not line or line[0] in "#=" or len(line) <= _FIRST_COUNTRY_COLUMN:
            continue
        name = line[3:29].strip()
        if not name or "+" in name or " " in name or "-" in name or len(name) < 2:
            continue
        frequencies = line[_FIRST_COUNTRY_COLUMN:-1]
        local = frequencies[:_LOCAL_COUNTRIES]
        if not _USED.isdisjoint(local) or not _FAIRLY_COMMON.isdisjoint(frequencies):
            names.add(name.lower())
    return frozenset(names)


@lru_cache(maxsize=1)
def ordinary_name_words() -> frozenset[str]:
    """Names that are also ordinary words (analysis/text/data/name-words.txt, month and day names)."""
    text = resources.files("analysis.text").joinpath("data/name-words.txt").read_text(encoding="utf-8")
    listed = {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    months = "january february march april may june july august september october november december"
    days = "monday tuesday wednesday thursday friday saturday sunday"
    return frozenset(listed | set(months.split()) | set(days.split()))
