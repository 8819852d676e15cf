"""Departments, districts and the kinds of group consultations hear: list, create, rename, deactivate, reactivate."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from impact.admin import bp
from impact.admin.forms import AreaForm, DepartmentForm, DistrictForm, GroupKindForm
from impact.admin.org import save_area, save_department, save_district, save_group_kind, set_active
from impact.assessments.models import GroupKind
from impact.auth.models import User
from impact.core.db import db
from impact.core.forms import EmptyForm
from impact.org.models import Area, Department, District


@bp.get("/departments")
def departments():
    user_counts = dict(
        db.session.execute(
            sa.select(User.department_id, sa.func.count(User.id))
            .where(User.active.is_(True))
            .group_by(User.department_id)
        ).all()
    )
    items = db.session.scalars(sa.select(Department).order_by(Department.active.desc(), Department.name)).all()
    return render_template(
        "admin/departments/index.html", departments=items, user_counts=user_counts, action_form=EmptyForm()
    )


@bp.route("/departments/new", methods=["GET", "POST"])
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
def department(department_id: int | None = None):
    item = db.get_or_404(Department, department_id) if department_id else None
    form = DepartmentForm(obj=item)
    if form.validate_on_submit():
        data = {"code": form.code.data, "name": form.name.data, "committee": form.committee.data}
        done, saved = form.commit(lambda: save_department(item, current_user, **data))
        if done:
            flash(_("%(name)s has been saved.", name=saved.name), "success")
            return redirect(url_for("admin.departments"))
    return render_template("admin/departments/edit.html", form=form, item=item)


@bp.get("/districts")
def districts():
    items = db.session.scalars(sa.select(District).order_by(District.active.desc(), District.name)).all()
    areas = db.session.scalars(
        sa.select(Area).join(Area.district).options(contains_eager(Area.district)).order_by(District.name, Area.name)
    ).all()
    return render_template("admin/districts/index.html", districts=items, areas=areas, action_form=EmptyForm())


@bp.route("/districts/new", methods=["GET", "POST"])
@bp.route("/districts/<int:district_id>", methods=["GET", "POST"])
def district(district_id: int | None = None):
    item = db.get_or_404(District, district_id) if district_id else None
    form = DistrictForm(obj=item)
    if form.validate_on_submit():
        done, saved = form.commit(lambda: save_district(item, current_user, name=form.name.data))
        if done:
            flash(_("%(name)s has been saved.", name=saved.name), "success")
            return redirect(url_for("admin.districts"))
    return render_template("admin/districts/edit.html", form=form, item=item)


@bp.route("/areas/new", methods=["GET", "POST"])
@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
def area(area_id: int | None = None):
    item = db.get_or_404(Area, area_id) if area_id else None
    form = AreaForm(obj=item)
    form.district_id.choices = [(0, _("Choose a district"))] + [
        (district.id, district.name if district.active else _("%(name)s (deactivated)", name=district.name))
        for district in db.session.scalars(sa.select(District).order_by(District.active.desc(), District.name))
    ]
    if form.validate_on_submit():
        data = {"district_id": form.district_id.data, "code": form.code.data, "name": form.name.data}
        done, saved = form.commit(lambda: save_area(item, current_user, **data))
        if done:
            flash(_("%(name)s has been saved.", name=saved.name), "success")
            return redirect(url_for("admin.districts") + "#areas")
    return render_template("admin/areas/edit.html", form=form, item=item)


@bp.get("/group-kinds")
def group_kinds():
    items = db.session.scalars(sa.select(GroupKind).order_by(GroupKind.active.desc(), GroupKind.name_sv)).all()
    return render_template("admin/group_kinds/index.html", group_kinds=items, action_form=EmptyForm())


@bp.route("/group-kinds/new", methods=["GET", "POST"])
@bp.route("/group-kinds/<int:group_kind_id>", methods=["GET", "POST"])
def group_kind(group_kind_id: int | None = None):
    item = db.get_or_404(GroupKind, group_kind_id) if group_kind_id else None
    form = GroupKindForm(obj=item)
    if form.validate_on_submit():
        names = {"name_sv": form.name_sv.data, "name_en": form.name_en.data}
        done, saved = form.commit(lambda: save_group_kind(item, current_user, **names))
        if done:
            flash(_("%(name)s has been saved.", name=saved.name), "success")
            return redirect(url_for("admin.group_kinds"))
    return render_template("admin/group_kinds/edit.html", form=form, item=item)


MODELS = {"departments": Department, "districts": District, "areas": Area, "group-kinds": GroupKind}
LISTS = {"areas": "admin.districts"}  # areas are listed with the districts


@bp.post("/<any(departments, districts, areas, 'group-kinds'):kind>/<int:item_id>/<any(deactivate, reactivate):change>")
def set_org_active(kind: str, item_id: int, change: str):
    model = MODELS[kind]
    item = db.get_or_404(model, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    set_active(item, current_user, change == "reactivate")
    db.session.commit()
    if change == "reactivate":
        flash(_("%(name)s is active again.", name=item.name), "success")
    else:
        flash(_("%(name)s is deactivated. Assessments that use it keep it.", name=item.name), "success")
    return redirect(
        url_for(LISTS.get(kind, f"admin.{kind.replace('-', '_')}"))
        + (f"?{request.query_string.decode()}" if request.query_string else "")
    )
