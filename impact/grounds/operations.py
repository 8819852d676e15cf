"""Template versions: draft a copy of the published grounds, edit it, publish it.

Only a draft can be changed. Publishing makes the draft the version new assessments start under and retires the
previous one; assessments already started keep pointing at the version (and so the grounds) they were started under.
Every operation writes the audit trail and flushes; none commits.
"""

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.audit import trail
from impact.core.db import db, utcnow
from impact.core.refusal import Refusal
from impact.grounds.models import (
    CONVENTION_ARTICLES,
    ChildRightsArticle,
    Ground,
    GuidingQuestion,
    TemplateStatus,
    TemplateVersion,
    default_articles,
)

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class TemplateError(Refusal):
    """The change to a template version is not allowed."""


def current_draft() -> TemplateVersion | None:
    return db.session.scalar(sa.select(TemplateVersion).where(TemplateVersion.status == TemplateStatus.draft))


def _ground_state(ground: Ground) -> dict:
    return {
        "key": ground.key,
        "position": ground.position,
        "name_sv": ground.name_sv,
        "name_en": ground.name_en,
        "guidance_sv": ground.guidance_sv,
        "guidance_en": ground.guidance_en,
        "active": ground.active,
        "questions": [[question.text_sv, question.text_en] for question in ground.questions],
    }


def _require_draft(version: TemplateVersion) -> None:
    if version.status != TemplateStatus.draft:
        raise TemplateError(_l("Only a draft template version can be changed. Start a new draft first."))


def create_draft(actor, note: str | None = None) -> TemplateVersion:
    """A new draft copying every ground and question, and the child-rights step's articles, of the current version;
    raises TemplateError if one exists."""
    if current_draft() is not None:
        raise TemplateError(_l("There is already a draft template version. Publish or edit that one."))
    source = TemplateVersion.current()
    number = (db.session.scalar(sa.select(sa.func.max(TemplateVersion.number))) or 0) + 1
    draft = TemplateVersion(number=number, status=TemplateStatus.draft, note=note, created_by_id=actor.id)
    for ground in source.grounds if source else []:
        copy = Ground(
            key=ground.key,
            position=ground.position,
            name_sv=ground.name_sv,
            name_en=ground.name_en,
            guidance_sv=ground.guidance_sv,
            guidance_en=ground.guidance_en,
            active=ground.active,
        )
        copy.questions = [
            GuidingQuestion(position=q.position, text_sv=q.text_sv, text_en=q.text_en) for q in ground.questions
        ]
        draft.grounds.append(copy)
    draft.child_rights_articles = (
        [
            ChildRightsArticle(number=a.number, name_sv=a.name_sv, name_en=a.name_en, principle=a.principle)
            for a in source.child_rights_articles
        ]
        if source
        else default_articles()
    )
    db.session.add(draft)
    db.session.flush()
    trail.record(
        "template.draft",
        draft,
        actor=actor,
        changes={"number": number, "copied_from": source.number if source else None, "note": note},
    )
    return draft


def update_ground(
    ground: Ground,
    actor,
    *,
    name_sv: str,
    name_en: str,
    guidance_sv: str,
    guidance_en: str,
    questions: list[tuple[str, str]],
) -> dict:
    """Change a draft ground's names, guidance and guiding questions; returns the recorded diff."""
    _require_draft(ground.template_version)
    for field, value in (("name_sv", name_sv), ("name_en", name_en)):
        if not value.strip():
            raise TemplateError(_l("Enter the ground's name"), field)
        if _name_taken(ground.template_version, field, value, ground.id):
            raise TemplateError(_l("Another ground in this version already has this name"), field)
    before = _ground_state(ground)
    ground.name_sv, ground.name_en = name_sv.strip(), name_en.strip()
    ground.guidance_sv, ground.guidance_en = guidance_sv.strip(), guidance_en.strip()
    kept = ground.questions[: len(questions)]
    for question, (text_sv, text_en) in zip(kept, questions, strict=False):
        question.text_sv, question.text_en = text_sv, text_en
    extra = [
        GuidingQuestion(position=index, text_sv=sv, text_en=en)
        for index, (sv, en) in enumerate(questions[len(kept) :], start=len(kept) + 1)
    ]
    ground.questions = kept + extra
    db.session.flush()
    changes = trail.diff(before, _ground_state(ground))
    if changes:
        trail.record("template.ground_update", ground, actor=actor, changes={"key": ground.key, **changes})
    return changes


def _name_taken(version: TemplateVersion, field: str, value: str, except_id: int | None) -> bool:
    return any(
        getattr(other, field).strip().lower() == value.strip().lower()
        for other in version.grounds
        if other.id != except_id
    )


