"""The resident survey service: a Flask application factory over a pure-Python questionnaire engine."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from survey.config import configure, resource_dir, warn_unset_public_url


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application (configuration, extensions, blueprints)."""
    instance_dir = os.environ.get("SURVEY_INSTANCE_DIR")
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(Path(instance_dir).resolve()) if instance_dir else None,
        static_folder=None,
        template_folder=str(resource_dir("templates")),
    )
    configure(app, test_config)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(resource_dir("templates"))),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from survey.services import jobs
    from survey.store import db
    from survey.web import assets, health, i18n, logs, macro_cache, privacy, security
    from survey.web.errors import register_error_handlers

    logs.install()  # no statement parameters or refused rows in any log line
    db.init_app(app)
    i18n.init_app(app)
    macro_cache.init_app(app)
    security.init_app(app)
    privacy.init_app(app)
    assets.init_app(app)
    health.init_app(app)
    register_error_handlers(app)
    jobs.init_app(app)

    from survey.respond import bp as respond_bp

    app.register_blueprint(respond_bp)
    from survey.staff import bp as staff_bp

    app.register_blueprint(staff_bp)
    from survey.respond.links import bp as links_bp

    app.register_blueprint(links_bp)
    return app


def serving_app() -> Flask:
    """The app a web server serves (survey/wsgi.py, ./wsgi.py): `create_app()`, and the start-up warnings
    that concern serving only (survey.config.warn_unset_public_url)."""
    app = create_app()
    warn_unset_public_url(app)
    return app
