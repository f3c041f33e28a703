"""Resume and receipt codes have separate, generous per-address counters (second review, F8).

The review sent ten wrong receipt codes from one address (a library, a carrier's shared address) and the
resident there holding the right *resume* code got 429 for 15 minutes: one per-address counter, shared by
both kinds, defaulting to 10. Now each kind has its own counter (100 a window by default) and the per-code
and per-response limits remain the main defence.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from survey.respond import codes
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
QID = "safermk-2016"


def saved_code(respondent: MakeRespondent) -> str:
    """A resident saves to come back later: their resume code."""
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"}, stop_at="age")
    resident.post(f"/s/{QID}/save", {"page": str(resident.q.position("age") + 1)})
    code = resident.soup.select_one("#resume-code")
    assert code is not None
    return code.get_text(strip=True)


def wrong_codes(respondent: MakeRespondent, page: str, count: int) -> list[int]:
    """`count` different wrong codes typed on one page from this machine's address; their statuses."""
    someone = respondent()
    someone.get(f"/s/{QID}/{page}")
    token = someone.csrf_token()
    return [
        someone.client.post(
            f"/s/{QID}/{page}", data={"code": codes.generate(), "csrf_token": token}
        ).status_code
        for _ in range(count)
    ]


def test_wrong_receipt_codes_never_block_a_right_resume_code(app: Flask, respondent: MakeRespondent) -> None:
    app.config.update(
        SURVEY_RECEIPT_LIMIT_PER_CLIENT=3, SURVEY_RESUME_LIMIT_PER_CLIENT=3
    )  # low, to reach them
    code = saved_code(respondent)
    assert wrong_codes(respondent, "receipt", 4) == [200, 200, 200, 429]  # the receipt counter is spent
    resident = respondent()  # at the same address (the same library computer room)
    resident.get(f"/s/{QID}/resume")
    resident.post(f"/s/{QID}/resume", {"code": code})
    assert resident.question is not None and resident.question.id == "age"
    assert wrong_codes(respondent, "resume", 3) == [200, 200, 429]  # its own counter: 1 used by the resident


def test_a_shared_address_gets_a_generous_number_of_tries_by_default(
    app: Flask, respondent: MakeRespondent
) -> None:
    assert (
        app.config["SURVEY_RESUME_LIMIT_PER_CLIENT"] == app.config["SURVEY_RECEIPT_LIMIT_PER_CLIENT"] == 100
    )
    assert set(wrong_codes(respondent, "receipt", 40)) == {200}  # forty residents' typos at one library
    code = saved_code(respondent)
    resident = respondent()
    resident.get(f"/s/{QID}/resume")
    resident.post(f"/s/{QID}/resume", {"code": code})
    assert resident.question is not None and resident.question.id == "age"
