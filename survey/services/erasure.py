"""Erasing one resident's response (UK GDPR Article 17): what goes with it, said before and after.

Used by the resident's receipt (survey/respond/receipt.py) and by admins' erasure by number
(survey/staff/erasure.py). With the response go its hand-coded themes, every report snapshot not published
on the public results page (interim or final) made from data that could hold it, the report and export
files kept for download since it was started, and report and export jobs still running (stopped). Reports
published on the public results page stay as published and are not recomputed (docs/security.md says why);
the counts say how many, so no message claims otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from survey.engine.catalogue import Nn_
from survey.services.words import ngettext
from survey.store import repository_security as stored
from survey.store.db import Session, truncate_write_ahead_log
from survey.store.models import Response

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    """What erasing a response removes (or would remove) and keeps."""

    hand_codes: int = 0
    snapshots: int = 0  # unpublished report snapshots deleted
    published_kept: int = 0  # snapshots on the public results page that may count it, kept
    job_files: int = 0  # report and export files kept for download, deleted
    jobs_stopped: int = 0  # report and export jobs still queued or running, stopped

    @classmethod
    def of(cls, counts: dict[str, int]) -> Erasure:
        """From the store's counts."""
        return cls(**{name: int(counts.get(name, 0)) for name in cls.__dataclass_fields__})


def plan(*, session: Session, response: Response) -> Erasure:
    """What erasing `response` would remove and keep (nothing is changed)."""
    return Erasure.of(stored.erasure_counts(session=session, response=response))


def erase(*, session: Session, response: Response) -> Erasure:
    """Erase `response` and whatever may hold it, in one transaction; on SQLite the write-ahead log is then
    emptied, so no earlier copy of the answers survives in the `-wal` file."""
    erased = Erasure.of(stored.erase_response(session=session, response=response))
    if not truncate_write_ahead_log(session):
        log.warning(
            "erasure: the SQLite write-ahead log is in use and was not emptied; the next checkpoint does it"
        )
    return erased


def plural(count: int, one: str, many: str) -> str:
    """'1 file', '2 files': `one` and `many` are msgids with `%(num)s` (marked Nn_), translated here."""
    return ngettext(one, many, count)


# Counted things in retention's and erasure's messages (singular and plural msgids, `%(num)s` the count).
FILE_WORDS = Nn_("%(num)s report, export or suggestion file", "%(num)s report, export or suggestion files")
JOB_WORDS = Nn_("%(num)s report, export or suggestion job", "%(num)s report, export or suggestion jobs")


def describe(erasure: Erasure, *, done: bool) -> list[str]:
    """For staff, one line per thing: what goes (or went) with the response and what stays (each line a
    whole sentence for translators: the done and the planned sentences are different msgids)."""
    themes, snapshots, files = erasure.hand_codes, erasure.snapshots, erasure.job_files
    if done:
        lines = [
            ngettext(
                "%(num)s hand-coded theme of it deleted", "%(num)s hand-coded themes of it deleted", themes
            ),
            ngettext(
                "%(num)s unpublished report snapshot that may count it deleted",
                "%(num)s unpublished report snapshots that may count it deleted",
                snapshots,
            ),
            ngettext(
                "%(num)s report, export or suggestion file kept for download deleted",
                "%(num)s report, export or suggestion files kept for download deleted",
                files,
            ),
        ]
    else:
        lines = [
            ngettext(
                "%(num)s hand-coded theme of it will be deleted",
                "%(num)s hand-coded themes of it will be deleted",
                themes,
            ),
            ngettext(
                "%(num)s unpublished report snapshot that may count it will be deleted",
                "%(num)s unpublished report snapshots that may count it will be deleted",
                snapshots,
            ),
            ngettext(
                "%(num)s report, export or suggestion file kept for download will be deleted",
                "%(num)s report, export or suggestion files kept for download will be deleted",
                files,
            ),
        ]
    if erasure.jobs_stopped and done:
        lines.append(
            ngettext(
                "%(num)s report, export or suggestion job stopped",
                "%(num)s report, export or suggestion jobs stopped",
                erasure.jobs_stopped,
            )
        )
    elif erasure.jobs_stopped:
        lines.append(
            ngettext(
                "%(num)s report, export or suggestion job will be stopped",
                "%(num)s report, export or suggestion jobs will be stopped",
                erasure.jobs_stopped,
            )
        )
    if erasure.published_kept:
        lines.append(
            ngettext(
                "%(num)s report published on the public results page stays as published (not recomputed)",
                "%(num)s reports published on the public results page stay as published (not recomputed)",
                erasure.published_kept,
            )
        )
    return lines


def audit_counts(erasure: Erasure) -> dict[str, Any]:
    """The counts an erasure's audit event records (resident's and staff's alike)."""
    return {
        "hand_codes": erasure.hand_codes,
        "snapshots": erasure.snapshots,
        "published_kept": erasure.published_kept,
        "job_files": erasure.job_files,
        "jobs_stopped": erasure.jobs_stopped,
    }
