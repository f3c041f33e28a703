"""Every audited action is listed in survey/services/audit.py and offered by the audit page's filter."""

from __future__ import annotations

import ast
from collections.abc import Callable

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from survey.services import audit
from tests.conftest import PROJECT_ROOT


def _texts(node: ast.expr) -> set[str]:
    """The string constants a value can be (both sides of `"a" if x else "b"`)."""
    options = [node.body, node.orelse] if isinstance(node, ast.IfExp) else [node]
    return {o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)}


def actions_in_the_code() -> set[str]:
    """Action names given to `record(...)` or as `action=`, or `area.verb` names assigned to `action`."""
    found: set[str] = set()
    for path in (PROJECT_ROOT / "survey").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name == "record" and node.args:
                    found |= _texts(node.args[0])
                for keyword in node.keywords:
                    found |= _texts(keyword.value) if keyword.arg == "action" else set()
            elif isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["action"]:
                found |= {text for text in _texts(node.value) if "." in text}  # not other kinds of action
    return found


def test_every_action_recorded_in_the_code_is_listed() -> None:
    used = actions_in_the_code()
    assert {"channel.create", "response.keyed", "codebook.theme.add", "retention.dry_run"} <= used  # it scans
    missing = sorted(used - set(audit.ACTIONS))
    assert not missing, f"not listed in survey/services/audit.py: {missing}"
    for action in audit.ACTIONS:
        assert action in (audit.__doc__ or ""), f"{action} is not in the module's docstring"


def test_the_action_filter_offers_every_listed_action(staff_client: Callable[..., FlaskClient]) -> None:
    admin = staff_client("admin")  # the trail holds only its sign-in so far
    page = BeautifulSoup(admin.get("/staff/audit").get_data(as_text=True), "html.parser")
    select = page.find("select", id="action")
    assert select is not None
    offered = [o["value"] for o in select.find_all("option") if o["value"]]
    assert offered == sorted(audit.ACTIONS)
    for action in ("channel.create", "response.keying_discarded", "export.download", "themes.coding"):
        filtered = admin.get(f"/staff/audit?action={action}")
        assert filtered.status_code == 200
        parsed = BeautifulSoup(filtered.get_data(as_text=True), "html.parser")
        chosen = parsed.select_one("#action option[selected]")
        assert chosen is not None and chosen["value"] == action
