"""Redact personal details in quotes: names, phones, emails, house numbers, postcodes, number plates."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# UK numbers: +44 / 0044 / 0 then 9-10 digits, with optional spaces, dashes, brackets.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)44\s?\(?0?\)?|\(?0)(?:[\s-]?\)?[\s-]?\d){9,10}\b")
# Full UK postcodes (outward + inward), any case, optional space: MK9 3EJ, mk10 9ab, SW1A 1AA.
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b")
# Number plates: current (AB12 CDE, any case), prefix (A123 BCD) and suffix (ABC 123D) formats.
_PLATE = re.compile(r"\b(?:(?i:[A-Z]{2}\d{2}\s?[A-Z]{3})|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b")
_STREET_WORDS = (
    "road|rd|street|st|avenue|ave|close|way|lane|drive|dr|court|crescent|place|gardens|grove|green|walk|"
    "mews|row|terrace|square|hill|rise|end|park|view|meadow|croft|gate|field|fields|common|bank|chase"
)
# "12 Acacia Avenue", "at 5 acacia avenue", "number 7", "flat 3": the number identifies a home.
_HOUSE = re.compile(
    rf"\b\d{{1,4}}[a-zA-Z]?(?=,?\s+(?:[A-Z][a-z]+\s+){{1,3}}(?i:{_STREET_WORDS})\b)"
    rf"|(?<=\bat\s)\d{{1,4}}[a-zA-Z]?(?=,?\s+(?:[a-z]+\s+){{1,3}}(?i:{_STREET_WORDS})\b)"
)
_NUMBERED = re.compile(r"\b((?i:number|flat|house|no\.?))\s*(\d{1,4}[a-zA-Z]?)\b")
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord)\.?"
_RELATION = (
    r"(?:[Mm]y|[Oo]ur|[Tt]he)\s+(?:next[\s-]door\s+)?(?:neighbou?rs?|son|daughter|husband|wife|partner|brother|"
    r"sister|mum|dad|mother|father|friend|landlord|landlady|carer|grandson|granddaughter|boyfriend|girlfriend)"
    r"|(?:called|named)"
)
_NAME = r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?"
_TITLED_NAME = re.compile(rf"\b({_TITLE})\s+[A-Za-z][A-Za-z'’-]+(?:\s+[A-Z][a-z'’-]+)?")
_RELATED_NAME = re.compile(
    rf"\b({_RELATION})(,?\s+(?:at\s+)?)(?!I\b|The\b|And\b|But\b|Who\b|When\b)({_NAME})"
)

NAME, PHONE, EMAIL, POSTCODE, HOUSE_NUMBER, PLATE = (
    "[name]",
    "[phone]",
    "[email]",
    "[postcode]",
    "[number]",
    "[registration]",
)


def redact(text: str) -> str:
    """The text with personal details replaced: [name] [phone] [email] [postcode] [number] [registration]."""
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(PHONE, text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _PLATE.sub(PLATE, text)
    text = _HOUSE.sub(HOUSE_NUMBER, text)
    text = _NUMBERED.sub(lambda m: f"{m.group(1)} {HOUSE_NUMBER}", text)
    text = _TITLED_NAME.sub(lambda m: f"{m.group(1)} {NAME}", text)
    return _RELATED_NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}{NAME}", text)
