"""The auditor's page: the whole trail, newest first, paginated and filterable."""

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, IntegerField, SearchField, SelectField
from wtforms.validators import Length, NumberRange, Optional

from impact.assessments.loaders import PERSON
from impact.audit import bp
from impact.audit.display import describe
from impact.audit.labels import EVENT_TYPES
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.core.params import MAX_ID, on_or_after, on_or_before, page_arg

PER_PAGE = 50


class TrailFilterForm(ImpactForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Event"), validators=[Optional()], validate_choice=True)
    actor = SearchField(_l("Who (name or email)"), validators=[Optional(), Length(max=200)])
    assessment = IntegerField(
        _l("Assessment number"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Give a positive number.")),
            NumberRange(max=MAX_ID, message=_l("No assessment has a number that large.")),
        ],
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def valid(self) -> dict:
        return {field.name: field.data for field in self if field.data not in (None, "") and not field.errors}


@bp.get("/")
@role_required(Role.auditor, Role.admin)
def index():
    form = TrailFilterForm(formdata=request.args)
    form.action.choices = [("", _l("All events"))] + [(key, label) for key, label in EVENT_TYPES.items()]
    form.validate()
    values = form.valid()
    statement = sa.select(AuditEvent).options(sa.orm.joinedload(AuditEvent.actor).options(*PERSON))
    if action := values.get("action"):
        statement = statement.where(AuditEvent.action == action)
    if actor := values.get("actor"):
        pattern = f"%{actor.lower()}%"
        statement = statement.where(
            AuditEvent.actor_id.in_(
                sa.select(User.id).where(
                    sa.or_(sa.func.lower(User.name).like(pattern), sa.func.lower(User.email).like(pattern))
                )
            )
        )
    if assessment := values.get("assessment"):
        statement = statement.where(AuditEvent.assessment_id == assessment)
    if start := values.get("date_from"):
        statement = statement.where(on_or_after(AuditEvent.created_at, start))
    if end := values.get("date_to"):
        statement = statement.where(on_or_before(AuditEvent.created_at, end))
    page = db.paginate(statement.order_by(AuditEvent.id.desc()), page=page_arg(), per_page=PER_PAGE, error_out=False)
    args = {f.name: f.raw_data[0] for f in form if f.raw_data and f.raw_data[0]}
    rows = describe(list(page.items), current_user)
    return render_template("audit/index.html", form=form, page=page, rows=rows, args=args)
