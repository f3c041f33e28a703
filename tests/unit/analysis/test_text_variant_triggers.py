"""The variant rules are skipped only in text they cannot change (their required literals are missing)."""

from __future__ import annotations

import random

from analysis.text.normalise import _required_runs, _variant_rules, clean


def test_required_runs_are_the_literals_every_match_has() -> None:
    assert _required_runs(r"\be[\s-]*scooters?\b") == ("scooter",)
    assert _required_runs(r"\b(?:cars|vehicles|traffic)\s+speeding\b") == ("speeding",)
    assert _required_runs(r"\bno[\s-]*one\b") == ("no", "one")
    assert _required_runs(r"\bcan'?t\b|\bcannot\b") == ("can",)  # the alternatives share "can"
    assert _required_runs(r"\b(?:cars|vans)\b") == ()
    assert _required_runs(r"(?i)\bspeeding\b") == ()  # a flag: no requirement
    assert _required_runs(r"(unclosed") == ()  # unreadable: no requirement


def test_skipping_changes_nothing() -> None:
    rng = random.Random(5)
    pieces = [
        "e-scooters", "e scooter", "escooter", "cars speeding", "traffic  speeding", "no one",
        "no-one", "noone",
        "car park", "car-parks", "don't", "doesnt", "can't", "cannot", "won't", "ain't", "red ways", "redway",
        "anti social behaviour", "fly tipping", "flytippers", "pot holes", "street-lights", "lamp posts",
        "break-ins", "broke into", "under pass", "underpasses", "cyber  crime", "boy racers", "joy riding",
        "behavior", "neighbors", "ASB", "the", "speeding", "scooter", "one", "park", "ways", ".", ",", "\n",
    ]  # fmt: skip
    rules = _variant_rules()
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 10)))
        every = text.lower().replace("\u2019", "'")
        for _lead, _other, pattern, repl in rules:  # every rule, none skipped
            every = pattern.sub(repl, every)
        assert clean(text) == clean_from(every), text


def clean_from(varied: str) -> str:
    """clean()'s steps after the variant rules."""
    import re

    varied = re.sub(r"'s\b", "", varied).replace("'", "")
    return re.sub(r"[-/&+\"*#=<>\[\]{}~^|@%$£]", " ", varied)
