"""What the public results say about themselves: when the consultation ran, when the report shown was
published, and the licence of the open data.

The licence is the Open Government Licence v3.0 unless `SURVEY_OPEN_DATA_LICENCE` and
`SURVEY_OPEN_DATA_LICENCE_URL` name another. The JSON carries `licence`, `published_on`, `opened_on` and
`closes_on`; the CSV stays a plain table (one header row, as spreadsheets and `read_csv` expect) and is
described by a W3C "CSV on the Web" metadata document at the CSV's address plus `-metadata.json`, which the
CSV's `Link: <…>; rel="describedby"` header points to (the way CSVW tools find it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCE_KEY = "SURVEY_OPEN_DATA_LICENCE"
LICENCE_URL_KEY = "SURVEY_OPEN_DATA_LICENCE_URL"
CSV_COLUMNS = (
    ("table", "question or population", "string"),
    ("key", "question id, or question id and item id", "string"),
    ("number", "question number", "string"),
    ("title", "question text", "string"),
    ("type", "single, multiple, rating or population", "string"),
    ("base", "people who answered (empty: hidden)", "integer"),
    ("answer_or_category", "answer or group", "string"),
    ("code", "answer code", "string"),
    ("count", "people (empty: hidden)", "integer"),
    ("share", "share of the base, 0 to 1 (empty: hidden)", "number"),
    ("population_share", "census share of the group, 0 to 1", "number"),
    ("note", "'hidden' for a figure hidden to protect privacy", "string"),
)


@dataclass(frozen=True)
class Licence:
    """The open data's licence: its name and the address of its text."""

    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    """When the consultation ran and when the report shown was published, with the open data's licence."""

    opened_on: date | None
    closes_on: date | None
    published_on: date
    licence: Licence

    def fields(self) -> dict[str, Any]:
        """The JSON open data's fields (ISO dates; null when a date is not set)."""
        return {
            "licence": {"name": self.licence.name, "url": self.licence.url},
            "published_on": self.published_on.isoformat(),
            "opened_on": self.opened_on.isoformat() if self.opened_on else None,
            "closes_on": self.closes_on.isoformat() if self.closes_on else None,
        }


def licence_from(config: Mapping[str, Any]) -> Licence:
    """The configured licence: OGL v3.0 unless both a name and an address are set (a name alone keeps no
    link to a wrong text: the OGL's address goes only with the OGL)."""
    name = str(config.get(LICENCE_KEY) or "").strip()
    url = str(config.get(LICENCE_URL_KEY) or "").strip()
    if name and url:
        return Licence(name, url)
    return Licence(OGL_NAME, OGL_URL)


def ran_key(publication: Publication, *, closed: bool) -> str | None:
    """The message (survey/web/i18n.py) saying when the consultation ran, or None with no dates."""
    opened, closes = publication.opened_on, publication.closes_on
    if closes is not None and closed:
        return "results_ran" if opened else "results_ran_until"
    if closes is not None:
        return "results_open_since_until" if opened else "results_open_until"
    return "results_opened_on" if opened else None


def csv_metadata(
    publication: Publication, *, csv_url: str, title: str, questionnaire_id: str
) -> dict[str, Any]:
    """The CSVW metadata of the CSV open data: licence, dates and what each column holds."""
    temporal = "/".join(d.isoformat() if d else ".." for d in (publication.opened_on, publication.closes_on))
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": title,
        "dc:identifier": questionnaire_id,
        "dc:license": {"@id": publication.licence.url, "dc:title": publication.licence.name},
        "dc:issued": {"@value": publication.published_on.isoformat(), "@type": "xsd:date"},
        "dc:temporal": temporal,
        "tableSchema": {
            "columns": [
                {"name": name, "titles": name, "dc:description": about, "datatype": kind}
                for name, about, kind in CSV_COLUMNS
            ]
        },
    }
