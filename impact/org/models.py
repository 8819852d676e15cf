"""Departments and districts. Never deleted: old assessments keep pointing at them."""

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

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
