"""The partner view: groups the partnership still needs, what the partner's link brought in, poster and QR."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.staff.partner_needs import rounded_need
from survey.store import repository
from survey.store.db import get_engine
from survey.store.models import Response
from tests.integration.staff.test_channels import create

QID = "safermk-2016"


def test_a_partner_sees_the_groups_still_needed_and_their_links_with_small_counts_hidden(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    assert create(analyst, partner_name="Partner A", code="pa-one").status_code == 302
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(
            session, QID, row.version, generate(load_dict(row.definition), 80, 5, date(2026, 4, 1), days=30)
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
        assert not cells[2].isdigit() or int(cells[2]) >= 10
    links = [a["href"] for a in parsed.select("a")]
    assert "/staff/channels/pa-one/poster.pdf" in links and "/staff/channels/pa-one/qr.png" in links
    other = staff_client("partner", partner_name="Partner B")
    assert "pa-one" not in other.get("/staff/partner").get_data(as_text=True)


def test_needed_counts_are_rounded_and_never_small() -> None:
    assert rounded_need(0) == "none"
    assert rounded_need(7) == "fewer than 10"
    assert rounded_need(44) == "about 40" and rounded_need(1236) == "about 1,240"
