"""User administration: list, create, edit, deactivate, reactivate, reset password."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from impact.admin import bp
from impact.admin.forms import NewUserForm, UserFilterForm, UserForm, committee_options, department_choices
from impact.admin.users import reset_password, set_active, update_user, user_list
from impact.auth.accounts import create_user, email_taken
from impact.auth.models import User
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.forms import EmptyForm, commit_or_flash
from impact.core.params import page_arg
from impact.org.models import Department

PER_PAGE = 25


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/users")
def users():
    filters = UserFilterForm.from_args(request.args)
    page = db.paginate(user_list(filters), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("admin/users/index.html", filters=filters, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    form.department.choices = department_choices()
    form.committees.choices = committee_options()
    if form.validate_on_submit():
        if email_taken(form.email.data):
            form.email.errors.append(_("Another user already has this email address"))
        else:
            # The form checked everything; a refusal here is a race with another admin.
            done, user = form.commit(
                lambda: create_user(
                    email=form.email.data,
                    name=form.name.data,
                    password=form.password.data,
                    department=db.session.get(Department, int(form.department.data)),
                    roles=[Role(role) for role in form.roles.data],
                    actor=current_user,
                    municipality_wide=form.municipality_wide.data,
                    must_change_password=form.must_change_password.data,
                    committees=form.committees.data,
                ),
                field="email",
            )
            if done:
                flash(_("The account for %(name)s has been created.", name=user.name), "success")
                return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/users/new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    form.department.choices = department_choices(include_inactive_id=user.department_id)
    form.committees.choices = committee_options(user.committees)
    if request.method == "GET":
        form.department.data = str(user.department_id)
        form.roles.data = sorted(role.value for role in user.roles)
        form.committees.data = user.committees
    if form.validate_on_submit():
        data = {
            "email": form.email.data,
            "name": form.name.data,
            "department": db.session.get(Department, int(form.department.data)),
            "roles": [Role(role) for role in form.roles.data],
            "municipality_wide": form.municipality_wide.data,
            "committees": form.committees.data,
        }
        done, changes = form.commit(lambda: update_user(user, current_user, **data), field="roles")
        if done:
            if changes:
                flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/users/edit.html", form=form, user=user, action_form=EmptyForm())


def _state_change(user_id: int, action) -> object:
    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    done, result = commit_or_flash(lambda: action(user))
    return result if done and result is not None else redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int):
    def action(user):
        set_active(user, current_user, False)
        flash(_("%(name)s can no longer log in. The account and its history are kept.", name=user.name), "success")

    return _state_change(user_id, action)


@bp.post("/users/<int:user_id>/reactivate")
def reactivate_user(user_id: int):
    def action(user):
        set_active(user, current_user, True)
        flash(_("%(name)s can log in again.", name=user.name), "success")

    return _state_change(user_id, action)


@bp.post("/users/<int:user_id>/reset-password")
def reset_user_password(user_id: int):
    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    password = reset_password(user, current_user)
    db.session.commit()
    # Shown once in the response, never stored or put in a URL; the page is not cached.
    response = render_template("admin/users/temporary_password.html", user=user, password=password)
    return response, 200, {"Cache-Control": "no-store"}
