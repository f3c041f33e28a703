"""The route-permission matrix: every staff endpoint, every role, and anonymous visitors.

Walks app.url_map, so staff pages added later are covered without editing this file. Each staff view must
declare who may open it (`require_role(...)`, `login_required` or `public`); the declared roles are read
from the view (`staff_roles`) and every other role must get 403, anonymous visitors the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from survey.store.models_staff import ROLES
from tests.integration.staff.conftest import FAST_HASHING

# The only staff pages anyone may open: signing in must be possible before signing in (password, then the
# two-factor code or its set-up, which check the half-finished sign-in themselves), and an invitation link.
PUBLIC_ENDPOINTS = frozenset(
    {"staff.sign_in", "staff.two_factor_code", "staff.two_factor_setup", "staff.accept_invite"}
)
SAMPLE_VALUES = {"questionnaire_id": "safermk-2016", "code": "ABC123", "fmt": "png", "format": "png"}


@pytest.fixture
def app_config() -> dict[str, Any]:
    """CSRF off: this test is about the permission layer, which a missing token would hide."""
    return {**FAST_HASHING, "WTF_CSRF_ENABLED": False}


def staff_rules(app: Flask) -> list[Rule]:
    """Every URL rule of the staff blueprint."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.")]


def sample_url(rule: Rule) -> str:
    """A URL for the rule, with plausible values for its parameters."""
    values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = rule._converters[name]  # noqa: SLF001  (the converter decides the type)
        numeric = isinstance(converter, NumberConverter)
        values[name] = 1 if numeric else SAMPLE_VALUES.get(name, "x")
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]


def requests_of(app: Flask) -> Iterator[tuple[str, str, str, frozenset[str] | None]]:
    """(endpoint, method, url, allowed roles or None for public) for every staff route and method."""
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        roles = None if getattr(view, "staff_public", False) else getattr(view, "staff_roles", None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, sample_url(rule), roles


def undeclared(app: Flask) -> list[str]:
    """Staff endpoints that say nothing about who may open them."""
    return sorted(
        rule.endpoint
        for rule in staff_rules(app)
        if getattr(app.view_functions[rule.endpoint], "staff_roles", None) is None
        and not getattr(app.view_functions[rule.endpoint], "staff_public", False)
    )


def test_every_staff_endpoint_declares_its_roles(app: Flask) -> None:
    assert len(staff_rules(app)) >= 10
    assert undeclared(app) == []
    public = {
        rule.endpoint
        for rule in staff_rules(app)
        if getattr(app.view_functions[rule.endpoint], "staff_public", False)
    }
    assert public == PUBLIC_ENDPOINTS


def test_the_check_catches_an_undeclared_view_and_it_is_refused(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    def forgotten() -> str:
        return "secret numbers"

    app.add_url_rule("/staff/forgotten", endpoint="staff.forgotten", view_func=forgotten)
    assert undeclared(app) == ["staff.forgotten"]
    admin = staff_client("admin")
    response = admin.get("/staff/forgotten")
    assert response.status_code == 403
    assert "secret numbers" not in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(app: Flask) -> None:
    client = app.test_client()
    checked = 0
    for endpoint, method, url, roles in requests_of(app):
        if roles is None:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302, f"{method} {url} ({endpoint}) gave {response.status_code}"
        assert response.headers["Location"].startswith("/staff/sign-in"), (endpoint, response.headers)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_outside_its_permissions(
    app: Flask, staff_client: Callable[..., FlaskClient], role: str
) -> None:
    client = staff_client(role)
    refused = allowed = 0
    for endpoint, method, url, roles in requests_of(app):
        if roles is None or endpoint in {"staff.sign_out", "staff.sign_out_everywhere"}:
            continue
        response = client.open(url, method=method)
        if role in roles:
            assert response.status_code not in {401, 403}, f"{role} refused {method} {url} ({endpoint})"
            assert response.status_code < 500, f"{method} {url} with no form data failed ({endpoint})"
            if response.status_code == 302:
                assert not response.headers["Location"].startswith("/staff/sign-in"), (role, endpoint)
            allowed += 1
        else:
            assert response.status_code == 403, f"{role} got {response.status_code} for {method} {url}"
            assert "You cannot open this page" in response.get_data(as_text=True)
            refused += 1
    assert client.get("/staff/").status_code == 200  # still signed in after the walk
    if role == "admin":
        assert refused == 0 and allowed >= 10
    else:
        assert refused >= 1 and allowed >= 1


def test_roles_match_the_issue(app: Flask) -> None:
    roles = {endpoint: allowed for endpoint, _m, _u, allowed in requests_of(app) if allowed is not None}
    assert roles["staff.audit_log"] == roles["staff.audit_csv"] == {"admin"}
    assert roles["staff.accounts"] == roles["staff.disable_account"] == {"admin"}
    assert roles["staff.set_dates"] == roles["staff.set_retention"] == roles["staff.publish"] == {"admin"}
    assert roles["staff.close_early"] == roles["staff.reopen"] == {"admin"}
    assert roles["staff.questionnaires"] == {"admin", "analyst"}
    assert roles["staff.home"] == set(ROLES)
    admin_only = (
        "invite_staff",
        "edit_account",
        "reset_account",
        "enable_account",
        "reset_two_factor",
        "retention_page",
        "retention_apply",
        "retention_record_dry_run",
    )
    assert all(roles[f"staff.{name}"] == {"admin"} for name in admin_only)
    analysts = (
        "paper_waiting",
        "paper_differences",
        "paper_enter_difference",
        "moderation_index",
        "moderation",
        "exclude_response",
        "restore_response",
        "results_index",
        "results_staff",
        "add_we_did",
        "remove_we_did",
        "we_did_languages",
        "publish_results",
        "unpublish_results",
        "builder_remove_section",
        "builder_remove_question",
        "builder_remove_choice",
        "builder_remove_contact",
        "builder_remove_mapping",
        "builder_ranges_new",
        "builder_structure",
    )
    assert all(roles[f"staff.{name}"] == {"admin", "analyst"} for name in analysts)
    assert roles["staff.partner_needs"] == {"admin", "analyst", "partner"}
    everyone = ("account_two_factor", "new_recovery_codes", "two_factor_off")
    assert all(roles[f"staff.{name}"] == set(ROLES) for name in everyone)
