"""The benchmark's plain-text table; ``python -m bench.report bench/results/X.json`` prints a saved run's."""

import json
import sys
from pathlib import Path


def _fmt(value, pattern: str = "{:,.1f}") -> str:
    return "" if value is None else pattern.format(value)


COLUMNS = [
    ("database", "{}", "<"),
    ("size", "{:,}", ">"),
    ("scenario", "{}", "<"),
    ("role", "{}", "<"),
    ("median_ms", "{:,.1f}", ">"),
    ("p95_ms", "{:,.1f}", ">"),
    ("rps", "{:,.1f}", ">"),
    ("fraction_of_bare", "{:.0%}", ">"),
    ("times_raw_sql", "{:.1f}×", ">"),
    ("ttfb_ms", "{:,.1f}", ">"),
    ("rss_growth_mb", "{:,.1f}", ">"),
]
HEADERS = {
    "database": "db",
    "median_ms": "median ms",
    "p95_ms": "p95 ms",
    "rps": "req/s",
    "fraction_of_bare": "of bare",
    "times_raw_sql": "× raw SQL",
    "ttfb_ms": "TTFB ms",
    "rss_growth_mb": "RSS +MB",
}


def render_table(result: dict) -> str:
    bare = result["bare"]
    rows = [{"database": "-", "size": None, "role": "anonymous", **bare}]
    rows += result["results"]
    header = [HEADERS.get(name, name) for name, _, _ in COLUMNS] + ["note"]
    lines = []
    for row in rows:
        cells = []
        for name, pattern, _ in COLUMNS:
            value = row.get(name)
            cells.append(
                "" if value is None or (name in ("median_ms",) and row.get("skipped")) else pattern.format(value)
            )
        note = row.get("skipped") and f"skipped: {row['skipped']}" or row.get("note", "")
        if row.get("errors"):
            note = f"{row['errors']} errors; {note}".strip("; ")
        if row.get("bytes"):
            note = f"{row['bytes'] / 1e6:,.1f} MB; {note}".strip("; ")
        cells.append(note)
        lines.append(cells)
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    aligns = [align for _, _, align in COLUMNS] + ["<"]

    def render(cells):
        return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, aligns, widths, strict=True)).rstrip()

    out = [render(header), render(["-" * w for w in widths])]
    out += [render(cells) for cells in lines]
    for db in result["databases"]:
        load = db["load"]
        raw = ", ".join(f"{name} {v['median_ms']:.1f} ms" for name, v in db["raw_sql"].items())
        loaded = (
            "reused cached data"
            if load.get("reused")
            else (f"loaded {load['rows']:,} rows in {load['seconds']:.0f} s ({load['rows_per_second']:,} rows/s)")
        )
        out.append(f"{db['database']} {db['size']:,}: {loaded}; raw SQL {raw}")
    m = result["machine"]
    out.append(
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql']}, gunicorn {m['gunicorn']} ({result['settings']['workers']} workers, "
        f"{result['settings']['threads']} client threads)"
    )
    if load := result.get("load_average"):
        out[-1] += f"; load average {load['start'][0]} at start, {load['end'][0]} at end"
    return "\n".join(out)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(render_table(json.loads(Path(path).read_text(encoding="utf-8"))))
