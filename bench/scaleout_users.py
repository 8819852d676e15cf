"""Simulated exporters of the scale-out proof: auditors and case officers asking for the register in the background.

Each asks through one instance and watches the progress through the other, alternating, so that the job's row,
queue and file must be shared by both. Some cancel. A finished file is downloaded and parsed (CSV) and then asked
for by another user, who must get 404. Everything seen goes into an ``Export`` record checked after the run.
"""

import csv
import io
import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.load_client import Recorder, Session

PROGRESS = re.compile(r"/downloads/(\d+)$")
ENDED = ("done", "failed", "cancelled")
POLL_SECONDS = 0.3
JOB_PATIENCE = 300.0  # seconds a job may take from request to end before the proof gives up on it
# The dashboard's filters the exporters choose from: none, by status, by department, both (a case officer's
# department filter is replaced by their own department by the app).
FILTERS = (
    {},
    {"status": ["approved", "decided"]},
    {"department": "GSF"},
    {"department": "SOF", "status": ["draft", "submitted"]},
    {"status": ["archived"]},
)


@dataclass
class Export:
    """One register export as one exporter saw it, from the request to the download."""

    job_id: int
    email: str
    file_format: str
    filters: dict
    asked_on: int  # the instance's port
    watched_on: int
    asked_at: float
    cancel_sent: bool = False
    cancel_seen_as: str = ""  # the state the page showed when cancel was pressed
    final_status: str = ""
    ended_at: float | None = None
    download_status: int = 0
    snoop_status: int = 0  # another user asking for the same file
    size: int = 0
    rows_by_assessment: Counter | None = None  # CSV only: data rows per assessment id
    problems: list[str] = field(default_factory=list)

    @property
    def seconds_to_end(self) -> float | None:
        return None if self.ended_at is None else self.ended_at - self.asked_at


@dataclass
class Exports:
    """Every export asked for (thread-safe)."""

    items: list[Export] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, export: Export) -> None:
        with self.lock:
            self.items.append(export)

    def problem(self, text: str) -> None:
        with self.lock:
            self.unexpected.append(text)


def csv_rows_by_assessment(text: str) -> Counter:
    """Data rows per value of the first column (the assessment id) of the register's CSV (BOM, semicolons)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    next(reader, None)  # the header
    return Counter(int(row[0]) for row in reader if row)


class Exporter:
    """One person asking for register exports until stopped; ``snoop`` is logged in as somebody else."""

    def __init__(self, email: str, snoop_email: str, password: str, ports: list[int], recorder: Recorder, **world):
        self.email, self.snoop_email, self.password = email, snoop_email, password
        self.ports = ports
        self.session = Session(ports, recorder)
        self.snoop = Session(ports, recorder)
        self.exports: Exports = world["exports"]
        self.stop: threading.Event = world["stop"]
        self.cancel_share: float = world["cancel_share"]
        self.rng = random.Random(world["seed"])
        self.turn = world["seed"]

    def login(self, session: Session, email: str) -> bool:
        page = session.get("login page", "/login")
        form = {"email": email, "password": self.password, "csrf_token": page.csrf()}
        answer = session.post("log in", "/login", form)
        if answer.status == 302 and "/login" not in answer.location:
            return True
        self.exports.problem(f"{email} could not log in: {answer.status}")
        return False

    def run(self) -> None:
        try:
            if not (self.login(self.session, self.email) and self.login(self.snoop, self.snoop_email)):
                return
            while not self.stop.is_set():
                if not self.one_export():
                    return
                time.sleep(self.rng.uniform(0.2, 1.0))  # reading the file
        except Exception as error:  # an answer the exporter could not read: the proof fails, it does not hang
            self.exports.problem(f"{self.email} stopped: {error!r}")

    def one_export(self) -> bool:
        """Ask on one instance, watch on the other, maybe cancel, download; False when the app misbehaved."""
        self.turn += 1
        asking, watching = self.ports[self.turn % 2], self.ports[(self.turn + 1) % 2]
        # One who will cancel asks for the longest file (the whole register as Excel), then thinks better of it:
        # some at once (the job mostly still queued), some once the page says the work is under way.
        cancel_when = self.rng.choice(("queued", "running")) if self.rng.random() < self.cancel_share else None
        file_format = "xlsx" if cancel_when else self.rng.choice(("csv", "csv", "xlsx"))
        filters = {} if cancel_when else self.rng.choice(FILTERS)
        query = urlencode(filters, doseq=True)
        dashboard = self.session.get("open dashboard", f"/reports/?{query}", port=asking)
        asked_at = time.monotonic()
        answer = self.session.post(
            "ask for export", f"/reports/register.{file_format}/job?{query}", {"csrf_token": dashboard.csrf()}, asking
        )
        match = PROGRESS.search(answer.location)
        if answer.status != 302 or not match:
            self.exports.problem(f"{self.email} asked for {file_format} {filters}: {answer.status} {answer.location}")
            return False
        export = Export(int(match.group(1)), self.email, file_format, filters, asking, watching, asked_at)
        self.exports.add(export)
        self.follow(export, cancel_when)
        self.download(export)
        return True

    def follow(self, export: Export, cancel_when: str | None) -> None:
        """The progress page, then its status until the job ends; cancel at once or once it runs, if so planned."""
        path = f"/downloads/{export.job_id}"
        page = self.session.get("progress page", path, port=export.watched_on)
        if page.status != 200:
            export.problems.append(f"progress page: {page.status}")
        state = "asked"
        while time.monotonic() - export.asked_at < JOB_PATIENCE:
            if cancel_when and not export.cancel_sent and (cancel_when == "queued" or state == "running"):
                export.cancel_sent, export.cancel_seen_as = True, state
                cancelled = self.session.post(
                    "cancel", f"{path}/cancel", {"csrf_token": page.csrf()}, port=export.watched_on
                )
                if cancelled.status != 302:
                    export.problems.append(f"cancel: {cancelled.status}")
            status = self.session.get("poll status", f"{path}/status", port=export.watched_on)
            if status.status != 200:
                export.problems.append(f"status: {status.status}")
                return
            state = json.loads(status.body)["status"]
            if state in ENDED:
                export.final_status, export.ended_at = state, time.monotonic()
                return
            time.sleep(POLL_SECONDS)
        export.problems.append(f"still not ended after {JOB_PATIENCE} s")

    def download(self, export: Export) -> None:
        """The owner downloads a finished file (404 for a cancelled one); another user must always get 404."""
        path = f"/downloads/{export.job_id}/file"
        answer = self.session.get("download", path, port=export.asked_on)
        export.download_status, export.size = answer.status, len(answer.body)
        if export.final_status == "done" and answer.status == 200 and export.file_format == "csv":
            export.rows_by_assessment = csv_rows_by_assessment(answer.body)
        elif export.final_status == "done" and answer.status == 200 and not answer.body.startswith("PK"):
            export.problems.append("the XLSX file is not a zip archive")
        export.snoop_status = self.snoop.get("download another's file", path, port=export.watched_on).status
