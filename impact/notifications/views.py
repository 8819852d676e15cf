"""The in-app notification list."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from impact.assessments.access import visible_filter
from impact.assessments.models import Assessment
from impact.core.db import db, utcnow
from impact.core.forms import EmptyForm
from impact.core.params import page_arg
from impact.notifications import bp
from impact.notifications.models import Notification
from impact.notifications.sending import message_text

PER_PAGE = 30


@bp.get("/")
@login_required
def index():
    statement = (
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .options(sa.orm.joinedload(Notification.assessment), sa.orm.joinedload(Notification.mitigation))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    page = db.paginate(statement, page=page_arg(), per_page=PER_PAGE, error_out=False)
    # A notification about an assessment the user may no longer open (a submission since returned to another
    # department, say) keeps its kind and time, but neither the title nor a link that would answer 404.
    ids = {item.assessment_id for item in page.items if item.assessment_id is not None}
    open_ids = (
        set(db.session.scalars(sa.select(Assessment.id).where(Assessment.id.in_(ids), visible_filter(current_user))))
        if ids
        else set()
    )
    return render_template(
        "notifications/index.html", page=page, message_text=message_text, open_ids=open_ids, form=EmptyForm()
    )


@bp.post("/read")
@login_required
def mark_read():
    if EmptyForm().validate_on_submit():
        db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
        )
        db.session.commit()
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index", page=request.args.get("page", type=int)))
