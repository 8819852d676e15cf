"""Borås Stad's departments (with their committees) and the districts used in its statistics."""

import sqlalchemy as sa

from impact.core.db import db
from impact.org.models import Department, District

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
