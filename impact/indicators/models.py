"""Key figures: an indicator (what is measured, in which unit, by which source) and its yearly values per
district, area or for the whole municipality, optionally by sex.

Figures about very few people are kept as the source shows them (its mark, e.g. ".."), never computed finer. An
admin may also set a threshold per indicator ("fewer than 5 individuals"): a figure resting on fewer is then shown
as "fewer than 5" wherever the source's mark would be, whatever number the file gave.
"""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum
from impact.grounds.models import localized
from impact.org.models import Area, District


class Sex(LabelledEnum):
    total = "total", _l("Total")
    women = "women", _l("Women")
    men = "men", _l("Men")


class Indicator(db.Model):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name_sv: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    unit: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    source: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    source_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # Figures resting on fewer individuals than this are shown as "fewer than <n>" (None: only the source's mark).
    few_below: Mapped[Optional[int]]
    # The value is itself a number of people (a count indicator), so the threshold compares it when a figure gives
    # no count of individuals; for a share or an average it must not (4.2 % is not four people).
    value_counts_people: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    ground_links: Mapped[list["IndicatorGround"]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorGround.ground_key"
    )

    @property
    def name(self) -> str:
        return localized(self.name_sv, self.name_en)

    @property
    def ground_keys(self) -> list[str]:
        return [link.ground_key for link in self.ground_links]

    def below_threshold(self, value: "IndicatorValue") -> bool:
        """Whether ``value`` rests on fewer individuals than the admin's threshold: its count of individuals from the
        file, or, for a count indicator without one, its value."""
        if self.few_below is None:
            return False
        count = value.individuals
        if count is None and self.value_counts_people:
            count = value.value
        return count is not None and count < self.few_below

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"


class IndicatorGround(db.Model):
    """A ground whose page shows the indicator (an admin chooses); by the ground's key, so it holds across
    template versions."""

    __tablename__ = "indicator_grounds"

    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True)
    ground_key: Mapped[str] = mapped_column(sa.String(60), primary_key=True, index=True)


class IndicatorValue(db.Model):
    __tablename__ = "indicator_values"
    __table_args__ = (
        # One figure per indicator, place, year and sex; ``place`` names the place whatever column holds it.
        sa.UniqueConstraint("indicator_id", "year", "sex", "place"),
        sa.CheckConstraint("area_id IS NULL OR district_id IS NULL", name="one_place"),
        sa.Index("ix_indicator_values_indicator_year", "indicator_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    # An area, a district, or neither: the whole municipality.
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    district_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("districts.id"), index=True)
    place: Mapped[str] = mapped_column(sa.String(30))  # "area:7", "district:3" or "municipality"
    year: Mapped[int]
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, "sex"), default=Sex.total)
    # The number, when the source gives one; None when it shows only a mark for too few individuals. A double
    # (not a decimal, which SQLite cannot hold exactly either): key figures are shown to a few digits.
    value: Mapped[Optional[float]] = mapped_column(sa.Double)
    # The value exactly as the file had it (shown for figures marked as resting on few individuals).
    shown: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    few: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # How many individuals the figure rests on, when the file says (the optional column "antal individer"): what
    # the admin's threshold compares.
    individuals: Mapped[Optional[int]]
    # Example figures shipped with the demo, not official statistics: every page that shows them says so.
    example: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))

    indicator: Mapped[Indicator] = relationship()
    area: Mapped[Optional[Area]] = relationship()
    district: Mapped[Optional[District]] = relationship()

    @property
    def rests_on_few(self) -> bool:
        """Marked by the source, given without a number, or below the admin's threshold: shown only as a mark, never
        drawn, compared or copied as a number."""
        return self.few or self.value is None or self.indicator.below_threshold(self)

    def __repr__(self) -> str:
        return f"<IndicatorValue {self.indicator_id} {self.place} {self.year} {self.sex}>"
