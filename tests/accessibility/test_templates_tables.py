"""Scrollable tables are focusable, named regions in the HTML itself, so they work without JavaScript."""

import re
from html.parser import HTMLParser

import pytest


class _TableWraps(HTMLParser):
    """Collects the attributes of every element whose class list holds ``table-wrap``."""

    def __init__(self) -> None:
        super().__init__()
        self.wraps: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "table-wrap" in (found.get("class") or "").split():
            self.wraps.append(found)


def table_wraps(html: str) -> list[dict[str, str | None]]:
    """The attributes of each table-wrap in ``html``."""
    parser = _TableWraps()
    parser.feed(html)
    return parser.wraps


PAGES = [
    "/assessments/",
    "/assessments/{approved_ff}",
    "/reports/",
    "/reports/districts",
    "/review/",
    "/audit/",
    "/admin/users",
    "/admin/departments",
    "/admin/districts",
    "/admin/templates",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_scrollable_table_is_a_named_focusable_region(client, login_as, seeded, path, language):
    login_as("admin", "reviewer", "auditor", "case_officer", department="FFF", municipality_wide=True)
    with client.session_transaction() as session:
        session["locale"] = language  # as the language switch does; Accept-Language does not count once logged in
    response = client.get(path.format(**seeded))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    wraps = table_wraps(html)
    assert wraps, f"no table on {path}"
    assert html.count("<table") == len(wraps), f"a table on {path} is not inside a table_wrap region"
    for wrap in wraps:
        assert wrap.get("tabindex") == "0"
        assert wrap.get("role") == "region"
        assert re.search(r"\w", wrap.get("aria-label") or ""), f"unnamed table region on {path}: {wrap}"
