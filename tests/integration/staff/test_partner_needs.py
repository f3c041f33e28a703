"""The partner view: groups the partnership still needs, what the partner's link brought in, poster and QR."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session

from analysis.disclosure.partner_page import released
from survey.config import today
from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.services.partner_needs import SMALLER_GROUPS
from survey.services.reporting import make_report
from survey.store import repository
from survey.store.db import get_engine, get_session
from survey.store.models import Response
from survey.store.repository_dashboard import responses_for_dashboard
from tests.integration.staff.test_channels import create
from tests.respondent import Respondent

QID = "safermk-2016"
BAND = re.compile(r"some|not shown|fewer than [\d,]+|[\d,]+ to [\d,]+|[\d,]+ or more")


def test_a_partner_sees_the_groups_still_needed_and_their_links_with_small_counts_hidden(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    assert create(analyst, partner_name="Partner A", code="pa-one").status_code == 302
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(
            session, QID, row.version, generate(load_dict(row.definition), 300, 5, date(2026, 4, 1), days=30)
        )
        session.execute(update(Response).where(Response.id <= 40).values(channel="pa-one"))  # type: ignore[arg-type]
        session.commit()
    partner = staff_client("partner")
    page = partner.get("/staff/partner")
    assert page.status_code == 200
    parsed = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    table = parsed.select_one(f"#needs-{QID}")
    assert table is not None, parsed.get_text()[:2000]
    assert "From" in table.get_text() and "pa-one" in table.get_text()
    for row_ in table.select("tbody tr"):
        cells = [td.get_text(strip=True) for td in row_.select("td")]
        reached = cells[-1]
        assert reached.startswith("fewer than") or int(reached) == 0 or int(reached) >= 10  # 0 reveals no one
        assert BAND.fullmatch(cells[1]), cells[1]  # the need: a band, never a count
    links = [a["href"] for a in parsed.select("a")]
    assert "/staff/channels/pa-one/poster.pdf" in links and "/staff/channels/pa-one/qr.png" in links
    other = staff_client("partner", partner_name="Partner B")
    assert "pa-one" not in other.get("/staff/partner").get_data(as_text=True)


def test_the_page_shows_no_share_of_responses_and_says_smaller_groups_are_not_listed(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    """Issue 12: shares of responses and needs to the nearest 10 pinned hidden counts of the partner
    report; a group is listed only when that report still flags it "under", its need in a wide band."""
    analyst = staff_client("analyst")
    assert create(analyst, partner_name="Partner A", code="pa-one").status_code == 302
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(
            session, QID, row.version, generate(load_dict(row.definition), 300, 5, date(2026, 4, 1), days=30)
        )
    page = staff_client("partner").get("/staff/partner")
    assert page.status_code == 200
    parsed = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert "Share of responses" not in parsed.get_text()
    assert _text(parsed, f"#needs-{QID}-smaller") == SMALLER_GROUPS
    table = parsed.select_one(f"#needs-{QID}")
    assert table is not None, parsed.get_text()[:2000]
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[:3] == ["Group", "Share of population", "More responses needed"]
    flags = {(d.dimension, r.category): r.flag for d in _partner_report(app).profile for r in d.rows}
    rows = table.select("tbody tr")
    assert rows
    for tr in rows:
        assert flags[(tr["data-dimension"], tr["data-category"])] == "under"  # as the partner report says
        needed = tr.select("td")[1].get_text(strip=True)
        assert BAND.fullmatch(needed), needed


def _partner_report(app: Flask) -> Any:
    with app.app_context():
        point = released(
            responses_for_dashboard(session=get_session(), questionnaire_id=QID), today=today(), threshold=10
        )[0]
        assert point is not None
        return make_report(
            session=get_session(),
            questionnaire_id=QID,
            kind="interim",
            fmt="json",
            as_of=point,
            created_by="test",
            keep=False,
            audience="partner",
        ).report


def _text(page: Tag, selector: str) -> str:
    found = page.select_one(selector)
    return found.get_text(" ", strip=True) if found is not None else ""


def _figures(page: BeautifulSoup, code: str) -> tuple[int, int, dict[str, str]]:
    """(completed in all, completed through the link, the link's column) as the partner view shows them."""
    total = re.search(r"(\d+) completed responses in all", _text(page, f"#needs-{QID}-as-of"))
    link = _text(page, f"#links-{QID} li[data-code={code}]")
    assert link, "the link is not listed"
    through = re.search(r"(\d+) completed responses up to", link)
    column = {
        f"{tr['data-dimension']}:{tr['data-category']}": _text(tr, f"td[data-code={code}]")
        for tr in page.select(f"#needs-{QID} tbody tr")
    }
    return int(total.group(1)) if total else 0, int(through.group(1)) if through else 0, column


def test_thirty_single_responses_through_a_partner_link_move_the_partner_view_only_in_steps(
    app: Flask, staff_client: Callable[..., FlaskClient], respondent: Callable[..., Respondent]
) -> None:
    analyst = staff_client("analyst")
    assert create(analyst, partner_name="Partner A", code="pa-one").status_code == 302
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None  # the rest of the consultation so far, through no link
        store(
            session, QID, row.version, generate(load_dict(row.definition), 90, 7, date(2026, 4, 1), days=30)
        )
    partner = staff_client("partner")
    start = date(2026, 6, 1)
    snapshots = []
    for k in range(30):
        app.config["SURVEY_FIXED_DATE"] = (start + timedelta(days=k // 4)).isoformat()  # four a day
        resident = respondent(QID)
        resident.get("/c/pa-one")
        resident.start(channel="pa-one")
        resident.walk(
            {
                "respondent_type": "resident",
                "ward": "central_milton_keynes" if k % 3 else "olney",
                "tenure": "rent_private",
                "sex": "male" if k % 5 else "female",
                "age": 22 + k % 7,
            }
        )
        resident.submit()
        assert resident.path == f"/s/{QID}/done"
        page = partner.get("/staff/partner")
        assert page.status_code == 200
        parsed = BeautifulSoup(page.get_data(as_text=True), "html.parser")
        main = parsed.select_one("main")
        assert main is not None
        snapshots.append((main.get_text(" ", strip=True), _figures(parsed, "pa-one"), parsed))
        # The link's own page (what the partner sees of it) agrees with the partner view.
        channel = BeautifulSoup(partner.get("/staff/channels/pa-one").get_data(as_text=True), "html.parser")
        shown = {
            f"{table['id'].removeprefix('groups-')}:{tr['data-category']}": tr.td.get_text(strip=True)  # type: ignore[union-attr]
            for table in channel.select("table[id^=groups-]")
            for tr in table.select("tr[data-category]")
        }
        _total, through_link, column = snapshots[-1][1]
        listing = BeautifulSoup(partner.get("/staff/channels").get_data(as_text=True), "html.parser")
        [cells] = [tr.find_all("td") for tr in listing.select("#channel-list tbody tr")]
        assert int(cells[-1].get_text(strip=True)) == through_link
        for key, value in column.items():
            if value != "not shown yet" and key in shown:
                assert shown[key] == value, (k, key, shown[key], value)
        for value in column.values():  # never a small count of the link's groups
            assert value in {"not shown yet", "fewer than 10 or hidden", "0"} or int(value) >= 10, value

    moves = 0
    for (before, (total_0, link_0, _), _), (after, (total_1, link_1, _), _) in itertools.pairwise(snapshots):
        if before == after:
            continue
        moves += 1
        # The page moved: only because at least 10 more completed responses were released.
        assert total_1 - total_0 >= 10 or link_1 - link_0 >= 10, (before, after)
        assert link_1 == link_0 or link_1 - link_0 >= 10
    assert moves >= 2
    # Responses of the same day never show: the last four (today) are not counted yet.
    assert snapshots[-1][1][1] <= 26
    # and what the link brought in is shown once released, agreeing with the group counts
    assert any(v not in {"not shown yet", "fewer than 10 or hidden"} for v in snapshots[-1][1][2].values())
