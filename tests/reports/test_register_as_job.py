"""The register's direct download URLs answer in the request only up to ``REGISTER_DIRECT_ASSESSMENTS``; a larger
register is made as a background job (the progress page, then the download), so no request outlasts gunicorn's
30-second timeout."""

import pytest

from impact.jobs.models import JobStatus
from tests.jobs.test_jobs import fetch, finish, read_csv


@pytest.fixture
def auditor(login_as, seeded):
    return login_as("auditor", department="KS", municipality_wide=True)


def test_a_small_register_is_downloaded_at_once(app, client, auditor):
    app.config["REGISTER_DIRECT_ASSESSMENTS"] = 5  # the auditor sees exactly five
    for path in ("/reports/register.csv", "/reports/register.xlsx"):
        response = client.get(path)
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(("file_format", "kind"), [("csv", "register_csv"), ("xlsx", "register_xlsx")])
def test_a_larger_register_is_made_as_a_job(app, client, auditor, file_format, kind):
    direct = client.get(f"/reports/register.{file_format}?department=SOF").get_data()
    app.config["REGISTER_DIRECT_ASSESSMENTS"] = 2
    response = client.get(f"/reports/register.{file_format}?department=SOF")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/downloads/")
    job = finish(app, int(location.rsplit("/", 1)[1]))
    assert (job.status, job.kind, job.params) == (JobStatus.done, kind, {"department": ["SOF"]})
    assert client.get(location).status_code == 200  # the progress page, then the download
    made = fetch(client, job.id).body
    if file_format == "csv":
        assert read_csv(made) == read_csv(direct)
    else:
        assert made[:2] == b"PK"
