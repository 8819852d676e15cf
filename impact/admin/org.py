"""Departments, districts and the kinds of group consultations hear: create, rename, deactivate and reactivate.
Never deleted: assessments point at them."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.assessments.models import GroupKind
from impact.audit import trail
from impact.core.db import db
from impact.core.refusal import Refusal
from impact.org.models import Area, Department, District


class OrgError(Refusal):
    """The change to a department or district is refused."""


def _taken(model, column, value: str, except_id: int | None) -> bool:
    value = value.strip()
    # SQLite's lower() folds only ASCII letters, so the exact name is compared too: the unique constraint is exact.
    statement = sa.select(model.id).where(sa.or_(column == value, sa.func.lower(column) == value.lower()))
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


def _area_state(area: Area) -> dict:
    return {"code": area.code, "name": area.name, "district": area.district.name}


def save_area(area: Area | None, actor, *, district_id: int, code: str, name: str) -> Area:
    """Create (``area`` None) or change an area within a district; raises OrgError for an empty or taken code, an
    empty name or an unknown district. Two districts may each have an area of the same name; codes are unique."""
    code, name = code.strip().upper(), name.strip()
    district = db.session.get(District, district_id) if district_id else None
    if district is None:
        raise OrgError(_l("Choose the district the area lies in"), "district")
    if not code:
        raise OrgError(_l("Enter the area's code"), "code")
    if not name:
        raise OrgError(_l("Enter the area's name"), "name")
    if _taken(Area, Area.code, code, area.id if area else None):
        raise OrgError(_l("Another area already has this code"), "code")
    before = _area_state(area) if area else {}
    if area is None:
        area = Area(district=district, code=code, name=name)
        db.session.add(area)
    else:
        area.district, area.code, area.name = district, code, name
    db.session.flush()
    changes = trail.diff(before, _area_state(area))
    if changes:
        trail.record("area.update" if before else "area.create", area, actor=actor, changes=changes)
    return area


def save_group_kind(kind: GroupKind | None, actor, *, name_sv: str, name_en: str | None) -> GroupKind:
    """Create (``kind`` None) or rename a kind of group; raises OrgError for an empty or taken Swedish name."""
    name_sv, name_en = name_sv.strip(), (name_en or "").strip()
    if not name_sv:
        raise OrgError(_l("Enter the name in Swedish"), "name_sv")
    if _taken(GroupKind, GroupKind.name_sv, name_sv, kind.id if kind else None):
        raise OrgError(_l("Another kind of group already has this name"), "name_sv")
    before = {"name_sv": kind.name_sv, "name_en": kind.name_en} if kind else {}
    if kind is None:
        kind = GroupKind(name_sv=name_sv, name_en=name_en)
        db.session.add(kind)
    else:
        kind.name_sv, kind.name_en = name_sv, name_en
    db.session.flush()
    changes = trail.diff(before, {"name_sv": kind.name_sv, "name_en": kind.name_en})
    if changes:
        trail.record("group_kind.update" if before else "group_kind.create", kind, actor=actor, changes=changes)
    return kind


def set_active(item: Department | District | Area | GroupKind, actor, active: bool) -> None:
    """Deactivate (no longer offered for new assessments; old ones keep it) or reactivate."""
    if item.active == active:
        return
    item.active = active
    db.session.flush()
    if isinstance(item, Department):
        action = "department.reactivate" if active else "department.deactivate"
    elif isinstance(item, District):
        action = "district.reactivate" if active else "district.deactivate"
    elif isinstance(item, Area):
        action = "area.reactivate" if active else "area.deactivate"
    else:
        action = "group_kind.reactivate" if active else "group_kind.deactivate"
    trail.record(
        action,
        item,
        actor=actor,
        changes={"active": {"before": not active, "after": active}},
    )
