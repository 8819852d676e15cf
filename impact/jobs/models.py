"""Long work done in the background for one person: its state, progress and finished file."""

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.models import User
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum


class JobStatus(LabelledEnum):
    queued = "queued", _l("Waiting to start")
    running = "running", _l("In progress")
    done = "done", _l("Ready")
    failed = "failed", _l("Failed")
    cancelled = "cancelled", _l("Cancelled")


ACTIVE = (JobStatus.queued, JobStatus.running)


class Job(db.Model):
    """One piece of background work asked for by ``user``; both the thread and the Redis worker write it."""

    __tablename__ = "jobs"
    __table_args__ = (
        sa.Index("ix_jobs_user_created", "user_id", "created_at"),
        sa.Index("ix_jobs_status", "status"),
        sa.CheckConstraint("rows_done >= 0", name="rows_done_not_negative"),
        sa.CheckConstraint(
            "status != 'done' OR (finished_at IS NOT NULL AND file_name IS NOT NULL)", name="done_has_file"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # What is made (a registered job kind, e.g. "register_xlsx") and from what (the export's filters).
    kind: Mapped[str] = mapped_column(sa.String(40))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    locale: Mapped[str] = mapped_column(sa.String(8), default="sv")  # the file speaks the asker's language
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus, "job_status"), default=JobStatus.queued)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[Optional[int]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Written with every progress report: a running job whose heartbeat stops was killed with its worker.
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    error: Mapped[Optional[str]] = mapped_column(sa.Text)  # for the person, in plain words; details go to the log
    # The remit the file was made under (e.g. a department code): a download under another remit is refused.
    scope: Mapped[Optional[str]] = mapped_column(sa.String(120))
    file_name: Mapped[Optional[str]] = mapped_column(sa.String(200))  # the name the browser saves it as
    file_path: Mapped[Optional[str]] = mapped_column(sa.String(200))  # a random name inside JOBS_DIR
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return 100 if self.status == JobStatus.done else None
        return min(100, round(100 * self.rows_done / self.rows_total))

    def elapsed_seconds(self, now: datetime | None = None) -> int:
        if self.started_at is None:
            return 0
        return int(((self.finished_at or now or utcnow()) - self.started_at).total_seconds())

    @property
    def downloadable(self) -> bool:
        return self.status == JobStatus.done and self.file_path is not None
