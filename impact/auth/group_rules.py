"""Rules that turn the municipality's groups (from the provider's ID token) into roles, a department or a remit.

Kept by admins (impact/admin/group_rule_views.py). A removed rule is kept with ``removed_at`` set, because the audit
trail points at it; only rules without it apply.
"""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.roles import Role
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum
from impact.org.models import Department


class GroupRuleKind(LabelledEnum):
    role = "role", _l("Role")
    department = "department", _l("Department")
    municipality_wide = "municipality_wide", _l("Remit: the whole municipality")


class GroupRule(db.Model):
    __tablename__ = "group_rules"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'role' AND role IS NOT NULL AND department_id IS NULL)"
            " OR (kind = 'department' AND department_id IS NOT NULL AND role IS NULL)"
            " OR (kind = 'municipality_wide' AND role IS NULL AND department_id IS NULL)",
            name="target_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The group's name or id exactly as the provider sends it in OIDC_GROUPS_CLAIM (Entra ID sends object ids).
    group: Mapped[str] = mapped_column(sa.String(255), index=True)
    kind: Mapped[GroupRuleKind] = mapped_column(enum_type(GroupRuleKind, "group_rule_kind"))
    role: Mapped[Optional[Role]] = mapped_column(enum_type(Role, "group_rule_role"))
    department_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("departments.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    department: Mapped[Optional[Department]] = relationship(lazy="joined")

    def describe(self) -> dict:
        """What the rule says, as the audit trail keeps it."""
        return {
            "group": self.group,
            "kind": self.kind.value,
            "role": self.role.value if self.role else None,
            "department": self.department.code if self.department else None,
        }

    def __repr__(self) -> str:
        return f"<GroupRule {self.group} -> {self.kind.value}>"


def active_rules() -> list[GroupRule]:
    return list(
        db.session.scalars(
            sa.select(GroupRule).where(GroupRule.removed_at.is_(None)).order_by(GroupRule.group, GroupRule.id)
        )
    )
