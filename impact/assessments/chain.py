"""The versions of one proposal: an assessment and every one that amends it, or that it amends, as one query."""

import functools

import sqlalchemy as sa

from impact.assessments.models import Assessment


@functools.cache  # a statement is immutable; building this one costs 1–2 ms, on every proposal page
def chain_ids() -> sa.Select:
    """The ids of every version in the chain of the assessment ``:assessment_id`` (built once, reused)."""
    # Up the chain of "amends" to the first version, then down from it to every later one. UNION (not UNION
    # ALL) stops at a row already seen, so even a malformed cycle ends.
    up = (
        sa.select(Assessment.id, Assessment.amends_id)
        .where(Assessment.id == sa.bindparam("assessment_id"))
        .cte("earlier_versions", recursive=True)
    )
    earlier = sa.orm.aliased(Assessment)
    up = up.union(sa.select(earlier.id, earlier.amends_id).where(earlier.id == up.c.amends_id))
    root = sa.select(up.c.id).where(up.c.amends_id.is_(None))
    down = sa.select(Assessment.id).where(Assessment.id.in_(root)).cte("all_versions", recursive=True)
    later = sa.orm.aliased(Assessment)
    down = down.union(sa.select(later.id).where(later.amends_id == down.c.id))
    return sa.select(down.c.id)
