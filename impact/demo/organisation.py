"""Borås Stad's departments (with their committees), the districts used in its statistics and a few named areas."""

import sqlalchemy as sa

from impact.core.db import db
from impact.org.models import Area, Department, District

DEPARTMENTS = [
    ("SLK", "Stadsledningskansliet", "Kommunstyrelsen"),
    ("FSF", "Förskoleförvaltningen", "Förskolenämnden"),
    ("GSF", "Grundskoleförvaltningen", "Grundskolenämnden"),
    ("GVF", "Gymnasie- och vuxenutbildningsförvaltningen", "Gymnasie- och vuxenutbildningsnämnden"),
    ("KUF", "Kulturförvaltningen", "Kulturnämnden"),
    ("FFF", "Fritids- och folkhälsoförvaltningen", "Fritids- och folkhälsonämnden"),
    ("SOF", "Sociala omsorgsförvaltningen", "Sociala omsorgsnämnden"),
    ("VAF", "Vård- och äldreförvaltningen", "Vård- och äldrenämnden"),
    ("IFO", "Individ- och familjeomsorgsförvaltningen", "Individ- och familjeomsorgsnämnden"),
    ("ALF", "Arbetslivsförvaltningen", "Arbetslivsnämnden"),
    ("SBF", "Samhällsbyggnadsförvaltningen", "Samhällsbyggnadsnämnden"),
    ("TKF", "Tekniska förvaltningen", "Tekniska nämnden"),
    ("MF", "Miljöförvaltningen", "Miljö- och konsumentnämnden"),
    ("LFF", "Lokalförsörjningsförvaltningen", "Lokalförsörjningsnämnden"),
    ("SK", "Servicekontoret", "Servicenämnden"),
]

DISTRICTS = [
    "Brämhult",
    "Centrum",
    "Dalsjöfors",
    "Fristad",
    "Göta",
    "Norrby",
    "Sandhult",
    "Sjöbo",
    "Trandared",
    "Viskafors",
]


def ensure_departments() -> dict[str, Department]:
    """Create the departments that do not exist yet (matched by code); return all of them by code."""
    existing = {dept.code: dept for dept in db.session.scalars(sa.select(Department))}
    for code, name, committee in DEPARTMENTS:
        if code not in existing:
            existing[code] = Department(code=code, name=name, committee=committee)
            db.session.add(existing[code])
    db.session.flush()
    return existing


def ensure_districts() -> dict[str, District]:
    existing = {district.name: district for district in db.session.scalars(sa.select(District))}
    for name in DISTRICTS:
        if name not in existing:
            existing[name] = District(name=name)
            db.session.add(existing[name])
    db.session.flush()
    return existing


# Named areas within the districts (the neighbourhoods Borås's work names), with the codes the example key figures
# use. Not SCB's codes: an admin replaces them with the statistical areas the municipality maps to its districts.
AREAS = [
    ("OMR-NORRBY", "Norrby", "Norrby"),
    ("OMR-HASSLEHOLMEN", "Hässleholmen", "Norrby"),
    ("OMR-HULTA", "Hulta", "Brämhult"),
    ("OMR-SJOBO", "Sjöbo", "Sjöbo"),
    ("OMR-BYTTORP", "Byttorp", "Sjöbo"),
]


def ensure_areas(districts: dict[str, District]) -> dict[str, Area]:
    """Create the demo's areas that do not exist yet (matched by code); return all of them by code."""
    existing = {area.code: area for area in db.session.scalars(sa.select(Area))}
    for code, name, district in AREAS:
        if code not in existing and district in districts:
            existing[code] = Area(code=code, name=name, district=districts[district])
            db.session.add(existing[code])
    db.session.flush()
    return existing
