"""Template versions, the grounds in each and their guiding questions, and the articles of the Convention on the
Rights of the Child that the child-rights step offers.

An assessment points at the template version it was started under, so editing the grounds later (a new version)
never changes the questions an old assessment was answered against.
"""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum

# The nine grounds of Socialt hållbart Borås. These keys are used in the API, exports and code.
GROUND_KEYS = (
    "socioeconomic_status",
    "geographic_residence",
    "gender",
    "transgender_identity",
    "ethnicity",
    "religion",
    "disability",
    "age",
    "sexual_orientation",
)


class TemplateStatus(LabelledEnum):
    draft = "draft", _l("Draft")
    published = "published", _l("Published")
    retired = "retired", _l("Retired")


def localized(sv: str | None, en: str | None) -> str:
    locale = get_locale()
    if locale is not None and locale.language == "en" and en:
        return en
    return sv or en or ""


class TemplateVersion(db.Model):
    __tablename__ = "template_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    status: Mapped[TemplateStatus] = mapped_column(enum_type(TemplateStatus, "template_status"))
    note: Mapped[Optional[str]] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    # Whether a negative ground must give the impact that remains after its mitigations before submitting. Versions
    # made before that question existed keep their drafts submittable as they were; every new version asks it.
    asks_remaining_impact: Mapped[bool] = mapped_column(default=True, server_default=sa.false())

    grounds: Mapped[list["Ground"]] = relationship(
        back_populates="template_version", order_by="Ground.position", cascade="all, delete-orphan"
    )
    # The articles of the Convention the child-rights step offers (impact/assessments/child_rights.py).
    child_rights_articles: Mapped[list["ChildRightsArticle"]] = relationship(
        order_by="ChildRightsArticle.number", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def active_grounds(self) -> list["Ground"]:
        return [ground for ground in self.grounds if ground.active]

    @classmethod
    def current(cls) -> Optional["TemplateVersion"]:
        """The published version that new assessments start under."""
        return db.session.scalar(
            sa.select(cls).where(cls.status == TemplateStatus.published).order_by(cls.number.desc()).limit(1)
        )


class Ground(db.Model):
    __tablename__ = "grounds"
    __table_args__ = (sa.UniqueConstraint("template_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_version_id: Mapped[int] = mapped_column(sa.ForeignKey("template_versions.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int]
    name_sv: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    guidance_sv: Mapped[str] = mapped_column(sa.Text, default="")
    guidance_en: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    template_version: Mapped[TemplateVersion] = relationship(back_populates="grounds")
    questions: Mapped[list["GuidingQuestion"]] = relationship(
        order_by="GuidingQuestion.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def name(self) -> str:
        return localized(self.name_sv, self.name_en)

    @property
    def guidance(self) -> str:
        return localized(self.guidance_sv, self.guidance_en)

    def __repr__(self) -> str:
        return f"<Ground {self.key} v{self.template_version_id}>"


def reportable_grounds() -> list[tuple[str, str, str]]:
    """The grounds summaries, filters and the API may show: (key, name_sv, name_en), one per key.

    Only grounds that were active in a published version (the current one or an earlier one) are answered in some
    assessment; a draft's grounds, added or deactivated there, stay out until the draft is published. Keys come in
    the order of the newest version that has them and are named as there; keys only older versions had follow.
    """
    rows = db.session.execute(
        sa.select(Ground.key, Ground.name_sv, Ground.name_en)
        .join(TemplateVersion, TemplateVersion.id == Ground.template_version_id)
        .where(TemplateVersion.status != TemplateStatus.draft, Ground.active.is_(True))
        .order_by(TemplateVersion.number.desc(), Ground.position)
    )
    grounds: dict[str, tuple[str, str, str]] = {}
    for key, name_sv, name_en in rows:
        grounds.setdefault(key, (key, name_sv, name_en))
    return list(grounds.values())


def reportable_ground_names() -> list[tuple[str, str]]:
    """``reportable_grounds()`` as (key, name in the user's language)."""
    return [(key, localized(name_sv, name_en)) for key, name_sv, name_en in reportable_grounds()]


class GuidingQuestion(db.Model):
    __tablename__ = "guiding_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text_sv: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text)

    @property
    def text(self) -> str:
        return localized(self.text_sv, self.text_en)


# The articles a new template starts with (each later version copies its predecessor's, as admins left them):
# number -> (Swedish, English, a general principle). The four general principles are always considered first.
DEFAULT_ARTICLES: dict[int, tuple[str, str, bool]] = {
    2: ("Icke-diskriminering", "Non-discrimination", True),
    3: ("Barnets bästa", "The best interests of the child", True),
    6: ("Liv, överlevnad och utveckling", "Life, survival and development", True),
    12: ("Rätt att uttrycka sina åsikter och bli hörd", "The right to be heard", True),
    4: ("Genomförande av rättigheterna", "Implementing the rights", False),
    5: ("Föräldrarnas vägledning", "Parental guidance", False),
    7: ("Namn, medborgarskap och vård", "Name, nationality and care", False),
    8: ("Identitet", "Identity", False),
    9: ("Inte skiljas från sina föräldrar", "Not separated from parents", False),
    10: ("Familjeåterförening", "Family reunification", False),
    13: ("Yttrandefrihet", "Freedom of expression", False),
    14: ("Tanke-, samvets- och religionsfrihet", "Freedom of thought, conscience and religion", False),
    15: ("Förenings- och mötesfrihet", "Freedom of association", False),
    16: ("Skydd för privatliv", "Privacy", False),
    17: ("Tillgång till information", "Access to information", False),
    18: ("Föräldrarnas gemensamma ansvar", "Parents' responsibility", False),
    19: ("Skydd mot våld", "Protection from violence", False),
    20: ("Barn utan familj", "Children without a family", False),
    22: ("Barn på flykt", "Refugee children", False),
    23: ("Barn med funktionsnedsättning", "Children with disabilities", False),
    24: ("Hälsa och sjukvård", "Health and health care", False),
    26: ("Social trygghet", "Social security", False),
    27: ("Skälig levnadsstandard", "Standard of living", False),
    28: ("Utbildning", "Education", False),
    29: ("Utbildningens mål", "Aims of education", False),
    30: ("Barn i minoriteter och urfolk", "Children of minorities and indigenous peoples", False),
    31: ("Lek, vila och fritid", "Play, rest and leisure", False),
    32: ("Skydd mot ekonomiskt utnyttjande", "Protection from economic exploitation", False),
    33: ("Skydd mot narkotika", "Protection from drugs", False),
    34: ("Skydd mot sexuellt utnyttjande", "Protection from sexual exploitation", False),
    36: ("Skydd mot annat utnyttjande", "Protection from other exploitation", False),
    39: ("Rehabilitering och återanpassning", "Recovery and rehabilitation", False),
    40: ("Barn i rättsprocesser", "Children in the justice system", False),
}
# The Convention has 54 articles; an article's number is one of them.
CONVENTION_ARTICLES = 54


class ChildRightsArticle(db.Model):
    """An article of the Convention the child-rights step offers, in one template version: its number, short name
    and whether it is a general principle (offered first). Admins keep the list in a draft version; an assessment
    offers, and names, the articles of the version it was started under."""

    __tablename__ = "child_rights_articles"
    __table_args__ = (
        sa.UniqueConstraint("template_version_id", "number"),
        sa.CheckConstraint(f"number >= 1 AND number <= {CONVENTION_ARTICLES}", name="number_in_convention"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("template_versions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    name_sv: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    principle: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def name(self) -> str:
        return localized(self.name_sv, self.name_en)

    @property
    def label(self) -> str:
        return _("Article %(num)s: %(name)s", num=self.number, name=self.name)

    def __repr__(self) -> str:
        return f"<ChildRightsArticle {self.number} v{self.template_version_id}>"


def default_articles() -> list[ChildRightsArticle]:
    """The articles a new template starts with, principles first."""
    return [
        ChildRightsArticle(number=number, name_sv=sv, name_en=en, principle=principle)
        for number, (sv, en, principle) in sorted(DEFAULT_ARTICLES.items(), key=lambda item: (not item[1][2], item[0]))
    ]
