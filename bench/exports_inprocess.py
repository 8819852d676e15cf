"""The register exports timed in-process through the Flask test client, as the municipality-wide auditor.

``python -m bench.exports_inprocess --database-url sqlite:////abs/path/bench/data/impact-10000.sqlite --repeat 3``
prints, per format, the median time to the first chunk, to the first chunk with rows and to the last, rows per
second and the process's peak RSS growth during one download (VmHWM reset through ``/proc/self/clear_refs``).
``--profile`` prints cProfile's top functions for one download instead.
"""

import argparse
import contextlib
import cProfile
import csv
import io
import os
import pstats
import re
import statistics
import time
from pathlib import Path

FORMATS = {"CSV": "/reports/register.csv", "XLSX": "/reports/register.xlsx"}
AUDITOR = "bench-auditor@boras.example.com"
BENCH_PASSWORD = "Impact-bench-2026"  # noqa: S105 (the generated benchmark accounts' known password)


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # not Linux, or not allowed: the figure is then the peak so far
        Path("/proc/self/clear_refs").write_text("5")


def download(client, path: str) -> dict:
    """One download: seconds to the first chunk and to the end, bytes, and peak RSS growth in bytes."""
    _reset_peak()
    before = _status("VmRSS")
    start = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, response.status_code
    stamps = []
    size = 0
    for chunk in response.response:
        if len(stamps) < 2:
            stamps.append(time.perf_counter() - start)
        size += len(chunk)
    response.close()
    total = time.perf_counter() - start
    # The CSV's header comes before the query runs; its second chunk is the first with rows.
    first, rows = (stamps + [total, total])[:2]
    return {"first": first, "rows": rows, "total": total, "bytes": size, "rss": _status("VmHWM") - before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(FORMATS), default=sorted(FORMATS))
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url

    from impact import create_app

    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url.replace("postgresql://", "postgresql+psycopg://"),
            # The export itself, in this process: a large register is otherwise made as a background job.
            "REGISTER_DIRECT_ASSESSMENTS": 10**9,
        },
    )
    rows = None
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    login = client.post("/login", data={"email": AUDITOR, "password": BENCH_PASSWORD, "csrf_token": token})
    assert login.status_code == 302, login.status_code
    for name in args.only:
        path = FORMATS[name]
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            download(client, path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
            continue
        if rows is None:
            response = client.get(FORMATS["CSV"])
            rows = sum(1 for _row in csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";")) - 1
        runs = [download(client, path) for _ in range(args.repeat)]
        first = statistics.median(run["first"] for run in runs)
        first_rows = statistics.median(run["rows"] for run in runs)
        total = statistics.median(run["total"] for run in runs)
        rss = max(run["rss"] for run in runs) / 2**20
        print(
            f"{name}: {rows} rows, first chunk {first:.3f} s, first rows {first_rows:.2f} s, "
            f"total {total:.2f} s (median of {len(runs)}), "
            f"{rows / total:,.0f} rows/s, {runs[0]['bytes'] / 2**20:.1f} MB, peak RSS growth {rss:.1f} MB"
        )


if __name__ == "__main__":
    main()
