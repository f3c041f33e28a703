"""The public blueprint: start page, one question per page, check answers, send, save and resume, exit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respond", __name__)

# The route modules register themselves on bp.
from survey.respond import outage as outage  # noqa: E402
from survey.respond import receipt as receipt  # noqa: E402
from survey.respond import results as results  # noqa: E402
from survey.respond import resume as resume  # noqa: E402
from survey.respond import views as views  # noqa: E402
