"""The engine stays a pure library: an AST scan proves it imports neither Flask, SQLModel nor analysis."""

from __future__ import annotations

import ast
import json
from pathlib import Path

ENGINE = Path(__file__).parents[3] / "survey" / "engine"
FORBIDDEN = {"flask", "flask_wtf", "sqlmodel", "sqlalchemy", "werkzeug", "analysis", "alembic"}
ALLOWED_SURVEY = "survey.engine"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def offenders(paths: list[Path]) -> list[str]:
    """The forbidden imports found in these files, as 'file: module'."""
    found = []
    for path in paths:
        for name in _imports(path):
            top = name.split(".")[0]
            if top in FORBIDDEN or (top == "survey" and not name.startswith(ALLOWED_SURVEY)):
                found.append(f"{path.name}: {name}")
    return found


def test_engine_modules_import_no_web_or_database_code() -> None:
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) > 5
    assert offenders(modules) == []


def test_the_scan_notices_forbidden_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import flask\nfrom sqlmodel import Field\nfrom survey.models import Response\n"
        "from survey.engine.model import Question\nimport json\n",
        "utf-8",
    )
    assert offenders([bad]) == ["bad.py: flask", "bad.py: sqlmodel", "bad.py: survey.models"]


def test_the_engine_schema_is_the_questionnaires_schema() -> None:
    from survey.engine.schema import schema

    path = ENGINE.parents[1] / "questionnaires" / "questionnaire.schema.json"
    shipped = json.loads(path.read_text("utf-8"))
    assert schema() == shipped
