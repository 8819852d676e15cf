"""One demo user per role (and a second case officer, and one in another department); the secretary keeps two
committees' minutes."""

import sqlalchemy as sa

from impact.auth.models import User
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.org.models import Department

DEMO_PASSWORD = "Impact-demo-2026"  # noqa: S105 (printed for demo use; never a production account)

DEMO_USERS = [
    ("handlaggare@boras.example.com", "Sara Lindqvist", "FFF", [Role.case_officer], False),
    ("handlaggare2@boras.example.com", "Ali Hassan", "FFF", [Role.case_officer], False),
    ("granskare@boras.example.com", "Maria Berg", "FFF", [Role.reviewer], False),
    ("revisor@boras.example.com", "Johan Ek", "SLK", [Role.auditor], True),
    ("admin@boras.example.com", "Eva Admin", "SLK", [Role.admin], True),
    ("grundskola@boras.example.com", "Elin Nordin", "GSF", [Role.case_officer, Role.reviewer], False),
    ("sekreterare@boras.example.com", "Karin Holm", "FFF", [Role.committee_secretary], False),
]
# The committees whose minutes a demo secretary keeps.
DEMO_COMMITTEES = {"sekreterare@boras.example.com": ["Fritids- och folkhälsonämnden", "Kommunstyrelsen"]}


def ensure_demo_users(departments: dict[str, Department]) -> list[User]:
    existing = {user.email: user for user in db.session.scalars(sa.select(User))}
    users = []
    for email, name, dept_code, roles, municipality_wide in DEMO_USERS:
        user = existing.get(email)
        if user is None:
            user = User(
                email=email,
                name=name,
                department=departments[dept_code],
                password_hash=hash_password(DEMO_PASSWORD),
                municipality_wide=municipality_wide,
            )
            user.roles = roles
            user.committees = DEMO_COMMITTEES.get(email, [])
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users
