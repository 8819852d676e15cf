"""The base form every Impact form derives from."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FormField, HiddenField
from wtforms.widgets import HiddenInput

from impact.core.db import db
from impact.core.refusal import Refusal

T = TypeVar("T")
# The years a date in Impact can have: a plan, a meeting or a search is never outside them, and an export could
# not write one that is (Excel's dates start in 1900).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _strip(value):
    # NUL characters have no place in text and PostgreSQL refuses them outright; drop them with the whitespace.
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class ImpactForm(FlaskForm):
    """Strips surrounding whitespace from text input and keeps the CSRF token out of ``.data``."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            # Lists and sub-forms take no filters; their own fields strip (see strip_filters).
            if _strip not in filters and not issubclass(unbound_field.field_class, (FieldList, FormField)):
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)

        def render_field(self, field, render_kw):
            # A hidden input has no label to point at it, and an id would repeat on every page with several forms
            # (the header's language switch and logout and the page's own form each carry csrf_token).
            if isinstance(field.widget, HiddenInput):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then every date's year: "0001-01-01" is a date to Python, not to a person."""
        valid = super().validate(extra_validators)
        for field in _dates(self):
            if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
                field.errors = [*field.errors, _l("Enter a date between 1900 and 2199, for example 2026-12-15.")]
                valid = False
        return valid

    @property
    def data(self) -> dict:
        data = super().data
        data.pop("csrf_token", None)
        return data

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary, in page order. A list of rows (mitigations, alternatives)
        gives its rows' errors field by field, then what is wrong with the list as a whole (``<name>_problem``); a
        refusal that belongs to no one field (see ``commit``) comes first and leads to the form's first field."""
        found = []
        for field in self:
            if isinstance(field, FieldList):
                for entry in field:
                    subfields = entry.form if hasattr(entry, "form") else [entry]
                    found += [(sub.id, message) for sub in subfields for message in sub.errors]
                found += [(field.name, message) for message in getattr(self, f"{field.name}_problem", [])]
            else:
                found += [(field.id, message) for message in field.errors]
        first = next((field.id for field in self if field.type not in ("CSRFTokenField", "HiddenField")), "")
        return [*((first, message) for message in self.form_errors), *found]

    def commit(self, save: Callable[[], T], field: str | None = None) -> tuple[bool, T | None]:
        """Run ``save`` and commit: (True, its result). If it raises a ``Refusal``, roll back and show the message
        next to the refusal's field, or ``field``, or in the error summary: (False, None). The input stays."""
        try:
            result = save()
        except Refusal as error:
            db.session.rollback()
            name = error.field or field
            if name in self:
                self[name].errors.append(error.message)
            else:
                self.form_errors.append(error.message)
            return False, None
        db.session.commit()
        return True, result


def _dates(form):
    """The form's date fields, those of its lists' rows and sub-forms included."""
    for field in form:
        if isinstance(field, FieldList | FormField):
            for entry in field:
                if hasattr(entry, "form"):
                    yield from _dates(entry.form)
                elif isinstance(entry, DateField):
                    yield entry
        elif isinstance(field, DateField):
            yield field


def commit_or_flash(action: Callable[[], T]) -> tuple[bool, T | None]:
    """For one-button actions: run ``action`` and commit, (True, its result); if it raises a ``Refusal``, roll back
    and show the message as a notice on the next page, (False, None)."""
    try:
        result = action()
    except Refusal as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return False, None
    db.session.commit()
    return True, result


strip_filters = [_strip]  # for fields of plain sub-forms (wtforms.Form) inside an ImpactForm


class EmptyForm(ImpactForm):
    """A form with only the CSRF token, for one-button POST actions."""


class LanguageForm(ImpactForm):
    """The language switch in the page header; ``next`` brings the user back to where they were."""

    next = HiddenField()
