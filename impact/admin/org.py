"""Departments and districts: create, rename, deactivate and reactivate. Never deleted: assessments point at them."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.audit import trail
from impact.core.db import db
from impact.core.refusal import Refusal
from impact.org.models import Department, District


class OrgError(Refusal):
    """The change to a department or district is refused."""


def _taken(model, column, value: str, except_id: int | None) -> bool:
    statement = sa.select(model.id).where(sa.func.lower(column) == value.strip().lower())
    if except_id is not None:
        statement = statement.where(model.id != except_id)
    return db.session.scalar(statement) is not None


def _department_state(department: Department) -> dict:
    return {"code": department.code, "name": department.name, "committee": department.committee}


def save_department(department: Department | None, actor, *, code: str, name: str, committee: str | None) -> Department:
    """Create (``department`` None) or change a department; raises OrgError for an empty or taken code or name."""
    code, name, committee = code.strip().upper(), name.strip(), (committee or "").strip() or None
    if not code:
        raise OrgError(_l("Enter a short code for the department"), "code")
    if not name:
        raise OrgError(_l("Enter the department's name"), "name")
    except_id = department.id if department else None
    if _taken(Department, Department.code, code, except_id):
        raise OrgError(_l("Another department already has this code"), "code")
    if _taken(Department, Department.name, name, except_id):
        raise OrgError(_l("Another department already has this name"), "name")
    before = _department_state(department) if department else {}
    if department is None:
        department = Department(code=code, name=name, committee=committee)
        db.session.add(department)
    else:
        department.code, department.name, department.committee = code, name, committee
    db.session.flush()
    changes = trail.diff(before, _department_state(department))
    if changes:
        action = "department.update" if before else "department.create"
        trail.record(action, department, actor=actor, changes=changes)
    return department


def save_district(district: District | None, actor, *, name: str) -> District:
    """Create (``district`` None) or rename a district; raises OrgError for an empty or taken name."""
    name = name.strip()
    if not name:
        raise OrgError(_l("Enter the district's name"), "name")
    if _taken(District, District.name, name, district.id if district else None):
        raise OrgError(_l("Another district already has this name"), "name")
    before = {"name": district.name} if district else {}
    if district is None:
        district = District(name=name)
        db.session.add(district)
    else:
        district.name = name
    db.session.flush()
    changes = trail.diff(before, {"name": district.name})
    if changes:
        trail.record("district.update" if before else "district.create", district, actor=actor, changes=changes)
    return district


def set_active(item: Department | District, actor, active: bool) -> None:
    """Deactivate (no longer offered for new assessments; old ones keep it) or reactivate."""
    if item.active == active:
        return
    item.active = active
    db.session.flush()
    if isinstance(item, Department):
        action = "department.reactivate" if active else "department.deactivate"
    else:
        action = "district.reactivate" if active else "district.deactivate"
    trail.record(
        action,
        item,
        actor=actor,
        changes={"active": {"before": not active, "after": active}},
    )
