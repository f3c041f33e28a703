"""Redaction of personal details in quotes, one kind at a time, and what must be left alone."""

from __future__ import annotations

import pytest

from analysis.text import redact


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("my neighbour John Smith parks on the verge", "my neighbour [name] parks on the verge"),
        ("My next door neighbour, Dave, plays music", "My next door neighbour, [name], plays music"),
        ("Mr Patel runs the shop", "Mr [name] runs the shop"),
        ("mrs jones said so", "mrs jones said so"),
        ("Mrs jones said so", "Mrs [name] said so"),
        ("Dr. Okafor was mugged", "Dr. [name] was mugged"),
        ("my son Tom was attacked", "my son [name] was attacked"),
    ],
)
def test_names(raw: str, expected: str) -> None:
    assert redact(raw) == expected


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "01908 123456",
        "(01908) 123 456",
        "+44 7700 900 123",
        "0044 1908 123456",
    ],
)
def test_phone_numbers(number: str) -> None:
    assert redact(f"ring me on {number} please") == "ring me on [phone] please"


def test_email() -> None:
    assert redact("email jo.bloggs+mk@example.co.uk now") == "email [email] now"


@pytest.mark.parametrize("postcode", ["MK9 3EJ", "mk10 9ab", "MK139AB", "SW1A 1AA"])
def test_postcodes(postcode: str) -> None:
    assert redact(f"I live in {postcode} near the lake") == "I live in [postcode] near the lake"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the house at 12 Acacia Avenue is a drug den", "the house at [number] Acacia Avenue is a drug den"),
        ("14 Saxon Street", "[number] Saxon Street"),
        ("they live at 5 acacia close", "they live at [number] acacia close"),
        ("the man at number 23 is noisy", "the man at number [number] is noisy"),
        ("flat 3b has parties", "flat [number] has parties"),
    ],
)
def test_house_numbers(raw: str, expected: str) -> None:
    assert redact(raw) == expected


@pytest.mark.parametrize("plate", ["AB12 CDE", "ab12cde", "P123 ABC", "ABC 123D"])
def test_vehicle_registrations(plate: str) -> None:
    assert redact(f"a car {plate} races every night") == "a car [registration] races every night"


@pytest.mark.parametrize(
    "text",
    [
        "speeding on the H6 and the V7 near the A5",
        "12 houses on our road were burgled",
        "my neighbour said it was fine",
        "ring 101 and wait 40 minutes",
        "the 20mph limit in 2016",
        "MK6 has the most litter",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text
