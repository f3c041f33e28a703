"""The resident survey service: a Flask application factory over a pure-Python questionnaire engine."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application (configuration, extensions, blueprints)."""
    app = Flask(__name__, instance_relative_config=True)
    if test_config:
        app.config.update(test_config)
    return app
