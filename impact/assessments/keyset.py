"""Keyset pagination for the assessment list: every page costs what the first page costs.

A page is asked for by the sort key of the row just before it (``after``) or just after it (``before``), never by
an OFFSET that makes the database walk every earlier row. The key always ends with the id, so rows that tie on the
sort column (many assessments created in the same second) are neither skipped nor repeated. The total is counted
up to ``COUNT_CAP``; beyond it the page says "more than", which keeps the count cheap at any size.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from impact.core.db import db
from impact.core.params import parse_int

COUNT_CAP = 1000
SEPARATOR = "|"


@dataclass(frozen=True)
class SortKey:
    """One column of a sort order: the model attribute, its direction and how to read it back from a link."""

    column: Any
    descending: bool = False
    parse: Any = str

    def expression(self) -> sa.ColumnElement:
        return self.column.desc() if self.descending else self.column.asc()


@dataclass
class KeysetPage:
    """One page of rows plus the cursors of its neighbours (None when there is none)."""

    items: list
    total: int
    total_capped: bool
    next_cursor: str | None = None
    prev_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None


def encode(item, keys: tuple[SortKey, ...]) -> str:
    """The cursor of ``item``: its sort values joined, each as text (ISO for times, the value for enums)."""
    parts = []
    for key in keys:
        value = getattr(item, key.column.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        parts.append(str(value))
    return SEPARATOR.join(parts)


def parse_id(text: str) -> int:
    """An id from a cursor; ValueError unless it is one the database can hold."""
    value = parse_int(text)
    if value is None:
        raise ValueError(text)
    return value


def parse_moment(text: str) -> datetime:
    """A timestamp from a cursor, in UTC; ValueError without a time zone or outside the years 1 to 9999 in UTC."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(text)
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError(text) from error


def decode(cursor: str | None, keys: tuple[SortKey, ...]) -> list | None:
    """The sort values in ``cursor``, or None if it is missing or malformed (then the first page is shown)."""
    if not cursor:
        return None
    # Only the first column (a title, say) may itself contain the separator, so split from the right.
    parts = cursor.rsplit(SEPARATOR, len(keys) - 1)
    if len(parts) != len(keys):
        return None
    try:
        return [key.parse(part) for key, part in zip(keys, parts, strict=True)]
    except (ValueError, TypeError):
        return None


def _beyond(keys: tuple[SortKey, ...], values: list, *, backwards: bool) -> sa.ColumnElement[bool]:
    """Rows after ``values`` in the order of ``keys`` (before them if ``backwards``)."""
    if len({key.descending for key in keys}) == 1:
        # One direction: a row-value comparison, which the database answers from a composite index.
        later = keys[0].descending == backwards
        left = sa.tuple_(*(key.column for key in keys))
        right = sa.tuple_(*(sa.literal(value, type_=key.column.type) for key, value in zip(keys, values, strict=True)))
        return left > right if later else left < right
    clauses = []
    for position, key in enumerate(keys):
        later = key.descending == backwards
        step = key.column > values[position] if later else key.column < values[position]
        clauses.append(sa.and_(*(k.column == v for k, v in zip(keys[:position], values, strict=False)), step))
    return sa.or_(*clauses)


def paginate(
    statement: sa.Select,
    keys: tuple[SortKey, ...],
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = 25,
) -> KeysetPage:
    """The page of ``statement`` after the cursor ``after`` (or before ``before``); three queries at most."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            statement.order_by(None).with_only_columns(sa.literal(1)).limit(COUNT_CAP + 1).subquery()
        )
    )
    after_values, before_values = decode(after, keys), decode(before, keys)
    backwards = before_values is not None and after_values is None
    values = before_values if backwards else after_values
    if values is not None:
        statement = statement.where(_beyond(keys, values, backwards=backwards))
    if backwards:
        order = [(key.column.asc() if key.descending else key.column.desc()) for key in keys]
    else:
        order = [key.expression() for key in keys]
    rows = list(db.session.scalars(statement.order_by(*order).limit(per_page + 1)).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    page = KeysetPage(items=rows, total=min(total, COUNT_CAP), total_capped=total > COUNT_CAP)
    if rows:
        if backwards:
            page.prev_cursor = encode(rows[0], keys) if more else None
            page.next_cursor = encode(rows[-1], keys)
        else:
            page.prev_cursor = encode(rows[0], keys) if values is not None else None
            page.next_cursor = encode(rows[-1], keys) if more else None
    return page


def paginate_ranked(
    statement: sa.Select,
    order: tuple[sa.ColumnElement, ...],
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = 25,
) -> KeysetPage:
    """A page of ``statement`` in ``order`` (a search's rank, which has no stable value to continue from), by
    position: ``after`` is where the page starts, ``before`` where the next page starts. The matches are ranked
    anyway to find the best, so a later page costs what the first costs."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            statement.order_by(None).with_only_columns(sa.literal(1)).limit(COUNT_CAP + 1).subquery()
        )
    )
    start = parse_int(after or "") if after else None
    if start is None and before:
        end = parse_int(before)
        start = max(0, end - per_page) if end is not None else None
    start = min(max(start or 0, 0), COUNT_CAP)
    rows = list(db.session.scalars(statement.order_by(*order).offset(start).limit(per_page + 1)).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    page = KeysetPage(items=rows, total=min(total, COUNT_CAP), total_capped=total > COUNT_CAP)
    if start > 0:
        page.prev_cursor = str(start)
    if more and start + per_page <= COUNT_CAP:
        page.next_cursor = str(start + per_page)
    return page
