"""The progress page of a background export, with and without JavaScript, in Swedish and English; axe-checked.

With JavaScript the bar moves by itself and the download link appears when the file is ready; without it the
*Refresh* link does the same, and *Cancel* is a plain form.
"""

import pytest
from playwright.sync_api import expect

from impact.core.db import db
from impact.jobs import backends
from impact.jobs.running import create_job
from tests import factories
from tests.browser.conftest import assert_accessible, browser_login, screenshot
from tests.jobs.helpers import register_test_kinds, unregister_test_kinds

WORDS = {
    "sv": {
        "downloads": "Mina nedladdningar",
        "xlsx": "Registret som Excel (XLSX)",
        "button": "Registret som Excel (XLSX)",
        "refresh": "Uppdatera",
        "cancel": "Avbryt",
        "cancelled": "Arbetet avbröts. Ingen fil sparades.",
        "download": "Ladda ner",
        "rows": "rader",
    },
    "en": {
        "downloads": "My downloads",
        "xlsx": "The register as Excel (XLSX)",
        "button": "Register as Excel (XLSX)",
        "refresh": "Refresh",
        "cancel": "Cancel",
        "cancelled": "The work was cancelled. No file was kept.",
        "download": "Download",
        "rows": "rows",
    },
}


@pytest.fixture
def test_kinds():
    register_test_kinds()
    yield
    unregister_test_kinds()


def slow_job(app, email: str, delay: float) -> int:
    """A slow test job of the user's, started in the live server's thread pool."""
    with app.app_context():
        user = db.session.scalar(db.select(factories.User).where(factories.User.email == email))
        job = create_job(user, "test_slow", {"delay": delay}, "sv")
        db.session.commit()
        backends.enqueue(job.id)
        return job.id


def test_progress_page_with_javascript(app, page, make_user, language, test_kinds):
    with app.app_context():
        factories.seed_report_data()
        db.session.commit()
    words = WORDS[language]
    email = make_user("auditor", department="KS", municipality_wide=True)
    browser_login(page, email, language=language)

    # A slow job: the bar moves without reloading the page.
    job_id = slow_job(app, email, delay=0.02)
    page.goto(f"/downloads/{job_id}")
    bar = page.locator("progress")
    expect(bar).to_be_visible()
    assert_accessible(page, f"progress page running ({language})")
    screenshot(page, f"jobs-progress-{language}")
    expect(page.locator(".job__text")).to_contain_text(words["rows"])
    first = float(bar.get_attribute("value") or 0)
    page.wait_for_function(
        "v => document.querySelector('progress') && document.querySelector('progress').value > v", arg=first
    )
    # The script loads the page again when the work has ended: the download link is there.
    expect(page.get_by_role("link", name=f"{words['download']} slow.txt")).to_be_visible(timeout=30_000)
    assert_accessible(page, f"progress page done ({language})")

    # The real thing, as a person asks for it on the dashboard.
    page.goto("/reports/")
    page.get_by_role("button", name=words["button"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["xlsx"])
    link = page.get_by_role("link", name=f"{words['download']} impact-register-")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name=words["downloads"], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["downloads"])
    assert_accessible(page, f"my downloads ({language})")


def assert_accessible_as_without_script(chromium, live_server, context, name: str) -> None:
    """axe-core needs a script to run, and a context with JavaScript off hangs it: check the page the no-script
    context shows in a second context with its cookies, where the app's own script is not loaded."""
    url = context.pages[0].url
    checker = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    try:
        checker.add_cookies(context.cookies())
        checker.route("**/static/js/**", lambda route: route.abort())
        page = checker.new_page()
        page.goto(url)
        assert page.locator("script[src$='impact.js']").count() == 1  # the page is the same; only the script is off
        assert_accessible(page, name)
    finally:
        checker.close()


def test_progress_page_without_javascript(app, chromium, live_server, make_user, language, test_kinds):
    words = WORDS[language]
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        email = make_user("case_officer")
        browser_login(page, email, language=language)
        job_id = slow_job(app, email, delay=0.01)
        page.goto(f"/downloads/{job_id}")
        expect(page.locator("progress")).to_be_visible()
        assert_accessible_as_without_script(chromium, live_server, context, f"running, no JavaScript ({language})")
        refresh = page.get_by_role("link", name=words["refresh"])
        for _ in range(100):  # about ten seconds of a person pressing Refresh
            if not refresh.count():
                break
            refresh.click()
            page.wait_for_timeout(100)
        expect(page.get_by_role("link", name=f"{words['download']} slow.txt")).to_be_visible()
        assert_accessible_as_without_script(chromium, live_server, context, f"done, no JavaScript ({language})")

        # Cancel is a form: it works without a script.
        job_id = slow_job(app, email, delay=0.05)
        page.goto(f"/downloads/{job_id}")
        page.get_by_role("button", name=words["cancel"]).click()
        expect(page.get_by_text(words["cancelled"]).first).to_be_visible()
        assert_accessible_as_without_script(chromium, live_server, context, f"cancelled, no JavaScript ({language})")
    finally:
        context.close()
