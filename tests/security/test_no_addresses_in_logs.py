"""The service logs no request addresses (docs/security.md), gunicorn's own lines included (third review).

gunicorn's access log is off, but its warning about a malformed request names the client:
"Invalid request from ip=127.0.0.1: Invalid HTTP request line: ...". The log scrubber hides the address
(IPv4 or IPv6) there, and in the proxy errors that quote one; here a real gunicorn gets a malformed
request line and its log is read.
"""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

import pytest
from flask import Flask

from harness.live_server import serve
from survey.web.logs import HIDDEN, scrub

ADDRESSES = [
    "127.0.0.1",
    "203.0.113.45",
    "::1",
    "2001:db8::8a2e:370:7334",
    "fe80::1%eth0",
    "::ffff:192.0.2.1",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_gunicorns_invalid_request_line_hides_the_address(address: str) -> None:
    line = f"Invalid request from ip={address}: Invalid HTTP request line: 'GARBAGE'"
    assert scrub(line) == f"Invalid request from ip={HIDDEN}: Invalid HTTP request line: 'GARBAGE'"


def test_proxy_errors_hide_the_addresses_they_quote() -> None:
    forbidden = scrub("Invalid request from ip=10.0.0.9: Proxy request from '10.0.0.9' not allowed")
    proxy_line = scrub(
        "Invalid request from ip=10.0.0.9: Invalid PROXY line: 'PROXY TCP4 192.0.2.1 10.0.0.9 1 2'"
    )
    for text in (forbidden, proxy_line):
        assert "10.0.0.9" not in text and "192.0.2.1" not in text and HIDDEN in text


def test_other_words_ending_in_ip_are_left_alone() -> None:
    assert scrub("skip=1 zip=2 tooltip=3") == "skip=1 zip=2 tooltip=3"


def test_any_logger_hides_the_address(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    logging.getLogger("gunicorn.error").warning("Invalid request from ip=%s: %s", "198.51.100.7", "bad line")
    assert "198.51.100.7" not in caplog.text and f"ip={HIDDEN}: bad line" in caplog.text


@pytest.mark.slow
def test_a_real_gunicorn_logs_no_address_for_a_malformed_request(tmp_path: Path) -> None:
    with serve(f"sqlite:///{tmp_path / 'survey.db'}", tmp_path, workers=1) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            client.sendall(b"GARBAGE\r\n\r\n")
            reply = client.recv(1024)
        assert reply.startswith(b"HTTP/1.1 400")
        deadline = time.monotonic() + 10
        while "Invalid request from" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log()
    assert f"Invalid request from ip={HIDDEN}" in log, log[-2000:]
    assert "ip=127.0.0.1" not in log
