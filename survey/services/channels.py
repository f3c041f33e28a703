"""Short addresses, QR codes (segno) and printable A4 posters (WeasyPrint) for partner channels."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from flask import current_app, request, url_for

QR_ERROR_LEVEL = "m"  # 15% of the code may be damaged or covered and it still reads
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


# The poster's own words, per language (the survey's title and description come from the questionnaire).
POSTER_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "call": "Have your say",
        "minutes": "It takes up to {n} {unit}.",
        "closes": "The survey closes on {date}.",
        "how": "Scan the code with your phone's camera, or type this address:",
        "shared": "Shared by {partner}",
        "qr_alt": "QR code for {url}",
    },
    "pl": {
        "call": "Wyraź swoją opinię",
        "minutes": "Wypełnienie ankiety zajmie najwyżej {n} {unit}.",
        "closes": "Ankietę można wypełnić do {date}.",
        "how": "Zeskanuj kod aparatem w telefonie albo wpisz ten adres:",
        "shared": "Udostępnione przez: {partner}",
        "qr_alt": "Kod QR z adresem {url}",
    },
}


def minutes_unit(n: int, lang: str) -> str:
    """'minute'/'minutes'; Polish accusative: minutę (1), minuty (2-4, 22-24, ...), minut (otherwise)."""
    if lang == "pl":
        if n == 1:
            return "minutę"
        return "minuty" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "minut"
    return "minute" if n == 1 else "minutes"


def poster_words(lang: str, *, minutes: int, closes: str | None, partner: str, url: str) -> dict[str, str]:
    """The poster's sentences in `lang` (English when the service has no words for that language)."""
    text = POSTER_TEXT.get(lang, POSTER_TEXT["en"])
    return {
        "call": text["call"],
        "minutes": text["minutes"].format(n=minutes, unit=minutes_unit(minutes, lang)),
        "closes": text["closes"].format(date=closes) if closes else "",
        "how": text["how"],
        "shared": text["shared"].format(partner=partner) if partner else "",
        "qr_alt": text["qr_alt"].format(url=url),
    }


class PosterError(RuntimeError):
    """The poster could not be made (WeasyPrint failed); the message says why."""


def public_base_url() -> str:
    """The service's public address: SURVEY_PUBLIC_URL when set, else the address this request came to."""
    configured = str(current_app.config.get("SURVEY_PUBLIC_URL") or "").strip()
    if configured:
        if "://" not in configured:  # "survey.example.org" alone is not an address a phone can open
            configured = "https://" + configured
        return configured.rstrip("/")
    return request.url_root.rstrip("/")


def short_url(code: str, lang: str | None = None) -> str:
    """The absolute short address of a channel, e.g. https://survey.example.org/c/k7m2qp (?lang=pl)."""
    args: dict[str, Any] = {"lang": lang} if lang else {}
    return public_base_url() + url_for("links.follow", code=code, **args)


def display_url(url: str) -> str:
    """The short address as printed on a poster: without https:// (people type it into a browser)."""
    return url.removeprefix("https://").removeprefix("http://")


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, title: str | None = None) -> bytes:
    """The QR code of `url` as a standalone SVG (scalable: print it any size)."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=10, border=QR_BORDER, title=title)
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The QR code of `url` as a PNG with `scale` pixels per module."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


def qr_png_data_uri(url: str, *, scale: int = 20) -> str:
    """The PNG QR code as a data: URI (for the poster; no file or network fetch)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url, scale=scale)).decode("ascii")


def poster_pdf(html: str) -> bytes:
    """Render the poster's HTML (A4, its own print styles) to PDF bytes."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: URIs only: the poster never loads anything from a network or the disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    try:
        # PDF/UA-1 tags the structure (StructTreeRoot, MarkInfo) so screen readers can read the poster.
        pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
    except Exception as error:  # WeasyPrint raises many kinds; the view turns this into a calm page
        raise PosterError(f"the poster could not be made ({type(error).__name__}: {error})") from error
    if not isinstance(pdf, bytes):
        raise PosterError("the poster could not be made (WeasyPrint returned no PDF)")
    return pdf
