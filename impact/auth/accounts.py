"""Creating accounts, shared by the CLI and the admin pages."""

import sqlalchemy as sa

from impact.audit import trail
from impact.auth.models import User
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.org.models import Department


class AccountError(ValueError):
    """The account cannot be created as asked; the message says why."""


def find_department(name_or_code: str) -> Department | None:
    key = name_or_code.strip()
    return db.session.scalar(
        sa.select(Department).where(
            sa.or_(Department.code == key.upper(), sa.func.lower(Department.name) == key.lower())
        )
    )


def create_user(*, email: str, name: str, password: str, department: Department, roles: list[Role], actor=None) -> User:
    """Create a user; raises AccountError for an empty password or name, or an email already taken."""
    email = email.strip().lower()
    if not password:
        raise AccountError("the password must not be empty")
    if not name.strip():
        raise AccountError("the name must not be empty")
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"a user with email {email} already exists")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), department=department)
    user.roles = roles
    db.session.add(user)
    trail.record(
        "user.create",
        user,
        actor=actor,
        changes={"email": email, "department": department.code, "roles": sorted(r.value for r in roles)},
    )
    return user
