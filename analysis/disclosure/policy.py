"""Audiences and the per-questionnaire disclosure policy (threshold, rounding, sensitive sections)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from survey.engine import Questionnaire
from survey.engine.catalogue import N_


class Audience(StrEnum):
    """Who an output is for; disclosure rules apply to partner and public outputs."""

    INTERNAL = "internal"  # analysts and admins, who may see responses
    PARTNER = "partner"  # organisations running a channel (their live page, reports sent to them)
    PUBLIC = "public"  # anyone

    @property
    def protected(self) -> bool:
        """Whether the disclosure rules apply (partner and public)."""
        return self is not Audience.INTERNAL


AUDIENCES = tuple(a.value for a in Audience)

NOTICES = {  # English msgids: the HTML report shows them in its language (analysis/report/words.py)
    Audience.INTERNAL: N_(
        "Internal: not for publication. Small counts are shown for non-sensitive questions; "
        "share only the partner or public version of this output."
    ),
    Audience.PARTNER: N_("For partner organisations: small counts are hidden (disclosure control)."),
    Audience.PUBLIC: N_("For publication: small counts are hidden (disclosure control)."),
}


def audience_of(value: str | Audience) -> Audience:
    """The audience named by `value`; ValueError naming the three audiences otherwise."""
    try:
        return Audience(value)
    except ValueError:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {value!r}") from None


@dataclass(frozen=True)
class DisclosurePolicy:
    """How aggregate outputs of one questionnaire are protected.

    threshold: every hidden count must be indistinguishable over a range at least this wide (and counts
    1..threshold-1 are never shown to partners or the public); rounding: public counts are rounded to
    this base (None: not rounded); sensitive_to_partners: whether partner outputs show sensitive sections
    at all (public outputs never do); sensitive_themes: codebook themes (such as domestic abuse) whose
    counts, quotes and word clouds are treated as sensitive wherever they are mentioned.
    """

    threshold: int = 10
    rounding: int | None = None
    sensitive_to_partners: bool = False
    sensitive_themes: tuple[str, ...] = ("domestic_abuse",)

    def rounding_for(self, audience: Audience) -> int | None:
        """The rounding base used for this audience (only public outputs are rounded)."""
        return self.rounding if audience is Audience.PUBLIC and self.rounding and self.rounding > 1 else None

    def shows_sensitive(self, audience: Audience) -> bool:
        """Whether an output for this audience shows sensitive questions and free text at all."""
        if audience is Audience.INTERNAL:
            return True
        return audience is Audience.PARTNER and self.sensitive_to_partners


def policy_of(questionnaire: Questionnaire, threshold: int | None = None) -> DisclosurePolicy:
    """The questionnaire's `disclosure` block (defaults where absent); `threshold` overrides its threshold.

    ValueError for a value out of range: an override, or a definition built without the schema's check
    (a stored version is built as it was validated then)."""
    block = questionnaire.disclosure
    base = DisclosurePolicy()
    chosen = threshold if threshold is not None else block.get("threshold", base.threshold)
    if not isinstance(chosen, int) or isinstance(chosen, bool) or chosen < 1:
        raise ValueError(f"disclosure threshold must be a whole number of at least 1, not {chosen!r}")
    rounding = block.get("rounding")
    if rounding is not None and (not isinstance(rounding, int) or isinstance(rounding, bool) or rounding < 1):
        raise ValueError(f"disclosure rounding must be a whole number of at least 1, not {rounding!r}")
    themes = block.get("sensitive_themes", base.sensitive_themes)
    if not isinstance(themes, list | tuple) or not all(isinstance(t, str) for t in themes):
        raise ValueError("disclosure sensitive_themes must be a list of theme ids")
    return DisclosurePolicy(chosen, rounding, bool(block.get("sensitive_to_partners", False)), tuple(themes))


def _english(message: str, **values: Any) -> str:
    return message % values if values else message


AUDIENCE_SENTENCES = {
    Audience.INTERNAL: N_("This output is for the internal audience."),
    Audience.PARTNER: N_("This output is for the partner audience."),
    Audience.PUBLIC: N_("This output is for the public audience."),
}


def describe_policy(policy: DisclosurePolicy, audience: Audience, say: Callable[..., str] = _english) -> str:
    """One paragraph for a report's methods section, in the report's language: `say(msgid, **values)` is
    the report's gettext (analysis/report/words.py `Words.gettext`; English without it)."""
    n = policy.threshold
    words = [say(AUDIENCE_SENTENCES[audience]), say(NOTICES[audience])]
    words.append(
        say(
            N_(
                "Disclosure threshold: %(n)s. A count of 1 to %(below)s is never shown to partners or the "
                "public, and every hidden count was checked by integer programming: from everything this "
                "output shows (tables, totals, bases, percentages and theme counts) a hidden count can only "
                "be narrowed to a range at least %(n)s wide. Hidden cells are all marked the same way, "
                "whether they are small or were hidden to protect a small one."
            ),
            n=n,
            below=n - 1,
        )
    )
    rounding = policy.rounding_for(audience)
    if rounding:
        words.append(say(N_("Counts in this output are rounded to the nearest %(n)s."), n=rounding))
    elif policy.rounding:
        words.append(say(N_("Public outputs round counts to the nearest %(n)s."), n=policy.rounding))
    if audience is not Audience.INTERNAL:
        words.append(
            say(N_("Sensitive sections are shown to partners."))
            if policy.shows_sensitive(audience)
            else say(
                N_("Sensitive sections, and free text about sensitive topics, are left out of this output.")
            )
        )
        words.append(
            say(
                N_(
                    "Figures are updated only after at least %(n)s new complete responses, so that two "
                    "outputs cannot be compared to read one person's answers."
                ),
                n=n,
            )
        )
    return " ".join(w for w in words if w)
