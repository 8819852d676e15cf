"""Adding and removing the rules that turn the municipality's groups into roles, departments and remit."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.audit import trail
from impact.auth.group_rules import GroupRule, GroupRuleKind
from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.core.refusal import Refusal
from impact.org.models import Department


class GroupRuleError(Refusal):
    """The rule is refused."""


def add_rule(actor, *, group: str, target: str) -> GroupRule:
    """Add a rule; ``target`` is ``role:<role>``, ``department:<id>`` or ``municipality_wide``. Raises GroupRuleError
    for an empty group, an unknown target or a rule that already exists."""
    group = group.strip()
    if not group:
        raise GroupRuleError(_l("Enter the group's name or id"), "group")
    kind_value, _sep, value = target.partition(":")
    rule = GroupRule(group=group)
    if kind_value == "role" and value in {role.value for role in Role}:
        rule.kind, rule.role = GroupRuleKind.role, Role(value)
    elif kind_value == "department" and value.isdigit() and (department := db.session.get(Department, int(value))):
        rule.kind, rule.department = GroupRuleKind.department, department
    elif target == "municipality_wide":
        rule.kind = GroupRuleKind.municipality_wide
    else:
        raise GroupRuleError(_l("Choose what the group gives"), "target")
    duplicate = db.session.scalar(
        sa.select(GroupRule.id).where(
            GroupRule.removed_at.is_(None),
            GroupRule.group == rule.group,
            GroupRule.kind == rule.kind,
            GroupRule.role.is_(None) if rule.role is None else GroupRule.role == rule.role,
            GroupRule.department_id.is_(None)
            if rule.department is None
            else GroupRule.department_id == rule.department.id,
        )
    )
    if duplicate is not None:
        raise GroupRuleError(_l("This group already gives this"), "target")
    db.session.add(rule)
    db.session.flush()
    trail.record("group_rule.create", rule, actor=actor, changes=rule.describe())
    return rule


def remove_rule(rule: GroupRule, actor) -> None:
    """Stop applying a rule from the next sign-in on (kept, since the audit trail points at it)."""
    if rule.removed_at is not None:
        return
    rule.removed_at = utcnow()
    db.session.flush()
    trail.record("group_rule.remove", rule, actor=actor, changes=rule.describe())
