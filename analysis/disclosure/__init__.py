"""Disclosure control: audiences, the per-questionnaire policy, the integer-programming auditor, table
protection, the report's constraint system and the release rule against differencing.

policy_of(questionnaire, threshold=None) -> DisclosurePolicy(threshold, rounding, sensitive_to_partners,
    sensitive_themes);  Audience.INTERNAL | PARTNER | PUBLIC;  describe_policy(policy, audience) -> str
System().var/fix/between/share/constrain;  audit(system, threshold) -> [CellRange(name, low, high)]
protect(cells, bases, threshold=10, rows_add_up=True, upper=inf) -> Protection(cells, bases, ranges)
report_system(report_json) -> System;  audit_report(report_json) -> [CellRange narrower than the threshold]
release_point(completions, as_of, threshold, published=()) -> date | None  (analysis.disclosure.release)
"""

from analysis.disclosure.auditor import CellRange, InconsistentFigures, System, audit
from analysis.disclosure.policy import (
    AUDIENCES,
    NOTICES,
    Audience,
    DisclosurePolicy,
    audience_of,
    describe_policy,
    policy_of,
)
from analysis.disclosure.protect import HIDDEN, Protection, protect
from analysis.disclosure.report_system import audit_report, report_system, routing_links

__all__ = [
    "AUDIENCES",
    "HIDDEN",
    "NOTICES",
    "Audience",
    "CellRange",
    "DisclosurePolicy",
    "InconsistentFigures",
    "Protection",
    "System",
    "audience_of",
    "audit",
    "audit_report",
    "describe_policy",
    "policy_of",
    "protect",
    "report_system",
    "routing_links",
]
