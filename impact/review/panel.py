"""What the review partials show: actions the user may take, versions, history and reviewer comments."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_login import current_user

from impact.assessments import access
from impact.assessments.chain import chain_ids
from impact.assessments.loaders import PERSON
from impact.assessments.models import Assessment
from impact.core.db import db
from impact.core.request_cache import request_cache
from impact.grounds.models import Ground
from impact.review import bp
from impact.review.forms import CompareForm
from impact.review.models import ReviewComment, Section
from impact.review.operations import OPEN_STATES


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
    compare_form: CompareForm | None


def review_panel(assessment: Assessment) -> Panel:
    user = current_user
    # The whole chain in one query, each version with whether the user may see it (the SQL twin of can_view):
    # no query per version for its authors.
    rows = db.session.execute(
        sa.select(Assessment, access.visible_filter(user)).where(Assessment.id.in_(chain_ids())),
        {"assessment_id": assessment.id},
    ).all()
    chain = sorted((row[0] for row in rows), key=lambda version: (version.version_number, version.id))
    visible = {version.id for version, may_view in rows if may_view} | {assessment.id}
    versions = [version for version in chain if version.id in visible]
    # What open_amendment() asks the database, answered from the chain already loaded.
    amendment = next(
        (version for version in chain if version.amends_id == assessment.id and version.status in OPEN_STATES), None
    )
    compare_form = None
    if len(versions) > 1:
        # Field ids are prefixed so the panel never clashes with ids on the page that includes it.
        compare_form = CompareForm(formdata=None, prefix="compare")
        compare_form.a.choices = compare_form.b.choices = [(v.id, str(v.version_number)) for v in versions]
        compare_form.a.data, compare_form.b.data = versions[-2].id, versions[-1].id
    return Panel(
        can_review=access.can_review(assessment, user),
        can_withdraw=access.can_withdraw(assessment, user),
        can_archive=access.can_archive(assessment, user),
        can_amend=access.can_amend(assessment, user) and amendment is None,
        can_reopen=access.can_reopen(assessment, user),
        can_follow_up=access.can_follow_up(assessment, user),
        open_amendment=amendment if amendment is not None and amendment.id in visible else None,
        versions=versions,
        compare_form=compare_form,
    )


def _comments_by_part(assessment: Assessment) -> dict[tuple[str, str], list[ReviewComment]]:
    """Every reviewer comment on the assessment in one query, keyed by ("ground", key) or ("section", name)."""
    cache = request_cache("review_comments")
    if assessment.id not in cache:
        rows = db.session.execute(
            sa.select(ReviewComment, Ground.key)
            .outerjoin(Ground, Ground.id == ReviewComment.ground_id)
            .where(ReviewComment.assessment_id == assessment.id)
            .options(sa.orm.joinedload(ReviewComment.author).options(*PERSON))
            .order_by(ReviewComment.round.desc(), ReviewComment.id)
        )
        parts: dict[tuple[str, str], list[ReviewComment]] = {}
        for comment, ground_key in rows:
            part = ("ground", ground_key) if ground_key is not None else ("section", comment.section.value)
            parts.setdefault(part, []).append(comment)
        cache[assessment.id] = parts
    return cache[assessment.id]


def review_comments(
    assessment: Assessment, ground: Ground | None = None, section: str | None = None
) -> list[ReviewComment]:
    """The reviewers' comments on one ground (by key, across template versions) or one section, newest first.

    The first call of a request reads all of the assessment's comments; the other parts' calls cost no query.
    """
    parts = _comments_by_part(assessment)
    if ground is not None:
        return list(parts.get(("ground", ground.key), []))
    if section is not None:
        return list(parts.get(("section", Section(section).value), []))
    every = [comment for part in parts.values() for comment in part]
    return sorted(every, key=lambda comment: (-comment.round, comment.id))


@bp.app_context_processor
def review_helpers() -> dict:
    return {
        "review_panel": review_panel,
        "review_comments": review_comments,
        "review_can_reopen": lambda assessment: access.can_reopen(assessment, current_user),
    }
