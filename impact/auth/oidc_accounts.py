"""Accounts from the municipality's provider, made or refreshed at each sign-in, and roles that follow its groups.

An account is found by the provider's stable subject (``OIDC_SUBJECT_CLAIM``), never by email: people change email
addresses and providers reuse them. A local account that shares the email is not taken over unless an admin has
allowed it (``User.oidc_link_allowed``). Roles granted by groups carry ``source=group`` and follow the groups at
every sign-in; roles an admin granted (``source=manual``) are never touched by it. Nothing here commits.
"""

import logging
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app

from impact.audit import trail
from impact.auth import sessions
from impact.auth.group_rules import GroupRuleKind, active_rules
from impact.auth.models import User, UserRole
from impact.auth.roles import Role, RoleSource
from impact.core.db import db
from impact.org.models import Department

log = logging.getLogger(__name__)

# Marks an account without a password: not an Argon2 hash, so verify_password always answers no.
UNUSABLE_HASH = "!"


class Outcome(StrEnum):
    signed_in = "signed_in"
    no_access = "no_access"  # no group of theirs gives a role (or, for a new account, a department)
    deactivated = "deactivated"
    email_taken = "email_taken"  # a local account has the email and no admin allowed linking it


@dataclass
class Identity:
    """What Impact takes from the ID token's claims."""

    subject: str
    email: str
    name: str
    groups: set[str] = field(default_factory=set)

    @classmethod
    def from_claims(cls, claims: dict) -> "Identity":
        """Raises ValueError when the token has no usable subject or email."""
        config = current_app.config
        subject = claims.get(config["OIDC_SUBJECT_CLAIM"])
        if not isinstance(subject, str) or not subject.strip():
            raise ValueError("the ID token has no subject")
        email = claims.get("email") or claims.get("preferred_username") or ""
        if not isinstance(email, str) or "@" not in email:
            raise ValueError("the ID token has no email address")
        name = claims.get("name") or " ".join(filter(None, (claims.get("given_name"), claims.get("family_name"))))
        groups = claims.get(config["OIDC_GROUPS_CLAIM"]) or []
        if isinstance(groups, str):
            groups = [groups]
        return cls(
            subject=subject.strip(),
            email=email.strip().lower()[:254],
            name=(str(name).strip() or email)[:200],
            groups={str(group) for group in groups},
        )


@dataclass
class Grants:
    """What the person's groups give them under the admins' rules."""

    roles: set[Role]
    department: Department | None
    municipality_wide: bool

    @classmethod
    def for_groups(cls, groups: set[str]) -> "Grants":
        matched = [rule for rule in active_rules() if rule.group in groups]
        departments = [
            rule.department
            for rule in matched
            if rule.kind == GroupRuleKind.department and rule.department is not None and rule.department.active
        ]
        return cls(
            roles={rule.role for rule in matched if rule.kind == GroupRuleKind.role and rule.role is not None},
            # Several department groups: the first rule by group name wins, so the choice is stable.
            department=departments[0] if departments else None,
            municipality_wide=any(rule.kind == GroupRuleKind.municipality_wide for rule in matched),
        )


def _remit(user: User) -> dict:
    return {
        "roles": sorted(role.value for role in user.roles),
        "department": user.department.code if user.department else None,
        "municipality_wide": user.municipality_wide,
    }


def _email_free(email: str, user_id: int | None) -> bool:
    statement = sa.select(User.id).where(User.email == email)
    if user_id is not None:
        statement = statement.where(User.id != user_id)
    return db.session.scalar(statement) is None


def _apply_grants(user: User, grants: Grants) -> None:
    held = {row.role: row for row in user.role_rows}
    user.role_rows = [row for row in user.role_rows if row.source == RoleSource.manual or row.role in grants.roles] + [
        UserRole(role=role, source=RoleSource.group) for role in sorted(grants.roles - held.keys())
    ]
    if grants.department is not None:
        user.department = grants.department
    if grants.municipality_wide and not user.municipality_wide:
        user.municipality_wide, user.municipality_wide_from_groups = True, True
    elif not grants.municipality_wide and user.municipality_wide_from_groups:
        user.municipality_wide, user.municipality_wide_from_groups = False, False


def _create(identity: Identity, grants: Grants) -> User:
    user = User(
        email=identity.email,
        name=identity.name,
        password_hash=UNUSABLE_HASH,
        department=grants.department,
        oidc_subject=identity.subject,
        municipality_wide=grants.municipality_wide,
        municipality_wide_from_groups=grants.municipality_wide,
    )
    user.role_rows = [UserRole(role=role, source=RoleSource.group) for role in sorted(grants.roles)]
    db.session.add(user)
    trail.record(
        "user.create",
        user,
        changes={"via": "oidc", "email": user.email, "name": user.name, **_remit(user)},
    )
    return user


def sign_in(identity: Identity) -> tuple[Outcome, User | None]:
    """Find or make the account of ``identity``, refresh it and let its roles follow its groups (flushes)."""
    grants = Grants.for_groups(identity.groups)
    user = db.session.scalar(sa.select(User).where(User.oidc_subject == identity.subject))
    if user is None:
        local = db.session.scalar(sa.select(User).where(User.email == identity.email))
        if local is not None and not (local.oidc_link_allowed and local.oidc_subject is None):
            return Outcome.email_taken, local
        if local is not None:
            user = local
            user.oidc_subject, user.oidc_link_allowed = identity.subject, False
            trail.record("user.oidc_link", user, changes={"oidc_link_allowed": {"before": True, "after": False}})
        elif not grants.roles or grants.department is None:
            return Outcome.no_access, None
        else:
            user = _create(identity, grants)
    if not user.active:
        return Outcome.deactivated, user  # whatever the provider says: an admin's deactivation stands
    before = {"email": user.email, "name": user.name, **_remit(user)}
    user.name = identity.name
    if identity.email != user.email:
        if _email_free(identity.email, user.id):
            user.email = identity.email
        else:
            log.warning("Sign-in of user %s: the provider's email is another account's; kept the old one", user.id)
    _apply_grants(user, grants)
    db.session.flush()
    changes = trail.diff(before, {"email": user.email, "name": user.name, **_remit(user)})
    if changes:
        trail.record("user.sync_from_provider", user, changes=changes)
    if changes.keys() & {"roles", "department", "municipality_wide"}:
        sessions.end_all(user)  # sessions opened under the old remit end; this sign-in opens a new one
    if not user.roles:
        return Outcome.no_access, user
    return Outcome.signed_in, user


def allow_link(user: User, actor) -> None:
    """Let the next sign-in with the municipality's account under this email take over this local account."""
    if user.oidc_subject is not None or user.oidc_link_allowed:
        return
    user.oidc_link_allowed = True
    db.session.flush()
    trail.record(
        "user.oidc_link_allowed", user, actor=actor, changes={"oidc_link_allowed": {"before": False, "after": True}}
    )
