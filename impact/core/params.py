"""Numbers, pages, ids and days from the query string and the URL: the one place that knows their limits.

A value the database cannot hold (an id past its column's 32 bits, a page whose offset overflows) or a day with no
day after it (9999-12-31) would otherwise reach SQL or date arithmetic and end in a 500. Here such a value is
refused with 400 and a message saying what to send instead, or, for the filter forms, shown as a field error and
ignored.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from impact.core.timefmt import day_start

# The largest id there can be: ids are INTEGER columns, 32 bits on PostgreSQL (SQLite's hold 64), so a larger one
# (up to 2**63 - 1, past which SQLite overflows too) would be refused by the database with an error, not a miss.
MAX_ID = 2**31 - 1
# More pages than any list here will ever have, and far from overflowing OFFSET at any page size.
MAX_PAGE = 1_000_000


class BadParameter(BadRequest):
    """A query parameter out of range: 400, with a message (in the user's language) saying what to send."""


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: an id the database cannot hold matches no page (404) instead of reaching SQL."""

    def __init__(self, map, **options) -> None:  # noqa: A002  (Werkzeug's name for the argument)
        limit = options.get("max")
        options["max"] = MAX_ID if limit is None or limit > MAX_ID else limit
        super().__init__(map, **options)


def parse_int(text: str | None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``text`` as a whole number within the bounds, or None. Only ASCII digits count: ``str.isdigit`` also
    accepts '²', which ``int`` refuses."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def int_arg(name: str, default: int, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """The query parameter ``name`` as a whole number from ``minimum`` to ``maximum``; ``default`` if absent.

    Raises BadParameter when it is given but is not such a number.
    """
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_int(raw, minimum, maximum)
    if value is None:
        raise BadParameter(
            _(
                "“%(name)s” must be a whole number from %(minimum)d to %(maximum)d.",
                name=name,
                minimum=minimum,
                maximum=maximum,
            )
        )
    return value


def page_arg() -> int:
    """The ``page`` query parameter (1 if absent); raises BadParameter past MAX_PAGE or when it is no number."""
    return int_arg("page", 1, 1, MAX_PAGE)


def day_after(day: date) -> date | None:
    """The day after ``day``; None after the last day there is (9999-12-31), where adding one overflows."""
    return None if day >= date.max else day + timedelta(days=1)


def on_or_after(column, day: date) -> sa.ColumnElement[bool]:
    """The timestamp ``column`` falls on ``day`` or later; a day is a day in the local zone (impact.core.timefmt)."""
    return column >= day_start(day)


def on_or_before(column, day: date) -> sa.ColumnElement[bool]:
    """The timestamp ``column`` falls on ``day`` or earlier (every timestamp does on the last day there is)."""
    after = day_after(day)
    return sa.true() if after is None else column < day_start(after)
