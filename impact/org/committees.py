"""The committees (nämnder) a proposal can go to: the one each department names, and the municipal council."""

from collections.abc import Iterable

import sqlalchemy as sa

from impact.core.db import db
from impact.org.models import COUNCIL, Department


def committee_names(keep: Iterable[str | None] = ()) -> list[str]:
    """Every committee a department names, the council, and the names in `keep` (a value saved before a committee
    was renamed stays choosable, so that an old record or link still reads as it did), sorted."""
    named = db.session.scalars(sa.select(Department.committee).where(Department.committee.is_not(None)).distinct())
    return sorted({*named, COUNCIL, *(name for name in keep if name)})
