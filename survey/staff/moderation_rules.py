"""The quality flags' rules in words, for the moderation pages (survey.services.moderation.FLAG_RULES)."""

from __future__ import annotations

from survey.services.moderation import FLAG_RULES
from survey.staff import bp

bp.add_app_template_global(FLAG_RULES, "flag_rules")
