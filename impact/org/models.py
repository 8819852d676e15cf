"""Departments, districts and the areas within districts. Never deleted: old assessments keep pointing at them."""

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.core.db import db

# The municipal council (kommunfullmäktige): every municipality has one, and proposals may go to it.
COUNCIL = "Kommunfullmäktige"


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # The political committee (nämnd) that the department's decisions usually go to.
    committee: Mapped[Optional[str]] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def __repr__(self) -> str:
        return f"<Department {self.code}>"


class District(db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def __repr__(self) -> str:
        return f"<District {self.name}>"


class Area(db.Model):
    """A named area within a district (an SCB statistical area or a neighbourhood Borås names, such as
    Hässleholmen). Every summary counts by district: an area chosen counts for its district."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id"), index=True)
    # The code the statistics use for the area (e.g. SCB's RegSO code), matched when key figures are imported.
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    district: Mapped[District] = relationship()

    @property
    def label(self) -> str:
        """The area with its district, as the form offers it: "Hässleholmen (Norrby)"."""
        return f"{self.name} ({self.district.name})"

    def __repr__(self) -> str:
        return f"<Area {self.code}>"
