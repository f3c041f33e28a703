"""Changes between two versions in words, and whether results stay comparable."""

from __future__ import annotations

import copy
from typing import Any

from survey.services.questionnaire_diff import describe_changes, next_version
from tests.unit.engine.definitions import MINI


def _changed() -> dict[str, Any]:
    return copy.deepcopy(MINI)


def test_no_change_says_nothing() -> None:
    assert describe_changes(MINI, _changed()) == []


def test_options_added_removed_relabelled_and_reordered() -> None:
    new = _changed()
    question = new["sections"][0]["questions"][0]
    options = question["options"]
    removed = options.pop()
    options.reverse()
    options[0]["label"] = {"en": "Relabelled", "cy": "Newydd"}
    options.append({"code": "brand_new", "label": "New"})
    texts = {c.text: c.comparable for c in describe_changes(MINI, new)}
    qid = question["id"]
    assert texts[f"options added to {qid}: brand_new"] is False
    assert texts[f"options removed from {qid}: {removed['code']}"] is False
    assert f"options of {qid} put in another order" in texts
    assert any(
        t.startswith(f"option {options[0]['code']} of {qid} relabelled: ") and t.endswith("→ ‘Relabelled’")
        for t in texts
    )


def test_type_section_and_required_changes() -> None:
    new = _changed()
    question = new["sections"][0]["questions"][0]
    question["required"] = False
    new["sections"].append(
        {
            "id": "extra",
            "title": "Extra",
            "questions": [{"id": "extra_q", "type": "text", "text": "Anything else?"}],
        }
    )
    texts = [c.text for c in describe_changes(MINI, new)]
    assert texts == [
        "section extra added",
        "question extra_q added to section extra: ‘Anything else?’",
        f"{question['id']} is now optional",
    ]


def test_support_contacts_and_mappings_changed_are_said() -> None:
    new = _changed()
    new["support_contacts"] = [{"name": "Victim Support", "phone": "0808 168 9111"}]
    assert [(c.text, c.comparable) for c in describe_changes(MINI, new)] == [
        ("support contacts changed", True)
    ]
    assert describe_changes(new, MINI)[0].text == "support contacts changed"  # removed


def test_next_version_skips_taken_numbers() -> None:
    assert next_version("1.0.0", {"1.0.0"}) == "1.1.0"
    assert next_version("1.0.0", {"1.0.0", "1.1.0"}) == "1.2.0"
    assert next_version("1.4.2", {"1.4.2"}) == "1.5.0"
    assert next_version("3", {"3"}) == "4"
    assert next_version("spring", {"spring", "spring-2"}) == "spring-3"
