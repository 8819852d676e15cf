"""Changing user accounts from the admin pages: edit, deactivate, reactivate, reset a password.

Each operation checks the rules that keep the municipality able to administer Impact (never zero active admins,
an admin never locks themselves out), writes the audit trail with before/after, flushes and never commits.
"""

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.audit import trail
from impact.auth import sessions
from impact.auth.accounts import email_taken
from impact.auth.models import User, UserRole
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.refusal import Refusal
from impact.org.models import Department

# Changing any of these changes what the person may see or do, so their sessions end (impact.auth.sessions).
REMIT_FIELDS = {"roles", "department", "municipality_wide", "committees"}


class UserChangeError(Refusal):
    """The change to a user is refused."""


def user_state(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.name,
        "department": user.department.code,
        "roles": sorted(role.value for role in user.roles),
        "municipality_wide": user.municipality_wide,
        "committees": sorted(user.committees),
        "active": user.active,
        "must_change_password": user.must_change_password,
    }


def active_admin_count(except_user_id: int | None = None) -> int:
    statement = (
        sa.select(sa.func.count(sa.distinct(User.id)))
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.admin, User.active.is_(True))
    )
    if except_user_id is not None:
        statement = statement.where(User.id != except_user_id)
    return db.session.scalar(statement) or 0


def _check_admin_kept(user: User, actor, *, keeps_admin: bool, stays_active: bool) -> None:
    was_active_admin = user.active and user.is_admin
    if user.id == actor.id and user.is_admin and not keeps_admin:
        raise UserChangeError(_l("You cannot remove your own administrator role"), "roles")
    if user.id == actor.id and not stays_active:
        raise UserChangeError(_l("You cannot deactivate your own account"))
    if was_active_admin and not (keeps_admin and stays_active) and active_admin_count(except_user_id=user.id) == 0:
        raise UserChangeError(
            _l("This is the last active administrator; make someone else an administrator first"), "roles"
        )


def update_user(
    user: User,
    actor,
    *,
    email: str,
    name: str,
    department: Department,
    roles: list[Role],
    municipality_wide: bool,
    committees: list[str] = (),
) -> dict:
    """Change a user's details and roles; returns the recorded diff. Raises UserChangeError."""
    email = email.strip().lower()
    if not name.strip():
        raise UserChangeError(_l("Enter the person's name"), "name")
    if email_taken(email, except_user_id=user.id):
        raise UserChangeError(_l("Another user already has this email address"), "email")
    _check_admin_kept(user, actor, keeps_admin=Role.admin in roles, stays_active=user.active)
    before = user_state(user)
    user.email, user.name, user.department = email, name.strip(), department
    user.roles = roles
    user.municipality_wide = municipality_wide
    # Only a committee secretary keeps committees; taking the role away takes them too.
    user.committees = committees if Role.committee_secretary in roles else []
    db.session.flush()
    changes = trail.diff(before, user_state(user))
    if changes.keys() & REMIT_FIELDS:
        sessions.end_all(user)  # what the person may do has changed: they log in again to get it
    if changes:
        trail.record("user.update", user, actor=actor, changes=changes)
    return changes


def set_active(user: User, actor, active: bool) -> None:
    """Deactivate (the person can no longer log in; nothing is deleted) or reactivate an account."""
    if user.active == active:
        return
    if not active:
        _check_admin_kept(user, actor, keeps_admin=user.is_admin, stays_active=False)
    user.active = active
    if not active:
        sessions.end_all(user)
    db.session.flush()
    trail.record(
        "user.reactivate" if active else "user.deactivate",
        user,
        actor=actor,
        changes={"active": {"before": not active, "after": active}},
    )


def generate_temporary_password() -> str:
    """Four groups of letters and digits without look-alikes, e.g. ``k7mq-4xtd-9hwe-r2pn`` (about 80 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def reset_password(user: User, actor) -> str:
    """Give the user a temporary password they must change at next login; returns it (shown once, never stored)."""
    password = generate_temporary_password()
    user.password_hash = hash_password(password)
    before = user.must_change_password
    user.must_change_password = True
    sessions.end_all(user)  # whoever may have learnt the old password is logged out too
    db.session.flush()
    trail.record(
        "user.password_reset",
        user,
        actor=actor,
        changes={"must_change_password": {"before": before, "after": True}},
    )
    return password


def user_list(filters) -> sa.Select:
    """The users the admin's list filters (text, department, role, active or not) select, by name."""
    statement = sa.select(User)
    if text := filters.value("q"):
        pattern = f"%{text.lower()}%"
        statement = statement.where(sa.or_(sa.func.lower(User.name).like(pattern), User.email.like(pattern)))
    if department := filters.value("department"):
        statement = statement.where(User.department_id == int(department))
    if role := filters.value("role"):
        statement = statement.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == Role(role))))
    if status := filters.value("status"):
        statement = statement.where(User.active.is_(status == "active"))
    return statement.order_by(User.name, User.id)
