"""Partner channels: creating them, the /c/<code> short address, attribution, QR codes, posters, partners."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from xml.etree import ElementTree

import pytest
import zxingcpp
from bs4 import Tag
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session
from werkzeug.test import TestResponse

from survey.services import channels as links
from survey.store import repository, repository_channels
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of, error_summary_links, soup, table_rows
from tests.respondent import Respondent

QID = "safermk-2016"
SVG = "{http://www.w3.org/2000/svg}"


def create(client: FlaskClient, **fields: str) -> TestResponse:
    """Fill in and send the 'Create a channel' form."""
    token = csrf_of(client.get("/staff/channels/new"))
    data = {
        "questionnaire_id": QID,
        "partner_name": "Housing trust A",
        "medium": "poster",
        "label": "Posters in community centres",
        "code": "",
        **fields,
        "csrf_token": token,
    }
    return client.post("/staff/channels/new", data=data)


def decode_png(png: bytes) -> list[str]:
    """The texts of every QR code zxing-cpp finds in a PNG."""
    image = Image.open(io.BytesIO(png))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_analyst_creates_a_channel_with_a_chosen_code_and_it_is_audited(
    app: Flask, analyst: FlaskClient
) -> None:
    sent = create(analyst, code="HTA-Posters")
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith("/staff/channels/hta-posters?created=1")
    page = analyst.get("/staff/channels/hta-posters")
    assert page.status_code == 200
    link = soup(page).find(id="short-url")
    assert isinstance(link, Tag) and link.get_text(strip=True) == "http://localhost/c/hta-posters"
    [channel] = table_rows(app, repository_channels.Channel)
    assert (channel.code, channel.partner_name, channel.medium, channel.created_by) == (
        "hta-posters",
        "Housing trust A",
        "poster",
        "analyst1@example.gov.uk",
    )
    [event] = [e for e in table_rows(app, AuditEvent) if e.action == "channel.create"]
    assert event.actor == "analyst1@example.gov.uk" and event.questionnaire_id == QID
    assert event.details["code"] == "hta-posters"


def test_a_random_code_avoids_look_alike_characters(app: Flask, analyst: FlaskClient) -> None:
    assert create(analyst).status_code == 302
    [channel] = table_rows(app, repository_channels.Channel)
    assert len(channel.code) == 6 and set(channel.code) <= set(repository_channels.CODE_ALPHABET)


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        (
            {"partner_name": "", "label": "", "medium": ""},
            [
                "Enter the partner's name",
                "Select how the partner will share the link",
                "Enter a label, for example 'Posters in community centres'",
            ],
        ),
        ({"questionnaire_id": "no-such-survey"}, ["Select the questionnaire this link opens"]),
        (
            {"code": "a b"},
            [
                "Short code must be 3 to 32 letters, numbers or hyphens, and start and end with a "
                "letter or number"
            ],
        ),
        ({"label": "x" * 201}, ["Label must be 200 characters or fewer"]),
    ],
)
def test_bad_channel_forms_say_what_is_wrong_and_keep_the_input(
    app: Flask, analyst: FlaskClient, fields: dict[str, str], messages: list[str]
) -> None:
    page = create(analyst, **fields)
    assert page.status_code == 400
    assert error_summary_links(page) == messages
    assert table_rows(app, repository_channels.Channel) == []
    if fields.get("code"):
        assert soup(page).find("input", attrs={"name": "code"})["value"] == fields["code"]  # type: ignore[index]


def test_a_code_already_taken_is_refused(app: Flask, analyst: FlaskClient) -> None:
    assert create(analyst, code="libraries").status_code == 302
    page = create(analyst, code="Libraries", label="Second")
    assert page.status_code == 400
    taken = "The short code 'libraries' is already used by another link: choose another"
    assert error_summary_links(page) == [taken]
    assert len(table_rows(app, repository_channels.Channel)) == 1


def test_following_the_short_address_records_the_channel_on_the_stored_response(
    app: Flask, analyst: FlaskClient, respondent: Callable[..., Respondent]
) -> None:
    create(analyst, code="p3-outreach", partner_name="P3", medium="outreach", label="Outreach")
    resident = respondent(QID)
    hop = resident.client.get("/c/P3-Outreach")
    assert hop.status_code == 302
    assert hop.headers["Location"] == f"/s/{QID}?c=p3-outreach"
    resident.start(channel="p3-outreach")
    resident.walk()
    resident.submit()
    assert resident.path == f"/s/{QID}/done"
    [stored] = table_rows(app, Response)
    assert (stored.status, stored.channel, stored.mode) == ("complete", "p3-outreach", "online")


def test_following_the_link_itself_carries_the_code_to_the_start_form(
    app: Flask, analyst: FlaskClient, respondent: Callable[..., Respondent]
) -> None:
    create(analyst, code="libraries")
    resident = respondent(QID)
    resident.get("/c/libraries")  # follows the redirect like a phone camera would
    assert resident.path == f"/s/{QID}"
    hidden = resident.soup.find("input", attrs={"name": "c"})
    assert isinstance(hidden, Tag) and hidden["value"] == "libraries"


def test_unknown_and_switched_off_links_get_a_friendly_404_with_the_survey_list(
    app: Flask, analyst: FlaskClient, client: FlaskClient
) -> None:
    assert client.get("/c/" + "x" * 300).status_code == 404  # far longer than any code: not even looked up
    unknown = client.get("/c/nope42")
    assert unknown.status_code == 404
    assert soup(unknown).find("a", href="/") is not None
    assert "Page not found" in soup(unknown).h1.get_text()  # type: ignore[union-attr]

    create(analyst, code="old-posters")
    page = analyst.get("/staff/channels/old-posters/edit")
    sent = analyst.post(
        "/staff/channels/old-posters/edit",
        data={
            "csrf_token": csrf_of(page),
            "partner_name": "Housing trust A",
            "medium": "poster",
            "label": "Posters in community centres",
            "active": "no",
        },
    )
    assert sent.status_code == 302
    retired = client.get("/c/old-posters")
    assert retired.status_code == 404
    assert "no longer in use" in soup(retired).h1.get_text()  # type: ignore[union-attr]
    assert soup(retired).find("a", href="/") is not None
    [event] = [e for e in table_rows(app, AuditEvent) if e.action == "channel.edit"]
    assert event.details["old"] == {"active": True} and event.details["new"] == {"active": False}


def test_editing_without_choosing_a_status_is_an_error(analyst: FlaskClient) -> None:
    create(analyst, code="libraries")
    page = analyst.get("/staff/channels/libraries/edit")
    sent = analyst.post(
        "/staff/channels/libraries/edit",
        data={"csrf_token": csrf_of(page), "partner_name": "", "medium": "poster", "label": "Libraries"},
    )
    assert sent.status_code == 400
    assert error_summary_links(sent) == ["Enter the partner's name", "Select whether the link is in use"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "http://localhost/c/qr-test"),
        ({"SURVEY_PUBLIC_URL": "https://survey.example.org/"}, "https://survey.example.org/c/qr-test"),
        ({"SURVEY_PUBLIC_URL": "survey.example.org"}, "https://survey.example.org/c/qr-test"),
        ({"SURVEY_PUBLIC_URL": "http://10.0.0.5:8000/survey"}, "http://10.0.0.5:8000/survey/c/qr-test"),
    ],
)
def test_the_qr_png_decodes_to_the_absolute_short_address(
    app: Flask, analyst: FlaskClient, config: dict[str, str], expected: str
) -> None:
    app.config.update(config)
    create(analyst, code="qr-test")
    png = analyst.get("/staff/channels/qr-test/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert decode_png(png.get_data()) == [expected]
    svg = analyst.get("/staff/channels/qr-test/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(svg.get_data())
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}path") is not None
    assert root.findtext(f"{SVG}title") == f"QR code for {expected}"


def test_the_short_address_follows_the_request_host_when_no_public_url_is_set(app: Flask) -> None:
    with app.test_request_context("/staff/channels", base_url="https://survey.mk.example"):
        url = links.short_url("qr-host")
        assert url == "https://survey.mk.example/c/qr-host"
        assert decode_png(links.qr_png(url)) == [url]


def test_the_poster_is_an_a4_pdf_with_title_organisation_closing_date_address_and_a_readable_qr(
    app: Flask, analyst: FlaskClient
) -> None:
    app.config["SURVEY_PUBLIC_URL"] = "https://survey.example.org"
    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id=QID, opens=None, closes=date(2026, 8, 31)
        )
    create(analyst, code="poster-test", partner_name="Milton Keynes Libraries")
    sent = analyst.get("/staff/channels/poster-test/poster.pdf")
    assert sent.status_code == 200 and sent.mimetype == "application/pdf"
    assert 'filename="safermk-2016-poster-test-poster.pdf"' in sent.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(sent.get_data()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "SaferMK Partnership",
        "Have your say",
        "crime and community safety in Milton Keynes",
        "SaferMK is the community safety partnership",
        "closes on 31 August 2026",
        "survey.example.org/c/poster-test",
        "Shared by Milton Keynes Libraries",
    ):
        assert expected in text, expected
    [image] = reader.pages[0].images
    assert decode_png(image.data) == ["https://survey.example.org/c/poster-test"]
    # Tagged (PDF/UA-1): a screen reader gets its structure and reading order, its title and language.
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en" and reader.metadata is not None
    assert "Milton Keynes" in str(reader.metadata.title)  # the survey's own title


def test_a_partner_sees_only_their_own_channels_and_never_answers(
    app: Flask, staff_client: Callable[..., FlaskClient], respondent: Callable[..., Respondent]
) -> None:
    analyst = staff_client("analyst")
    create(analyst, code="trust-a", partner_name="Partner A")
    create(analyst, code="trust-b", partner_name="Partner B", label="Leaflets")
    resident = respondent(QID)
    resident.start(channel="trust-a")
    resident.walk({"concerns_text": "A very particular pothole on Secret Street"})
    resident.submit()
    respondent(QID).start(channel="trust-a")  # started, not finished

    partner = staff_client("partner")  # partner_name "Partner A"
    listing = partner.get("/staff/channels")
    assert listing.status_code == 200
    rows = soup(listing).select("#channel-list tbody tr")
    assert [r["data-channel"] for r in rows] == ["trust-a"]
    cells = [td.get_text(strip=True) for td in rows[0].find_all("td")]
    assert cells[-2:] == ["0", "0"]  # one response is under the first release step of 10: not shown yet
    assert "Create a channel" not in listing.get_data(as_text=True)

    own = partner.get("/staff/channels/trust-a")
    assert own.status_code == 200
    assert soup(own).select("#channel-days tbody tr") == []
    body = own.get_data(as_text=True)
    assert "Figures appear after the first 10 completed responses" in body
    assert "Secret Street" not in body
    # One respondent is far below ten: no group count of this channel is shown.
    assert soup(own).select("[id^=groups-] td") == []
    assert soup(own).select("p[id^=groups-]") == []  # before the first release step: no groups at all
    assert partner.get("/staff/channels/trust-b").status_code == 404
    assert partner.get("/staff/channels/trust-b/poster.pdf").status_code == 404
    assert partner.get("/staff/channels/trust-a/qr.png").status_code == 200
    for refused in (
        "/staff/channels/new",
        "/staff/channels/trust-a/edit",
        f"/staff/dashboard/{QID}",
        "/staff/dashboard",
        "/staff/paper",
        f"/staff/paper/{QID}",
    ):
        assert partner.get(refused).status_code == 403, refused


def test_a_partner_without_a_partner_name_sees_no_channels(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    create(analyst, code="trust-a", partner_name="Partner A")
    other = staff_client("partner", partner_name="Partner Z")
    page = other.get("/staff/channels")
    assert soup(page).select("#channel-list tbody tr") == []
    assert "There are no channels for your organisation yet" in page.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in (
        "/staff/channels",
        "/staff/channels/new",
        "/staff/channels/x/qr.png",
        "/staff/channels/x/poster.pdf",
    ):
        sent = client.get(path)
        assert sent.status_code == 302 and "/staff/sign-in" in sent.headers["Location"], path


def test_a_partner_sees_group_counts_of_ten_or_more_and_nothing_that_reveals_smaller_ones(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    create(analyst, code="trust-a", partner_name="Partner A")
    tenures = ["owned_outright"] * 12 + ["rent_council"] * 10 + ["rent_private"] * 3
    with app.app_context(), Session(get_engine()) as session:
        for i, tenure in enumerate(tenures):
            session.add(
                Response(
                    token=f"t{i}",
                    questionnaire_id=QID,
                    questionnaire_version="1",
                    channel="trust-a",
                    status="complete",
                    started_on=date(2026, 5, 30),
                    completed_on=date(2026, 5, 30),
                    answers={
                        "respondent_type": "resident",
                        "ward": "olney",
                        "tenure": tenure,
                        "sex": "female",
                    },
                )
            )
        session.commit()
    page = soup(staff_client("partner").get("/staff/channels/trust-a"))
    tenure = {
        tr["data-category"]: tr.td.get_text(strip=True)  # type: ignore[union-attr]
        for tr in page.select("#groups-tenure_households_grouped tr")
    }
    assert tenure == {
        "Owner-occupied incl. shared ownership": "12",
        "Social rented": "fewer than 10 or hidden",
        "Private rented incl. rent free": "fewer than 10 or hidden",
    }
    sex = {
        tr["data-category"]: tr.td.get_text(strip=True)  # type: ignore[union-attr]
        for tr in page.select("#groups-sex_age16to74 tr")
    }
    assert sex == {"Female": "25", "Male": "0"}
    ages = {td.get_text(strip=True) for td in page.select("#groups-age_adult16plus td")}
    assert ages == {"0"}  # nobody gave an age


def test_a_partner_page_moves_only_after_ten_more_completed_responses(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    create(analyst, code="trust-a", partner_name="Partner A")
    partner = staff_client("partner")

    def add(day: date, count: int, start: int) -> None:
        with app.app_context(), Session(get_engine()) as session:
            for i in range(start, start + count):
                session.add(
                    Response(
                        token=f"s{i}",
                        questionnaire_id=QID,
                        questionnaire_version="1",
                        channel="trust-a",
                        status="complete",
                        started_on=day,
                        completed_on=day,
                        answers={
                            "respondent_type": "resident",
                            "ward": "olney",
                            "sex": "female" if i % 2 else "male",
                        },
                    )
                )
            session.commit()

    def seen() -> tuple[list[list[str]], list[str]]:
        page = soup(partner.get("/staff/channels/trust-a"))
        steps = [
            [c.get_text(strip=True) for c in r.find_all(["th", "td"])]
            for r in page.select("#channel-days tbody tr")
        ]
        listing = soup(partner.get("/staff/channels")).select("#channel-list tbody tr")[0]
        return steps, [td.get_text(strip=True) for td in listing.find_all("td")][-2:]

    add(date(2026, 5, 20), 12, 0)
    first = seen()
    assert first == ([["Wed 20 May 2026", "–", "12"]], ["12", "12"])
    add(date(2026, 5, 21), 1, 12)  # one more person: the page must not move
    assert seen() == first
    add(date(2026, 5, 22), 8, 13)
    assert seen() == first  # 9 since the last step
    add(date(2026, 5, 23), 1, 21)  # the tenth: one step of 10
    steps, totals = seen()
    assert steps == [["Sat 23 May 2026", "–", "10"], ["Wed 20 May 2026", "–", "12"]]
    assert totals == ["22", "22"]
    assert "changes only after at least 10 more completed responses" in partner.get(
        "/staff/channels/trust-a"
    ).get_data(as_text=True)


def test_the_polish_poster_speaks_polish_and_its_qr_opens_the_survey_in_polish(
    app: Flask, analyst: FlaskClient, respondent: Callable[..., Respondent]
) -> None:
    app.config["SURVEY_PUBLIC_URL"] = "https://survey.example.org"
    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id=QID, opens=None, closes=date(2026, 8, 31)
        )
    create(analyst, code="poster-pl", partner_name="Polish Saturday School")
    detail = soup(analyst.get("/staff/channels/poster-pl"))
    assert [a.get_text(strip=True) for a in detail.select("a[href*='poster.pdf']")] == [
        "Download the A4 poster (PDF), English",
        "Download the A4 poster (PDF), Polski",
    ]
    sent = analyst.get("/staff/channels/poster-pl/poster.pdf?lang=pl")
    assert sent.status_code == 200
    assert 'filename="safermk-2016-poster-pl-poster-pl.pdf"' in sent.headers["Content-Disposition"]
    page = PdfReader(io.BytesIO(sent.get_data())).pages[0]
    text = " ".join(page.extract_text().split())
    for expected in (
        "Wyraź swoją opinię",
        "Ankieta SaferMK: przestępczość i bezpieczeństwo w Milton Keynes",
        "zajmie najwyżej 10 minut",
        "Ankietę można wypełnić do 31 sierpnia 2026",
        "survey.example.org/c/poster-pl",
        "Udostępnione przez: Polish Saturday School",
    ):
        assert expected in text, expected
    assert "Have your say" not in text
    [qr] = decode_png(page.images[0].data)
    assert qr == "https://survey.example.org/c/poster-pl?lang=pl"
    resident = respondent(QID)
    resident.get(qr.removeprefix("https://survey.example.org"))
    assert resident.path == f"/s/{QID}"
    assert resident.soup.html["lang"] == "pl"  # type: ignore[index]
    hidden = resident.soup.find("input", attrs={"name": "c"})
    assert isinstance(hidden, Tag) and hidden["value"] == "poster-pl"
    assert analyst.get("/staff/channels/poster-pl/poster.pdf?lang=de").status_code == 404


@pytest.mark.parametrize(
    ("n", "unit"),
    [
        (1, "minutę"),
        (2, "minuty"),
        (4, "minuty"),
        (5, "minut"),
        (12, "minut"),
        (14, "minut"),
        (22, "minuty"),
        (25, "minut"),
    ],
)
def test_polish_minutes_take_the_right_plural(n: int, unit: str) -> None:
    assert links.minutes_unit(n, "pl") == unit
    assert links.minutes_unit(n, "en") == ("minute" if n == 1 else "minutes")
