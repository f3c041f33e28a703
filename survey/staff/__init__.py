"""The staff blueprint (`/staff`): sign-in, management, audit, and the other staff areas' pages.

Every view of this blueprint declares who may open it with `survey.staff.auth.require_role(...)`,
`login_required` or `public`; a view without a declaration is refused (fail closed).
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, abort, current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services.staff_settings import DEFAULTS, setting

bp = Blueprint("staff", __name__, url_prefix="/staff")
__all__ = ["DEFAULTS", "bp", "setting"]


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    app = state.app
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
        app.config[key] = int(app.config[key])


@bp.before_request
def _declared_views_only() -> None:
    """Refuse any staff view that does not say who may open it (a forgotten decorator fails closed)."""
    endpoint = request.endpoint or ""
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return
    if getattr(view, "staff_roles", None) is None and not getattr(view, "staff_public", False):
        current_app.logger.error("Staff view %s declares no role requirement: refused", endpoint)
        abort(403)


@bp.after_request
def _no_store(response: WerkzeugResponse) -> WerkzeugResponse:
    """Staff pages hold personal and unpublished data: never cached by the browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _import_views() -> None:
    """Import every module of this package so its views register on `bp` (no list to keep in step)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_import_views()
