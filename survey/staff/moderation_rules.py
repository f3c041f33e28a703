"""The quality flags' rules in words, for the moderation pages (survey.services.moderation.FLAG_RULES)."""

from __future__ import annotations

from survey.services import moderation
from survey.staff import bp


@bp.app_template_global()
def flag_rules() -> dict[str, str]:
    """Flag kind -> how it is chosen, in words ("How responses are flagged" on the moderation page)."""
    return moderation.flag_rules()
