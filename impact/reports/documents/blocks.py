"""The building blocks of an assessment's documents, and how they write dates and read actions.

A block is a plain dict (JSON-ready, so the PDF template reads it as data, never as markup):
``heading`` (level, text), ``paragraph`` (text), ``mark`` (the draft notice), ``facts`` (rows of term and value;
rows without a value are left out), ``table`` (caption, header, rows), ``chart`` (alt text and one bar per ground)
and ``pagebreak``.
"""

from datetime import date, datetime

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from impact.assessments.models import GroundAnswer, Mitigation
from impact.core.timefmt import local_time


def language() -> str:
    """The document language: the request's locale, "sv" or "en"."""
    locale = get_locale()
    return locale.language if locale else "sv"


def day(value: date | datetime | None) -> str:
    """A date as the reader's language writes it ("3 mars 2026", "March 3, 2026"); a timestamp by its local date,
    never with the time; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value).date()
    return format_date(value, format="long")


def actions_for(answer: GroundAnswer) -> list[Mitigation]:
    """The actions of the action plan that address one ground: with ``action_plan`` the only places the documents
    read actions."""
    return list(answer.mitigations)


def action_plan(assessment) -> list[Mitigation]:
    """The assessment's action plan: each action once, however many grounds it addresses."""
    return list(assessment.actions)


def yes_no(value: bool | None) -> str:
    return "" if value is None else _("Yes") if value else _("No")


def heading(level: int, text: str) -> dict:
    return {"kind": "heading", "level": level, "text": text}


def paragraph(text: str | None) -> dict | None:
    return {"kind": "paragraph", "text": text.strip()} if text and text.strip() else None


def facts(rows: list[tuple[str, str | None]]) -> dict | None:
    """Term and value pairs; a row without a value is left out, and so is the block when none is left."""
    kept = [[term, value.strip()] for term, value in rows if value and str(value).strip()]
    return {"kind": "facts", "rows": kept} if kept else None


def table(caption: str, header: list[str], rows: list[list[str]]) -> dict | None:
    return {"kind": "table", "caption": caption, "header": header, "rows": rows} if rows else None
