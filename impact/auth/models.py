"""Users and the roles they hold."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.roles import Role, RoleSource
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.org.models import Department


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), primary_key=True)
    # Granted by an admin on the user page, or by the municipality's groups at sign-in (impact.auth.oidc_accounts).
    # A sign-in adds and removes only the roles its groups granted: hand-granted ones are never touched.
    source: Mapped[RoleSource] = mapped_column(
        enum_type(RoleSource, "role_source"), default=RoleSource.manual, server_default=RoleSource.manual.value
    )


class UserCommittee(db.Model):
    """A committee (by the name departments give it) whose decisions a committee secretary records."""

    __tablename__ = "user_committees"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    committee: Mapped[str] = mapped_column(sa.String(200), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # "!" for an account made by a sign-in with the municipality's account: no password opens it (not an Argon2 hash).
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # The provider's stable subject (OIDC_SUBJECT_CLAIM) once the person has signed in with it; never the email,
    # which people change and providers reuse.
    oidc_subject: Mapped[Optional[str]] = mapped_column(sa.String(255), unique=True, index=True)
    # Set by an admin: the next sign-in with the municipality's account whose email is this account's links the two.
    # Without it a sign-in never takes over a local account that happens to share the email.
    oidc_link_allowed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # A reviewer or auditor whose remit is the whole municipality rather than their own department.
    municipality_wide: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # True when the remit came from a group rule at the last sign-in, so that losing the group takes it away again
    # (and a remit an admin gave by hand is left alone).
    municipality_wide_from_groups: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    locale: Mapped[Optional[str]] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship(lazy="joined", innerjoin=True)
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=UserRole.role
    )
    # Loaded when asked for: only committee secretaries have any, and every request loads the user.
    committee_rows: Mapped[list[UserCommittee]] = relationship(
        cascade="all, delete-orphan", order_by=UserCommittee.committee
    )

    # The login session this object was loaded for or logged in with (impact.auth.sessions); not columns.
    session_key = None
    session_last_seen_at = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the key of a server-side login session, never the user's id,
        so that the server can end the session (impact.auth.sessions)."""
        if not self.session_key:
            raise RuntimeError("no login session: call impact.auth.sessions.open_session() before login_user()")
        return self.session_key

    # UserMixin compares users by get_id(), which is now a session key: the same person is the same user in any
    # session, so compare by id (as before), and never need a login session to do so.
    __hash__ = object.__hash__

    def __eq__(self, other) -> bool:
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    @roles.setter
    def roles(self, roles) -> None:
        wanted = {Role(role) for role in roles}
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.roles)
        ]

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def committees(self) -> list[str]:
        return [row.committee for row in self.committee_rows]

    @committees.setter
    def committees(self, names) -> None:
        wanted = {name for name in names if name}
        kept = [row for row in self.committee_rows if row.committee in wanted]
        self.committee_rows = kept + [UserCommittee(committee=name) for name in sorted(wanted - set(self.committees))]

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.admin)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AnonymousUser(AnonymousUserMixin):
    """The visitor who has not logged in: every permission check answers no."""

    roles: set[Role] = set()
    committees: list[str] = []
    department_id = None
    municipality_wide = False
    is_admin = False

    def has_role(self, *roles: Role) -> bool:
        return False
