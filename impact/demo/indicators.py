"""The example key figures (docs/examples/nyckeltal-exempel.csv): made-up figures for the demo's districts and
areas over three years, marked as example figures wherever they are shown, and the grounds that show them."""

from pathlib import Path

import sqlalchemy as sa

from impact.core.db import db
from impact.indicators.imports import import_indicators
from impact.indicators.models import Indicator, IndicatorGround

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "nyckeltal-exempel.csv"

# Which grounds show each example key figure (an admin changes this on the key figures page).
GROUNDS = {
    "EX-MEDIANINK": ("socioeconomic_status", "geographic_residence", "gender"),
    "EX-EKBIST": ("socioeconomic_status", "geographic_residence"),
    "EX-ARBLOS": ("socioeconomic_status",),
    "EX-BARN": ("age",),
    "EX-ALDRE80": ("age",),
    "EX-UTRFODD": ("ethnicity", "geographic_residence"),
}


def ensure_demo_indicators() -> int:
    """Import the example figures once (their areas must exist) and choose their grounds; the number imported."""
    if not EXAMPLE_FILE.exists() or db.session.scalar(
        sa.select(sa.func.count(Indicator.id)).where(Indicator.code.in_(GROUNDS))
    ):
        return 0
    result = import_indicators(EXAMPLE_FILE.read_bytes(), None)
    for indicator in db.session.scalars(sa.select(Indicator).where(Indicator.code.in_(GROUNDS))):
        indicator.ground_links = [IndicatorGround(ground_key=key) for key in GROUNDS[indicator.code]]
    db.session.flush()
    return result.figures
