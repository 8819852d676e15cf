"""Every page each role reaches, in Swedish and in English, is valid HTML by the W3C Nu HTML checker (vnu.jar).

Invalid markup is what assistive technology stumbles on first (a duplicated id breaks label and ARIA references).
The crawl logs in as each demo role with the test client, starts at the start page and every GET page without
parameters, follows same-site links breadth first (at most two URLs of each pattern), and writes every page to a
folder; vnu then checks the whole folder in one Java start. ``scripts/ensure-test-tools`` (run by ``make test``)
installs the checker; without it this test fails rather than skips.
"""

import json
import os
import re
import shutil
import subprocess
import time
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from flask.testing import FlaskClient

from impact.assessments.models import Assessment
from impact.audit import trail
from impact.auth.models import User
from impact.core.db import db
from impact.notifications.models import NotificationKind
from impact.notifications.sending import notify
from impact.public.publication import set_register_open
from tests import factories
from tests.conftest import csrf_token
from tests.crawling import NOT_A_PAGE, entry_points, url_pattern
from tests.matrix_setup import STATES, World, build_world, template_draft_id
from tests.node_tools import NODE_MODULES

PROJECT_DIR = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR") or NODE_MODULES / "vnu-jar/build/dist/vnu.jar")
PAGES_PER_ROLE = 100
URLS_PER_PATTERN = 6  # an assessment in each state
ROLES = {  # matrix personas
    **{"case_officer": "author", "reviewer": "reviewer", "auditor": "auditor", "admin": "admin"},
    "committee_secretary": "secretary",
}
LINK = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
# One short-lived JVM: the quick (C1) compiler and the serial collector start fastest; the schema needs a deep stack.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]


@pytest.fixture
def world(app) -> World:
    """The permission matrix's people and an assessment in every state, with a history, a review comment, a
    notification and a draft template version, so every kind of page has something to show."""
    with app.app_context():
        world = build_world()
        template_draft_id(world.users["admin"])
        author = db.session.get(User, world.users["author"])
        reviewer = db.session.get(User, world.users["reviewer"])
        for state in STATES:
            assessment = db.session.get(Assessment, world.assessments[state])
            trail.record("assessment.create", assessment, actor=author, assessment_id=assessment.id)
            if state != "draft":
                changes = {"status": {"before": "draft", "after": "submitted"}}
                trail.record("assessment.submit", assessment, actor=author, changes=changes)
        returned = db.session.get(Assessment, world.assessments["returned"])
        factories.create_review_comment(returned, reviewer)
        # The public register is open, so its pages are crawled too (anonymously, and by the roles that find it).
        set_register_open(True, db.session.get(User, world.users["admin"]))
        notify([author], NotificationKind.returned, assessment=returned)
        notify(
            [reviewer],
            NotificationKind.submitted,
            assessment=db.session.get(Assessment, world.assessments["submitted"]),
        )
        db.session.commit()
        return world


def _browser(app, language: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _log_in(client: FlaskClient, email: str) -> None:
    data = {"email": email, "password": factories.PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=data).status_code == 302, email


def _links(html: str) -> list[str]:
    found = []
    for href in LINK.findall(html):
        path, _fragment = urldefrag(href.replace("&amp;", "&"))
        if path.startswith("/") and not path.startswith("//") and not NOT_A_PAGE.search(urlsplit(path).path):
            found.append(path)
    return found


def _page(client: FlaskClient, path: str) -> str | None:
    """The page's HTML, or None for a redirect, a download or a page this role may not open."""
    response = client.get(path)
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    return response.get_data(as_text=True)


def crawl(client: FlaskClient, starts: list[str], limit: int = PAGES_PER_ROLE) -> dict[str, str]:
    """Breadth-first from ``starts``: {path: html} of at most ``limit`` pages, two per URL pattern."""
    queue, queued = deque(starts), set(starts)
    per_pattern: dict[str, int] = {}
    pages: dict[str, str] = {}
    while queue and len(pages) < limit:
        path = queue.popleft()
        pattern = url_pattern(path)
        if per_pattern.get(pattern, 0) >= URLS_PER_PATTERN:
            continue
        html = _page(client, path)
        if html is None:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        pages[path] = html
        for link in _links(html):
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return pages


def run_vnu(folder: Path) -> list[dict]:
    """vnu's error messages for every .html file in ``folder`` (one Java start)."""
    java = shutil.which("java")
    if not VNU_JAR.is_file() or java is None:
        pytest.fail(
            f"The Nu HTML checker is missing ({VNU_JAR}, java: {java}). Run `bash scripts/ensure-test-tools` "
            "(make test does) and install a Java 17 runtime, or set VNU_JAR to a vnu.jar."
        )
    command = [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--no-langdetect", "--format", "json"]
    command += ["--stdout", "--exit-zero-always"]
    result = subprocess.run(  # noqa: S603 (a fixed command over files this test wrote)
        [*command, str(folder)], capture_output=True, text=True, timeout=300, check=True
    )
    return [message for message in json.loads(result.stdout)["messages"] if message.get("type") != "info"]


def test_every_page_each_role_reaches_is_valid_html(app, world, tmp_path):
    started = time.monotonic()
    written: dict[str, str] = {}  # file name -> "role language path"

    def keep(label: str, pages: dict[str, str], language: str) -> None:
        for path, html in pages.items():
            assert f'<html lang="{language}"' in html, f"{path} is not in {language}"
            name = f"{len(written):04d}.html"
            (tmp_path / name).write_text(html, encoding="utf-8")
            written[name] = f"{label} {language} {path}"

    for label, email in [("anonymous", None), *((role, world.emails[persona]) for role, persona in ROLES.items())]:
        client = _browser(app, "sv")
        if email:
            _log_in(client, email)
        pages = crawl(client, entry_points(app) if email else ["/login", "/accessibility/", "/public/"])
        keep(label, pages, "sv")
        # In English the first page of each pattern: the markup is the same, only the words differ.
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        with client.session_transaction() as session:
            session["locale"] = "en"  # as the language switch does; Accept-Language does not count once logged in
        firsts: dict[str, str] = {}
        for path in pages:
            firsts.setdefault(url_pattern(path), path)
        keep(label, {path: html for path in firsts.values() if (html := _page(client, path))}, "en")
    rendered = time.monotonic()

    errors = run_vnu(tmp_path)
    checked = time.monotonic()
    patterns = sorted({url_pattern(where.rsplit(" ", 1)[-1]) for where in written.values()})
    print(  # shown with -s; the report quotes these figures
        f"\n{len(written)} pages ({len(patterns)} patterns) rendered in {rendered - started:.1f}s, "
        f"checked by vnu in {checked - rendered:.1f}s: {patterns}"
    )
    assert len(written) > 100, sorted(written.values())
    # One line per kind of error and page pattern, with the first page and the markup it was found in.
    problems: dict[tuple[str, str], str] = {}
    for message in errors:
        where = written.get(Path(urlsplit(message["url"]).path).name, message["url"])
        extract = " ".join((message.get("extract") or "").split())
        problems.setdefault((message["message"], url_pattern(where.rsplit(" ", 1)[-1])), f"{where}: [{extract}]")
    report = [f"{text}\n    {first}" for (text, _pattern), first in sorted(problems.items())]
    assert report == [], f"{len(errors)} HTML errors, {len(report)} kinds:\n" + "\n".join(report)
