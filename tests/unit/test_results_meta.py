"""The open data's licence setting and the sentence saying when a consultation ran."""

from __future__ import annotations

from datetime import date

import pytest

from survey.services.results_meta import OGL_NAME, OGL_URL, Licence, Publication, licence_from, ran_key


def test_the_licence_is_the_ogl_unless_a_name_and_an_address_are_both_set() -> None:
    assert licence_from({}) == Licence(OGL_NAME, OGL_URL)
    assert licence_from({"SURVEY_OPEN_DATA_LICENCE": "CC BY 4.0"}) == Licence(OGL_NAME, OGL_URL)
    chosen = licence_from(
        {
            "SURVEY_OPEN_DATA_LICENCE": " CC BY 4.0 ",
            "SURVEY_OPEN_DATA_LICENCE_URL": "https://creativecommons.org/licenses/by/4.0/",
        }
    )
    assert chosen == Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


@pytest.mark.parametrize(
    ("opened", "closes", "closed", "key"),
    [
        (date(2016, 6, 1), date(2016, 8, 31), True, "results_ran"),
        (None, date(2016, 8, 31), True, "results_ran_until"),
        (date(2016, 6, 1), date(2016, 8, 31), False, "results_open_since_until"),
        (None, date(2016, 8, 31), False, "results_open_until"),
        (date(2016, 6, 1), None, False, "results_opened_on"),
        (None, None, False, None),
    ],
)
def test_when_it_ran_is_said_with_the_dates_known(
    opened: date | None, closes: date | None, closed: bool, key: str | None
) -> None:
    publication = Publication(opened, closes, date(2016, 9, 1), Licence(OGL_NAME, OGL_URL))
    assert ran_key(publication, closed=closed) == key
    fields = publication.fields()
    assert fields["opened_on"] == (opened.isoformat() if opened else None)
    assert fields["published_on"] == "2016-09-01"
