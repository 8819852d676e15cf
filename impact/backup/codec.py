"""Turning column values into JSON and back, driven by each column's SQLAlchemy type (so new tables just work)."""

import base64
import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa


def _base_type(column: sa.Column) -> sa.types.TypeEngine:
    column_type = column.type
    return column_type.impl if isinstance(column_type, sa.TypeDecorator) else column_type


def encode(value: Any) -> Any:
    """A JSON-ready form of ``value``; timestamps keep their UTC offset."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def decode(column: sa.Column, value: Any) -> Any:
    """The Python value for ``column`` from its encoded JSON form."""
    if value is None:
        return None
    base = _base_type(column)
    if isinstance(base, sa.Enum) and base.enum_class is not None:
        return base.enum_class(value)
    if isinstance(base, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(base, sa.Date):
        return date.fromisoformat(value)
    if isinstance(base, sa.Time):
        return time.fromisoformat(value)
    if isinstance(base, sa.Numeric) and not isinstance(base, sa.Float):
        return Decimal(value)
    if isinstance(base, sa.LargeBinary):
        return base64.b64decode(value)
    return value
