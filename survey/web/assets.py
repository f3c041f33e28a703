"""Serve GOV.UK Frontend's assets, the compiled stylesheet and the organisation's branding at /assets/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, send_from_directory, url_for

from survey.config import PROJECT_ROOT

bp = Blueprint("assets", __name__, url_prefix="/assets")

STATIC_DIR = PROJECT_ROOT / "survey" / "static"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_AGE = 24 * 3600


def _frontend_dir() -> Path:
    return Path(current_app.config["SURVEY_ASSETS_DIR"])


def _send(directory: Path, filename: str) -> Response:
    if not directory.is_dir():
        current_app.logger.error("Asset folder %s is missing: run `npm ci`", directory)
        abort(404)
    return send_from_directory(directory, filename, max_age=MAX_AGE)


@bp.get("/css/survey.css")
def stylesheet() -> Response:
    """The service's stylesheet (GOV.UK Frontend compiled with a system font stack)."""
    return _send(STATIC_DIR / "build", "survey.css")


@bp.get("/js/govuk-frontend.min.js")
def frontend_script() -> Response:
    """GOV.UK Frontend's JavaScript (an ES module)."""
    return _send(_frontend_dir(), "govuk-frontend.min.js")


@bp.get("/js/<path:filename>")
def script(filename: str) -> Response:
    """The service's own (module) scripts."""
    return _send(STATIC_DIR / "js", filename)


@bp.get("/images/<path:filename>")
def image(filename: str) -> Response:
    """GOV.UK Frontend's images, then the service's own."""
    own = STATIC_DIR / "images"
    if (own / filename).is_file():
        return _send(own, filename)
    return _send(_frontend_dir() / "assets" / "images", filename)


@bp.get("/fonts/<path:filename>")
def font(filename: str) -> Response:
    """GOV.UK Frontend's fonts (unused with the system font stack, kept for completeness)."""
    return _send(_frontend_dir() / "assets" / "fonts", filename)


@bp.get("/logo")
def logo() -> Response:
    """The organisation's logo file (SURVEY_ORG_LOGO, relative to the instance folder)."""
    configured = str(current_app.config.get("SURVEY_ORG_LOGO") or "")
    if not configured:
        abort(404)
    path = Path(current_app.instance_path) / configured
    return _send(path.parent, path.name)


def brand_colour(owner_colour: str | None = None) -> str | None:
    """The header colour: configuration first, then the questionnaire owner's; only #rrggbb is accepted."""
    for candidate in (current_app.config.get("SURVEY_ORG_COLOUR"), owner_colour):
        if candidate and HEX_COLOUR.match(str(candidate)):
            return str(candidate)
    return None


@bp.get("/brand/<colour>.css")
def brand(colour: str) -> Response:
    """A one-rule stylesheet giving the header the organisation's colour (no inline style needed)."""
    if not HEX_COLOUR.match("#" + colour):
        abort(404)
    css = f".app-header{{border-bottom-color:#{colour}}}\n"
    response = Response(css, mimetype="text/css")
    response.cache_control.max_age = MAX_AGE
    response.cache_control.public = True
    return response


def header_brand(owner: Any = None) -> dict[str, str | None]:
    """The header's organisation name, logo URL and colour: configuration first, then the owner's."""
    name = str(current_app.config.get("SURVEY_ORG_NAME") or getattr(owner, "name", "") or "")
    colour = brand_colour(getattr(owner, "colour", None))
    return {
        "name": name,
        "url": getattr(owner, "url", None),
        "logo": url_for("assets.logo") if current_app.config.get("SURVEY_ORG_LOGO") else None,
        "colour_css": url_for("assets.brand", colour=colour[1:]) if colour else None,
    }


def missing_assets(app: Flask) -> list[str]:
    """The built files without which every page would be unstyled (empty when all are there)."""
    needed = (
        STATIC_DIR / "build" / "survey.css",
        Path(app.config["SURVEY_ASSETS_DIR"]) / "govuk-frontend.min.js",
    )
    return [str(path) for path in needed if not path.is_file()]


def init_app(app: Flask) -> None:
    """Register the asset routes and the header branding helper for templates.

    Refuses to start (ConfigurationError) when the stylesheet or GOV.UK Frontend is missing: serving pages
    without them would look broken to every resident, with only a log line to say why.
    """
    missing = missing_assets(app)
    if missing:
        from survey.config import ConfigurationError

        raise ConfigurationError(
            "the built styles and scripts are missing: " + ", ".join(missing) + ". In a checkout run "
            "`npm ci` (it builds the stylesheet); install a wheel built by scripts/build_wheel.py, which "
            "carries them; or point SURVEY_ASSETS_DIR at GOV.UK Frontend's dist/govuk folder."
        )
    app.register_blueprint(bp)
    app.jinja_env.globals["header_brand"] = header_brand
