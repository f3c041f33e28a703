"""Liveness and readiness for load balancers and orchestrators: /healthz and /readyz.

/healthz answers 200 while the process can serve requests (it touches nothing else). /readyz answers 200
only when the database is reachable and its schema is at the migrations' head, else 503 saying which
(nothing secret: no address or error text), so a new instance takes traffic only after `survey init-db`.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify

from survey.store.db import current_revision, get_engine, head_revisions, ping

bp = Blueprint("health", __name__)


def _plain(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """Alive."""
    return _plain(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready: the database answers and its schema is at head."""
    engine = get_engine()
    try:
        ping(engine)
        revision = current_revision(engine)
    except Exception:  # any driver error means: not ready
        return _plain(jsonify(status="unavailable", database="unreachable")), 503
    heads = head_revisions()
    if revision not in heads:
        return _plain(
            jsonify(
                status="unavailable", database="ok", migrations="behind", revision=revision, head=list(heads)
            )
        ), 503
    return _plain(jsonify(status="ok", database="ok", migrations="head", revision=revision)), 200


def init_app(app: Flask) -> None:
    """Register /healthz and /readyz (public: no sign-in, no session)."""
    app.register_blueprint(bp)
