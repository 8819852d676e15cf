"""Small factory functions for test data. Each flushes, none commits."""

import itertools

import sqlalchemy as sa

from impact.auth.models import User
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.demo.organisation import DEPARTMENTS
from impact.org.models import Department, District

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def ensure_department(code: str = "FFF") -> Department:
    """The department with ``code``, created on first use (Borås's name when the code is one of Borås's)."""
    found = db.session.scalar(sa.select(Department).where(Department.code == code))
    if found is not None:
        return found
    name, committee = next(((n, c) for k, n, c in DEPARTMENTS if k == code), (f"Förvaltning {code}", None))
    found = Department(code=code, name=name, committee=committee)
    db.session.add(found)
    db.session.flush()
    return found


def ensure_district(name: str = "Norrby") -> District:
    found = db.session.scalar(sa.select(District).where(District.name == name))
    if found is None:
        found = District(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def create_user(
    roles=("case_officer",),
    department: str = "FFF",
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    number = next(_sequence)
    user = User(
        email=email or f"user{number}@test.example.com",
        name=name or f"Test User {number}",
        password_hash=hash_password(password),
        department=ensure_department(department),
        **fields,
    )
    user.roles = [Role(role) for role in roles]
    db.session.add(user)
    db.session.flush()
    return user
