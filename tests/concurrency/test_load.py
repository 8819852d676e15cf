"""The load test at a reduced size: gunicorn on a fresh database of the suite's kind, officers racing each other.

The full size (two instances, 50 officers, 60 seconds) is `make load`; its figures are in the README.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import kind_of, postgres_server

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

ROOT = Path(__file__).resolve().parents[2]


def test_reduced_load_loses_nothing_and_reports_every_conflict(database_url):
    kind = kind_of(database_url)
    command = [sys.executable, "-m", "bench.load", "--database", kind, "--officers", "8", "--reviewers", "2"]
    command += ["--seconds", "10", "--workers", "2", "--instances", "2" if kind == "postgresql" else "1"]
    command += ["--pg-url", postgres_server(database_url)]
    # A subprocess: the load test runs its own threads and servers, apart from the suite's warnings filter.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=150, check=False)  # noqa: S603
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-3000:]
    figures = json.loads(lines[-1])
    assert result.returncode == 0, result.stdout[-3000:]
    assert figures["server_errors"] == 0 and figures["transport_errors"] == 0
    assert figures["database_is_locked"] == 0 and figures["tracebacks_in_logs"] == 0
    assert figures["lost_writes"] == 0 and figures["unacknowledged_versions"] == 0
    assert figures["partial_assessments"] == 0 and figures["audit_chain_broken"] == 0
    assert (
        figures["ground_saves_acknowledged"] > 0
        and figures["ground_saves_checked"] == figures["ground_saves_acknowledged"]
    )
    # Pairs raced for the same ground: every race had exactly one winner, and the loser saw the conflict page.
    assert figures["conflicts_provoked"] > 0
    assert figures["conflicts_reported"] == figures["conflicts_provoked"]
    assert figures["conflicts_unreported"] == 0
