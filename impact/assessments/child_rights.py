"""The child-rights assessment (prövning av barnets bästa): which children a proposal concerns, which rights of
the Convention on the Rights of the Child are at stake, the children's views, the consequences per right, the
weighing and the conclusion. Asked when the screening says the proposal concerns children."""

from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.assessments.enums import ChildRightEffect
from impact.core.db import db, enum_type
from impact.grounds.models import ChildRightsArticle, localized
from impact.org.models import District


def version_articles(version) -> list[ChildRightsArticle]:
    """The articles a template version offers: the general principles first, then by number."""
    return sorted(version.child_rights_articles, key=lambda article: (not article.principle, article.number))


def _newest_names() -> dict[int, tuple[str, str]]:
    """Per article number, its names in the newest published version that has it (an article dropped from the list
    keeps a name); read once per application context."""
    from flask import g

    from impact.grounds.models import TemplateStatus, TemplateVersion

    if "child_rights_article_names" not in g:
        rows = db.session.execute(
            sa.select(ChildRightsArticle.number, ChildRightsArticle.name_sv, ChildRightsArticle.name_en)
            .join(TemplateVersion, TemplateVersion.id == ChildRightsArticle.template_version_id)
            .where(TemplateVersion.status != TemplateStatus.draft)
            .order_by(TemplateVersion.number.desc())
        )
        names: dict[int, tuple[str, str]] = {}
        for number, sv, en in rows:
            names.setdefault(number, (sv, en))
        g.child_rights_article_names = names
    return g.child_rights_article_names


# The settings that hold the admins' own guidance for the step, shown above its form, per language.
GUIDANCE_KEYS = {"sv": "child_rights_guidance_sv", "en": "child_rights_guidance_en"}


def guidance_text() -> str:
    """The admins' guidance for the step in the current language (the Swedish when there is no English); "" if none."""
    from impact.settings.models import get_setting

    return localized(*(get_setting(GUIDANCE_KEYS[lang], default="") for lang in ("sv", "en")))


def article_label(number: int, version=None) -> str:
    """An article as people read it, in the current language: "Article 24: Health and health care", named as in
    template ``version`` (else as in the newest published version that has it)."""
    if version is not None:
        found = next((article for article in version.child_rights_articles if article.number == number), None)
        if found is not None:
            return found.label
    sv, en = _newest_names().get(number, ("", ""))
    return (
        _("Article %(num)s: %(name)s", num=number, name=localized(sv, en)) if sv else _("Article %(num)s", num=number)
    )


child_rights_districts = sa.Table(
    "child_rights_districts",
    db.metadata,
    sa.Column("assessment_id", sa.ForeignKey("child_rights.assessment_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("district_id", sa.ForeignKey("districts.id"), primary_key=True, index=True),
)

# The text answers of the step, in the order of the page.
TEXT_FIELDS = (
    "children",
    "districts_note",
    "heard_how",
    "not_heard_reason",
    "children_views",
    "knowledge",
    "conflicts",
    "child_alternatives",
    "conclusion",
    "against_reasons",
    "compensating_measures",
    "feedback",
)


class ChildRights(db.Model):
    """Whether a proposal concerns children (asked at the screening) and, if it does, the child-rights assessment.

    ``required`` is True for an assessment started with the step; one started before it existed gets a row only
    when someone answers, and the step stays optional for it.
    """

    __tablename__ = "child_rights"

    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    required: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    concerns_children: Mapped[Optional[bool]]
    children: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    districts_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    children_heard: Mapped[Optional[bool]]
    heard_how: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    not_heard_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    children_views: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    knowledge: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    conflicts: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    child_alternatives: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    conclusion: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    against_reasons: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    compensating_measures: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    feedback: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    assessment = relationship("Assessment", back_populates="child_rights")
    districts: Mapped[list[District]] = relationship(secondary=child_rights_districts, order_by=District.name)
    effects: Mapped[list["ChildRightEffectRow"]] = relationship(
        back_populates="child_rights",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ChildRightEffectRow.article",
    )

    @property
    def articles(self) -> list[int]:
        return [effect.article for effect in self.effects]

    @property
    def weakened(self) -> list["ChildRightEffectRow"]:
        return [effect for effect in self.effects if effect.effect == ChildRightEffect.weakened]

    def __repr__(self) -> str:
        return f"<ChildRights assessment={self.assessment_id} concerns={self.concerns_children}>"


class ChildRightEffectRow(db.Model):
    """One right of the Convention the proposal concerns, and what it does to it, short and long term."""

    __tablename__ = "child_right_effects"
    __table_args__ = (sa.CheckConstraint("article >= 1 AND article <= 54", name="article_in_convention"),)

    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("child_rights.assessment_id", ondelete="CASCADE"), primary_key=True
    )
    article: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    effect: Mapped[Optional[ChildRightEffect]] = mapped_column(enum_type(ChildRightEffect, "child_right_effect"))
    short_term: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    long_term: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    child_rights: Mapped[ChildRights] = relationship(back_populates="effects")

    @property
    def label(self) -> str:
        record = self.child_rights
        assessment = record.assessment if record is not None else None
        return article_label(self.article, assessment.template_version if assessment is not None else None)


def answer_rows(record: ChildRights | None) -> list[tuple[str, str, str]]:
    """The step's answers that are not rows, as (key, question, answer in words), in the page's order: one source
    for the assessment page, the conflict notice and the version diff."""
    if record is None:
        return []
    heard = record.children_heard
    rows = [
        ("children", _("Which children does the proposal concern?"), record.children),
        ("child_districts", _("Districts where the children live"), ", ".join(d.name for d in record.districts)),
        ("districts_note", _("More about where the children are"), record.districts_note),
        ("child_rights", _("Rights in the Convention concerned"), "; ".join(row.label for row in record.effects)),
        ("children_heard", _("Were children heard?"), _("Yes") if heard else (_("No") if heard is False else "")),
    ]
    if heard:
        rows += [
            ("heard_how", _("How were the children heard?"), record.heard_how),
            ("children_views", _("What did the children say?"), record.children_views),
        ]
    elif heard is False:
        rows.append(("not_heard_reason", _("Why were no children heard?"), record.not_heard_reason))
    rows += [
        ("knowledge", _("Other knowledge: statistics, research, experience"), record.knowledge),
        ("conflicts", _("Conflicts between the child's best interests and other interests"), record.conflicts),
        ("child_alternatives", _("Alternatives considered for the children"), record.child_alternatives),
        ("conclusion", _("Conclusion on the child's best interests"), record.conclusion),
    ]
    if record.weakened or record.against_reasons or record.compensating_measures:
        rows += [
            ("against_reasons", _("Why go ahead although a right is weakened?"), record.against_reasons),
            ("compensating_measures", _("Compensating measures"), record.compensating_measures),
        ]
    rows.append(("feedback", _("How will the children be told about the decision?"), record.feedback))
    return rows
