"""The header shows the organisation (configuration first, then the questionnaire owner), never a crown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.respondent import Respondent


def test_owner_name_and_colour_by_default(respondent: Callable[..., Respondent]) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    header = resident.soup.select_one(".app-header")
    assert header is not None and resident.q.owner is not None
    assert resident.q.owner.name in header.get_text()
    colour = (resident.q.owner.colour or "").lstrip("#").lower()
    assert resident.soup.select_one(f'link[href="/assets/brand/{colour}.css"]') is not None
    assert resident.soup.select_one(".govuk-header__logotype, svg.govuk-header__logotype") is None


CONFIGURED: dict[str, Any] = {
    "SURVEY_ORG_NAME": "Milton Keynes City Council",
    "SURVEY_ORG_COLOUR": "#00703c",
    "SURVEY_ORG_LOGO": "logo.svg",
}


@pytest.mark.parametrize("app_config", [CONFIGURED])
def test_configuration_overrides_the_owner_and_serves_the_logo(
    app: Flask, respondent: Callable[..., Respondent]
) -> None:
    from pathlib import Path

    logo = Path(app.instance_path) / "logo.svg"
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    resident = respondent()
    resident.get("/s/safermk-2016")
    header = resident.soup.select_one(".app-header")
    assert header is not None and "Milton Keynes City Council" in header.get_text()
    assert resident.soup.select_one('link[href="/assets/brand/00703c.css"]') is not None
    image = resident.soup.select_one("img.app-header__logo")
    assert image is not None and image["alt"] == "" and image["src"] == "/assets/logo"
    with app.test_client().get("/assets/logo") as response:
        assert response.status_code == 200 and b"<svg" in response.data
