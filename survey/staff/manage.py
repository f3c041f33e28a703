"""Survey management: questionnaires with their versions and status, dates, close and reopen, retention."""
from __future__ import annotations
