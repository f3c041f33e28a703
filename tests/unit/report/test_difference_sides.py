"""A difference between groups is always between two different groups, and a key finding rests on groups
large enough to judge (a report once said "24% among owner-occupiers against 24% among owner-occupiers")."""

from __future__ import annotations

from analysis.report.findings import Figure, GroupShare, GroupTest, extremes
from analysis.report.keyfindings import key_findings
from survey.engine import load_dict

QUESTIONNAIRE = load_dict(
    {
        "id": "t",
        "version": "1",
        "language": "en",
        "title": "Test",
        "sections": [
            {"id": "s", "title": "S", "questions": [{"id": "fire_plan", "type": "text", "text": "Plan?"}]}
        ],
    }
)

FIG = Figure(
    "fire_plan#0", "fire_plan", None, "Q21", "have no fire escape plan for their home", True,
    0.3, 0.25, 0.35, True, 140, "table-fire_plan", "Q21 Fire plan",
)  # fmt: skip


def share(group: str, base: int, value: float, small: bool) -> GroupShare:
    return GroupShare(group, base, value, value - 0.1, value + 0.1, small, f"among {group.lower()}")


def group_test(groups: tuple[GroupShare, ...], p: float = 0.0001) -> GroupTest:
    return GroupTest("fire_plan#0", "tenure", "Tenure", groups, 30.0, 2.0, 1.2, p, p, True, "", "diff-tenure")


ONE_LARGE = (share("Owners", 108, 0.24, False), share("Social renters", 19, 0.57, True),
             share("Private renters", 13, 1.0, True))  # fmt: skip


def test_extremes_never_pick_one_group_twice() -> None:
    hi, lo = extremes(ONE_LARGE)
    assert hi.group != lo.group
    assert (hi.group, lo.group) == ("Private renters", "Owners")  # all groups, since only one is large
    two_large = (*ONE_LARGE, share("Other", 40, 0.5, False))
    hi, lo = extremes(two_large)
    assert (hi.group, lo.group) == ("Other", "Owners")  # small groups left out when two large ones remain


def test_a_key_finding_needs_two_groups_large_enough_to_judge() -> None:
    made = key_findings(QUESTIONNAIRE, [FIG], [group_test(ONE_LARGE)], [], "caveat")
    assert not [f for f in made if f.kind == "difference"]
    large = (*ONE_LARGE, share("Other", 40, 0.5, False))
    made = key_findings(QUESTIONNAIRE, [FIG], [group_test(large)], [], "caveat")
    (difference,) = [f for f in made if f.kind == "difference"]
    assert "50% among other against 24% among owners" in difference.text
