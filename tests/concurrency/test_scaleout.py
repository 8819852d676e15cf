"""The scale-out proof at a reduced size: two gunicorn instances and two job workers on one fresh PostgreSQL
database (on the suite's server) and one Redis database; it runs in the PostgreSQL suite only.

The full size (60 seconds, a few thousand assessments) is `make scaleout`; its figures are in the README.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from tests.databases import postgres_server
from tests.jobs.helpers import redis_url_of_this_worker

# Slow (`make test-fast` leaves it out), and run in the PostgreSQL suite only: it needs PostgreSQL whatever the
# suite's database, so once is enough.
pytestmark = [pytest.mark.slow, pytest.mark.postgresql]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_redis():
    """This pytest worker's Redis database, emptied before (the proof refuses a used one) and checked after."""
    url = redis_url_of_this_worker()
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    yield url, connection
    connection.close()


def test_two_instances_and_two_workers_run_every_export_once_for_its_owner_only(database_url, empty_redis):
    url, connection = empty_redis
    command = [sys.executable, "-m", "bench.scaleout", "--seconds", "5", "--assessments", "500", "--officers", "3"]
    command += ["--auditors", "2", "--exporting-officers", "1", "--cancel-share", "0.3"]
    command += ["--pg-url", postgres_server(database_url), "--redis-url", url]
    # A subprocess: the proof runs its own threads and servers, apart from the suite's warnings filter.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=150, check=False)  # noqa: S603
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-3000:]
    figures = json.loads(lines[-1])
    assert result.returncode == 0, result.stdout[-3000:]
    assert figures["jobs_requested"] > 0 and figures["csv_files_checked"] > 0
    assert len(figures["jobs_by_worker"]) == 2  # both workers took jobs from the one queue
    assert all(count > 0 for count in figures["requests_by_instance"].values())
    for name in ("jobs_not_run_once", "jobs_left_active", "left_on_the_queue", "server_errors", "lost_writes"):
        assert figures[name] == 0, name
    assert figures["writes"] > 0  # the officers wrote meanwhile, and nothing of it was lost
    assert connection.dbsize() == 0  # the proof leaves its Redis database empty
