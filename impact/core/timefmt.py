"""Times and dates as people read them: the one rule for pages, exports and date filters.

Timestamps are stored in UTC (``impact.core.db.UTCDateTime``). Whatever a person sees or downloads is in the
municipality's time zone (``BABEL_DEFAULT_TIMEZONE``, Europe/Stockholm), written the same way in both languages:
dates as ISO 8601 (``2026-05-25``, the Swedish standard and unambiguous in English too) and times to the minute
(``2026-05-25 14:03``). A day in a date filter is a day in that zone: from its local midnight to the next.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.ext.compiler import compiles

DEFAULT_ZONE = "Europe/Stockholm"
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%Y-%m-%d %H:%M"
# The same formats for Excel cells (real dates and times, so that Excel sorts and filters them).
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_name() -> str:
    """The name of the local time zone, e.g. for an export's column header."""
    if has_app_context():
        return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE
    return DEFAULT_ZONE


def local_zone() -> ZoneInfo:
    return _zone(zone_name())


def local_time(value: datetime) -> datetime:
    """``value`` in the local zone (a naive value is taken to be UTC, as the database stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone())


def local_naive(value: datetime) -> datetime:
    """``value`` as the local wall-clock time without a zone: what a spreadsheet cell can hold."""
    return local_time(value).replace(tzinfo=None)


def format_time(value: datetime | None) -> str:
    """``2026-05-25 14:03`` in local time; empty for None."""
    return local_time(value).strftime(TIME_FORMAT) if value is not None else ""


def format_day(value: date | datetime | None) -> str:
    """``2026-05-25``: a date as it is, a timestamp as its local date; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value).date()
    return value.strftime(DATE_FORMAT)


def local_today() -> date:
    """Today in the local zone (the server's clock may run on UTC)."""
    return datetime.now(local_zone()).date()


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the local zone (local midnight), in UTC."""
    try:
        return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(UTC)
    except OverflowError:  # local midnight of 0001-01-01 is before the first UTC moment there is
        return datetime.min.replace(tzinfo=UTC)


def day_end(day: date) -> datetime | None:
    """The first moment after ``day`` in the local zone, in UTC; None after the last day there is."""
    return None if day >= date.max else day_start(day + timedelta(days=1))


def init_app(app) -> None:
    """The Jinja filters every template uses for times and dates: ``{{ value | time_text }}`` and
    ``{{ value | day_text }}``."""
    app.add_template_filter(format_time, "time_text")
    app.add_template_filter(format_day, "day_text")


class local_timestamp(sa.sql.functions.FunctionElement):  # noqa: N801  (a SQL function, named like one)
    """SQL: a UTC timestamp column as the local wall-clock time, for grouping by local month or quarter.

    PostgreSQL converts with its own zone database; SQLite has none, so it calls ``impact_local_time``, a Python
    function that ``register_sqlite_functions`` adds to each connection.
    """

    type = sa.DateTime()
    inherit_cache = True
    name = "local_timestamp"


@compiles(local_timestamp, "postgresql")
def _local_timestamp_postgresql(element, compiler, **kw) -> str:
    zone = compiler.render_literal_value(zone_name(), sa.String())
    return f"timezone({zone}, {compiler.process(element.clauses, **kw)})"


@compiles(local_timestamp)
def _local_timestamp_other(element, compiler, **kw) -> str:
    zone = compiler.render_literal_value(zone_name(), sa.String())
    return f"impact_local_time({compiler.process(element.clauses, **kw)}, {zone})"


def _sqlite_local_time(value: str | None, zone: str) -> str | None:
    """SQLite keeps UTC timestamps as text without a zone; the same text in local time."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone)).replace(tzinfo=None).isoformat(sep=" ")


def register_sqlite_functions(dbapi_connection) -> None:
    """Give a SQLite connection what ``local_timestamp`` needs."""
    dbapi_connection.create_function("impact_local_time", 2, _sqlite_local_time, deterministic=True)
