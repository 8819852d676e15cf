"""Values as HTML attributes want them."""

from datetime import UTC, datetime


def html_datetime(value: datetime) -> str:
    """A valid ``<time datetime>``: UTC to the second (HTML allows at most three decimals; we store six)."""
    return value.astimezone(UTC).isoformat(timespec="seconds")
