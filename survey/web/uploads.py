"""Checks on uploaded files before they are parsed: a JSON file nested absurdly deep is refused early.

The rules are survey.services.inputs' (one place for every number and JSON document from a request).
"""

from __future__ import annotations

from survey.services.inputs import MAX_JSON_DEPTH, json_depth, too_deep_message

__all__ = ["MAX_JSON_DEPTH", "json_depth", "too_deep_message"]
