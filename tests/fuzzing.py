"""Hypothesis strategies that send random, oversized, wrongly typed and missing values to any form or filter.

Point ``form_data(["field", ...])`` at a form's field names and post the result; ``query_string`` does the same for
GET filters. Each field is left out, sent once or sent several times, with a value drawn from ``field_value``.
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html import unescape
from urllib.parse import urlencode

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Few examples keep the suite fast; no deadline because the first request of an app compiles templates.
FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI failures reproduce
)

_TRICKY = [
    "",
    " ",
    "\x00",
    "null",
    "None",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "true",
    "2026-02-30",
    "30/12/2026",
    "9999-12-31",
    "0000-00-00",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "%00",
    "../../etc/passwd",
    "//evil.example",
    "https://evil.example/",
    "åäö ÅÄÖ 🏛",
    "\u202e\u200b",
]


def field_value() -> st.SearchStrategy[str]:
    """A single submitted value: text, numbers and dates as text, known troublemakers, or something far too long."""
    return st.one_of(
        st.text(max_size=60),
        st.sampled_from(_TRICKY),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.dates().map(lambda day: day.isoformat()),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=3000),
        st.just("x" * 20_000),
    )


def form_data(fields: Sequence[str], extra: Sequence[str] = ("unexpected",)) -> st.SearchStrategy[dict]:
    """Form data for ``fields`` (plus unexpected ones): each missing, a single value or a list of values."""
    one_field = st.one_of(st.none(), field_value(), st.lists(field_value(), min_size=2, max_size=3))
    return st.fixed_dictionaries({name: one_field for name in (*fields, *extra)}).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )


def query_string(fields: Sequence[str]) -> st.SearchStrategy[str]:
    """A URL query string built from ``form_data``, repeated keys included."""
    return form_data(fields).map(lambda data: urlencode(data, doseq=True))


_FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"')
_HIDDEN = re.compile(r'<input\b(?=[^>]*\btype="hidden")(?=[^>]*\bname="([^"]+)")(?=[^>]*\bvalue="([^"]*)")[^>]*>')
NOT_FUZZED = {"csrf_token"}


def page_fields(html: str) -> list[str]:
    """The names of every field on a rendered page, in order, without the CSRF token: what a person could send."""
    return list(dict.fromkeys(name for name in _FIELD_NAME.findall(html) if name not in NOT_FUZZED))


def hidden_values(html: str) -> dict[str, str]:
    """The hidden inputs of a page (lock version, CSRF token): the base a browser would post back."""
    return {name: unescape(value) for name, value in _HIDDEN.findall(html)}


@contextmanager
def form_verdicts() -> Iterator[list[bool]]:
    """Record the result of every ImpactForm.validate() during the block: tells a valid submission from an invalid."""
    from impact.core.forms import ImpactForm

    verdicts: list[bool] = []
    original = ImpactForm.validate

    def recording(self, *args, **kwargs):
        verdict = original(self, *args, **kwargs)
        verdicts.append(verdict)
        return verdict

    ImpactForm.validate = recording
    try:
        yield verdicts
    finally:
        ImpactForm.validate = original
