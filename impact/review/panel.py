"""What the review partials show: actions the user may take, versions, history and reviewer comments."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_login import current_user

from impact.assessments import access
from impact.assessments.models import Assessment
from impact.audit.labels import action_label
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.grounds.models import Ground
from impact.review import bp, permissions
from impact.review.forms import CompareForm
from impact.review.models import ReviewComment, Section
from impact.review.operations import open_amendment
from impact.review.versions import versions_of


@dataclass
class Panel:
    can_review: bool
    can_withdraw: bool
    can_archive: bool
    can_amend: bool
    can_reopen: bool
    can_follow_up: bool
    open_amendment: Assessment | None
    versions: list[Assessment]
    history: list[AuditEvent]
    compare_form: CompareForm | None


def review_panel(assessment: Assessment) -> Panel:
    user = current_user
    versions = [version for version in versions_of(assessment) if access.can_view(version, user)]
    history = list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.assessment_id == assessment.id)
            .options(sa.orm.joinedload(AuditEvent.actor))
            .order_by(AuditEvent.id)
        )
    )
    amendment = open_amendment(assessment)
    compare_form = None
    if len(versions) > 1:
        # Field ids are prefixed so the panel never clashes with ids on the page that includes it.
        compare_form = CompareForm(formdata=None, prefix="compare")
        compare_form.a.choices = compare_form.b.choices = [(v.id, str(v.version_number)) for v in versions]
        compare_form.a.data, compare_form.b.data = versions[-2].id, versions[-1].id
    return Panel(
        can_review=access.can_review(assessment, user),
        can_withdraw=permissions.can_withdraw(assessment, user),
        can_archive=permissions.can_archive(assessment, user),
        can_amend=permissions.can_amend(assessment, user) and amendment is None,
        can_reopen=permissions.can_reopen(assessment, user),
        can_follow_up=permissions.can_follow_up(assessment, user),
        open_amendment=amendment if amendment is not None and access.can_view(amendment, user) else None,
        versions=versions,
        history=history,
        compare_form=compare_form,
    )


def review_comments(
    assessment: Assessment, ground: Ground | None = None, section: str | None = None
) -> list[ReviewComment]:
    """The reviewers' comments on one ground (by key, across template versions) or one section, newest first."""
    statement = (
        sa.select(ReviewComment)
        .where(ReviewComment.assessment_id == assessment.id)
        .options(sa.orm.joinedload(ReviewComment.author))
        .order_by(ReviewComment.round.desc(), ReviewComment.id)
    )
    if ground is not None:
        statement = statement.join(Ground, Ground.id == ReviewComment.ground_id).where(Ground.key == ground.key)
    elif section is not None:
        statement = statement.where(ReviewComment.section == Section(section))
    return list(db.session.scalars(statement))


@bp.app_context_processor
def review_helpers() -> dict:
    return {"review_panel": review_panel, "review_comments": review_comments, "audit_action_label": action_label}
