"""The table of what the benchmark measures. A new page is one line here.

``path`` is a format string over ``Context.values`` (or a tuple of candidate paths: the first that does not 404
is used), ``role`` the logged-in user (None: anonymous), ``auth`` "session" or "token" (Bearer token from
``flask create-token``), ``kind`` "page" (latency and throughput) or "download" (time to first byte, total time,
peak memory growth of the worker), ``reference`` the raw-SQL query in bench.raw_sql the page is compared with,
``prepare`` a function building each request (for POSTs that need a fresh form).
"""

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bench.raw_sql import period_args


@dataclass
class Context:
    """What scenarios fill in: ids and page numbers from the data set, and per-role clients."""

    values: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    body: dict | None = None


@dataclass
class Scenario:
    name: str
    path: str | tuple[str, ...] = ""
    role: str | None = "auditor"
    auth: str = "session"
    kind: str = "page"
    reference: str | None = None
    prepare: Callable[[Context, object], Request | None] | None = None
    note: str = ""
    copy_baseline: bool = False  # time COPY of the same query in the same run (PostgreSQL)


class _FormParser(HTMLParser):
    """The first POST form with a CSRF token: its action and every field's current value, as a browser sends it."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": []}
        elif self._current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._current["fields"].append(
                    (attrs["name"], attrs.get("value") or ("y" if kind == "checkbox" else ""))
                )
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self._current["fields"].append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._current["fields"].append((self._textarea, ""))

    def handle_data(self, data):
        if self._current is not None and self._textarea:
            name, value = self._current["fields"][-1]
            self._current["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def post_back_form(html: str, page_path: str) -> Request | None:
    """The request a person makes by pressing Save on the page's main form without changing anything."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if "csrf_token" in names and len(names) > 1 and not re.search(r"/(logout|language)", form["action"]):
            body: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                body.setdefault(name, []).append(value)
            return Request("POST", form["action"] or page_path, body)
    return None


# Saving one ground: the guided form's ground page (assessments.ground); it posts csrf_token, lock_version, the
# answer's fields and an optional action, exactly what the page's form holds.
SAVE_GROUND_PAGES = ("/assessments/{draft_id}/grounds/{ground_key}",)
_draft_cycle_lock = threading.Lock()
_draft_cycles: dict[int, itertools.cycle] = {}


_edits = itertools.count(1)


def save_ground(context: Context, client) -> Request | None:
    """GET a draft's ground form (untimed), then the timed request is the POST of that form with its evidence
    text changed: a real write, with its audit event and version, as a case officer's edit makes."""
    drafts = context.values["draft_ids"]
    with _draft_cycle_lock:  # each request saves a different draft, so concurrent saves never conflict
        draft_id = next(_draft_cycles.setdefault(id(drafts), itertools.cycle(drafts)))
        edit = next(_edits)
    for pattern in SAVE_GROUND_PAGES:
        path = pattern.format(draft_id=draft_id, ground_key=context.values["ground_key"])
        page = client.request("GET", path)
        if page.status == 200:
            request = post_back_form(page.text, path)
            if request is not None and request.body is not None and "evidence" in request.body:
                request.body["evidence"] = [f"Statistik från kommunen, uppdaterad ({edit})."]
            return request
    return None


_PERIOD = "&".join(f"{k}={v}" for k, v in period_args(2).items())

SCENARIOS: list[Scenario] = [
    Scenario("login page", "/login", role=None),
    Scenario("start page", "/", role="officer"),
    Scenario("list page 1", "/assessments/"),
    # Keyset pagination: a deep page is reached by the cursor (sort key and id) of the row before it.
    Scenario("list deep page", "/assessments/?after={deep_cursor}", note="page {deep_page}"),
    Scenario(
        "list filtered+sorted",
        "/assessments/?status=approved&department=FFF&ground=gender&impact=negative&sort=title",
    ),
    Scenario("list page 1 (officer)", "/assessments/", role="officer"),
    # Full-text search, best match first with the matches highlighted: a word in about one in ten titles, and
    # two words of which the last is a prefix.
    Scenario("list search", "/assessments/?q=lekplats"),
    Scenario("list search prefix", "/assessments/?q=busslinje+centr", role="officer"),
    Scenario("assessment page", "/assessments/{assessment_id}"),
    Scenario("dashboard", "/reports/", reference="dashboard"),
    Scenario("dashboard filtered", "/reports/?department=FFF&" + _PERIOD, reference="dashboard_filtered"),
    Scenario("committee view", "/reports/committees"),
    Scenario("coverage", "/coverage/"),
    Scenario("quality figures", "/reports/quality"),
    Scenario("voices and children", "/reports/voices"),
    Scenario("cumulative impact", "/reports/cumulative"),
    # The form pages of a draft naming areas: the proposal with its similar past assessments; a ground with the
    # areas' key figures and the notice of approved negative impacts there in the last twelve months.
    Scenario("proposal form page", "/assessments/{draft_id}/proposal", role="officer"),
    Scenario("ground form page", "/assessments/{draft_id}/grounds/{ground_key}", role="officer"),
    Scenario("ground form page (residence)", "/assessments/{draft_id}/grounds/geographic_residence", role="officer"),
    Scenario("save one ground", role="officer", prepare=save_ground),
    Scenario("API list", "/api/v1/assessments?per_page=100", auth="token"),
    Scenario("API summary", "/api/v1/summary", auth="token"),
    Scenario("CSV export (all)", "/reports/register.csv", kind="download", copy_baseline=True),
    Scenario("XLSX export (all)", "/reports/register.xlsx", kind="download"),
    Scenario("PDF of one assessment", "/reports/assessments/{assessment_id}.pdf", kind="download"),
    Scenario("Word of one assessment", "/reports/assessments/{assessment_id}.docx", kind="download"),
    # The same two as pages: many sequential requests give a real 95th percentile (goals: PDF 1.5 s, Word 1 s).
    Scenario("PDF of one assessment, repeated", "/reports/assessments/{assessment_id}.pdf"),
    Scenario("Word of one assessment, repeated", "/reports/assessments/{assessment_id}.docx"),
]