def add_ground(version: TemplateVersion, actor, *, key: str, name_sv: str, name_en: str, **texts) -> Ground:
    """Add a ground at the end of a draft; the key must be snake_case and new in the version."""
    _require_draft(version)
    key = key.strip()
    if not KEY_PATTERN.match(key) or len(key) > 60:
        raise TemplateError(
            _l("The key must be lower-case letters, digits and underscores, starting with a letter"), "key"
        )
    if any(ground.key == key for ground in version.grounds):
        raise TemplateError(_l("A ground with this key already exists in this version"), "key")
    for field, value in (("name_sv", name_sv), ("name_en", name_en)):
        if not value.strip():
            raise TemplateError(_l("Enter the ground's name"), field)
        if _name_taken(version, field, value, None):
            raise TemplateError(_l("Another ground in this version already has this name"), field)
    position = max((ground.position for ground in version.grounds), default=0) + 1
    ground = Ground(
        key=key,
        position=position,
        name_sv=name_sv.strip(),
        name_en=name_en.strip(),
        guidance_sv=texts.get("guidance_sv", "").strip(),
        guidance_en=texts.get("guidance_en", "").strip(),
    )
    ground.questions = [
        GuidingQuestion(position=index, text_sv=sv, text_en=en)
        for index, (sv, en) in enumerate(texts.get("questions", []), start=1)
    ]
    version.grounds.append(ground)
    db.session.flush()
    trail.record("template.ground_add", ground, actor=actor, changes=_ground_state(ground))
    return ground


def move_ground(ground: Ground, actor, direction: int) -> None:
    """Swap the ground with its neighbour above (-1) or below (+1); nothing happens at either end."""
    _require_draft(ground.template_version)
    grounds = sorted(ground.template_version.grounds, key=lambda item: item.position)
    before = [item.key for item in grounds]
    index = grounds.index(ground)
    other_index = index + (1 if direction > 0 else -1)
    if not 0 <= other_index < len(grounds):
        return
    other = grounds[other_index]
    grounds[index], grounds[other_index] = other, ground
    for position, item in enumerate(grounds, start=1):
        item.position = position
    db.session.flush()
    trail.record(
        "template.ground_move",
        ground,
        actor=actor,
        changes={"key": ground.key, "order": {"before": before, "after": [item.key for item in grounds]}},
    )


def set_ground_active(ground: Ground, actor, active: bool) -> None:
    """Deactivate a ground (new assessments will not ask about it) or bring it back."""
    _require_draft(ground.template_version)
    if ground.active == active:
        return
    if not active and sum(1 for item in ground.template_version.grounds if item.active) <= 1:
        raise TemplateError(_l("A template version needs at least one active ground"))
    ground.active = active
    db.session.flush()
    trail.record(
        "template.ground_activate" if active else "template.ground_deactivate",
        ground,
        actor=actor,
        changes={"key": ground.key, "active": {"before": not active, "after": active}},
    )


def publish(version: TemplateVersion, actor) -> TemplateVersion | None:
    """Publish a draft; the version published until now is retired and returned."""
    _require_draft(version)
    if not any(ground.active for ground in version.grounds):
        raise TemplateError(_l("A template version needs at least one active ground"))
    previous = TemplateVersion.current()
    if previous is not None:
        previous.status = TemplateStatus.retired
    version.status = TemplateStatus.published
    version.published_at = utcnow()
    db.session.flush()
    trail.record(
        "template.publish",
        version,
        actor=actor,
        changes={
            "number": version.number,
            "status": {"before": "draft", "after": "published"},
            "retired": previous.number if previous else None,
        },
    )
    return previous


def _article_lines(version: TemplateVersion) -> list[str]:
    """The version's articles as the audit trail shows them: "3 Barnets bästa / The best interests of the child *"
    (the star marks a general principle)."""
    return [
        f"{article.number} {article.name_sv} / {article.name_en}" + (" *" if article.principle else "")
        for article in sorted(version.child_rights_articles, key=lambda article: article.number)
    ]


def update_child_rights_articles(version: TemplateVersion, actor, rows: list[tuple[int, str, str, bool]]) -> dict:
    """Make a draft's list of the Convention's articles ``rows``: (number, Swedish short name, English short name,
    a general principle). An article left out is no longer offered by the draft; returns the recorded diff."""
    _require_draft(version)
    numbers = [number for number, *_names in rows]
    if any(not 1 <= number <= CONVENTION_ARTICLES for number in numbers):
        raise TemplateError(_l("The Convention has articles 1 to %(max)d.", max=CONVENTION_ARTICLES), "new_number")
    if len(set(numbers)) != len(numbers):
        raise TemplateError(_l("This article is in the list already."), "new_number")
    if any(not name_sv.strip() for _number, name_sv, _en, _principle in rows):
        raise TemplateError(_l("Enter each article's short name in Swedish."))
    if not rows:
        raise TemplateError(_l("Keep at least one article in the list."))
    before = _article_lines(version)
    existing = {article.number: article for article in version.child_rights_articles}
    kept = []
    for number, name_sv, name_en, principle in sorted(rows):
        article = existing.get(number) or ChildRightsArticle(number=number)
        article.name_sv, article.name_en, article.principle = name_sv.strip(), name_en.strip(), principle
        kept.append(article)
    version.child_rights_articles = kept
    db.session.flush()
    changes = trail.diff({"articles": before}, {"articles": _article_lines(version)})
    if changes:
        trail.record("template.child_rights_articles", version, actor=actor, changes=changes)
    return changes
