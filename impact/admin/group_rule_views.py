"""The rules that give roles, departments and remit from the municipality's groups: list, add, remove. Also letting
a local account be taken over by the person's sign-in with the municipality's account."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from impact.admin import bp
from impact.admin.forms import GroupRuleForm, group_rule_target_choices
from impact.admin.group_rules import add_rule, remove_rule
from impact.auth.group_rules import GroupRule, active_rules
from impact.auth.models import User
from impact.auth.oidc_accounts import allow_link
from impact.core.db import db
from impact.core.forms import EmptyForm


@bp.route("/group-rules", methods=["GET", "POST"])
def group_rules():
    form = GroupRuleForm()
    form.target.choices = group_rule_target_choices()
    if form.validate_on_submit():
        done, rule = form.commit(lambda: add_rule(current_user, group=form.group.data, target=form.target.data))
        if done:
            flash(
                _("The rule for %(group)s has been added. It applies from the next sign-in.", group=rule.group),
                "success",
            )
            return redirect(url_for("admin.group_rules"))
    return render_template("admin/group_rules.html", form=form, rules=active_rules(), action_form=EmptyForm())


@bp.post("/group-rules/<int:rule_id>/remove")
def remove_group_rule(rule_id: int):
    rule = db.get_or_404(GroupRule, rule_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    remove_rule(rule, current_user)
    db.session.commit()
    flash(
        _("The rule for %(group)s has been removed. It no longer applies from the next sign-in.", group=rule.group),
        "success",
    )
    return redirect(url_for("admin.group_rules"))


@bp.post("/users/<int:user_id>/allow-oidc-link")
def allow_oidc_link(user_id: int):
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    allow_link(user, current_user)
    db.session.commit()
    flash(
        _("The next sign-in with the municipality's account under %(email)s will use this account.", email=user.email),
        "success",
    )
    return redirect(url_for("admin.user", user_id=user.id))
