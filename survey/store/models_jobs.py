"""Background jobs as staff and the CLI see them: what was asked, how far it has got, and its result.

The queue itself (what a worker picks up next, retries, schedules) is huey's (survey/services/jobs/); this
table is the record staff pages read: status and progress written by the worker, a cancel request written
by the web, and the finished file kept for download (so it survives a restart of any process and any app
instance can serve it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")


class Job(SQLModel, table=True):
    """One piece of heavy work (a report, an export, retention, ...) run by a worker, not a web request."""

    __tablename__ = "jobs"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    questionnaire_id: str | None = Field(default=None, max_length=64, index=True)
    params: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    status: str = Field(default="queued", max_length=16, index=True)
    progress: int = 0  # percent, 0-100
    message: str = Field(default="", max_length=300)
    cancel_requested: bool = False
    attempts: int = 0
    # Times it was queued again because its worker stopped or its queue entry was lost (at most once: the
    # next time it is failed, "the job stopped without finishing"); attempts are counted as before.
    recoveries: int = 0
    error: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=254)
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True)))
    # The last sign of life: set when a worker claims the job and at every progress step, and when it is
    # queued again after its worker stopped (survey.services.jobs.recover_abandoned reads it).
    heartbeat_at: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True)))
    worker: str | None = Field(default=None, max_length=120)  # host:pid of the process running it
    finished_at: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True)))
    result_name: str | None = Field(default=None, max_length=200)
    result_type: str | None = Field(default=None, max_length=100)
    result: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary()))
    summary: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    # At most one job per key (unique; None for most jobs): work any page may ask for at once, such as the
    # partner report of one release point, is made once and its result read by every process.
    dedupe_key: str | None = Field(default=None, max_length=100, unique=True, index=True)
