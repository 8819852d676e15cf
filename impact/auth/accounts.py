"""Creating accounts, shared by the CLI and the admin pages."""

import sqlalchemy as sa
from flask_babel import force_locale

from impact.audit import trail
from impact.auth.models import User
from impact.auth.password_policy import password_problems
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.refusal import Refusal
from impact.org.models import Department


class AccountError(Refusal):
    """The account cannot be created as asked; the message says why."""


def find_department(name_or_code: str) -> Department | None:
    key = name_or_code.strip()
    return db.session.scalar(
        sa.select(Department).where(
            sa.or_(Department.code == key.upper(), sa.func.lower(Department.name) == key.lower())
        )
    )


def email_taken(email: str, except_user_id: int | None = None) -> bool:
    """Whether another account already uses ``email`` (compared in lower case)."""
    statement = sa.select(User.id).where(User.email == email.strip().lower())
    if except_user_id is not None:
        statement = statement.where(User.id != except_user_id)
    return db.session.scalar(statement) is not None


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    department: Department,
    roles: list[Role],
    actor=None,
    municipality_wide: bool = False,
    must_change_password: bool = False,
    committees: list[str] = (),
) -> User:
    """Create a user; raises AccountError for an empty name, an email already taken or a password the policy refuses."""
    email = email.strip().lower()
    if not password:
        raise AccountError("the password must not be empty")
    if not name.strip():
        raise AccountError("the name must not be empty")
    if email_taken(email):
        raise AccountError(f"a user with email {email} already exists")
    problems = password_problems(password, email=email, name=name)
    if problems:
        with force_locale("en"):  # the CLI speaks English, like its other messages
            raise AccountError(f"the password is not accepted: {str(problems[0]).lower()}")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        department=department,
        municipality_wide=municipality_wide,
        must_change_password=must_change_password,
    )
    user.roles = roles
    user.committees = committees if Role.committee_secretary in roles else []
    db.session.add(user)
    trail.record(
        "user.create",
        user,
        actor=actor,
        changes={
            "email": email,
            "name": user.name,
            "department": department.code,
            "roles": sorted(r.value for r in roles),
            "municipality_wide": municipality_wide,
            "must_change_password": must_change_password,
        },
    )
    return user
